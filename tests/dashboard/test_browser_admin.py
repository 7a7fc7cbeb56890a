"""The audit log and settings in a real browser (Debian's Chromium, headless) against a live
server: create an API key and see it once, revoke it through the confirmation dialog, filter the
audit log; at 1280 px and at phone width. Screenshots land in test-artifacts/dashboard/."""

import pytest

from slm_platform.accounts.models import ApiKey
from slm_platform.audit.services import Actor, audit_record
from tests.dashboard.browser import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"


def test_an_api_key_is_shown_once_and_revoked_through_the_dialog(page, live_server,
                                                                 member_membership):
    page.get_by_role("navigation").get_by_role("link", name="Settings").click()
    assert page.get_by_role("heading", name="Members").is_visible()
    page.get_by_label("Name", exact=True).fill("billing-sync")
    page.get_by_role("button", name="Create key").click()
    shown = page.get_by_role("textbox", name="API key", exact=True)
    shown.wait_for()
    key = shown.input_value()
    api_key = ApiKey.objects.get(name="billing-sync")
    assert key.startswith(f"slm_{api_key.prefix}_")
    screenshot(page, "settings")

    page.set_viewport_size(PHONE)
    screenshot(page, "settings-phone")
    _no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.reload()  # shown once, never again
    assert page.get_by_role("textbox", name="API key", exact=True).count() == 0
    assert key not in page.content()
    assert page.get_by_role("cell", name="billing-sync", exact=True).is_visible()

    # Revoke: cancelled first (nothing changes), then confirmed.
    page.get_by_role("button", name="Revoke billing-sync").click()
    dialog = page.get_by_role("dialog")
    assert "Revoke the key billing-sync" in dialog.inner_text()
    page.get_by_role("button", name="Cancel").click()
    api_key.refresh_from_db()
    assert api_key.revoked_at is None
    page.get_by_role("button", name="Revoke billing-sync").click()
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text(f"The key billing-sync ({api_key.prefix}…) is revoked.").wait_for()
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None

    # A field's error stands next to it.
    page.get_by_text("Add a member", exact=True).click()  # the <details> summary
    page.get_by_label("Username", exact=True).fill("bob")
    page.get_by_label("Password", exact=True).fill("a-long-enough-password")
    page.get_by_role("button", name="Add member").click()
    assert page.locator("#id_username_error").inner_text() == "That username is taken."


def test_the_audit_log_filters_and_pages(page, live_server, organization):
    for number in range(55):
        audit_record(organization=organization, actor=Actor(label="api_key:ab12cd34 (alice)"),
                     action="predict", object_type="model_version", object_id=str(number % 3),
                     latency_ms=12.5, data={"inputs": 1, "task": "finance.transaction-category"})
    audit_record(organization=organization, actor=Actor.system(), action="webhook.configure",
                 object_type="webhook", object_id="1", data={"url": "https://hooks.example.com/x"})
    page.get_by_role("navigation").get_by_role("link", name="Audit log").click()
    assert page.get_by_role("heading", name="Audit log").is_visible()
    assert page.get_by_text("Page 1 of 2").is_visible()

    page.get_by_label("Action").fill("predict")
    page.get_by_label("Object id").fill("2")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("18 events match").wait_for()
    assert page.locator("table.audit tbody tr").count() == 18
    assert "action=predict" in page.get_by_role("link", name="Export CSV").get_attribute("href")
    screenshot(page, "audit")

    page.set_viewport_size(PHONE)
    screenshot(page, "audit-phone")
    _no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # A cell's link narrows to its value; invalid input is said next to its field.
    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("link", name="webhook.configure").click()
    page.get_by_text("1 event matches").wait_for()
    page.get_by_label("From (UTC)").fill("2030-01-02T10:00")
    page.get_by_label("To (UTC)").fill("2030-01-01T10:00")
    page.get_by_role("button", name="Filter").click()
    page.locator("#id_until_error").wait_for()
    assert "before its start" in page.locator("#id_until_error").inner_text()
