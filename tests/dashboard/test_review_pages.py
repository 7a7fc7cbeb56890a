"""The review queue's pages through the test client: the task list with thresholds (an admin
changes one, errors next to the field), one item at a time with its alternatives, verdicts by
plain POST and by htmx, the empty state, the dataset button, and organizations kept apart."""

import re

import pytest

from slm_platform.datasets.models import DatasetVersion
from slm_platform.review.models import Review
from tests.review.factories import TASK, predicted_job

pytestmark = pytest.mark.django_db
QUEUE = f"/review/{TASK}/"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def items(organization):
    return predicted_job(organization, [("TESCO STORES 2841", "groceries", 0.9),
                                        ("UBER *TRIP", "travel", 0.3),
                                        ("PRET A MANGER", "groceries", 0.1)])


def _threshold_row(html: str, slug: str) -> str:
    return html.split(f"<strong>{slug}</strong>", 1)[1].split("</tr>", 1)[0]


def test_the_task_list_shows_pending_counts_and_thresholds(admin, reviewer, items):
    html = admin.get("/review/").content.decode()
    row = _threshold_row(html, TASK)
    assert '<td class="num">2</td>' in row  # 0.1 and 0.3 are under the default 0.6
    assert 'name="threshold"' in row and 'value="0.6"' in row
    assert "finance.statement-entities" not in html  # entities: nothing to confirm
    as_reviewer = reviewer.get("/review/").content.decode()
    assert 'name="threshold"' not in as_reviewer and "0.6" in _threshold_row(as_reviewer, TASK)


def test_an_admin_changes_a_threshold_and_errors_show_next_to_the_field(admin, reviewer, items):
    bad = admin.post(f"/review/{TASK}/threshold", {"threshold": "1.5"})
    assert bad.status_code == 400
    row = _threshold_row(bad.content.decode(), TASK)
    assert 'aria-invalid="true"' in row and "from 0 to 1" in row and 'value="1.5"' in row
    assert admin.post(f"/review/{TASK}/threshold", {"threshold": "high"}).status_code == 400
    assert reviewer.post(f"/review/{TASK}/threshold", {"threshold": "0.95"}).status_code == 403
    saved = admin.post(f"/review/{TASK}/threshold", {"threshold": "0.95"}, follow=True)
    row = _threshold_row(saved.content.decode(), TASK)
    assert '<td class="num">3</td>' in row and 'value="0.95"' in row


def test_one_item_at_a_time_lowest_score_first_with_numbered_alternatives(reviewer, items):
    html = reviewer.get(QUEUE).content.decode()
    assert "PRET A MANGER" in html and "UBER *TRIP" not in html
    assert "Predicted <strong>groceries</strong>" in html and "0.100" in html
    # The stored scores other than the prediction, best first, keyed 1, 2, ...
    assert re.findall(r'value="(\w+)" class="secondary" data-key="(\d)"', html) == [
        ("dining", "1"), ("fuel", "2")]
    assert html.count("<option ") == 15  # every label of the task in the select
    assert "0 of 2</strong> reviewed in this session" in html
    assert "dashboard/review.js" in html


def test_a_plain_post_records_the_verdict_and_redirects_to_the_next_item(reviewer, items):
    response = reviewer.post(f"{QUEUE}items/{items[2].pk}", {"action": "confirmed"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    review = Review.objects.get()
    assert (review.job_item_id, review.action, review.label) == (items[2].pk, "confirmed",
                                                                 "groceries")
    html = reviewer.get(QUEUE).content.decode()
    assert "UBER *TRIP" in html and "1 of 2</strong> reviewed in this session" in html


def test_an_htmx_verdict_returns_the_next_items_fragment(reviewer, items):
    fragment = reviewer.post(f"{QUEUE}items/{items[2].pk}",
                           {"action": "corrected", "label": "dining"}, headers=HTMX)
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert html.startswith('<div id="review-item"') and "UBER *TRIP" in html
    assert Review.objects.get().label == "dining"
    bad = reviewer.post(f"{QUEUE}items/{items[1].pk}", {"action": "corrected",
                                                      "label": "unicorns"}, headers=HTMX)
    assert "is not a label of" in bad.content.decode()
    assert Review.objects.count() == 1
    plain_bad = reviewer.post(f"{QUEUE}items/{items[1].pk}", {"action": "corrected",
                                                            "label": "unicorns"})
    assert plain_bad.status_code == 400
    skipped = reviewer.post(f"{QUEUE}items/{items[1].pk}", {"action": "skipped"},
                          headers=HTMX).content.decode()
    assert "Nothing to review under the threshold 0.6" in skipped
    assert "2 of 2</strong> reviewed in this session" in skipped


def test_the_empty_queue_says_so(reviewer, organization):
    html = reviewer.get(QUEUE).content.decode()
    assert "Nothing to review under the threshold 0.6" in html
    assert 'data-key="confirm"' not in html


def test_another_organizations_items_and_unknown_tasks_are_404(reviewer, other_organization):
    foreign = predicted_job(other_organization, [("GLOBEX", "fuel", 0.2)])[0]
    assert reviewer.post(f"{QUEUE}items/{foreign.pk}", {"action": "confirmed"}).status_code == 404
    assert "GLOBEX" not in reviewer.get(QUEUE).content.decode()
    assert reviewer.get("/review/no.such-task/").status_code == 404
    assert reviewer.get("/review/finance.statement-entities/").status_code == 404
    assert not Review.objects.exists()


def test_an_admin_makes_the_reviewed_items_a_dataset(admin, reviewer, items):
    reviewer.post(f"{QUEUE}items/{items[2].pk}", {"action": "confirmed"})
    reviewer.post(f"{QUEUE}items/{items[1].pk}", {"action": "corrected", "label": "transport"})
    as_reviewer = reviewer.get(QUEUE).content.decode()
    assert "Create dataset" not in as_reviewer and "2 reviewed items are ready" in as_reviewer
    assert reviewer.post(f"{QUEUE}dataset").status_code == 403
    assert "Create dataset from 2 reviewed items" in admin.get(QUEUE).content.decode()
    response = admin.post(f"{QUEUE}dataset")
    version = DatasetVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/datasets/{version.pk}/"
    assert version.row_count == 2
    again = admin.post(f"{QUEUE}dataset", follow=True).content.decode()
    assert "not in a dataset yet" in again and DatasetVersion.objects.count() == 1


def test_the_review_pages_carry_no_inline_script_or_style(admin, items):
    for path in ("/review/", QUEUE):
        body = admin.get(path).content.decode().split("</head>", 1)[1]
        scripts = re.findall(r"<script[^>]*>", body)
        assert all(" src=" in tag for tag in scripts)
        assert "</script>" not in body.replace("></script>", "")
        assert "style=" not in body and not re.search(r"\son[a-z]+=", body)
