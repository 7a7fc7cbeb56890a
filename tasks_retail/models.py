"""A shop's orders (loaded through the API) and the returns its support assistant starts."""

from django.db import models

from slm_platform.core.models import OrganizationOwned


class OrderStatus(models.TextChoices):
    PLACED = "placed", "Placed"
    DISPATCHED = "dispatched", "Dispatched"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class Order(OrganizationOwned):
    """An order as the shop's own system knows it; `number` (A10231) is what customers quote."""

    number = models.CharField(max_length=32)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=16, choices=OrderStatus.choices,
                              default=OrderStatus.PLACED)
    placed_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    carrier = models.CharField(max_length=64, blank=True)
    tracking_url = models.URLField(max_length=500, blank=True)
    items = models.JSONField(default=list, blank=True)  # [{"sku", "name", "quantity", ...}]
    total = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"],
                                    name="retail_order_number_per_org"),
        ]

    def __str__(self) -> str:
        return self.number


class ReturnRequest(OrganizationOwned):
    """A return the assistant started for a customer; staff send the label and refund."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="returns")
    conversation = models.ForeignKey("chat.Conversation", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=16, default="requested")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    @property
    def reference(self) -> str:
        return f"R{self.pk:06d}"
