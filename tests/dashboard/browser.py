"""Helpers of the dashboard's tests (the fixtures are in conftest.py): Debian's Chromium for
the browser tests, logging in, and screenshots in test-artifacts/dashboard/ for people to look
at."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "a-long-test-password"  # tests/conftest.py's members' password
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"


def chromium_or_skip() -> str:
    """The browser's path. Without it a developer's run skips the browser tests; CI (CI set)
    fails instead, since `make install` installs it there."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: `make install` installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (`make install` as root installs it)")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")


def logged_in(membership):
    """A Django test client with `membership`'s user logged in."""
    from django.test import Client

    client = Client()
    client.force_login(membership.user)
    return client
