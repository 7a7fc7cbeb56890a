"""Assistants: starter assistants from the registry, fixed emergency replies, handoffs, and
answers from the knowledge base (real worker, real MiniLM and SmolLM2, tiny starter models)."""


import pytest
from rest_framework.test import APIClient

from slm_platform.audit.models import AuditEvent
from slm_platform.audit.services import Actor
from slm_platform.chat import assistant_services, starter_assistants
from slm_platform.chat.assistant_specs import assistants
from slm_platform.chat.models import (
    Assistant,
    Conversation,
    KnowledgeDocument,
    Message,
)
from slm_platform.serving.services import predict
from tests.chat.knowledge import say, starter_assistants_indexed

BASE = "/api/v1/assistants"
RETAIL, HEALTH = "retail-support", "clinic-patient"


def _error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def _assistant(organization, slug) -> Assistant:
    return Assistant.objects.get(organization=organization, slug=slug)


@pytest.mark.django_db
def test_starter_assistants_are_created_once_with_their_knowledge(organization):
    first = starter_assistants.starter_assistants_ensure(organization=organization)
    again = starter_assistants.starter_assistants_ensure(organization=organization)
    assert {a.slug for a in first} >= {RETAIL, HEALTH}
    assert [a.pk for a in first] == [a.pk for a in again]
    retail = _assistant(organization, RETAIL)
    assert retail.intent_task == "retail.support-intent"
    assert retail.answer_threshold == assistants.get(RETAIL).answer_threshold == 0.29
    assert set(retail.handoff_intents) == {"talk_to_human", "complaint"}
    filenames = set(retail.knowledge_base.documents.values_list("filename", flat=True))
    expected = {p.name for p in assistants.get(RETAIL).knowledge_dir.iterdir()}
    assert filenames == expected and "delivery.md" in filenames
    assert KnowledgeDocument.objects.filter(
        knowledge_base__organization=organization).count() == sum(
        len(list(assistants.get(slug).knowledge_dir.iterdir())) for slug in (RETAIL, HEALTH))
    assert _assistant(organization, HEALTH).deidentify_task == "health.phi-deid"


@pytest.mark.django_db
def test_an_emergency_gets_the_fixed_reply_without_any_model(organization):
    # No worker and no model: the reply cannot have come from one.
    starter_assistants.starter_assistants_ensure(organization=organization)
    conversation, reply = say(_assistant(organization, HEALTH),
                              "I keep having suicidal thoughts")
    assert reply.kind == "emergency" and reply.intent == ""
    assert "116 123" in reply.text and "999" in reply.text
    assert conversation.status == "handed_off" and conversation.handoff_reason == "emergency"
    assert AuditEvent.objects.filter(action="conversation.handoff",
                                     object_id=str(conversation.pk)).exists()
    _, chest = say(_assistant(organization, HEALTH),
                   "crushing pain in my chest spreading down my left arm")
    assert chest.kind == "emergency" and "A&E" in chest.text and "116 123" not in chest.text


@pytest.mark.django_db(transaction=True)
def test_retail_assistant_answers_from_its_knowledge_and_hands_off(trained_model,
                                                                   organization):
    assistant = starter_assistants_indexed(organization)[RETAIL]
    assistant.handoff_intents = []  # tiny-model intents are not what this part tests
    assistant.save()

    conversation, reply = say(assistant, "How much is standard delivery?")
    assert reply.kind == "answer" and "£3.95" in reply.text, reply.text
    assert reply.confidence >= assistant.answer_threshold
    # Generated and validated, or the passage itself: cited from delivery.md either way.
    assert reply.source in ("generated", "extractive")
    citation = reply.citations[0]
    cited = KnowledgeDocument.objects.get(passages__id=citation["passage_id"])
    assert cited.filename == "delivery.md" and citation["document"] == cited.title
    assert conversation.status == "open"

    conversation, reply = say(assistant, "Which planet has the most moons in the solar system?")
    assert reply.kind == "handoff" and reply.citations == []
    assert reply.confidence < assistant.answer_threshold
    assert conversation.handoff_reason == "low_confidence"

    # The handoff-intent path with whatever label the tiny model gives this message.
    text = "I want to talk to a real person please"
    label = predict(organization=organization, task_slug="retail.support-intent",
                    inputs=[text], actor=Actor.system()).predictions[0]["label"]
    assistant.handoff_intents = [label]
    assistant.save()
    conversation, reply = say(assistant, text)
    assert reply.kind == "handoff" and reply.intent == label
    assert reply.text == assistant_services.HANDOFF_REPLY
    assert conversation.handoff_reason == f"intent:{label}"
    assert AuditEvent.objects.filter(action="conversation.handoff").count() == 2


