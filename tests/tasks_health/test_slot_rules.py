"""Slots of patient messages by pattern: dates, times, departments and clinicians, with spans
that point into the message."""

import pytest

from tasks_health.patient_intent.slot_rules import extract_slots


@pytest.mark.parametrize(("text", "expected"), [
    ("Can I see Dr Okafor next tue at 9.30am in dermatology?",
     [("clinician", "Dr Okafor"), ("date", "next tue"), ("time", "9.30am"),
      ("department", "dermatology")]),
    ("pls move my physio appt from 14 March to the 2nd, half 8 if poss",
     [("department", "physio"), ("date", "14 March"), ("date", "the 2nd"),
      ("time", "half 8")]),
    ("blood test on 3/14 with nurse patel, results yday?",
     [("date", "3/14"), ("clinician", "nurse patel"), ("date", "yday")]),
    ("Is the GP surgery open on Saturday morning until 12:30?",
     [("department", "GP"), ("date", "Saturday morning"), ("time", "12:30")]),
    ("Dr Tom Rees said to book cardiology for Friday 6 July 1615hrs",
     [("clinician", "Dr Tom Rees"), ("department", "cardiology"), ("date", "Friday 6 July"),
      ("time", "1615hrs")]),
])
def test_slots_are_found_with_their_spans(text, expected):
    slots = extract_slots(text)
    assert [(slot["type"], slot["text"]) for slot in slots] == expected
    assert all(text[slot["start"]:slot["end"]] == slot["text"] for slot in slots)


@pytest.mark.parametrize("text", [
    "I need a dr appointment please",
    "Doctor, what does this result mean?",
    "thanks for your help",
    "my level was 8.45 last time",  # a reading, not a date
])
def test_no_slot_is_made_up(text):
    assert [slot for slot in extract_slots(text) if slot["type"] in ("clinician", "date")] == []
