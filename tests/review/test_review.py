"""The review queue's services and selectors against the real database: thresholds, the queue's
order and filter, organizations kept apart, verdicts checked and replaced, and reviewed items
turned into a dataset version (once)."""

import csv
import io

import pytest
from django.core.files.storage import default_storage

from slm_platform.audit.models import AuditEvent
from slm_platform.audit.services import Actor
from slm_platform.core.errors import Conflict, NotFound, ValidationFailed
from slm_platform.jobs.models import ItemStatus
from slm_platform.review.models import DEFAULT_THRESHOLD, Review
from slm_platform.review.selectors import review_counts, review_queue, review_threshold
from slm_platform.review.services import review_record, reviews_to_dataset, threshold_set
from tests.review.factories import TASK, predicted_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(admin_membership) -> Actor:
    return Actor.for_user(admin_membership.user)


@pytest.fixture
def items(organization):
    """Five done items of the organization, scores 0.9, 0.3, 0.55, 0.1, 0.6."""
    return predicted_job(organization, [("TESCO STORES 2841", "groceries", 0.9),
                                        ("UBER *TRIP", "travel", 0.3),
                                        ("SHELL OIL 5711", "fuel", 0.55),
                                        ("PRET A MANGER", "groceries", 0.1),
                                        ("NETFLIX.COM", "dining", 0.6)])


def _queue(organization) -> list[str]:
    return [item.text for item in review_queue(organization=organization, task_slug=TASK)]


def test_the_threshold_defaults_to_0_6_and_is_set_per_task_audited(organization, actor):
    assert review_threshold(organization=organization, task_slug=TASK) == DEFAULT_THRESHOLD
    threshold_set(organization=organization, task_slug=TASK, threshold=0.8, actor=actor)
    threshold_set(organization=organization, task_slug=TASK, threshold=0.75, actor=actor)
    assert review_threshold(organization=organization, task_slug=TASK) == 0.75
    other_task = "finance.earnings-sentiment"
    assert review_threshold(organization=organization, task_slug=other_task) == 0.6
    assert AuditEvent.objects.filter(action="review.threshold").count() == 2
    for bad in (-0.1, 1.01):
        with pytest.raises(ValidationFailed):
            threshold_set(organization=organization, task_slug=TASK, threshold=bad, actor=actor)
    with pytest.raises(NotFound):  # entities: no single label to confirm
        threshold_set(organization=organization, task_slug="finance.statement-entities",
                      threshold=0.5, actor=actor)


def test_the_queue_holds_done_items_under_the_threshold_lowest_score_first(
        organization, other_organization, items, actor):
    predicted_job(organization, [("PENDING ROW", "fuel", 0.05)], status=ItemStatus.PENDING)
    predicted_job(organization, [("OTHER TASK", "dining", 0.05)],
                  task_slug="finance.earnings-sentiment")
    predicted_job(other_organization, [("OTHER ORG", "dining", 0.05)])
    assert _queue(organization) == ["PRET A MANGER", "UBER *TRIP", "SHELL OIL 5711"]
    threshold_set(organization=organization, task_slug=TASK, threshold=0.95, actor=actor)
    assert _queue(organization)[-2:] == ["NETFLIX.COM", "TESCO STORES 2841"]
    review_record(organization=organization, item_id=items[3].pk, action="confirmed",
                  actor=actor)
    review_record(organization=organization, item_id=items[1].pk, action="skipped",
                  actor=actor)
    assert _queue(organization)[0] == "SHELL OIL 5711"
    counts = review_counts(organization=organization, task_slug=TASK)
    assert (counts.pending, counts.reviewed, counts.ready) == (3, 2, 1)


def test_another_organizations_item_is_not_found(organization, other_organization, actor):
    foreign = predicted_job(other_organization, [("GLOBEX", "fuel", 0.2)])[0]
    with pytest.raises(NotFound):
        review_record(organization=organization, item_id=foreign.pk, action="confirmed",
                      actor=actor)
    assert not Review.objects.exists()


