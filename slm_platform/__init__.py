"""SLM Platform: the Django project and the domain-agnostic core.

Named slm_platform, not platform: a top-level `platform` package shadows the standard library.
"""

from slm_platform.celery import app as celery_app

__all__ = ("celery_app",)