@pytest.mark.django_db(transaction=True)
def test_health_messages_are_stored_de_identified(trained_model, organization):
    starter_assistants.starter_assistants_ensure(organization=organization)
    assistant = _assistant(organization, HEALTH)
    text = "I want to kill myself. Please call me on 07700 900123"
    conversation, reply = say(assistant, text)
    assert reply.kind == "emergency" and reply.intent == ""
    stored = Message.objects.get(conversation=conversation, role="user").text
    assert "07700 900123" not in stored and "[PHONE]" in stored, stored


@pytest.mark.django_db(transaction=True)
def test_an_emergency_the_model_calls_gets_the_fixed_reply_too(trained_model, organization):
    """No red-flag rule fires; the intent model's emergency label still gets the fixed
    emergency reply and a person, never a knowledge-base answer (the label the tiny model
    gives this message stands in for `emergency`)."""
    from tasks_health.assistant.spec import EMERGENCY_REPLY

    starter_assistants.starter_assistants_ensure(organization=organization)
    assistant = _assistant(organization, HEALTH)
    assert assistant.emergency_intents == ["emergency"]
    assert "emergency" not in assistant.handoff_intents
    text = "something feels really wrong with my husband tonight"
    label = predict(organization=organization, task_slug="health.patient-intent",
                    inputs=[text], actor=Actor.system()).predictions[0]["label"]
    assistant.emergency_intents = [label]
    assistant.handoff_intents = []
    assistant.save()
    conversation, reply = say(assistant, text)
    assert reply.kind == "emergency" and reply.intent == label
    assert reply.text == EMERGENCY_REPLY and reply.citations == []
    assert conversation.handoff_reason == f"emergency_intent:{label}"


@pytest.fixture
def conversation_url(organization, member_client):
    starter_assistants.starter_assistants_ensure(organization=organization)
    assistant = _assistant(organization, HEALTH)
    response = member_client.post(f"{BASE}/{assistant.pk}/conversations")
    assert response.status_code == 201, response.content
    return f"{BASE}/{assistant.pk}/conversations/{response.json()['id']}"


@pytest.mark.django_db
def test_members_list_assistants_and_chat(member_client, conversation_url, organization):
    listed = member_client.get(BASE).json()["results"]
    assert {a["slug"] for a in listed} >= {RETAIL, HEALTH}
    body = member_client.get(conversation_url).json()
    assert body["status"] == "open"
    assert [(m["role"], m["kind"]) for m in body["messages"]] == [("assistant", "greeting")]
    assert body["messages"][0]["text"] == _assistant(organization, HEALTH).greeting
    sent = member_client.post(f"{conversation_url}/messages",
                              {"text": "my baby is floppy and not waking up"}, format="json")
    assert sent.status_code == 200, sent.content
    assert sent.json()["reply"]["kind"] == "emergency"
    assert sent.json()["conversation"]["status"] == "handed_off"
    assert [m["role"] for m in member_client.get(conversation_url).json()["messages"]] == [
        "assistant", "user", "assistant"]
    # With staff now: the user may go on writing to them, acknowledged with a fixed reply.
    later = member_client.post(f"{conversation_url}/messages", {"text": "hello?"},
                               format="json")
    assert later.status_code == 200, later.content
    assert later.json()["reply"]["kind"] == "acknowledgement"
    assert AuditEvent.objects.filter(action="conversation.start").count() == 1


