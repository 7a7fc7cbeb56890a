"""`manage.py predict_file`: the bulk job's steps in the terminal, recorded as a job."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from slm_platform.jobs.models import Job
from tests.jobs.helpers import TASK, transactions_csv

pytestmark = pytest.mark.django_db(transaction=True)


def test_predict_file_writes_results_and_records_the_job(trained_model, tmp_path):
    source = tmp_path / "statement.csv"
    source.write_bytes(transactions_csv(300, delimiter=";"))
    out = tmp_path / "results.csv"
    output = io.StringIO()
    call_command("predict_file", str(source), "--task", TASK, "--text-column", "description",
                 "--out", str(out), "--threads", "1", stdout=output, stderr=io.StringIO())
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 300 and rows[0]["id"] == "0"
    assert all(row["predicted_label"] for row in rows)
    job = Job.objects.get()
    assert (job.status, job.done, job.total) == ("succeeded", 300, 300)
    assert "succeeded" in output.getvalue()
    assert source.exists()  # the user's file is read, never moved


def test_predict_file_names_a_missing_column(trained_model, tmp_path):
    source = tmp_path / "statement.csv"
    source.write_bytes(transactions_csv(3))
    with pytest.raises(CommandError, match="memo"):
        call_command("predict_file", str(source), "--task", TASK, "--text-column", "memo")
    assert Job.objects.count() == 0
