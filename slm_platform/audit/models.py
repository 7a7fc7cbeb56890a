"""The append-only audit log: who did what, to which object, with what outcome.

Each organization's events form a hash chain (slm_platform/audit/chain.py): an event carries
its place in the chain (`sequence`, 1, 2, 3… per organization), the hash of the event before
it and its own hash over its content and that previous hash. `AuditChainHead` holds each
chain's last sequence and hash; appending locks it, so two transactions never fork a chain,
and `manage.py audit_verify` finds an edited, deleted or truncated row.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from slm_platform.core.models import Organization, OrganizationOwned


class AppendOnlyQuerySet(models.QuerySet):
    """No code path may change history: bulk update and delete refuse to run."""

    def update(self, **kwargs):
        raise PermissionError("audit events are append-only")

    def delete(self):
        raise PermissionError("audit events are append-only")


class AuditEvent(OrganizationOwned):
    # No database constraints on the foreign keys (Django still applies PROTECT and SET_NULL):
    # a constraint check takes a share lock on the organization, user or key row after the
    # chain head's lock, and a transaction that holds one of those rows FOR UPDATE and then
    # writes an audit row (API-key revocation, model version numbering) would deadlock with it.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     db_constraint=False)
    # Set by audit_record before the row is hashed (the hash covers it to the microsecond).
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_constraint=False,
    )
    actor_api_key = models.ForeignKey(
        "accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        db_constraint=False,
    )
    # The actor's ids as written: deleting a user or key nulls the foreign keys above, which
    # must not read as tampering, so the hash covers these copies instead.
    actor_user_ref = models.BigIntegerField(null=True, blank=True)
    actor_api_key_ref = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, help_text="Who, as text: survives deletions.")
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=32, default="success")
    latency_ms = models.FloatField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    sequence = models.PositiveBigIntegerField(help_text="Place in the organization's chain.")
    previous_hash = models.CharField(
        max_length=64, blank=True, help_text="row_hash of the previous event; empty for the first.")
    row_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the content and previous_hash.")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["organization", "sequence"],
                                    name="audit_event_unique_sequence"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events are append-only")


class AuditChainHead(models.Model):
    """The end of an organization's chain. Its row lock serialises appends; its last sequence
    and hash reveal newest events deleted from the table."""

    organization = models.OneToOneField(Organization, primary_key=True, on_delete=models.PROTECT,
                                        related_name="+")
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit chain of {self.organization_id} at {self.last_sequence}"
