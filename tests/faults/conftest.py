import pytest
from django.db import transaction

from tests.conftest import wait_for_active_version
from tests.jobs.helpers import TASK


@pytest.fixture
def trained_model(transactional_db, celery_worker, organization):
    """The starter model of finance.transaction-category alone, trained by the suite's worker
    (tiny preset; its artifact is reused when this session trained it before). The fault
    tests predict with no other, and training the catalog's every starter model, as the
    suite's fixture of this name does, takes minutes on a busy 2-core machine."""
    from slm_platform.audit.services import Actor
    from slm_platform.celery import app
    from slm_platform.core.catalog import catalog
    from slm_platform.registry.services import model_version_create
    from slm_platform.registry.starter import starter_train_config

    config = starter_train_config(spec=catalog.get(TASK), preset="tiny")
    with transaction.atomic():
        version = model_version_create(
            organization=organization, task_slug=TASK, base_model=config["base_model"],
            source="starter", training_config={"preset": "tiny", "config": config},
            actor=Actor.system())
        transaction.on_commit(lambda: app.send_task("training.train_model_version",
                                                    args=[version.pk], queue="training"))
    return wait_for_active_version(organization, TASK)
