"""The Celery app. Queues: realtime (predict, chat), bulk (job chunks), training."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slm_platform.settings")

app = Celery("slm_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="celery_tasks")

QUEUES = ("realtime", "bulk", "training")


@signals.worker_process_init.connect
def _configure_worker_process(**_kwargs) -> None:
    """Each pool process: pin torch threads (one by default) before any model loads."""
    from django.conf import settings

    from slm_platform.ml.runtime import configure_threads

    configure_threads(settings.ML_THREADS_PER_WORKER)


@signals.worker_ready.connect
def _start_heartbeat(sender=None, **_kwargs) -> None:
    from slm_platform.serving.heartbeat import start_heartbeat

    queues = sorted(sender.app.amqp.queues.consume_from.keys())
    start_heartbeat(hostname=sender.hostname, queues=queues)


@signals.worker_shutdown.connect
def _stop_heartbeat(sender=None, **_kwargs) -> None:
    from slm_platform.serving.heartbeat import stop_heartbeat

    stop_heartbeat()
