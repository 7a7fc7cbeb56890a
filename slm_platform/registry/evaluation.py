"""Worker side: evaluate a version on another version's test set and keep the report."""

import json

from django.core.files.storage import default_storage
from django.db import transaction

from slm_platform.core.task_selectors import task_resolve
from slm_platform.datasets.services import dataset_records, records_as_examples
from slm_platform.registry.comparison import test_set_key
from slm_platform.registry.models import ModelVersion
from slm_platform.registry.storage import artifact_local_dir


def test_rows(version: ModelVersion) -> tuple[list[str], list[str]]:
    """The (texts, labels) a version was tested on, pre-processed as its task wants."""
    spec = task_resolve(organization=version.organization_id, slug=version.task_slug)
    if not version.dataset_version_id:
        rows = spec.starter_data().test
        return [spec.preprocess(text) for text, _ in rows], [label for _, label in rows]
    with default_storage.open(f"{version.artifact_path}/split.json") as handle:
        wanted = set(json.loads(handle.read())["test"])
    records = [r for r in dataset_records(version=version.dataset_version) if r["row"] in wanted]
    multi_label = version.training_config.get("config", {}).get("multi_label", False)
    return records_as_examples(records, spec=spec, multi_label=multi_label)


def evaluate_version_on(*, version_id: int, on_version_id: int) -> dict:
    from slm_platform.ml.artifacts import load_predictor

    version = ModelVersion.objects.get(pk=version_id)
    on = ModelVersion.objects.get(pk=on_version_id)
    classifier = load_predictor(artifact_local_dir(name=version.artifact_path))
    report = classifier.evaluate(*test_rows(on))
    with transaction.atomic():
        locked = ModelVersion.objects.select_for_update().get(pk=version_id)
        locked.evaluations = {**locked.evaluations, test_set_key(on): report}
        locked.save(update_fields=["evaluations"])
    return report
