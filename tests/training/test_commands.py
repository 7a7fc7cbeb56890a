"""`manage.py train` and `manage.py evaluate`, for people who live in a terminal."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from slm_platform.registry.models import ModelVersion
from tests.training.test_runs import intents_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def intents_file(tmp_path, admin_client):
    admin_client.post("/api/v1/tasks", {"slug": "support-intents", "kind": "classification"},
                      format="json")
    path = tmp_path / "intents.csv"
    path.write_bytes(intents_csv())
    return path


def test_train_runs_in_the_terminal_and_registers_a_version(intents_file, capsys, organization):
    call_command("train", "--task", "support-intents", "--data", str(intents_file),
                 "--recipe", "fast", "--organization", organization.slug)
    out = capsys.readouterr().out
    version = ModelVersion.objects.get(task_slug="support-intents")
    assert version.status == "ready"
    assert f"{version.name} ready" in out and "test accuracy" in out


def test_evaluate_prints_metrics_of_a_version_on_a_file(intents_file, capsys, organization):
    call_command("train", "--task", "support-intents", "--data", str(intents_file),
                 "--recipe", "fast", "--organization", organization.slug)
    version = ModelVersion.objects.get(task_slug="support-intents")
    capsys.readouterr()
    call_command("evaluate", "--version", str(version.pk), "--data", str(intents_file), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["examples"] == 60
    assert set(report["per_label"]) == {"refund", "delivery", "cancel"}


def test_train_refuses_a_bad_file_with_the_reason(tmp_path, organization, admin_client):
    admin_client.post("/api/v1/tasks", {"slug": "support-intents", "kind": "classification"},
                      format="json")
    path = tmp_path / "bad.csv"
    path.write_text("message,intent\nhello,greet\n")
    with pytest.raises(CommandError, match="column"):
        call_command("train", "--task", "support-intents", "--data", str(path),
                     "--organization", organization.slug)


def test_evaluate_unknown_version(tmp_path, db):
    with pytest.raises(CommandError, match="no trained model version"):
        call_command("evaluate", "--version", "9999", "--data", str(tmp_path / "x.csv"))
