"""Handoffs to staff: summary and action items on the conversation, the summary generated and
validated on the worker when it can be, and the staff inbox API."""

import time

import pytest

from slm_platform.audit.models import AuditEvent
from slm_platform.audit.services import Actor
from slm_platform.chat import assistant_services, starter_assistants
from slm_platform.chat.handoffs import action_items, summary_extractive
from slm_platform.chat.models import Assistant, Conversation
from tests.chat.knowledge import say
from tests.chat.openai_server import ScriptedServer

INBOX = "/api/v1/handoffs"


def test_action_items_say_why_and_what_was_given():
    assert action_items(reason="emergency", intent="", user_texts=["chest pain"]) == [
        "Urgent: emergency guidance was given. Contact the person now."]
    items = action_items(reason="intent:talk_to_human", intent="talk_to_human",
                         user_texts=["Order A10231 never came", "also B-2040 please"])
    assert items == ["The person asked for: talk to human.",
                     "References given: A10231, B-2040."]
    low = action_items(reason="low_confidence", intent="delivery_status", user_texts=["hm"])
    assert low[0].startswith("Answer the question") and low[-1] == (
        "Detected intent: delivery status.")


def test_an_extractive_summary_is_the_users_last_words_cut_short():
    assert summary_extractive(["first", "second  one", "third"]) == "second one third"
    assert len(summary_extractive(["x" * 1000])) == 280
    assert summary_extractive(["x" * 1000]).endswith("…")


@pytest.mark.django_db
def test_a_handoff_is_flagged_with_a_summary_and_action_items(organization):
    starter_assistants.starter_assistants_ensure(organization=organization)
    clinic = Assistant.objects.get(organization=organization, slug="clinic-patient")
    conversation, _ = say(clinic, "crushing pain in my chest spreading down my left arm")
    assert conversation.status == "handed_off" and conversation.handed_off_at is not None
    assert conversation.summary == "crushing pain in my chest spreading down my left arm"
    assert conversation.summary_source == "extractive"
    assert conversation.action_items[0].startswith("Urgent")


def _wait_for_summary(conversation: Conversation, source: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conversation.refresh_from_db()
        if conversation.summary_source == source:
            return
        time.sleep(0.25)
    raise AssertionError(f"summary still {conversation.summary_source}: {conversation.summary}")


def test_the_summary_is_generated_when_it_passes_validation(trained_model, organization):
    starter_assistants.starter_assistants_ensure(organization=organization)
    retail = Assistant.objects.get(organization=organization, slug="retail-support")
    server = ScriptedServer()
    try:
        retail.generator = {"kind": "openai", "url": server.url, "model": "m"}
        retail.handoff_intents = []
        retail.save()
        question = "Which planet has the most moons in the solar system?"
        server.reply = "The customer asks which planet has the most moons."
        conversation, _ = say(retail, question)
        assert conversation.handoff_reason == "low_confidence"
        _wait_for_summary(conversation, "generated")
        assert conversation.summary == "The customer asks which planet has the most moons."
        system, user = server.requests[-1]["body"]["messages"]
        assert "for a member of staff" in system["content"]
        assert user["content"] == f"Customer: {question}"

        # An invented amount keeps the user's own words.
        server.reply = "The customer wants a refund of £20 for Saturn."
        conversation, _ = say(retail, question)
        deadline = time.monotonic() + 60
        while len(server.requests) < 3 and time.monotonic() < deadline:
            time.sleep(0.25)
        time.sleep(1)
        conversation.refresh_from_db()
        assert conversation.summary_source == "extractive" and conversation.summary == question
    finally:
        server.close()


@pytest.fixture
def handed_off(organization):
    starter_assistants.starter_assistants_ensure(organization=organization)
    clinic = Assistant.objects.get(organization=organization, slug="clinic-patient")
    conversation, _ = say(clinic, "I can't breathe properly and my lips are going blue")
    return conversation


@pytest.mark.django_db
def test_staff_see_reply_and_close_in_the_inbox(handed_off, reviewer_client):
    listed = reviewer_client.get(INBOX).json()["results"]
    assert [c["id"] for c in listed] == [handed_off.pk]
    assert listed[0]["summary"] and listed[0]["action_items"][0].startswith("Urgent")
    assert listed[0]["assistant_name"] == "Clinic patient assistant"
    url = f"{INBOX}/{handed_off.pk}"
    sent = reviewer_client.post(f"{url}/reply", {"text": "Calling you now."}, format="json")
    assert sent.status_code == 201, sent.content
    assert sent.json()["role"] == "staff"
    detail = reviewer_client.get(url).json()
    assert [m["role"] for m in detail["messages"]] == ["assistant", "user", "assistant",
                                                       "staff"]
    assert reviewer_client.post(f"{url}/close").json()["status"] == "closed"
    assert reviewer_client.get(INBOX).json()["results"] == []
    closed = reviewer_client.get(f"{INBOX}?status=closed").json()["results"]
    assert [c["id"] for c in closed] == [handed_off.pk]
    refused = reviewer_client.post(f"{url}/reply", {"text": "one more"}, format="json")
    assert refused.status_code == 409
    assert AuditEvent.objects.filter(action__in=["conversation.staff_reply",
                                                 "conversation.close"]).count() == 2


@pytest.mark.django_db
def test_bad_inbox_requests_name_the_field(handed_off, reviewer_client):
    for payload in ({}, {"text": "  "}, {"text": 7}, {"text": "x" * 4001}):
        response = reviewer_client.post(f"{INBOX}/{handed_off.pk}/reply", payload,
                                      format="json")
        assert response.status_code == 400
        assert response.json()["error"]["details"] == {"field": "text"}
    response = reviewer_client.get(f"{INBOX}?status=lost")
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"field": "status"}


