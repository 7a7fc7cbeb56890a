"""Starter models are trained by the platform's own code on the training queue, evaluated on
held-out data, registered, activated, and reused by the next organization."""

import pytest

from slm_platform.audit.models import AuditEvent
from slm_platform.core.catalog import catalog
from slm_platform.registry.models import ModelVersion
from slm_platform.registry.services import starter_models_ensure
from tests.conftest import wait_for_active_version

pytestmark = pytest.mark.django_db(transaction=True)
TASK = "finance.transaction-category"


def test_starter_model_is_evaluated_on_held_out_data(trained_model):
    test = trained_model.metrics["test"]
    assert test["examples"] > 500
    assert 0.0 <= test["accuracy"] <= 1.0
    assert set(test["per_label"]) == set(trained_model.metrics["test"]["confusion_matrix"]
                                         ["labels"])
    assert trained_model.metrics["training"]["history"]
    slices = trained_model.metrics["test_slices"]
    assert set(slices) == {"test_seen_merchants", "test_unseen_merchants"}
    assert sum(part["examples"] for part in slices.values()) == test["examples"]
    assert trained_model.source == "starter"
    actions = set(AuditEvent.objects.filter(organization=trained_model.organization)
                  .values_list("action", flat=True))
    assert {"model.train_start", "model.trained", "model.activate"} <= actions


def test_ensure_is_idempotent(trained_model):
    assert starter_models_ensure(organization=trained_model.organization, preset="tiny") == []
    with_starter = [spec for spec in catalog.all() if spec.starter_data is not None]
    assert len(with_starter) > 1  # finance and retail ship starter data
    assert ModelVersion.objects.filter(organization=trained_model.organization).count() == \
        len(with_starter)


def test_next_organization_reuses_the_trained_starter_artifact(trained_model, other_organization):
    starter_models_ensure(organization=other_organization, preset="tiny")
    reused = wait_for_active_version(other_organization, TASK, timeout=60)
    assert reused.artifact_path == trained_model.artifact_path
    assert reused.metrics == trained_model.metrics
    assert reused.pk != trained_model.pk


def test_worker_loads_a_version_once_and_serves_it_from_cache(trained_model):
    from slm_platform.serving import worker

    cache = worker.model_cache()
    loads_before = cache.loads
    first = worker.predict_with_version(version_id=trained_model.pk, inputs=["NETFLIX.COM"])
    second = worker.predict_with_version(version_id=trained_model.pk, inputs=["NETFLIX.COM"])
    assert cache.loads == loads_before + 1
    assert first == second


def test_the_home_page_lists_the_active_model(client, trained_model, admin_membership):
    client.force_login(admin_membership.user)
    page = client.get("/").content.decode()
    assert "finance.transaction-category" in page
    assert trained_model.name in page


def test_first_version_is_never_seen_ready_but_not_active(trained_model, other_organization,
                                                          monkeypatch):
    """Marking the first version ready and activating it is one transaction: a predict call in
    between would otherwise find no active and no training version and answer 409."""
    import threading

    from django.db import connection

    from slm_platform.audit.services import Actor
    from slm_platform.registry import services
    from slm_platform.registry.starter import starter_train_config
    from slm_platform.registry.training import train_model_version

    spec = catalog.get(TASK)
    config = starter_train_config(spec=spec, preset="tiny")
    version = services.model_version_create(
        organization=other_organization, task_slug=TASK, base_model=config["base_model"],
        source="starter", training_config={"preset": "tiny", "config": config},
        actor=Actor.system())
    seen = []

    def status_seen_by_another_connection():
        seen.append(ModelVersion.objects.get(pk=version.pk).status)
        connection.close()

    real_activate = services.model_version_activate

    def activate(**kwargs):
        observer = threading.Thread(target=status_seen_by_another_connection)
        observer.start()
        observer.join()
        return real_activate(**kwargs)

    monkeypatch.setattr(services, "model_version_activate", activate)
    train_model_version(version_id=version.pk)
    assert seen == ["training"]
    version.refresh_from_db()
    assert version.status == "active"
