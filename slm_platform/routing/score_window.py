"""A cascade's recent traffic: the small model's scores of a task's last items, kept in Redis
per organization, task and small version (another version's scores are spread differently).
The worker adds each batch's scores and, where a policy caps the share escalated, reads the
window to measure the cap; the threshold suggester reads it to try its threshold on traffic."""

import logging

import redis
from django.conf import settings

from slm_platform.core.connections import redis_client

logger = logging.getLogger(__name__)
SCORE_WINDOW = 2000


def window_key(organization_id: int, task_slug: str, version_id: int) -> str:
    return f"cascade:scores:{organization_id}:{task_slug}:{version_id}"


def recent_scores(*, organization_id: int, task_slug: str, version_id: int) -> list[float]:
    """Up to SCORE_WINDOW scores, newest first; none when Redis cannot be read."""
    return _exchange(window_key(organization_id, task_slug, version_id), [], read=True)


def add_scores(*, organization_id: int, task_slug: str, version_id: int, scores: list[float],
               read: bool) -> list[float]:
    """Add a batch's scores to the window; with `read`, the scores before them (newest first),
    else none. Nothing is kept, and none read, when Redis cannot be reached."""
    return _exchange(window_key(organization_id, task_slug, version_id), scores, read=read)


def _exchange(key: str, scores: list[float], *, read: bool) -> list[float]:
    try:
        pipe = redis_client(settings.REDIS_URL, socket_timeout=2).pipeline()
        if read:
            pipe.lrange(key, 0, SCORE_WINDOW - 1)
        if scores:
            pipe.lpush(key, *(round(score, 6) for score in scores))
            pipe.ltrim(key, 0, SCORE_WINDOW - 1)
        done = pipe.execute()
    except redis.RedisError as exc:
        logger.warning("the recent scores at %s could not be used: %s", key, exc)
        return []
    return [float(score) for score in done[0]] if read else []
