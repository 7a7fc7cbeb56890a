"""The version page's compression report, the task's compression frontier and the compress form.

The versions' measurements are written here in the shape measure.measure returns (the worker
path that writes them is tested in tests/registry/test_compression_api.py)."""

import pytest

from slm_platform.audit.services import Actor
from slm_platform.registry.models import ModelVersion, VersionStatus
from slm_platform.registry.services import model_version_create

pytestmark = pytest.mark.django_db
TASK = "retail.review-sentiment"


def _measured(*, accuracy: float, latency: float, size: int, precision: str) -> dict:
    return {"engine": "onnx", "precision": precision, "size_bytes": size,
            "parameters": size // 4, "latency_ms": latency,
            "throughput_rows_per_s": 1000 / latency, "peak_rss_mb": 300.0,
            "quality": {"examples": 200, "accuracy": accuracy, "macro_f1": accuracy - 0.01,
                        "per_label": {"positive": {"f1": accuracy}, "negative": {"f1": 0.9}}}}


def _version(organization, **fields) -> ModelVersion:
    version = model_version_create(organization=organization, task_slug=TASK,
                                   base_model="all-MiniLM-L6-v2", source="test",
                                   training_config={}, actor=Actor.system())
    ModelVersion.objects.filter(pk=version.pk).update(status=VersionStatus.READY,
                                                      artifact_path=f"a/{version.pk}", **fields)
    version.refresh_from_db()
    return version


def _compressed_pair(organization):
    source = _version(organization, metrics={"test": {"accuracy": 0.91}})
    fp32 = _measured(accuracy=0.91, latency=8.0, size=90_000_000, precision="fp32")
    int8 = _measured(accuracy=0.905, latency=3.2, size=23_000_000, precision="int8")
    compressed = _version(
        organization, parent=source, source="compression", recipe="int8-dynamic",
        metrics={"test": int8["quality"],
                 "compression": {"source": fp32, "compressed": int8, "report": {}}},
        compression={"method": "int8-dynamic", "options": {}, "phase": "done",
                     "source": {"id": source.pk, "name": source.name},
                     "details": {"precision": "int8"}, "report": {},
                     "data": {"train": 900, "validation": 100, "unlabelled": 0, "test": 200}})
    return source, compressed


def test_a_compressed_version_shows_its_report_and_the_frontier(member, organization):
    source, compressed = _compressed_pair(organization)
    page = member.get(f"/models/{compressed.pk}/").content.decode()

    assert "Compression report" in page
    assert "×0.26" in page  # size: 23 MB of 90 MB
    assert "2.50 faster" in page  # latency 8.0 -> 3.2 ms
    assert "-0.50 points" in page  # accuracy 91.00 -> 90.50
    assert page.count("frontier-point") == 2
    # The source's page shows the same frontier, itself highlighted.
    source_page = member.get(f"/models/{source.pk}/").content.decode()
    assert source_page.count("frontier-point") == 2
    assert 'class="series-1 frontier-point"' in source_page


def test_only_admins_see_and_use_the_compress_form(admin, member, organization):
    source, _ = _compressed_pair(organization)
    page = member.get(f"/models/{source.pk}/").content.decode()
    assert "Compress into a new version" not in page
    refused = member.post(f"/models/{source.pk}/compress", {"method": "bf16"})
    assert refused.status_code in (302, 403)
    assert not ModelVersion.objects.filter(parent=source, recipe="bf16").exists()

    assert "Compress into a new version" in admin.get(f"/models/{source.pk}/").content.decode()
    response = admin.post(f"/models/{source.pk}/compress", {"method": "int8-static",
                                                             "options": "{not json"}, follow=True)
    assert "Options must be a JSON object" in response.content.decode()
    response = admin.post(f"/models/{source.pk}/compress",
                          {"method": "int8-static", "options": '{"calibration_rows": -3}'},
                          follow=True)
    assert "calibration_rows" in response.content.decode()
    assert not ModelVersion.objects.filter(parent=source, recipe="int8-static").exists()