def test_a_correction_names_one_of_the_tasks_labels(organization, items, actor):
    for label in ("no-such-label", "", None):
        with pytest.raises(ValidationFailed):
            review_record(organization=organization, item_id=items[1].pk, action="corrected",
                          label=label, actor=actor)
    with pytest.raises(ValidationFailed):
        review_record(organization=organization, item_id=items[1].pk, action="approve",
                      actor=actor)
    assert not Review.objects.exists()
    review = review_record(organization=organization, item_id=items[1].pk, action="corrected",
                           label="transport", actor=actor)
    assert (review.predicted_label, review.label, review.action) == ("travel", "transport",
                                                                     "corrected")
    assert review.reviewer == actor.user


def test_a_second_review_replaces_the_first(organization, items, actor):
    review_record(organization=organization, item_id=items[1].pk, action="confirmed",
                  actor=actor)
    review_record(organization=organization, item_id=items[1].pk, action="corrected",
                  label="transport", actor=actor)
    review = Review.objects.get()
    assert (review.action, review.label) == ("corrected", "transport")
    assert AuditEvent.objects.filter(action="review.record").count() == 2
    same = review_record(organization=organization, item_id=items[1].pk, action="corrected",
                         label="travel", actor=actor)  # to the prediction: a confirmation
    assert (same.action, same.label) == ("confirmed", "travel")
    assert Review.objects.count() == 1


def test_reviewed_items_become_a_dataset_version_once(organization, items, actor):
    with pytest.raises(Conflict):
        reviews_to_dataset(organization=organization, task_slug=TASK, actor=actor)
    review_record(organization=organization, item_id=items[3].pk, action="confirmed",
                  actor=actor)
    review_record(organization=organization, item_id=items[1].pk, action="corrected",
                  label="transport", actor=actor)
    review_record(organization=organization, item_id=items[2].pk, action="skipped",
                  actor=actor)
    version = reviews_to_dataset(organization=organization, task_slug=TASK, actor=actor)
    assert version.dataset.name.startswith(f"review-{TASK}-")
    assert version.task_slug == TASK and version.row_count == 2
    with default_storage.open(version.original_path) as stored:
        rows = list(csv.DictReader(io.StringIO(stored.read().decode())))
    assert sorted((row["text"], row["label"]) for row in rows) == [
        ("PRET A MANGER", "groceries"), ("UBER *TRIP", "transport")]
    used = Review.objects.filter(used_in=version).values_list("job_item_id", flat=True)
    assert sorted(used) == sorted([items[3].pk, items[1].pk])
    assert Review.objects.get(job_item=items[2]).used_in is None  # a skip is no label
    assert AuditEvent.objects.filter(action="review.dataset", object_id=str(version.pk)).exists()

    with pytest.raises(Conflict):  # nothing new since
        reviews_to_dataset(organization=organization, task_slug=TASK, actor=actor)
    review_record(organization=organization, item_id=items[4].pk, action="corrected",
                  label="fuel", actor=actor)
    review_record(organization=organization, item_id=items[0].pk, action="confirmed",
                  actor=actor)
    second = reviews_to_dataset(organization=organization, task_slug=TASK, actor=actor)
    assert second.dataset_id == version.dataset_id and second.version == 2
    assert second.row_count == 2


def test_a_dataset_the_quality_checks_reject_leaves_the_reviews_unused(organization, items,
                                                                       actor):
    review_record(organization=organization, item_id=items[3].pk, action="confirmed",
                  actor=actor)  # one label only: a classifier needs two
    with pytest.raises(ValidationFailed):
        reviews_to_dataset(organization=organization, task_slug=TASK, actor=actor)
    assert Review.objects.get().used_in is None


def test_deleting_a_jobs_items_keeps_working_and_drops_their_reviews_from_view(
        organization, items, actor, django_assert_max_num_queries):
    from slm_platform.jobs.models import JobItem

    review_record(organization=organization, item_id=items[1].pk, action="confirmed",
                  label="", actor=actor)
    assert review_counts(organization=organization, task_slug=TASK).reviewed == 1
    with django_assert_max_num_queries(2):  # one DELETE: no item is loaded for a cascade
        JobItem.objects.filter(job=items[1].job).delete()
    counts = review_counts(organization=organization, task_slug=TASK)
    assert (counts.reviewed, counts.ready, counts.pending) == (0, 0, 0)
