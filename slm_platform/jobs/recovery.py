"""Jobs whose Celery messages were lost (a broker restarted without its data, a message sent
while the broker was down) are put back on their way, so that no job stays queued or running
forever. Each bulk worker asks for `jobs_recover` every JOB_RECOVERY_INTERVAL_SECONDS
(celery.py). Every step is safe to repeat and to run on several workers at once:

- a chunk sent long ago and still not done is sent again (chunks.chunks_recover);
- a job whose parse step has been silent for JOB_CHUNK_STALE_SECONDS (never started, or its
  task vanished mid-file) is sent its parse task again. A run that is only slow loses its
  claim to the new one and stops (ingest.py), so two runs never interleave their writes;
  after PARSE_MAX_ATTEMPTS runs the job fails with a message, and `POST .../retry` reads the
  files again;
- a running job with every file read, no chunk out and its parse silent for as long has lost
  the message that was to send its next chunks (a retry's, or the one sent after a chunk's
  commit): chunks_dispatch sends them or settles the job, under the job's row lock.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from slm_platform.jobs.chunks import chunks_dispatch, chunks_recover
from slm_platform.jobs.ingest import job_fail
from slm_platform.jobs.models import Job, JobChunk, JobFile, JobStatus

logger = logging.getLogger(__name__)
# Runs of one job's parse task (deliveries after a crash and re-sends) before it is given up.
PARSE_MAX_ATTEMPTS = 5
BATCH = 100


def jobs_recover() -> dict[str, int]:
    """One pass of every check; returns how many chunks, parses and jobs each one moved."""
    return {"chunks": chunks_recover(), "parses": parses_recover(),
            "dispatched": idle_jobs_dispatch()}


def parses_recover() -> int:
    """Send the parse task again to unfinished jobs with files to read whose parse has been
    silent (not sent, not claimed, no segment stored) for JOB_CHUNK_STALE_SECONDS. Returns
    how many were sent."""
    from slm_platform.jobs.services import enqueue

    now = timezone.now()
    silent = _silent_since(now - timedelta(seconds=settings.JOB_CHUNK_STALE_SECONDS))
    unread = JobFile.objects.filter(job=OuterRef("pk"), status=JobFile.Status.PENDING)
    lost = Job.objects.filter(silent, Exists(unread), cancel_requested=False,
                              status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
    sent = 0
    for job_id, attempts in lost.order_by("pk").values_list("pk", "parse_attempts")[:BATCH]:
        if attempts >= PARSE_MAX_ATTEMPTS:
            job_fail(job_id=job_id, message=f"reading the files stopped {attempts} times "
                                            "without finishing; retry the job to read them again")
            continue
        # The update is the claim to send it: of two checks running at once, one sends.
        if Job.objects.filter(silent, pk=job_id).update(parse_seen_at=now):
            logger.warning("job %s: its parse task was lost (attempts so far: %d); sent again",
                           job_id, attempts)
            enqueue("bulk.ingest_job", job_id)
            sent += 1
    return sent


def _silent_since(moment) -> Q:
    return Q(parse_seen_at__lt=moment) | Q(parse_seen_at__isnull=True, created_at__lt=moment)


def idle_jobs_dispatch() -> int:
    """Running jobs with every file read and no chunk out: send their next chunks, or settle
    them when none is left. Returns how many jobs were looked at. The silence threshold
    leaves alone a job whose parse step is just handing over to its chunks, and one that
    `manage.py predict_file` predicts in its own process."""
    silent = _silent_since(timezone.now() - timedelta(seconds=settings.JOB_CHUNK_STALE_SECONDS))
    out = JobChunk.objects.filter(job=OuterRef("pk"), dispatched=True, done=False)
    unread = JobFile.objects.filter(job=OuterRef("pk"), status=JobFile.Status.PENDING)
    idle = Job.objects.filter(silent, status=JobStatus.RUNNING, cancel_requested=False) \
        .exclude(Exists(out)).exclude(Exists(unread))
    job_ids = list(idle.order_by("pk").values_list("pk", flat=True)[:BATCH])
    for job_id in job_ids:
        sent = chunks_dispatch(job_id=job_id)
        logger.warning("job %s was running with no chunk out: %d sent", job_id, sent)
    return len(job_ids)
