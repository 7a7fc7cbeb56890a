"""Fixtures of the security tests: a client address of their own for each test (rate-limit
counters live in Redis and outlast a test's database), and the dashboard's browser."""

import secrets
import time

import pytest

# The dashboard tests' real Chromium and logged-in page, for the CSP test in a browser.
from tests.dashboard.conftest import browser, page  # noqa: F401


def loopback_address() -> str:
    """A random loopback address: rate-limit counters for it start at zero."""
    return ".".join(["127", *(str(secrets.randbelow(250) + 1) for _ in range(3))])


@pytest.fixture
def client_ip() -> str:
    """An address of this test's own (rate-limit counters live in Redis and outlast a test's
    database)."""
    return loopback_address()


def away_from_window_end(period_seconds: int = 60, margin: float = 5.0) -> None:
    """Rate limits count in fixed windows: start a test's requests where no window ends in
    the next `margin` seconds, so they all fall into one."""
    left = period_seconds - time.time() % period_seconds
    if left < margin:
        time.sleep(left + 0.05)
