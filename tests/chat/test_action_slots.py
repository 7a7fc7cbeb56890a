"""Slots read by the local model when no pattern finds them: JSON constrained to the slot's
schema, kept only when the schema allows it and the user's message holds it. The checks are
pure; the model is the real SmolLM2 as setup prepared it, in this process and on the worker."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from slm_platform.audit.models import AuditEvent
from slm_platform.chat import actions, starter_assistants
from slm_platform.chat.models import Assistant
from slm_platform.ml.causal_lm import DecodeStats
from tasks_health.assistant.actions import APPOINTMENT_REQUEST
from tasks_health.assistant.dates import date_mentioned
from tasks_retail.assistant.actions import ORDER_NUMBER, ORDER_STATUS
from tasks_retail.models import Order

AWAITING_NUMBER = {
    "name": "order_status",
    "slots": {},
    "awaiting": "slot:order_number",
    "attempts": 0,
}


def test_a_model_value_is_kept_only_when_the_schema_allows_it_and_the_message_holds_it():
    message = "it's a-10231 I think"
    assert actions.slots_from_generated([ORDER_NUMBER], message, {"order_number": "A10231"}) == {
        "order_number": "A10231"
    }
    for generated in (
        {"order_number": "A12345"},  # invented: not in the message
        {"order_number": "a10231"},  # not what the schema allows
        {"order_number": None},
        {},
        None,
        "A10231",
        {"order_number": "A10231", "note": "x"},
    ):
        assert actions.slots_from_generated([ORDER_NUMBER], message, generated) == {}, generated


def test_generation_is_asked_only_for_the_awaited_slot_no_pattern_found():
    asked = []

    def generate(slots):
        asked.append([slot.name for slot in slots])
        return {"order_number": "A10231"}

    step = actions.action_continue(
        ORDER_STATUS,
        AWAITING_NUMBER,
        message="A-10231, I think",
        stored="A-10231, I think",
        generate=generate,
    )
    assert asked == [["order_number"]]
    assert step.text == "I'll look up order A10231." + actions.CONFIRM_SUFFIX
    assert step.pending["slots"] == {"order_number": "A10231"}
    # A pattern that finds it leaves the model out.
    actions.action_continue(
        ORDER_STATUS, AWAITING_NUMBER, message="a10231", stored="a10231", generate=generate
    )
    assert len(asked) == 1
    # What the model makes up is an unclear answer, asked again.
    step = actions.action_continue(
        ORDER_STATUS,
        AWAITING_NUMBER,
        message="dunno",
        stored="dunno",
        generate=lambda slots: {"order_number": "A10231"},
    )
    assert step.text.startswith("Sorry, I couldn't find the order number")
    assert step.pending["attempts"] == 1


def test_a_date_is_kept_when_the_message_names_that_day():
    today = date(2026, 11, 30)  # a Monday
    assert date_mentioned("December, on the twelfth please", date(2026, 12, 12), today)
    assert date_mentioned("twenty-first of Dec", date(2026, 12, 21), today)
    assert date_mentioned("fri", date(2026, 12, 4), today)
    assert date_mentioned("tomorrow", date(2026, 12, 1), today)
    for text, day in [
        ("December, on the twelfth", today),
        ("fri", date(2026, 12, 11)),
        ("dunno", today),
        ("march 3rd", date(2026, 3, 3)),
        ("maybe the 1st", date(2027, 5, 1)),
    ]:
        assert not date_mentioned(text, day, today), (text, day)
    slot = APPOINTMENT_REQUEST.slot("preferred_date")
    soon = timezone.localdate() + timedelta(days=3)
    written = f"{soon:%B}, on the {soon.day}{'th' if 4 <= soon.day <= 20 else ''} if you can"
    assert actions.slots_from_generated([slot], written, {"preferred_date": soon.isoformat()}) == {
        "preferred_date": soon.isoformat()
    }
    assert (
        actions.slots_from_generated([slot], "whenever", {"preferred_date": soon.isoformat()}) == {}
    )
    assert actions.slots_from_generated([slot], written, {"preferred_date": "2026-02-31"}) == {}


def test_the_local_model_writes_only_json_the_schema_allows():
    """The real SmolLM2, loaded as the worker loads it: the number written with a dash is
    read; from a message without one, whatever it writes is not kept."""
    from slm_platform.chat.generators import _local_generator

    generator = _local_generator()
    schema = actions.generation_schema([ORDER_NUMBER])
    instructions = "Copy the order number from the user's message into JSON."
    outputs = {}
    for message in ("It's A-10231", "dunno"):
        stats = DecodeStats()
        outputs[message] = generator.json(
            [{"role": "system", "content": instructions}, {"role": "user", "content": message}],
            schema,
            max_new_tokens=24,
            stats=stats,
        )
        assert stats.stop == "end" and stats.new_tokens <= 24
    import json

    values = {message: json.loads(text) for message, text in outputs.items()}
    assert set(values["dunno"]) == {"order_number"}
    assert actions.slots_from_generated([ORDER_NUMBER], "It's A-10231", values["It's A-10231"]) == {
        "order_number": "A10231"
    }
    assert actions.slots_from_generated([ORDER_NUMBER], "dunno", values["dunno"]) == {}


@pytest.mark.django_db(transaction=True)
def test_through_the_api_the_worker_reads_a_number_no_pattern_finds(
    celery_worker, organization, member_client
):
    now = timezone.now()
    Order.objects.create(
        organization=organization,
        number="A10231",
        status="dispatched",
        placed_at=now - timedelta(days=3),
        dispatched_at=now - timedelta(days=2),
        carrier="DPD",
        tracking_url="https://track.example.com/dpd/1550",
    )
    starter_assistants.starter_assistants_ensure(organization=organization)
    retail = Assistant.objects.get(organization=organization, slug="retail-support")
    started = member_client.post(f"/api/v1/assistants/{retail.pk}/conversations")
    url = f"/api/v1/assistants/{retail.pk}/conversations/{started.json()['id']}/messages"

    def say(text):
        response = member_client.post(url, {"text": text}, format="json")
        assert response.status_code == 200, response.content
        return response.json()["reply"]

    assert say("where's my parcel?")["text"].startswith("What's your order number?")
    reply = say("dunno")  # the model is asked; nothing it writes is in the message
    assert reply["text"].startswith("Sorry, I couldn't find the order number")
    assert reply["validation"]["generated"]["outcome"] == "generated"
    reply = say("It's A-10231")
    assert reply["text"] == "I'll look up order A10231." + actions.CONFIRM_SUFFIX
    assert reply["validation"]["slots"] == {"order_number": "A10231"}
    generated = reply["validation"]["generated"]
    assert generated["outcome"] == "generated" and generated["seconds"] > 0
    assert "text" not in generated  # the record says how, the slots say what
    assert "was dispatched on" in say("yes")["text"]
    assert AuditEvent.objects.filter(action="conversation.action").count() == 1
