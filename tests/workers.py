"""Helpers for tests that treat the real Celery worker roughly."""

import os
import signal
import subprocess

import psutil


def kill_pool_processes(worker: subprocess.Popen) -> None:
    """kill -9 every pool process of a Celery worker, as an out-of-memory kill would; the
    worker's main process stays and starts new ones."""
    for child in psutil.Process(worker.pid).children():
        os.kill(child.pid, signal.SIGKILL)
