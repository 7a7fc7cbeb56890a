"""Once every file is read, the chunks still to be sent are cut to a share of the work left
(chunks.py `_tail_split`), so the bulk processes finish together. The cut chunks must still
cover every item exactly once."""

import csv
import io

import pytest

from slm_platform.jobs.models import JobChunk, JobItem
from tests.jobs.helpers import content, transactions_csv, upload, wait_for_job

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_last_chunks_are_cut_smaller_and_every_item_is_predicted_once(
        admin_client, trained_model, settings):
    settings.JOB_CHUNK_SIZE = 100
    rows = 1000
    job_id = upload(admin_client, {"a.csv": transactions_csv(rows)},
                    text_column="description").json()["id"]
    job = wait_for_job(admin_client, job_id)
    assert job["status"] == "succeeded"
    assert (job["progress"]["done"], job["progress"]["total"]) == (rows, rows)

    chunks = list(JobChunk.objects.filter(job_id=job_id).order_by("first_seq")
                  .values_list("first_seq", "last_seq", "done", "attempts"))
    sizes = [last - first + 1 for first, last, _, _ in chunks]
    assert chunks[0][0] == 0 and chunks[-1][1] == rows - 1
    assert all(nxt[0] == prev[1] + 1 for prev, nxt in zip(chunks, chunks[1:], strict=False))
    assert all(done and attempts == 1 for _, _, done, attempts in chunks)
    assert max(sizes) == 100 and min(sizes) < 100 and len(chunks) > rows // 100
    assert not JobItem.objects.filter(job_id=job_id).exclude(status="done").exists()

    results = admin_client.get(f"/api/v1/jobs/{job_id}/results?format=csv")
    table = list(csv.DictReader(io.StringIO(content(results).decode("utf-8-sig"))))
    assert sorted(int(row["id"]) for row in table) == list(range(rows))
    assert all(row["predicted_label"] for row in table)
