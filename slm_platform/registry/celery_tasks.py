from celery import shared_task


@shared_task(name="training.train_model_version", acks_late=True, time_limit=3 * 3600)
def train_model_version(version_id: int) -> None:
    from django.conf import settings

    from slm_platform.ml.runtime import configure_threads
    from slm_platform.registry.training import train_model_version as train

    configure_threads(settings.TRAINING_THREADS)
    train(version_id=version_id)


@shared_task(name="training.compress_model_version", acks_late=True, time_limit=3 * 3600)
def compress_model_version(version_id: int) -> None:
    from django.conf import settings

    from slm_platform.ml.runtime import configure_threads
    from slm_platform.registry.compress_run import compress_model_version as compress

    configure_threads(settings.TRAINING_THREADS)
    compress(version_id=version_id)


@shared_task(name="bulk.evaluate_version", time_limit=1800)
def evaluate_version(version_id: int, on_version_id: int) -> dict:
    from slm_platform.registry.evaluation import evaluate_version_on

    return evaluate_version_on(version_id=version_id, on_version_id=on_version_id)
