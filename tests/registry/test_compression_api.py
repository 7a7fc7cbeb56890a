"""POST /api/v1/models/{id}/compress: a compressed copy of a version, made by a real training
worker, measured against its source in one run and registered as a ready candidate."""

import time

import pytest

from slm_platform.audit.models import AuditEvent
from slm_platform.audit.services import Actor
from slm_platform.core.catalog import TaskKind, catalog
from slm_platform.registry.comparison import test_set_key as set_key_of
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.registry.selectors import compression_frontier
from slm_platform.registry.services import model_version_create
from tests.dashboard.browser import logged_in

TASK = "finance.transaction-category"


def wait_until_finished(version_id: int, timeout: float = 300) -> ModelVersion:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        version = ModelVersion.objects.get(pk=version_id)
        if version.status in (VersionStatus.READY, VersionStatus.FAILED):
            return version
        time.sleep(0.5)
    raise AssertionError(f"version {version_id} still {version.status} after {timeout}s: "
                         f"{version.compression}")


def compress(client, version_id: int, method: str, options: dict | None = None):
    body = {"method": method} if options is None else {"method": method, "options": options}
    return client.post(f"/api/v1/models/{version_id}/compress", body, format="json")


@pytest.fixture
def trained_model(transactional_db, celery_worker, organization):
    """The organization's transaction-category starter version (tiny preset), trained in this
    process and active: the worker then has only the compression to do."""
    from slm_platform.registry.services import model_version_activate, model_version_mark_ready
    from slm_platform.registry.starter import starter_train_config
    from slm_platform.registry.training import _train_starter

    config = starter_train_config(spec=catalog.get(TASK), preset="tiny")
    version = model_version_create(organization=organization, task_slug=TASK,
                                   base_model=config["base_model"], source="starter",
                                   training_config={"preset": "tiny", "config": config},
                                   actor=Actor.system())
    artifact, metrics = _train_starter(version)
    model_version_mark_ready(version=version, artifact_path=artifact, metrics=metrics,
                             training_config=version.training_config)
    return model_version_activate(version=version, actor=Actor.system())


def test_int8_compression_registers_a_measured_candidate(trained_model, admin_client,
                                                         admin_membership, organization):
    response = compress(admin_client, trained_model.pk, "int8-dynamic")
    assert response.status_code == 202, response.json()
    queued = response.json()
    assert queued["status"] == "queued"
    assert queued["parent"] == trained_model.pk
    assert queued["compression"]["method"] == "int8-dynamic"

    version = wait_until_finished(queued["id"])
    assert version.status == VersionStatus.READY, version.error[-3000:]
    assert version.source == "compression"
    assert version.version == trained_model.version + 1
    run = version.metrics["compression"]
    for figures in (run["source"], run["compressed"]):
        assert figures["size_bytes"] > 0 and figures["parameters"] > 0
        assert figures["latency_ms"] > 0 and figures["throughput_rows_per_s"] > 0
        assert figures["peak_rss_mb"] > 0
    assert run["compressed"]["precision"] == "int8"
    assert run["source"]["precision"] == "fp32"
    assert run["source"]["quality"]["accuracy"] == pytest.approx(
        trained_model.metrics["test"]["accuracy"], abs=0.02)
    report = version.compression["report"]
    assert report == run["report"]
    assert "accuracy_delta_points" in report and "per_label_f1_delta_points" in report
    assert report["size_ratio"] > 1.0  # int8 weights (the tiny model is mostly its vocabulary)
    assert version.metrics["test"] == run["compressed"]["quality"]
    # Same test set as its source, so champion/challenger compares like with like.
    assert set_key_of(version) == set_key_of(trained_model)
    assert version.lineage["compressed_from"]["id"] == trained_model.pk
    assert version.compression["data"]["test"] == run["compressed"]["quality"]["examples"]

    compared = admin_client.get(f"/api/v1/models/{version.pk}/compare?against=active").json()
    assert compared["baseline"]["id"] == trained_model.pk
    predicted = admin_client.post(f"/api/v1/tasks/{TASK}/predict",
                                  {"inputs": ["STARBUCKS 1234 SEATTLE"],
                                   "model_version": version.pk}, format="json")
    assert predicted.status_code == 200, predicted.json()
    assert predicted.json()["model_version_id"] == version.pk

    actions = set(AuditEvent.objects.filter(object_id=str(version.pk))
                  .values_list("action", flat=True))
    assert {"model.compress", "model.compressed"} <= actions
    points = compression_frontier(organization=organization, task_slug=TASK)
    assert {point["id"] for point in points} == {trained_model.pk, version.pk}

    page = logged_in(admin_membership).get(f"/models/{version.pk}/").content.decode()
    assert "Compression report" in page and page.count("frontier-point") == 2


