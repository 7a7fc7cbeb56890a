"""A bulk job's chunk through its task's cascade: run on the bulk workers by jobs/chunks.py."""

from collections.abc import Callable

from slm_platform.jobs.models import Job


def chunk_predictions(*, job: Job, inputs: list[str], top_k: int
                      ) -> tuple[list[dict], Callable[[], None] | None]:
    """The chunk's predictions, and a function recording their routes that the caller runs in
    the transaction committing the chunk (None when the task has no policy in force: the
    job's version alone answers, as without routing). The policy in force when the chunk runs
    applies; the job's pinned version is the small model."""
    from slm_platform.registry.models import ModelVersion
    from slm_platform.routing.models import CascadePolicy
    from slm_platform.routing.selectors import cascade_plan
    from slm_platform.routing.services import routing_records_write
    from slm_platform.routing.worker import cascade_run
    from slm_platform.serving.worker import predict_with_version

    plan = None
    if CascadePolicy.objects.filter(organization=job.organization_id, task_slug=job.task_slug,
                                    enabled=True).exists():
        plan = cascade_plan(organization=job.organization_id, task_slug=job.task_slug,
                            version=ModelVersion.objects.get(pk=job.model_version_id))
    if plan is None:
        return predict_with_version(version_id=job.model_version_id, inputs=inputs,
                                    top_k=top_k), None
    outcome = cascade_run(plan=plan, inputs=inputs, top_k=top_k)

    def record() -> None:
        routing_records_write(organization_id=job.organization_id, task_slug=job.task_slug,
                              source="job", job_id=job.pk, predictions=outcome["predictions"],
                              timings=outcome["timings"])

    return outcome["predictions"], record
