"""Celery beat sends the purge to the bulk queue on its interval, and `make run` starts beat."""

import os
import subprocess
import time

import pytest
from django.conf import settings

from slm_platform import run
from slm_platform.jobs.models import Job
from slm_platform.processes import beat_command
from slm_platform.retention.models import RetentionPolicy
from tests.conftest import ROOT, database_url_for_processes
from tests.retention.factories import aged_job


def test_the_beat_schedule_sends_the_purge_to_the_bulk_queue():
    entry = settings.CELERY_BEAT_SCHEDULE["retention-purge"]
    assert entry["task"] == "bulk.retention_purge"
    assert entry["schedule"] == settings.RETENTION_PURGE_INTERVAL_SECONDS == 3600
    assert entry["options"]["queue"] == "bulk"

    from slm_platform.celery import app

    app.loader.import_default_modules()  # what a worker does at start: the tasks' modules
    assert "bulk.retention_purge" in app.tasks
    assert app.conf.beat_schedule["retention-purge"]["task"] == "bulk.retention_purge"


def test_make_run_starts_beat_with_its_schedule_under_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    commands = run.processes()
    assert {"web", "realtime", "bulk", "training", "beat"} <= set(commands)
    beat = commands["beat"]
    assert beat[1:4] == ["-A", "slm_platform", "beat"]
    assert beat[beat.index("-s") + 1] == str(tmp_path / "celerybeat-schedule")


@pytest.mark.django_db(transaction=True)
def test_beat_and_a_bulk_worker_purge_on_their_own(celery_worker, organization, tmp_path):
    RetentionPolicy.objects.create(organization=organization, job_results_days=30)
    old, recent = aged_job(organization, days=31), aged_job(organization, days=1)
    env = os.environ | {"DATABASE_URL": database_url_for_processes(),
                        "REDIS_URL": settings.REDIS_URL, "RETENTION_PURGE_INTERVAL_SECONDS": "1",
                        "DJANGO_SETTINGS_MODULE": "slm_platform.settings"}
    log = tmp_path / "beat.log"
    with log.open("w") as output:
        beat = subprocess.Popen(beat_command(schedule_file=tmp_path / "schedule"), cwd=ROOT,
                                env=env, stdout=output, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while Job.objects.filter(pk=old.pk).exists():
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            assert beat.poll() is None, log.read_text()[-3000:]
            time.sleep(0.5)
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    assert Job.objects.filter(pk=recent.pk).exists()
    assert not (settings.JOB_UPLOAD_DIR / old.upload_dir).exists()
    assert "bulk.retention_purge" in log.read_text()
