"""Champion/challenger when the evaluation a comparison needs fails on the worker: a 502 in
the error shape naming the step, not a 500 (found by tests/security/test_fuzzing.py's review of
the comparison path)."""

from slm_platform.registry.models import ModelVersion

TASK = "finance.transaction-category"
REPORT = {"accuracy": 0.9, "macro_f1": 0.88, "micro_f1": 0.9,
          "per_label": {"dining": {"f1": 0.9}, "groceries": {"f1": 0.86}}}


def test_an_evaluation_that_fails_on_the_worker_is_a_502_naming_the_step(
        transactional_db, celery_worker, organization, admin_client):
    # The candidate's report on its own test set is stored; the baseline has none there, so a
    # bulk worker evaluates it, and its artifact is missing.
    candidate = ModelVersion.objects.create(
        organization=organization, task_slug=TASK, version=1, status="ready",
        base_model="all-MiniLM-L6-v2", artifact_path="models/missing-candidate",
        lineage={"test_set_key": "fuzz-set"}, metrics={"test": REPORT})
    baseline = ModelVersion.objects.create(
        organization=organization, task_slug=TASK, version=2, status="ready",
        base_model="all-MiniLM-L6-v2", artifact_path="models/missing-baseline")
    response = admin_client.get(f"/api/v1/models/{candidate.pk}/compare",
                                {"against": baseline.pk})
    assert response.status_code == 502, response.content
    error = response.json()["error"]
    assert error["code"] == "worker_error"
    assert f"evaluating {baseline.name}" in error["message"]
