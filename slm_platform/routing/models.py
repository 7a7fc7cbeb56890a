"""Cascade routing: per task, the small (active) model answers first; items it is unsure of go
to a larger route (another local version, or an OpenAI-compatible endpoint the organization
names), and items still unsure go to the human review queue. Every routed prediction's route
is counted here, so the share, accuracy and latency of each route can be read back."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from slm_platform.core.models import OrganizationOwned

_SCORE = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Route(models.TextChoices):
    SMALL = "small", "Small model"
    LARGE = "large", "Larger route"
    HUMAN = "human", "Human review"


class LargeKind(models.TextChoices):
    NONE = "", "None"
    VERSION = "version", "Another local model version"
    OPENAI = "openai", "An OpenAI-compatible HTTP endpoint"


class CascadePolicy(OrganizationOwned):
    """One task's cascade. Calibrated confidence below `escalate_below` sends an item to the
    large route; a final confidence below `review_below` (None: never) sends it to a person.
    `escalate_share` (None: no cap) caps the share of items escalated, as measured on the
    task's recent traffic: the threshold then never rises above the score under which that
    share of the recent items fell (routing.worker.escalation_threshold), so a shift in what
    comes in (more items unlike the validation data) cannot send the large route more than
    its budget.
    An HTTP route's answers have no confidence: they pass `review_below` only when
    `trust_http_answers` is on. Items sent over HTTP are redacted first unless `redact` is off."""

    task_slug = models.CharField(max_length=100)
    enabled = models.BooleanField(default=True)
    escalate_below = models.FloatField(validators=_SCORE)
    review_below = models.FloatField(null=True, blank=True, validators=_SCORE)
    escalate_share = models.FloatField(null=True, blank=True, validators=_SCORE)
    large_kind = models.CharField(max_length=16, choices=LargeKind.choices, blank=True)
    # A deleted version leaves the policy without a large route rather than blocking the delete.
    large_version = models.ForeignKey("registry.ModelVersion", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    http_url = models.URLField(max_length=500, blank=True)
    http_model = models.CharField(max_length=200, blank=True)
    # The name of an environment variable on the workers holding the endpoint's API key (never
    # the key itself: rows are readable by every member and end up in backups).
    http_api_key_env = models.CharField(max_length=100, blank=True)
    redact = models.BooleanField(default=True)
    redaction_task = models.CharField(max_length=100, blank=True)
    trust_http_answers = models.BooleanField(default=False)
    # Realtime predictions routed to a person are only answered (route "human") unless this is
    # on: then their text is stored as an item of the task's review queue.
    store_for_review = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "task_slug"],
                                    name="unique_cascade_policy_per_task"),
            models.CheckConstraint(
                condition=Q(escalate_below__gte=0) & Q(escalate_below__lte=1)
                & (Q(review_below__isnull=True)
                   | (Q(review_below__gte=0) & Q(review_below__lte=1)))
                & (Q(escalate_share__isnull=True)
                   | (Q(escalate_share__gte=0) & Q(escalate_share__lte=1))),
                name="cascade_thresholds_between_0_and_1"),
        ]

    @property
    def data_leaves_premises(self) -> bool:
        return self.large_kind == LargeKind.OPENAI

    def __str__(self) -> str:
        return f"cascade of {self.task_slug}"


class RoutingRecord(OrganizationOwned):
    """The items of one predicted batch (a realtime call or a job's chunk) that took one route
    and were answered by one model or endpoint, with the model time per item on that route:
    the small model's share of the batch, plus the large route's share when escalated."""

    task_slug = models.CharField(max_length=100)
    source = models.CharField(max_length=16)  # "realtime" or "job"
    job_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    route = models.CharField(max_length=8, choices=Route.choices)
    answered_by = models.CharField(max_length=300)
    items = models.PositiveIntegerField()
    latency_ms = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "task_slug", "created_at"],
                                name="routing_record_task_time")]


class CascadeEvaluation(OrganizationOwned):
    """The small and the large version's predictions on the small version's test rows, kept
    per version pair (artifacts never change): what the threshold suggester's curve is
    computed from. `rows`: [small score, small correct, large correct] per test row."""

    small_version = models.ForeignKey("registry.ModelVersion", on_delete=models.CASCADE,
                                      related_name="+")
    large_version = models.ForeignKey("registry.ModelVersion", on_delete=models.CASCADE,
                                      related_name="+")
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["small_version", "large_version"],
                                               name="unique_cascade_evaluation_pair")]
