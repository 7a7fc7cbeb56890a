"""Which errors count as the database being away (503) or the disk being full (507): a
connection refused, lost or shut down does; the error of one statement does not."""

import errno
import sqlite3

import psycopg
import psycopg.errors
from django.db import IntegrityError, InterfaceError, OperationalError

from slm_platform.core.errors import InsufficientStorage, ServiceUnavailable
from slm_platform.core.faults import database_unavailable, fault_error


def _from_driver(cause: Exception) -> OperationalError:
    """The error as Django raises it: its own class, the driver's error as the cause."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


def test_connection_failures_are_the_database_being_unavailable():
    assert database_unavailable(_from_driver(psycopg.OperationalError(
        "connection failed: Connection refused")))  # raised by the client: no SQLSTATE
    assert database_unavailable(_from_driver(psycopg.errors.AdminShutdown()))  # 57P01
    assert database_unavailable(_from_driver(psycopg.errors.CannotConnectNow()))  # 57P03
    assert database_unavailable(InterfaceError("connection already closed"))
    assert database_unavailable(_from_driver(sqlite3.OperationalError("database is locked")))


def test_errors_of_one_statement_are_not():
    assert not database_unavailable(_from_driver(psycopg.errors.DeadlockDetected()))  # 40P01
    assert not database_unavailable(_from_driver(psycopg.errors.QueryCanceled()))  # 57014
    assert not database_unavailable(_from_driver(sqlite3.OperationalError("no such table: x")))
    assert not database_unavailable(IntegrityError("duplicate key"))
    assert fault_error(ValueError("no")) is None


def test_fault_errors_carry_their_status():
    away = fault_error(InterfaceError("connection already closed"))
    assert isinstance(away, ServiceUnavailable) and away.code == "database_unavailable"
    full = fault_error(OSError(errno.ENOSPC, "No space left on device"))
    assert isinstance(full, InsufficientStorage) and full.status_code == 507
    assert fault_error(OSError(errno.EACCES, "Permission denied")) is None
