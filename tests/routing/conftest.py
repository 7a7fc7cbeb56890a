import pytest


def starter_model(organization, task_slug: str):
    """The organization's tiny starter model of one task, trained in this process (or its
    session-wide artifact reused) and active: the cascade tests need one or two tasks' models,
    and training every task's is most of a loaded machine's setup time."""
    from slm_platform.audit.services import Actor
    from slm_platform.core.catalog import catalog
    from slm_platform.registry import services
    from slm_platform.registry.starter import starter_train_config
    from slm_platform.registry.training import train_model_version

    config = starter_train_config(spec=catalog.get(task_slug), preset="tiny")
    version = services.model_version_create(
        organization=organization, task_slug=task_slug, base_model=config["base_model"],
        source="starter", training_config={"preset": "tiny", "config": config},
        actor=Actor.system())
    train_model_version(version_id=version.pk)  # the first version: it becomes active
    version.refresh_from_db()
    return version


@pytest.fixture
def category_model(transactional_db, celery_worker, organization):
    from tests.routing.helpers import TASK

    return starter_model(organization, TASK)


@pytest.fixture
def deid_model(category_model, organization):
    """The redaction task's starter model, active beside the category model."""
    return starter_model(organization, "health.phi-deid")


@pytest.fixture(autouse=True)
def patient_predict(settings):
    """Each test makes new versions, and a worker's first call on one loads it (exporting its
    ONNX graph): on a loaded machine that takes longer than PREDICT_TIMEOUT_SECONDS."""
    settings.PREDICT_TIMEOUT_SECONDS = 120
