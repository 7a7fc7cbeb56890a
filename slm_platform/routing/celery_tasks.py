from celery import shared_task


@shared_task(name="routing.cascade_predict", acks_late=False, soft_time_limit=60, time_limit=90)
def cascade_predict(plan: dict, inputs: list[str]) -> dict:
    from slm_platform.routing.worker import cascade_run

    return cascade_run(plan=plan, inputs=inputs)


@shared_task(name="routing.cascade_evaluate", soft_time_limit=600, time_limit=660)
def cascade_evaluate(small_version_id: int, large_version_id: int) -> int:
    from slm_platform.routing.worker import cascade_evaluate as evaluate

    return evaluate(small_version_id=small_version_id, large_version_id=large_version_id)
