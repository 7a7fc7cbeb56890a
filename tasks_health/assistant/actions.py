"""The patient assistant's actions: ask for, move or cancel an appointment. Each stores a request
for the reception team (with a calendar file); none books or promises a time."""

import re
from collections.abc import Callable
from datetime import date

from django.utils import timezone

from slm_platform.chat.actions import ActionResult, ActionSpec, SlotSpec
from tasks_health.appointments import appointment_request_create
from tasks_health.assistant.dates import (
    date_mentioned,
    day_current,
    day_describe,
    day_first,
    day_wanted,
    time_describe,
    time_of_day,
)

_DATE_SCHEMA = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_TIME_SCHEMA = {"type": "string",
                "pattern": r"^(morning|afternoon|evening|any|([01]\d|2[0-3]):[0-5]\d)$"}
_NEXT_STEP = "They'll confirm a time with you."


def _future(find: Callable[[str, date], date | None]) -> Callable[[str], str | None]:
    """A slot extractor: the day `find` gives, as an ISO date, when it is today or later (in
    settings.TIME_ZONE)."""
    def extract(text: str) -> str | None:
        today = timezone.localdate()
        found = find(text, today)
        return found.isoformat() if found is not None and found >= today else None
    return extract


def _date_written(text: str, value: object) -> bool:
    """A date the model read is kept when the patient's message names that day."""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:  # "2026-02-31" passes the pattern
        return False
    return date_mentioned(text, day, timezone.localdate())


def _day(value: str) -> str:
    return day_describe(date.fromisoformat(value))


def _date_slot(name: str, question: str, find, answer=day_first) -> SlotSpec:
    return SlotSpec(name=name, label="day", question=question, schema=_DATE_SCHEMA,
                    extract=_future(find), answer=_future(answer), describe=_day,
                    evidence=_date_written)


PREFERRED_TIME = SlotSpec(
    name="preferred_time", label="time of day", schema=_TIME_SCHEMA, extract=time_of_day,
    question="Would morning or afternoon suit you better, or a time such as 10am? (\"any\" is "
             "fine too)", describe=time_describe)
# The patient's message as stored (de-identified): for staff, never asked for.
REASON = SlotSpec(name="reason", label="reason", question="", free_text=True, ask=False,
                  required=False, schema={"type": "string", "maxLength": 500})


def _when(slots: dict) -> str:
    return f"{_day(slots['preferred_date'])}, {time_describe(slots['preferred_time'])}"


def _stored(kind: str, text: Callable[[dict], str]) -> Callable[..., ActionResult]:
    def execute(*, organization, conversation, slots: dict) -> ActionResult:
        wanted = slots.get("preferred_date") or slots.get("appointment_date")
        request = appointment_request_create(
            organization=organization, kind=kind,
            conversation_id=conversation.pk if conversation else None,
            preferred_date=date.fromisoformat(wanted) if wanted else None,
            preferred_time=slots.get("preferred_time", ""),
            current_date=date.fromisoformat(slots["current_date"])
            if slots.get("current_date") else None,
            reason=slots.get("reason", ""))
        return ActionResult(text=f"{text(slots)} {_NEXT_STEP} Your reference is "
                                 f"{request.reference}.",
                            data={"reference": request.reference,
                                  "appointment_request_id": request.pk, "kind": kind})
    return execute


APPOINTMENT_CANCEL = ActionSpec(
    name="appointment_cancel", title="Cancel an appointment",
    trigger_intents=("cancel_appointment",),
    trigger_pattern=re.compile(r"\bcancel\w*\b[^.?!]{0,30}\b(?:appointment|appt|booking)\b",
                               re.IGNORECASE),
    slots=(_date_slot("appointment_date", "Which day is the appointment you'd like to cancel?",
                      day_first), REASON),
    confirm_text=lambda slots: f"I'll ask the reception team to cancel your appointment on "
                               f"{_day(slots['appointment_date'])}.",
    execute=_stored("cancel", lambda slots: f"I've sent your request to cancel the appointment "
                                            f"on {_day(slots['appointment_date'])} to the "
                                            f"reception team."))
APPOINTMENT_RESCHEDULE = ActionSpec(
    name="appointment_reschedule", title="Move an appointment",
    trigger_intents=("reschedule_appointment",),
    trigger_pattern=re.compile(
        r"\b(?:reschedul\w*|rearrang\w*|move|change|postpone|bring forward)\b[^.?!]{0,30}"
        r"\b(?:appointment|appt|booking)\b", re.IGNORECASE),
    slots=(_date_slot("current_date", "Which day is the appointment you'd like to move?",
                      day_current),
           _date_slot("preferred_date", "Which day would suit you instead?", day_wanted),
           PREFERRED_TIME, REASON),
    confirm_text=lambda slots: f"I'll ask the reception team to move your appointment on "
                               f"{_day(slots['current_date'])} to {_when(slots)}.",
    execute=_stored("reschedule", lambda slots: f"I've sent your request to move the "
                                                f"appointment on {_day(slots['current_date'])} "
                                                f"to {_when(slots)}, to the reception team."))
APPOINTMENT_REQUEST = ActionSpec(
    name="appointment_request", title="Ask for an appointment",
    trigger_intents=("book_appointment",),
    trigger_pattern=re.compile(
        r"\b(?:book|make|need|want|get|request|arrange|like)\b[^.?!]{0,30}"
        r"\b(?:appointment|appt)\b|\b(?:see|speak to)\s+(?:a|the|my)\s+(?:doctor|gp|nurse)\b",
        re.IGNORECASE),
    slots=(_date_slot("preferred_date", "Which day would suit you? For example \"tomorrow\", "
                                        "\"next Tuesday\" or \"12 March\".", day_first),
           PREFERRED_TIME, REASON),
    confirm_text=lambda slots: f"I'll send the reception team a request for an appointment on "
                               f"{_when(slots)}.",
    execute=_stored("request", lambda slots: f"I've sent your request for {_when(slots)}, to "
                                             f"the reception team."))
# Tried in this order: "I want to cancel my appointment" is a cancellation, not a request.
HEALTH_ACTIONS = (APPOINTMENT_CANCEL, APPOINTMENT_RESCHEDULE, APPOINTMENT_REQUEST)
