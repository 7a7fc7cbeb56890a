from celery import shared_task


@shared_task(name="serving.predict", acks_late=False, soft_time_limit=60, time_limit=90)
def predict(version_id: int, inputs: list[str]) -> list[dict]:
    from slm_platform.serving.worker import predict_with_version

    return predict_with_version(version_id=version_id, inputs=inputs)
