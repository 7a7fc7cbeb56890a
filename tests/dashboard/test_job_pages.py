"""The bulk-job pages through the test client, with a real worker and the starter model:
upload (errors next to the field, nothing stored), the job with its progress fragment, results
filtered and paginated, cancel and retry, and another organization's job kept out."""

import pytest

from slm_platform.jobs.models import Job, JobItem
from tests.conftest import wait_for_active_version
from tests.dashboard.browser import logged_in
from tests.jobs.helpers import wait_for_job

TASK = "finance.transaction-category"
pytestmark = pytest.mark.django_db(transaction=True)
ROWS = ["UBER *TRIP HELP.UBER.COM", "TESCO STORES 2841", "NETFLIX.COM", "SHELL OIL 5711"]


def _csv(rows=ROWS) -> bytes:
    return ("id,description\n" + "\n".join(f"{n},{row}" for n, row in enumerate(rows))).encode()


def _upload(client, data: bytes, name: str = "march.csv", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/jobs/upload", {"files": [SimpleUploadedFile(name, data)],
                                        "task": TASK, **fields})


def test_an_upload_runs_and_its_results_can_be_filtered(trained_model, admin_membership,
                                                        admin_client):
    client = logged_in(admin_membership)
    response = _upload(client, _csv(ROWS * 30), text_column="description")
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    wait_for_job(admin_client, job.pk)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "march.csv" in page and "text column: description" in page
    assert "Page 1 of 3" in page  # 120 items, 50 a page
    assert page.count("<tr>") >= 50
    label = JobItem.objects.filter(job=job).values_list("label", flat=True).first()
    filtered = client.get(f"/jobs/{job.pk}/?label={label}&min_score=0").content.decode()
    count = JobItem.objects.filter(job=job, label=label).count()
    assert f"Page 1 of {max(1, -(-count // 50))}" in filtered or count <= 50
    bad = client.get(f"/jobs/{job.pk}/?min_score=high").content.decode()
    assert "not a number: ignored" in bad
    fragment = client.get(f"/jobs/{job.pk}/?part=progress", headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert fragment["HX-Refresh"] == "true"  # finished: the page shows its results
    listing = client.get("/jobs/").content.decode()
    assert f"#{job.pk}" in listing and "Succeeded" in listing


def test_bad_uploads_say_why_next_to_the_field_and_store_nothing(trained_model,
                                                                 admin_membership):
    client = logged_in(admin_membership)
    missing = client.post("/jobs/upload", {"task": TASK})
    assert missing.status_code == 400
    assert "Choose one or more files" in missing.content.decode()
    wrong_column = _upload(client, _csv(), text_column="memo")
    assert wrong_column.status_code == 400
    assert "memo" in wrong_column.content.decode()
    unknown_task = _upload(client, _csv(), task="no.such-task")
    assert unknown_task.status_code == 400
    assert Job.objects.count() == 0


def test_another_organizations_job_is_a_404(trained_model, admin_membership,
                                            other_admin_membership, admin_client):
    client = logged_in(admin_membership)
    assert _upload(client, _csv(), text_column="description").status_code == 302
    job = Job.objects.get()
    intruder = logged_in(other_admin_membership)
    assert intruder.get(f"/jobs/{job.pk}/").status_code == 404
    assert intruder.post(f"/jobs/{job.pk}/cancel").status_code == 404
    assert intruder.post(f"/jobs/{job.pk}/retry").status_code == 404
    assert f"#{job.pk}" not in intruder.get("/jobs/").content.decode()
    wait_for_job(admin_client, job.pk)  # done before teardown empties the tables


def test_cancel_and_retry_say_what_happened(trained_model, admin_membership, admin_client):
    client = logged_in(admin_membership)
    _upload(client, _csv(), text_column="description")
    job = Job.objects.get()
    wait_for_job(admin_client, job.pk)
    cancelled = client.post(f"/jobs/{job.pk}/cancel", follow=True).content.decode()
    assert "already succeeded" in cancelled
    retried = client.post(f"/jobs/{job.pk}/retry", follow=True).content.decode()
    assert "no failed item can be retried" in retried


def test_the_job_list_keeps_its_query_count_as_jobs_pile_up(trained_model, admin_membership,
                                                            admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wait_for_active_version(trained_model.organization, TASK)
    client = logged_in(admin_membership)
    counts = []
    for _ in range(2):
        for _ in range(3):
            assert _upload(client, _csv(), text_column="description").status_code == 302
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/jobs/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # The worker must be done with the jobs before teardown empties the tables under it.
    for job_id in Job.objects.values_list("pk", flat=True):
        wait_for_job(admin_client, job_id)
