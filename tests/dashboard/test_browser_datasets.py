"""Datasets & training in a real browser (Debian's Chromium, headless) against a live server
and a real Celery worker: drop a CSV on the upload form, read its quality report, start a
`fast` training run and watch it (htmx polling, no reload) until its model version's link
appears. Screenshots land in test-artifacts/dashboard/."""

import pytest

from slm_platform.audit.services import Actor
from slm_platform.core.task_services import custom_task_create
from slm_platform.training.models import TrainingRun
from tests.dashboard.browser import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
TASK = "support-intents"
PASSWORD = "a-long-test-password"
PHRASES = {
    "refund": ["I want my money back for order {}", "refund order {} please",
               "please return the money for {}", "how do I get a refund on {}"],
    "delivery": ["where is my parcel {}", "my package {} has not arrived",
                 "track shipment {}", "delivery of {} is late"],
    "cancel": ["cancel order {}", "I no longer want order {}", "stop my order {}",
               "please cancel {} now"],
}


def intents_csv(per_phrase: int = 5) -> str:
    rows = ["text,label"] + [f"{phrase.format(i * 7 + 3)},{label}"
                             for label, phrases in PHRASES.items() for phrase in phrases
                             for i in range(per_phrase)]
    return "\n".join(rows) + "\n"


@pytest.fixture
def page(browser, live_server, admin_membership):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(live_server.url + "/")
    page.get_by_label("Username").fill(admin_membership.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")
    yield page
    context.close()


def drop_file(page, name: str, text: str) -> None:
    """Drop a file on the upload form's drop zone, as a user dragging it from their desktop."""
    page.locator("[data-dataset-drop]").evaluate(
        """(zone, [name, text]) => {
             const data = new DataTransfer();
             data.items.add(new File([text], name, {type: "text/csv"}));
             zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true,
                                                           cancelable: true}));
             zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true,
                                                       cancelable: true}));
           }""", [name, text])


def assert_no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_upload_report_train_and_watch_the_run(page, live_server, celery_worker,
                                               organization):
    custom_task_create(organization=organization, slug=TASK, kind="classification",
                       actor=Actor.system())
    page.get_by_role("navigation").get_by_role("link", name="Datasets & training").click()
    assert page.get_by_text("No dataset yet — upload one").is_visible()

    # The task picker shows the fields of the chosen task's kind.
    page.get_by_label("Task").select_option("health.phi-deid")
    assert page.get_by_text("Entity formats").is_visible()
    assert not page.get_by_label("Label column").is_visible()
    page.get_by_label("Task").select_option(TASK)
    assert page.get_by_label("Label column").is_visible()
    assert not page.get_by_text("Entity formats").is_visible()

    drop_file(page, "intents.csv", intents_csv())
    page.get_by_text("Chosen: intents.csv").wait_for()
    assert page.get_by_label("Data file").evaluate("input => input.files[0].name") == \
        "intents.csv"
    page.get_by_role("button", name="Upload and check").click()

    # The data-quality report of the new version.
    page.get_by_text("Uploaded intents.csv@v1: 60 rows.").wait_for()
    assert page.get_by_role("heading", name="Data quality").is_visible()
    assert page.locator("table.distribution meter").count() == 3
    screenshot(page, "dataset-report")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "dataset-report-phone")
    assert_no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # A fast run, watched on its page until the model version is registered.
    page.locator("input[name=recipe][value=fast]").check()
    page.get_by_role("button", name="Start training").click()
    page.wait_for_url(f"{live_server.url}/training/*/")
    run = TrainingRun.objects.get()
    assert run.recipe == "fast"
    page.evaluate("window.notReloaded = true")
    link = page.get_by_role("link", name="Model version")
    link.wait_for(timeout=240_000)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert page.evaluate("window.notReloaded") is True  # htmx swapped the progress in place
    assert page.locator("#run-progress .badge").inner_text() == "succeeded"
    assert page.locator("#run-progress[hx-trigger]").count() == 0  # polling stopped
    assert not page.get_by_role("button", name="Cancel run").is_visible()
    screenshot(page, "training-run")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "training-run-phone")
    assert_no_sideways_scroll(page)

    link.click()
    page.get_by_role("heading", name=run.model_version.name).wait_for()