# Post-training int8, a fine-tune, a second export and the measurements: on a machine that
# other work shares, well over the 300 s a plain quantization gets.
@pytest.mark.timeout(1800)
def test_int8_with_qat_records_the_fine_tune_in_its_report(trained_model, admin_client,
                                                           admin_membership):
    """qat true: post-training int8, then a quantization-aware fine-tune, both judged on the
    validation rows, the better one served ("auto": tests/ml/test_compression_qat.py)."""
    response = compress(admin_client, trained_model.pk, "int8-dynamic",
                        {"qat": True, "qat_max_steps": 20})
    assert response.status_code == 202, response.json()
    assert response.json()["compression"]["options"]["qat_learning_rate"] == 5e-5
    version = wait_until_finished(response.json()["id"], timeout=1200)
    assert version.status == VersionStatus.READY, version.error[-3000:]
    details = version.compression["details"]
    qat = details["qat"]
    assert qat["ran"] is True and qat["mode"] is True
    assert qat["reason"] == "asked for (qat: true)" and qat["kept"] in ("ptq", "qat")
    assert qat["training"]["steps_per_epoch"] == 20
    validation = version.compression["data"]["validation"]
    for figures in (qat["ptq"], qat["qat"]):
        assert figures["examples"] == validation
        assert {"accuracy", "macro_f1", "label_agreement", "gate_reasons"} <= set(figures)
    assert details["validation"]["macro_f1"] == qat[qat["kept"]]["macro_f1"]
    assert version.metrics["compression"]["compressed"]["precision"] == "int8"
    assert version.lineage["compression_options"]["qat"] is True
    page = logged_in(admin_membership).get(f"/models/{version.pk}/").content.decode()
    assert "Quantization-aware fine-tuning ran (asked for (qat: true))" in page


@pytest.mark.django_db
def test_compress_refuses_bad_requests_naming_the_field(admin_client, organization):
    version = model_version_create(organization=organization, task_slug=TASK,
                                   base_model="tiny-random-bert", source="test",
                                   training_config={}, actor=Actor.system())
    ModelVersion.objects.filter(pk=version.pk).update(status=VersionStatus.READY)

    response = compress(admin_client, version.pk, "zip-it")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "method"
    response = admin_client.post(f"/api/v1/models/{version.pk}/compress",
                                 {"method": "int8-static", "options": [1]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "options"
    response = compress(admin_client, version.pk, "int8-static", {"calibration_rows": "many"})
    assert response.status_code == 400
    assert "calibration_rows" in response.json()["error"]["message"]
    response = compress(admin_client, version.pk, "int8-dynamic", {"qat": "sometimes"})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("options: qat must be")
    response = compress(admin_client, version.pk, "distill", {"no_such_option": 1})
    assert response.status_code == 400
    assert "no_such_option" in response.json()["error"]["message"]
    # No artifact yet: nothing to compress.
    response = compress(admin_client, version.pk, "int8-dynamic")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "version_not_ready"
    assert ModelVersion.objects.filter(organization=organization).count() == 1


@pytest.mark.django_db
def test_compress_is_for_admins_of_the_version_organization(member_client, other_client,
                                                           organization):
    version = model_version_create(organization=organization, task_slug=TASK,
                                   base_model="tiny-random-bert", source="test",
                                   training_config={}, actor=Actor.system())
    assert compress(member_client, version.pk, "int8-dynamic").status_code == 403
    assert compress(other_client, version.pk, "int8-dynamic").status_code == 404
    assert compress(other_client, 999999, "int8-dynamic").status_code == 404
    assert ModelVersion.objects.count() == 1


@pytest.mark.django_db
def test_entity_extractors_are_not_compressible(admin_client, organization):
    entity_task = next(spec.slug for spec in catalog.in_registration_order()
                       if spec.kind == TaskKind.ENTITIES)
    extractor = model_version_create(organization=organization, task_slug=entity_task,
                                     base_model="all-MiniLM-L6-v2", source="test",
                                     training_config={}, actor=Actor.system())
    ModelVersion.objects.filter(pk=extractor.pk).update(status=VersionStatus.READY,
                                                        artifact_path="entities/v1")
    response = compress(admin_client, extractor.pk, "int8-dynamic")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_compressible"
    assert ModelVersion.objects.filter(organization=organization).count() == 1
