"""Fixtures of the dashboard's tests: test clients logged in as the organization's admin,
member (an analyst), reviewer, ML engineer and auditor, Debian's Chromium, and a browser page
logged in as the admin."""

import pytest
from django.test import Client

from tests.dashboard.browser import chromium_or_skip, log_in, logged_in


@pytest.fixture
def admin(admin_membership) -> Client:
    return logged_in(admin_membership)


@pytest.fixture
def member(member_membership) -> Client:
    return logged_in(member_membership)


@pytest.fixture
def reviewer(reviewer_membership) -> Client:
    return logged_in(reviewer_membership)


@pytest.fixture
def engineer(organization) -> Client:
    from slm_platform.accounts.services import member_create

    return logged_in(member_create(organization=organization, username="emil",
                                   password="a-long-test-password", role="ml_engineer"))


@pytest.fixture
def auditor(organization) -> Client:
    from slm_platform.accounts.services import member_create

    return logged_in(member_create(organization=organization, username="audrey",
                                   password="a-long-test-password", role="auditor"))


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    executable = chromium_or_skip()
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server, admin_membership):
    """A 1280 px wide page, logged in as the organization's admin, on the overview."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, live_server, admin_membership.user.username)
    yield page
    context.close()
