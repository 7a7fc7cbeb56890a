import time

import pytest


@pytest.fixture(autouse=True)
def jobs_settle(request):
    """Let the worker finish every job a test started before the tables are emptied under it."""
    yield
    if "transactional_db" not in request.fixturenames:
        return
    from slm_platform.jobs.models import JOB_FINISHED, Job, JobChunk

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        running = Job.objects.exclude(status__in=JOB_FINISHED).exists()
        in_flight = JobChunk.objects.filter(dispatched=True, done=False,
                                            job__cancel_requested=False).exists()
        if not running and not in_flight:
            break
        time.sleep(0.1)
    time.sleep(0.2)  # the last chunk's dispatch step commits just after its results