@pytest.mark.django_db
def test_another_organizations_inbox_is_not_reachable(handed_off, other_client):
    assert other_client.get(INBOX).json()["results"] == []
    url = f"{INBOX}/{handed_off.pk}"
    for response in (other_client.get(url), other_client.post(f"{url}/close"),
                     other_client.post(f"{url}/reply", {"text": "hi"}, format="json")):
        assert response.status_code == 404
    handed_off.refresh_from_db()
    assert handed_off.status == "handed_off" and handed_off.messages.count() == 3


# The user goes on writing to the person who takes over ---------------------------------------

def _post(client, conversation, text):
    url = (f"/api/v1/assistants/{conversation.assistant_id}/conversations/{conversation.pk}"
           f"/messages")
    return client.post(url, {"text": text}, format="json")


@pytest.mark.django_db
def test_messages_to_staff_are_kept_acknowledged_and_shown_in_the_inbox(handed_off,
                                                                        member_client,
                                                                        reviewer_client):
    sent = _post(member_client, handed_off, "My husband is with me now, he can drive")
    assert sent.status_code == 200, sent.content
    reply = sent.json()["reply"]
    assert (reply["kind"], reply["source"]) == ("acknowledgement", "fixed")
    assert reply["text"] == assistant_services.WITH_STAFF_REPLY
    assert sent.json()["conversation"]["status"] == "handed_off"
    row = reviewer_client.get(INBOX).json()["results"][0]
    assert row["new_messages"] == 1
    assert row["last_new_message"] == "My husband is with me now, he can drive"
    url = f"{INBOX}/{handed_off.pk}"
    assert reviewer_client.get(url).json()["messages"][-2]["text"] == (
        "My husband is with me now, he can drive")
    # Staff answer: nothing new until the user writes again.
    reviewer_client.post(f"{url}/reply", {"text": "Calling you now."}, format="json")
    assert reviewer_client.get(url).json()["new_messages"] == 0
    _post(member_client, handed_off, "ok")  # not a yes to anything: kept for staff
    assert reviewer_client.get(url).json()["new_messages"] == 1
    # A red flag still gets the emergency reply, and the conversation goes back on top.
    before = reviewer_client.get(url).json()["handed_off_at"]
    emergency = _post(member_client, handed_off,
                      "crushing pain in my chest spreading down my left arm").json()
    assert emergency["reply"]["kind"] == "emergency" and "999" in emergency["reply"]["text"]
    detail = reviewer_client.get(url).json()
    assert detail["handed_off_at"] > before and detail["action_items"][0].startswith("Urgent")
    assert AuditEvent.objects.filter(action="conversation.handoff").count() == 2

    # Closed by staff: refused, saying what to do.
    reviewer_client.post(f"{url}/close")
    refused = _post(member_client, handed_off, "hello?")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "conversation_closed" and "Start a new conversation" in error[
        "message"]
    assert handed_off.messages.filter(role="user").count() == 4


@pytest.mark.django_db
def test_a_yes_to_staff_never_runs_the_action_left_pending(organization):
    starter_assistants.starter_assistants_ensure(organization=organization)
    retail = Assistant.objects.get(organization=organization, slug="retail-support")
    conversation = assistant_services.conversation_start(assistant=retail,
                                                         actor=Actor.system())
    for text in ("where is my order?", "dunno", "still dunno", "what?"):
        assistant_services.message_reply(conversation=conversation, text=text,
                                         actor=Actor.system())
    conversation.refresh_from_db()
    assert conversation.status == "handed_off" and conversation.pending_action
    reply = assistant_services.message_reply(conversation=conversation, text="yes",
                                             actor=Actor.system())
    assert reply.kind == "acknowledgement"
    assert not AuditEvent.objects.filter(action="conversation.action").exists()


def test_messages_to_staff_are_stored_de_identified(trained_model, organization):
    starter_assistants.starter_assistants_ensure(organization=organization)
    clinic = Assistant.objects.get(organization=organization, slug="clinic-patient")
    conversation, _ = say(clinic, "I can't breathe properly and my lips are going blue")
    reply = assistant_services.message_reply(
        conversation=conversation, text="Please call me back on 07700 900123",
        actor=Actor.system())
    assert reply.kind == "acknowledgement"
    stored = conversation.messages.filter(role="user").last().text
    assert "07700 900123" not in stored and "[PHONE]" in stored, stored
