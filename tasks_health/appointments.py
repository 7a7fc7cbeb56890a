"""Appointment requests for the reception team, made by the patient assistant's actions, and
each one as an iCalendar (RFC 5545) file."""

from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from slm_platform.core.errors import Conflict, NotFound
from slm_platform.core.models import Organization
from tasks_health.models import AppointmentRequest, TimeOfDay

ICS_LINE_OCTETS = 75
TIMED_MINUTES = 30
_SUMMARIES = {"request": "Appointment request (pending)",
              "reschedule": "Appointment reschedule request (pending)",
              "cancel": "Appointment cancellation request (pending)"}


@transaction.atomic
def appointment_request_create(*, organization: Organization, kind: str, conversation_id:
                               int | None, preferred_date: date | None, preferred_time: str = "",
                               current_date: date | None = None,
                               reason: str = "") -> AppointmentRequest:
    """A request for staff; `preferred_time` is a period (morning, afternoon, evening, any) or a
    clock time HH:MM. `reason` must already be de-identified."""
    period, clock = "", None
    if preferred_time in TimeOfDay.values:
        period = preferred_time
    elif preferred_time:
        clock = time.fromisoformat(preferred_time)
    return AppointmentRequest.objects.create(
        organization=organization, conversation_id=conversation_id, kind=kind,
        preferred_date=preferred_date, preferred_time_of_day=period, preferred_time=clock,
        current_date=current_date, reason=reason)


def appointment_requests_for_organization(*, organization: Organization
                                          ) -> QuerySet[AppointmentRequest]:
    return AppointmentRequest.objects.filter(organization=organization)


def appointment_request_get(*, organization: Organization, request_id: int
                            ) -> AppointmentRequest:
    found = AppointmentRequest.objects.filter(organization=organization, pk=request_id).first()
    if found is None:
        raise NotFound(f"appointment request {request_id} not found",
                       details={"id": request_id})
    return found


def appointment_request_ics(*, request: AppointmentRequest, host: str = "slm-platform") -> str:
    """One VEVENT, TENTATIVE: all-day on the preferred date, or at the preferred clock time
    (30 minutes, in UTC). CRLF line endings, long lines folded at 75 octets."""
    if request.preferred_date is None:
        raise Conflict("the request has no date to put in a calendar", code="no_date")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//SLM Platform//Appointment requests//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "BEGIN:VEVENT",
             f"UID:appointment-request-{request.pk}@{host}",
             f"DTSTAMP:{_utc(request.created)}"]
    if request.preferred_time is not None:
        start = timezone.make_aware(datetime.combine(request.preferred_date,
                                                     request.preferred_time))
        lines += [f"DTSTART:{_utc(start)}",
                  f"DTEND:{_utc(start + timedelta(minutes=TIMED_MINUTES))}"]
    else:
        lines += [f"DTSTART;VALUE=DATE:{request.preferred_date:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{request.preferred_date + timedelta(days=1):%Y%m%d}"]
    lines += [f"SUMMARY:{_text(_SUMMARIES.get(request.kind, _SUMMARIES['request']))}",
              f"DESCRIPTION:{_text(_description(request))}",
              "STATUS:TENTATIVE", "TRANSP:TRANSPARENT", "END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line) + "\r\n" for line in lines)


def _description(request: AppointmentRequest) -> str:
    parts = [f"Reference {request.reference}. Not confirmed: the reception team will confirm "
             f"a time."]
    if request.preferred_time_of_day:
        parts.append(f"Preferred time: {request.get_preferred_time_of_day_display().lower()}.")
    if request.current_date:
        parts.append(f"Moving the appointment of {request.current_date:%d %B %Y}.")
    if request.reason:
        parts.append(f"Message: {request.reason}")
    return "\n".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newline escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines over 75 octets folded (CRLF and a space), never inside a UTF-8 character."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = ICS_LINE_OCTETS if not pieces else ICS_LINE_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)
