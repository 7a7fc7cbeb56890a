"""Bulk jobs in a real browser: files dropped on the upload form (the column picker reads the
CSV's header), the job's progress bar until it finishes, the results filtered, a download."""

import csv
import io

import pytest

from tests.dashboard.browser import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
TASK = "finance.transaction-category"


def test_upload_watch_filter_and_download(page, live_server, trained_model,
                                          tmp_path):
    rows = ["UBER *TRIP HELP.UBER.COM", "TESCO STORES 2841", "NETFLIX.COM"] * 40
    upload = tmp_path / "march.csv"
    upload.write_text("id;description;amount\n"
                      + "\n".join(f"{n};{row};{n}.50" for n, row in enumerate(rows)))
    page.get_by_role("navigation").get_by_role("link", name="Jobs").click()
    page.get_by_label("Files").set_input_files(str(upload))
    page.get_by_text("Columns of march.csv: id, description, amount.").wait_for()
    assert page.get_by_label("Text column").input_value() == "description"
    page.get_by_label("Task").select_option(TASK)
    screenshot(page, "jobs")
    page.get_by_role("button", name="Upload and start").click()
    page.get_by_text("is queued.").wait_for()
    page.get_by_text("Finished").wait_for(timeout=120_000)  # the progress fragment reloads
    page.get_by_role("heading", name="Results", exact=True).wait_for()
    assert page.get_by_text("Page 1 of 3").is_visible()
    screenshot(page, "job")

    label = page.locator("table").last.locator("tbody tr td").nth(2).inner_text()
    page.get_by_label("Label").fill(label)
    page.get_by_role("button", name="Filter").click()
    cells = page.locator("table").last.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert cells and set(cells) == {label}

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    table = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert len(table) == len(rows)
    assert table[0]["amount"] == "0.50" and table[0]["predicted_label"]
