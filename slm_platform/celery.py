"""The Celery app. Queues: realtime (predict, chat), bulk (job chunks), training."""

import faulthandler
import logging
import os
import signal
import sys
import threading

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slm_platform.settings")

app = Celery("slm_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="celery_tasks")

QUEUES = ("realtime", "bulk", "training")


@signals.worker_process_init.connect
def _configure_worker_process(**_kwargs) -> None:
    """Each pool process: pin torch threads before any model loads. A worker of the bulk queue
    alone takes BULK_THREADS (1: make run starts one such process per core) at a lower CPU
    priority, so realtime requests still come first when both are busy. Processes that
    predict import the serving stack now rather than in their first task."""
    from django.conf import settings

    from slm_platform.ml.runtime import configure_threads

    # `kill -USR2 <pid>` prints this process's Python stacks to the worker's log (the main
    # process answers SIGUSR1 the same way): how to see what a stuck task is waiting on.
    faulthandler.register(signal.SIGUSR2, file=sys.__stderr__, all_threads=True)
    queues = set(app.amqp.queues.consume_from or ())
    if queues == {"bulk"}:
        threads = settings.BULK_THREADS
        os.nice(settings.BULK_NICE)
    else:
        threads = settings.ML_THREADS_PER_WORKER
    configure_threads(threads)
    if queues & {"bulk", "realtime"}:
        from slm_platform.serving.worker import serving_imports

        serving_imports()
    logging.getLogger(__name__).info("pool process %s: %d torch threads, nice %d", os.getpid(),
                                     threads, os.nice(0))


_stop_recovery = threading.Event()


@signals.worker_ready.connect
def _start_heartbeat(sender=None, **_kwargs) -> None:
    from slm_platform.serving.heartbeat import start_heartbeat

    queues = sorted(sender.app.amqp.queues.consume_from.keys())
    start_heartbeat(hostname=sender.hostname, queues=queues)
    if "bulk" in queues:
        _start_recovery(sender.app)


def _start_recovery(celery_app) -> None:
    """A bulk worker asks, every JOB_RECOVERY_INTERVAL_SECONDS, for jobs whose parse or chunk
    tasks were lost to be put back on their way (jobs.recovery.jobs_recover): no job stays
    queued or running forever."""
    from django.conf import settings

    _stop_recovery.clear()

    def tick() -> None:
        while not _stop_recovery.wait(settings.JOB_RECOVERY_INTERVAL_SECONDS):
            try:
                # A check still queued at the next tick is dropped: busy workers catching up
                # on a backlog of checks would do the same work many times over.
                celery_app.send_task("bulk.recover_jobs", queue="bulk",
                                     expires=settings.JOB_RECOVERY_INTERVAL_SECONDS)
            except Exception:  # the broker is down: the next tick tries again
                logging.getLogger(__name__).warning("could not ask for job recovery",
                                                    exc_info=True)

    threading.Thread(target=tick, name="slm-chunk-recovery", daemon=True).start()


@signals.worker_shutdown.connect
def _stop_heartbeat(sender=None, **_kwargs) -> None:
    from slm_platform.serving.heartbeat import stop_heartbeat

    stop_heartbeat()
    _stop_recovery.set()
