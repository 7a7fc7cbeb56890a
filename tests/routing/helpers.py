"""Model versions for cascade tests: copies of the tiny trained starter model whose served
confidence is set by the temperature in their calibration file (a high one spreads the scores
thin, a low one makes the model sure), so which items escalate is known in advance."""

import json
import shutil
import uuid
from pathlib import Path

from django.conf import settings

from slm_platform.audit.services import Actor
from slm_platform.registry import services
from slm_platform.registry.models import ModelVersion
from slm_platform.registry.storage import artifact_local_dir

TASK = "finance.transaction-category"


def version_with_temperature(model: ModelVersion, temperature: float, *,
                             activate: bool = False) -> ModelVersion:
    """A new ready (or active) version of `model`'s task: its artifact, served at
    `temperature`."""
    name = f"cascade-test-{uuid.uuid4().hex[:12]}"
    target = Path(settings.MODEL_DIR) / name
    shutil.copytree(artifact_local_dir(name=model.artifact_path), target)
    calibration = target / "calibration.json"
    report = json.loads(calibration.read_text()) if calibration.exists() else {}
    calibration.write_text(json.dumps(report | {"temperature": temperature}))
    version = services.model_version_create(
        organization=model.organization, task_slug=model.task_slug,
        base_model=model.base_model, source="test", training_config={}, actor=Actor.system())
    services.model_version_mark_ready(version=version, artifact_path=name, metrics={},
                                      training_config={})
    if activate:
        services.model_version_activate(version=version, actor=Actor.system())
    version.refresh_from_db()
    return version


def policy(client, body: dict, task: str = TASK):
    return client.put(f"/api/v1/tasks/{task}/cascade", body, format="json")
