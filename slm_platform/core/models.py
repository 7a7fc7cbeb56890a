"""Tenancy: the organization every customer-owned row belongs to."""

from django.db import models


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class OrganizationOwned(models.Model):
    """Abstract base for every row that belongs to a customer; selectors filter on it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class CustomTask(OrganizationOwned):
    """An organization's own task (its support-desk intents, say). To the rest of the platform
    it looks like a catalog task: see core.task_selectors.task_resolve."""

    slug = models.SlugField(max_length=100)
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    labels = models.JSONField(default=list, blank=True)
    # Labels given at creation are fixed; otherwise the first dataset sets them.
    labels_fixed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="unique_custom_task_slug")
        ]

    def __str__(self) -> str:
        return self.slug
