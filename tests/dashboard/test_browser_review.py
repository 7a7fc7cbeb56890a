"""The review queue in a real browser, after a real bulk job predicted by the tiny starter
model (its scores are low, so the threshold goes to 1.0 and every item is queued): confirm one
item with Enter, correct one with a digit key, then make the reviews a dataset version."""

import re

import pytest
from playwright.sync_api import expect

from slm_platform.review.models import Review
from tests.dashboard.browser import screenshot
from tests.jobs.helpers import transactions_csv, upload, wait_for_job

pytestmark = pytest.mark.django_db(transaction=True)
TASK = "finance.transaction-category"
ROWS = 12


def test_confirm_with_enter_correct_with_a_digit_and_make_a_dataset(page, live_server,
                                                                    trained_model,
                                                                    admin_client):
    response = upload(admin_client, {"march.csv": transactions_csv(ROWS)},
                      text_column="description")
    assert wait_for_job(admin_client, response.json()["id"])["status"] == "succeeded"

    page.get_by_role("navigation").get_by_role("link", name="Review").click()
    page.get_by_label(f"Threshold of {TASK}").fill("1.0")
    page.get_by_label(f"Threshold of {TASK}").press("Enter")
    page.get_by_text("items scored under 1 are reviewed").wait_for()
    page.get_by_role("link", name=TASK, exact=True).click()
    progress = page.locator("#review-item [role=status]")
    expect(progress).to_contain_text(f"0 of {ROWS} reviewed in this session")

    first_text = page.locator(".review-text").inner_text()
    page.keyboard.press("Enter")
    expect(progress).to_contain_text(f"1 of {ROWS} reviewed in this session")
    second_text = page.locator(".review-text").inner_text()
    assert second_text != first_text
    confirmed = Review.objects.get().label

    # A digit picks that alternative: one whose label differs from the confirmed one, so the
    # dataset holds two labels (a classifier needs two).
    keys = page.locator("button[data-key]:not([data-key=confirm]):not([data-key=skip])")
    choices = {key.get_attribute("data-key"): key.get_attribute("value") for key in keys.all()}
    digit, label = next((d, v) for d, v in choices.items() if v != confirmed)
    page.keyboard.press(digit)
    expect(progress).to_contain_text(f"2 of {ROWS} reviewed in this session")
    assert page.locator(".review-text").inner_text() not in (first_text, second_text)

    reviews = {review.job_item.text: review for review in Review.objects.select_related(
        "job_item")}
    assert reviews[first_text].action == "confirmed"
    assert (reviews[second_text].action, reviews[second_text].label) == ("corrected", label)
    screenshot(page, "review")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "review-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Create dataset from 2 reviewed items").click()
    page.wait_for_url(re.compile(r"/datasets/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"review-{TASK}-")
    assert Review.objects.filter(used_in__isnull=False).count() == 2