@pytest.mark.django_db
def test_another_organizations_ids_are_not_found(other_client, conversation_url):
    assistant_url = conversation_url.split("/conversations")[0]
    for response in (other_client.get(conversation_url),
                     other_client.post(f"{conversation_url}/messages", {"text": "hi"},
                                       format="json"),
                     other_client.post(f"{assistant_url}/conversations")):
        assert _error(response, 404)["code"] == "not_found"
    assert other_client.get(BASE).json()["results"] == []
    assert Conversation.objects.count() == 1


@pytest.mark.django_db
def test_callers_without_an_organization_are_refused(conversation_url):
    client = APIClient()
    assert client.get(BASE).status_code in (401, 403)
    assert client.post(f"{conversation_url}/messages", {"text": "hi"},
                       format="json").status_code in (401, 403)


@pytest.mark.parametrize("payload", [{}, {"text": "   "}, {"text": "x" * 2001}, {"text": 42},
                                     {"text": ["hi"]}])
@pytest.mark.django_db
def test_bad_messages_are_refused_naming_the_field(member_client, conversation_url, payload):
    error = _error(member_client.post(f"{conversation_url}/messages", payload, format="json"),
                   400)
    assert error["details"] == {"field": "text"}
    assert Message.objects.filter(role="user").count() == 0


@pytest.mark.django_db
def test_admins_change_an_assistants_settings_members_cannot(admin_client, member_client,
                                                              other_client, organization,
                                                              settings):
    starter_assistants.starter_assistants_ensure(organization=organization)
    url = f"{BASE}/{_assistant(organization, RETAIL).pk}"
    assert member_client.get(url).json()["generator"] == {}
    assert member_client.patch(url, {"greeting": "Hi"}, format="json").status_code == 403
    assert other_client.patch(url, {"greeting": "Hi"}, format="json").status_code == 404
    changed = admin_client.patch(url, {"greeting": " Hi there ", "answer_threshold": 0.5,
                                       "generator": {"kind": "none"}}, format="json")
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["greeting"], body["answer_threshold"], body["generator"]) == (
        "Hi there", 0.5, {"kind": "none"})
    assert AuditEvent.objects.filter(action="assistant.update").count() == 1
    settings.CHAT_HTTP_GENERATOR_ALLOWED_HOSTS = []
    for payload, field in [({"generator": {"kind": "openai", "url": "http://10.0.0.5/v1",
                                           "model": "m"}}, "generator.url"),
                           ({"answer_threshold": 3}, "answer_threshold"),
                           ({"answer_threshold": True}, "answer_threshold"),
                           ({"handoff_intents": "complaint"}, "handoff_intents"),
                           ({"name": ""}, "name"), ({"slug": "x"}, "slug")]:
        error = _error(admin_client.patch(url, payload, format="json"), 400)
        assert error["details"] == {"field": field}, (payload, error)
    assert _assistant(organization, RETAIL).generator == {"kind": "none"}


@pytest.mark.django_db
def test_chat_completions_name_the_bad_message_of_a_history(member_client, organization):
    starter_assistants.starter_assistants_ensure(organization=organization)
    hello = {"role": "user", "content": "hello"}
    for messages, field in [
            ([{"role": "user", "content": 42}, hello], "messages[0].content"),
            ([hello, {"role": "assistant", "content": [{"type": "text", "text": 1}]}, hello],
             "messages[1].content"),
            ([hello, {"role": "robot", "content": "hi"}, hello], "messages[1].role"),
            ([{"role": "assistant", "content": None}, {"role": "user", "content": " "}],
             "messages[1].content")]:
        response = member_client.post("/v1/chat/completions", {
            "model": RETAIL, "messages": messages}, format="json")
        assert _error(response, 400)["details"] == {"field": field}, messages
    assert not Conversation.objects.exists()
