"""The dashboard in a real browser (Debian's Chromium, headless), against a live server, a real
Celery worker and the organization's starter models: log in, read the overview, open a model
version and see its confusion matrix, activate and roll back through the confirmation dialog,
try a task. Screenshots of each page land in test-artifacts/dashboard/."""

import re

import pytest

from slm_platform.registry.models import ModelVersion
from tests.conftest import wait_for_active_version
from tests.dashboard.browser import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
TASK = "finance.transaction-category"


def test_overview_version_pictures_activation_and_try_it(page, live_server,
                                                         trained_model):
    # Overview: queues, workers, models.
    assert page.get_by_role("heading", name="realtime queue").is_visible()
    page.get_by_role("link", name=trained_model.name).first.wait_for()  # refreshed every 5 s
    screenshot(page, "overview")

    # A version page with its confusion matrix, calibration and loss curve.
    page.get_by_role("link", name="Tasks & models").click()
    page.get_by_role("link", name=TASK, exact=True).click()
    page.get_by_role("link", name=trained_model.name, exact=True).click()
    assert page.get_by_role("heading", name="Confusion matrix").is_visible()
    assert page.locator("figure svg rect").count() >= 4
    assert page.get_by_role("heading", name="Training loss").is_visible()
    screenshot(page, "version")

    # A second version to activate (the same artifact, registered again), then roll back.
    second = ModelVersion.objects.create(
        organization=trained_model.organization, task_slug=TASK, version=trained_model.version + 1,
        base_model=trained_model.base_model, source="training", status="ready",
        artifact_path=trained_model.artifact_path, metrics=trained_model.metrics)
    page.goto(f"{live_server.url}/models/{second.pk}/")
    page.get_by_label("Only if it passes the gate").uncheck()
    page.get_by_role("button", name="Activate").click()
    dialog = page.get_by_role("dialog")
    assert "Make " + second.name in dialog.inner_text()
    screenshot(page, "activate-confirm")
    page.keyboard.press("Escape")  # cancelled: nothing changes
    second.refresh_from_db()
    assert second.status == "ready"
    page.get_by_role("button", name="Activate").click()
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text(f"{second.name} is now active.").wait_for()
    second.refresh_from_db()
    assert second.status == "active"
    page.get_by_role("link", name=TASK, exact=True).click()
    page.get_by_role("button", name="Roll back").click()
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text(f"Rolled back: {trained_model.name} is active again.").wait_for()
    screenshot(page, "task")

    # Try it: a prediction with its scores as bars.
    page.get_by_role("navigation").get_by_role("link", name="Try it").click()
    page.get_by_label("Task").select_option(TASK)
    page.get_by_label("Text").fill("UBER *TRIP HELP.UBER.COM")
    page.get_by_role("button", name="Predict").click()
    page.get_by_role("heading", name=re.compile("Prediction")).wait_for()
    assert page.locator("#prediction meter").count() >= 3
    screenshot(page, "try-it")


def test_entities_are_highlighted_and_the_phone_layout_holds(page, live_server,
                                                             trained_model):
    wait_for_active_version(trained_model.organization, "health.phi-deid")
    page.goto(f"{live_server.url}/try/health.phi-deid/")
    page.get_by_label("Text").fill("Call Ana on (617) 555-0142 or ana@mail.org")
    page.get_by_role("button", name="Predict").click()
    marks = page.locator("#prediction mark.entity")
    marks.first.wait_for()
    assert "(617) 555-0142PHONE" in marks.all_inner_texts()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "try-it-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
