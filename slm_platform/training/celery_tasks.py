from celery import shared_task


@shared_task(name="training.run", acks_late=True, time_limit=6 * 3600)
def run_training(run_id: int) -> None:
    from django.conf import settings

    from slm_platform.ml.runtime import configure_threads
    from slm_platform.training.runner import execute_run

    configure_threads(settings.TRAINING_THREADS)
    execute_run(run_id=run_id)
