"""Completion webhooks: a signed POST when a job finishes, retried with backoff, every attempt
logged. Only http(s) to hosts in WEBHOOK_ALLOWED_HOSTS: a callback URL must not let a user
make the platform call into the private network (SSRF)."""

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.errors import ValidationFailed
from slm_platform.core.models import Organization
from slm_platform.core.security import outbound_url_validate
from slm_platform.jobs.models import Job, OrganizationWebhook, WebhookDelivery

SIGNATURE_HEADER = "X-SLM-Signature"


def callback_url_validate(url: str, *, field: str = "callback_url") -> str:
    return outbound_url_validate(
        url, allowed_hosts=settings.WEBHOOK_ALLOWED_HOSTS, field=field,
        not_url="the callback must be an http(s) URL",
        not_allowed="webhooks may call only the hosts in WEBHOOK_ALLOWED_HOSTS",
        code="webhook_host_not_allowed")


def webhook_for(organization: Organization) -> OrganizationWebhook:
    hook, _ = OrganizationWebhook.objects.get_or_create(
        organization=organization, defaults={"secret": _new_secret()})
    return hook


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


@transaction.atomic
def webhook_configure(*, organization: Organization, url: str, actor: Actor
                      ) -> OrganizationWebhook:
    hook = webhook_for(organization)
    hook.url = callback_url_validate(url, field="url") if url else ""
    hook.save(update_fields=["url"])
    audit_record(organization=organization, actor=actor, action="webhook.configure",
                 object_type="webhook", object_id=hook.pk, data={"url": hook.url})
    return hook


@transaction.atomic
def webhook_secret_rotate(*, organization: Organization, actor: Actor) -> OrganizationWebhook:
    hook = webhook_for(organization)
    hook.secret = _new_secret()
    hook.rotated_at = timezone.now()
    hook.save(update_fields=["secret", "rotated_at"])
    audit_record(organization=organization, actor=actor, action="webhook.rotate_secret",
                 object_type="webhook", object_id=hook.pk)
    return hook


def webhook_url_for(job: Job) -> str:
    if job.callback_url:
        return job.callback_url
    hook = OrganizationWebhook.objects.filter(organization_id=job.organization_id).first()
    return hook.url if hook else ""


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _body(job: Job) -> bytes:
    from slm_platform.jobs.selectors import job_progress

    return json.dumps({
        "event": "job.finished", "sent_at": timezone.now().isoformat(),
        "job": {"id": job.pk, "task": job.task_slug, "status": job.status,
                "model_version": job.model_version_id, "error": job.error,
                "results_url": f"/api/v1/jobs/{job.pk}/results"} | job_progress(job),
    }).encode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead anywhere, past the allowed-host check: treat it as a failure."""

    def redirect_request(self, *args, **kwargs):
        return None


def webhook_deliver(*, job_id: int, attempt: int) -> bool:
    """One attempt. Returns True when the receiver answered 2xx; the caller retries otherwise."""
    job = Job.objects.select_related("organization").get(pk=job_id)
    url = webhook_url_for(job)
    body = _body(job)
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "slm-platform-webhook/1",
        SIGNATURE_HEADER: signature(webhook_for(job.organization).secret, body),
        "X-SLM-Delivery-Attempt": str(attempt),
    })
    started = time.perf_counter()
    status, error = None, ""
    try:
        callback_url_validate(url)
        opener = urllib.request.build_opener(_NoRedirect)
        with opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (OSError, ValidationFailed) as exc:
        error = str(exc)[:500] or type(exc).__name__
    WebhookDelivery.objects.create(job=job, url=url, attempt=attempt, status_code=status,
                                   error=error,
                                   duration_ms=round((time.perf_counter() - started) * 1000, 1))
    return status is not None and 200 <= status < 300
