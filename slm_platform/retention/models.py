"""How long an organization keeps what its users send: job inputs and results, conversations,
dataset uploads. A blank period keeps that kind of data forever (the default)."""

from django.conf import settings
from django.db import models

from slm_platform.core.models import OrganizationOwned

# The policy's periods, in days, by API field name.
PERIODS = ("job_inputs_days", "job_results_days", "conversations_days", "dataset_uploads_days")


class RetentionPolicy(OrganizationOwned):
    """One per organization. The periodic purge (retention/purge.py) deletes what is older."""

    # Items' texts and fields and the uploaded files of finished jobs; the job and its
    # predictions stay.
    job_inputs_days = models.PositiveIntegerField(null=True, blank=True)
    # Finished jobs as a whole: items, predictions, files.
    job_results_days = models.PositiveIntegerField(null=True, blank=True)
    # Chat conversations with no message in the period, their messages with them.
    conversations_days = models.PositiveIntegerField(null=True, blank=True)
    # Dataset versions no model version, training run or review refers to, except each
    # dataset's newest (its numbering continues from it).
    dataset_uploads_days = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"],
                                               name="one_retention_policy_per_organization")]

    @property
    def active(self) -> bool:
        return any(getattr(self, name) is not None for name in PERIODS)

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in PERIODS}


class JobInputsPurged(models.Model):
    """Marks a job whose inputs were cleared, so later runs skip it without reading its items."""

    job = models.OneToOneField("jobs.Job", on_delete=models.CASCADE, primary_key=True,
                               related_name="inputs_purged")
    purged_at = models.DateTimeField(auto_now_add=True)
