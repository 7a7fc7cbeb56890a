"""The periodic retention purge, sent by celery beat (CELERY_BEAT_SCHEDULE) to the bulk queue."""

from celery import shared_task


# A purge cut short (worker killed, time limit) is harmless: the next run carries on.
@shared_task(name="bulk.retention_purge", ignore_result=True, acks_late=True,
             soft_time_limit=3000, time_limit=3300)
def retention_purge() -> None:
    from slm_platform.retention.purge import retention_purge as purge

    purge()
