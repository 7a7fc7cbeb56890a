"""Appointment requests: days and times read from a patient's message (fixed today), the
assistant's request, reschedule and cancel flows (stored for staff, never a booking), the staff
list, and the iCalendar file (RFC 5545) scoped to the organization."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from slm_platform.audit.services import Actor
from slm_platform.chat import assistant_services, starter_assistants
from slm_platform.chat.models import Assistant
from tasks_health.appointments import appointment_request_create, appointment_request_ics
from tasks_health.assistant.dates import (
    day_current,
    day_describe,
    day_first,
    day_wanted,
    time_describe,
    time_of_day,
)
from tasks_health.models import AppointmentRequest

MONDAY = date(2026, 3, 2)
BASE = "/api/v1/health/appointment-requests"


@pytest.mark.parametrize(("text", "expected"), [
    ("tomorrow please", date(2026, 3, 3)),
    ("the day after tomorrow", date(2026, 3, 4)),
    ("next Tuesday", date(2026, 3, 3)),
    ("on Fri", date(2026, 3, 6)),
    ("Monday", date(2026, 3, 9)),  # today is Monday: the next one
    ("12 March", date(2026, 3, 12)),
    ("the 12th of March", date(2026, 3, 12)),
    ("March 12th", date(2026, 3, 12)),
    ("12/03", date(2026, 3, 12)),  # day first
    ("1/3", date(2027, 3, 1)),  # passed this year: next year
    ("3 April 2027", date(2027, 4, 3)),
    ("2026-04-01", date(2026, 4, 1)),
    ("31/02", None),
    ("I sat in the waiting room", None),
    ("may I come in?", None),
])
def test_days_are_read_relative_to_today(text, expected):
    assert day_first(text, MONDAY) == expected


def test_the_day_there_is_and_the_day_wanted():
    text = "can I move my appointment on Tuesday to Friday"
    assert day_current(text, MONDAY) == date(2026, 3, 3)
    assert day_wanted(text, MONDAY) == date(2026, 3, 6)
    assert day_current("move it to Friday", MONDAY) is None
    assert day_wanted("move it to Friday", MONDAY) == date(2026, 3, 6)
    assert day_wanted("my appointment on Tuesday", MONDAY) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("morning please", "morning"), ("Afternoon", "afternoon"), ("any time", "any"),
    ("whenever", "any"), ("10am", "10:00"), ("2.30pm", "14:30"), ("at 14:30", "14:30"),
    ("12pm", "12:00"), ("noon", "12:00"), ("12/03", None), ("no idea", None)])
def test_times_of_day(text, expected):
    assert time_of_day(text) == expected


def test_descriptions():
    assert day_describe(date(2026, 3, 3)) == "Tuesday 3 March"
    assert [time_describe(v) for v in ("any", "10:00", "14:30", "morning")] == [
        "any time", "10am", "2:30pm", "morning"]


def _unfolded(ics: str) -> list[str]:
    assert ics.endswith("\r\n") and "\n" not in ics.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    return ics.replace("\r\n ", "").split("\r\n")[:-1]


@pytest.mark.django_db
def test_the_calendar_file_is_rfc5545(organization):
    allday = appointment_request_create(
        organization=organization, kind="request", conversation_id=None,
        preferred_date=date(2026, 3, 3), preferred_time="morning",
        reason="Review of [NAME]'s inhaler; asthma, worse at night " + "x" * 120)
    lines = _unfolded(appointment_request_ics(request=allday, host="clinic.test"))
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-1] == "END:VCALENDAR"
    assert f"UID:appointment-request-{allday.pk}@clinic.test" in lines
    assert "DTSTART;VALUE=DATE:20260303" in lines and "DTEND;VALUE=DATE:20260304" in lines
    assert "SUMMARY:Appointment request (pending)" in lines and "STATUS:TENTATIVE" in lines
    stamp = next(line for line in lines if line.startswith("DTSTAMP:"))
    assert len(stamp) == len("DTSTAMP:20260302T101500Z") and stamp.endswith("Z")
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "asthma\\, worse at night" in description and "\\n" in description
    assert "Preferred time: morning." in description

    timed = appointment_request_create(
        organization=organization, kind="reschedule", conversation_id=None,
        preferred_date=date(2026, 3, 6), preferred_time="10:30",
        current_date=date(2026, 3, 3))
    assert timed.preferred_time == time(10, 30)
    lines = _unfolded(appointment_request_ics(request=timed))
    assert "DTSTART:20260306T103000Z" in lines  # TIME_ZONE is UTC in the tests
    assert "DTEND:20260306T110000Z" in lines


class _Chat:
    def __init__(self, organization):
        starter_assistants.starter_assistants_ensure(organization=organization)
        assistant = Assistant.objects.get(organization=organization, slug="clinic-patient")
        self.conversation = assistant_services.conversation_start(assistant=assistant,
                                                                  actor=Actor.system())

    def say(self, text):
        reply = assistant_services.message_reply(conversation=self.conversation, text=text,
                                                 actor=Actor.system())
        self.conversation.refresh_from_db()
        return reply


@pytest.mark.django_db
def test_an_appointment_request_is_stored_for_staff_with_a_calendar_file(
        organization, admin_client, other_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    chat = _Chat(organization)
    reply = chat.say("Hi, I'd like to book an appointment for tomorrow about my asthma")
    assert reply.text.startswith("Would morning or afternoon suit you better")
    reply = chat.say("afternoon please")
    assert reply.text == (f"I'll send the reception team a request for an appointment on "
                          f"{day_describe(tomorrow)}, afternoon. Shall I go ahead? (yes / no)")
    assert not AppointmentRequest.objects.exists()
    reply = chat.say("yes")
    stored = AppointmentRequest.objects.get()
    assert reply.text == (f"I've sent your request for {day_describe(tomorrow)}, afternoon, to "
                          f"the reception team. They'll confirm a time with you. Your "
                          f"reference is {stored.reference}.")
    assert (stored.kind, stored.preferred_date, stored.preferred_time_of_day) == (
        "request", tomorrow, "afternoon")
    # The reason is the message as stored in the conversation (de-identified where the
    # organization has the model), never the raw text of another path.
    first = chat.conversation.messages.filter(role="user").first()
    assert stored.reason == first.text and stored.conversation_id == chat.conversation.pk

    listed = admin_client.get(BASE).json()["results"]
    assert [row["reference"] for row in listed] == [stored.reference]
    response = admin_client.get(f"{BASE}/{stored.pk}.ics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    lines = _unfolded(response.content.decode())
    assert f"DTSTART;VALUE=DATE:{tomorrow:%Y%m%d}" in lines
    assert other_client.get(f"{BASE}/{stored.pk}.ics").status_code == 404
    assert other_client.get(BASE).json()["results"] == []
    assert admin_client.get(f"{BASE}/{stored.pk + 999}.ics").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("accept", [None, "text/calendar"])
def test_a_calendar_file_not_found_is_a_json_error_that_says_so(admin_client, client, accept):
    # Found by the fuzzing test (tests/security/test_fuzzing.py): the error body was JSON
    # labelled text/calendar.
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    for response in (admin_client.get(f"{BASE}/999999.ics", **headers),
                     client.get(f"{BASE}/999999.ics", **headers)):
        assert response.status_code in (401, 404)
        assert response["Content-Type"] == "application/json"
        assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.mark.django_db
def test_reschedule_and_cancel_in_one_message_each(organization):
    today = timezone.localdate()
    chat = _Chat(organization)
    # Two weekdays: the first is the appointment there is, the one after "to" the one wanted.
    reply = chat.say("Can I move my appointment on 2099-01-05 to 2099-01-07 at 10am?")
    assert reply.text == ("I'll ask the reception team to move your appointment on Monday 5 "
                          "January to Wednesday 7 January, 10am. Shall I go ahead? (yes / no)")
    chat.say("go ahead")
    moved = AppointmentRequest.objects.get(kind="reschedule")
    assert moved.current_date == date(2099, 1, 5) and moved.preferred_time == time(10, 0)

    reply = chat.say("I need to cancel my appointment")
    assert reply.text == "Which day is the appointment you'd like to cancel?"
    assert chat.say("it was last year").text.startswith("Sorry, I couldn't find the day")
    past = today - timedelta(days=3)
    # A past day is no answer either.
    assert chat.say(past.isoformat()).text.startswith("Sorry, I couldn't find the day")
    reply = chat.say(f"{today + timedelta(days=7):%d/%m/%Y}")
    assert reply.text.startswith("I'll ask the reception team to cancel your appointment on ")
    chat.say("yes")
    cancelled = AppointmentRequest.objects.get(kind="cancel")
    assert cancelled.preferred_date == today + timedelta(days=7)
