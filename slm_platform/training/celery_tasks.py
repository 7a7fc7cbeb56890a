from celery import shared_task, signals


@shared_task(name="training.run", acks_late=True, time_limit=6 * 3600)
def run_training(run_id: int) -> None:
    from django.conf import settings

    from slm_platform.ml.runtime import configure_threads
    from slm_platform.training.runner import execute_run

    configure_threads(settings.TRAINING_THREADS)
    execute_run(run_id=run_id)


@signals.task_failure.connect
def _training_process_lost(sender=None, exception=None, args=None, **_kwargs) -> None:
    """Runs in the worker's main process when a pool process dies under a training run (the
    task itself can no longer say so)."""
    from billiard.exceptions import TimeLimitExceeded, WorkerLostError

    if getattr(sender, "name", None) != "training.run" or not args:
        return
    if isinstance(exception, WorkerLostError | TimeLimitExceeded):
        from slm_platform.training.runner import run_fail_lost

        run_fail_lost(run_id=args[0], reason=f"{type(exception).__name__}: {exception}")
