"""Appointment requests the clinic's patient assistant takes for the reception team. A request
is never a booking: staff confirm a time with the patient."""

from django.db import models

from slm_platform.core.models import OrganizationOwned


class AppointmentRequestKind(models.TextChoices):
    REQUEST = "request", "New appointment"
    RESCHEDULE = "reschedule", "Reschedule"
    CANCEL = "cancel", "Cancel"


class TimeOfDay(models.TextChoices):
    MORNING = "morning", "Morning"
    AFTERNOON = "afternoon", "Afternoon"
    EVENING = "evening", "Evening"
    ANY = "any", "Any time"


class AppointmentRequest(OrganizationOwned):
    """`reason` is the patient's message as stored by the assistant (de-identified), never the
    raw text. For a reschedule, `current_date` is the appointment to move; for a cancellation,
    `preferred_date` is the appointment to cancel."""

    conversation = models.ForeignKey("chat.Conversation", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    kind = models.CharField(max_length=16, choices=AppointmentRequestKind.choices)
    preferred_date = models.DateField(null=True, blank=True)
    preferred_time_of_day = models.CharField(max_length=16, choices=TimeOfDay.choices,
                                             blank=True)
    preferred_time = models.TimeField(null=True, blank=True)
    current_date = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=16, default="pending")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    @property
    def reference(self) -> str:
        return f"AR{self.pk:06d}"
