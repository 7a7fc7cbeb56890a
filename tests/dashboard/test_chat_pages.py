"""The chat playground and the handoff inbox: through the test client (pages, empty states, the
reply's server-sent events, errors before the stream, organizations kept apart, bounded query
counts), then in a real browser against the real worker and starter assistants (a streamed,
cited answer; an emergency handed to staff, answered and closed from the inbox)."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from slm_platform.audit.models import AuditEvent
from slm_platform.audit.services import Actor
from slm_platform.chat import assistant_services, handoffs
from slm_platform.chat.models import (
    Assistant,
    Conversation,
    Message,
)
from slm_platform.chat.starter_assistants import starter_assistants_ensure
from tests.chat.knowledge import starter_assistants_indexed
from tests.dashboard.browser import screenshot

QUESTION = "How much is standard delivery?"
RED_FLAG = "crushing pain in my chest spreading down my left arm"
STAFF_REPLY = "This is the clinic: we are calling you now."


def _assistant(organization, slug="shop", name="Shop desk") -> Assistant:
    return Assistant.objects.create(organization=organization, slug=slug, name=name,
                                    industry="retail", greeting="Hello! Ask me anything.")


def _handed_off(assistant, count: int, *, status="handed_off", reason="low_confidence"):
    """`count` conversations handed over a minute apart, the first the most recent."""
    now = timezone.now()
    return Conversation.objects.bulk_create([Conversation(
        assistant=assistant, status=status, handoff_reason=reason,
        handed_off_at=now - timedelta(minutes=number), summary=f"Where is order A{number:05d}?",
        summary_source="generated" if number % 2 else "extractive",
        action_items=["Answer the question the knowledge base could not answer.",
                      f"References given: A{number:05d}."]) for number in range(count)])


def _transcript(conversation, turns: int = 1) -> None:
    rows = [Message(conversation=conversation, role="assistant", kind="greeting",
                    source="fixed", text="Hello! Ask me anything.")]
    for turn in range(turns):
        rows += [Message(conversation=conversation, role="user", text=f"Question {turn}?"),
                 Message(conversation=conversation, role="assistant", kind="answer",
                         source="extractive", confidence=0.734, text=f"Answer {turn}.",
                         citations=[{"passage_id": 1, "title": "Standard delivery",
                                     "document": "Delivery"}])]
    Message.objects.bulk_create(rows)


def _events(response) -> list[tuple[str, dict]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/event-stream"
    events = []
    for block in b"".join(response.streaming_content).decode().split("\n\n"):
        if block.strip():
            lines = dict(line.split(": ", 1) for line in block.splitlines())
            events.append((lines["event"], json.loads(lines["data"])))
    return events


# Server side -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_logged_out_visitors_go_to_the_login_page(organization):
    conversation = _handed_off(_assistant(organization), 1)[0]
    for path in ("/chat/", "/chat/inbox/", f"/chat/{conversation.assistant_id}/",
                 f"/chat/inbox/{conversation.pk}/"):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/?next="), path
    posted = Client().post(f"/chat/inbox/{conversation.pk}/close")
    assert posted.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == "handed_off"


@pytest.mark.django_db
def test_the_assistant_list_and_its_empty_state(member, organization, other_organization):
    _assistant(other_organization, name="Globex desk")
    html = member.get("/chat/").content.decode()
    assert "No assistants yet." in html and "Globex desk" not in html
    assert 'aria-current="page">Chat</a>' in html

    starter_assistants_ensure(organization=organization)
    html = member.get("/chat/").content.decode()
    retail = Assistant.objects.get(organization=organization, slug="retail-support")
    assert f'href="/chat/{retail.pk}/"' in html and "Shop support assistant" in html
    assert "Clinic patient assistant" in html and "health" in html
    assert re.search(r"Shop support assistant</strong>.*?retail.*?\(5 documents\)", html,
                     re.S)
    assert "No assistants yet." not in html


@pytest.mark.django_db
def test_the_playground_shows_the_greeting_and_starts_nothing_on_a_visit(member,
                                                                          organization):
    assistant = _assistant(organization)
    html = member.get(f"/chat/{assistant.pk}/").content.decode()
    assert "Hello! Ask me anything." in html and "dashboard/chat.js" in html
    assert '<label for="chat-text">Your message</label>' in html
    assert 'maxlength="2000"' in html and "New conversation" in html
    assert not Conversation.objects.exists()

    started = member.post(f"/chat/{assistant.pk}/conversations")
    conversation = Conversation.objects.get()
    assert started.status_code == 302
    assert started["Location"] == f"/chat/{assistant.pk}/?conversation={conversation.pk}"
    as_json = member.post(f"/chat/{assistant.pk}/conversations",
                          HTTP_ACCEPT="application/json")
    assert as_json.status_code == 201
    body = as_json.json()
    assert body["messages_url"] == (f"/chat/{assistant.pk}/conversations/{body['id']}"
                                    "/messages")
    assert member.get(f"/chat/{assistant.pk}/conversations").status_code == 405


@pytest.mark.django_db
def test_an_emergency_streams_the_fixed_reply_and_hands_over(member, organization):
    starter_assistants_ensure(organization=organization)
    clinic = Assistant.objects.get(organization=organization, slug="clinic-patient")
    conversation = assistant_services.conversation_start(assistant=clinic,
                                                         actor=Actor.system())
    url = f"/chat/{clinic.pk}/conversations/{conversation.pk}/messages"
    events = _events(member.post(url, {"text": RED_FLAG}))
    assert [name for name, _ in events] == ["delta", "message"]
    message = events[-1][1]
    assert events[0][1]["text"] == message["reply"]["text"] and "999" in events[0][1]["text"]
    assert message["reply"]["kind"] == "emergency" and message["reply"]["source"] == "fixed"
    assert message["conversation"]["status"] == "handed_off"
    assert message["conversation"]["inbox_url"] == f"/chat/inbox/{conversation.pk}/"
    assert 'class="handoff-banner urgent"' in message["html"]
    assert "Urgent · Handed to staff" in message["html"] and "Fixed reply" in message["html"]

    # The conversation is with staff now: the user may go on writing to them.
    later = _events(member.post(url, {"text": "hello?"}))
    assert later[-1][1]["reply"]["kind"] == "acknowledgement"
    assert later[0][1]["text"] == assistant_services.WITH_STAFF_REPLY
    html = member.get(f"/chat/{clinic.pk}/?conversation={conversation.pk}").content.decode()
    assert "Urgent · Handed to staff" in html and "This conversation is with staff now" in html
    assert "You can keep writing" in html
    assert not re.search(r"<form class=\"chat-form\"[^>]* hidden>", html)
    # Closed by staff: refused before any event, and the box is gone.
    handoffs.conversation_close(conversation=conversation, actor=Actor.system())
    refused = member.post(url, {"text": "hello?"})
    assert refused.status_code == 409 and refused["Content-Type"] == "application/json"
    assert refused.json()["error"]["code"] == "conversation_closed"
    html = member.get(f"/chat/{clinic.pk}/?conversation={conversation.pk}").content.decode()
    assert "This conversation is closed" in html
    assert re.search(r"<form class=\"chat-form\"[^>]* hidden>", html)


@pytest.mark.django_db
def test_bad_messages_are_json_errors_before_the_stream(member, organization):
    assistant = _assistant(organization)
    conversation = assistant_services.conversation_start(assistant=assistant,
                                                         actor=Actor.system())
    url = f"/chat/{assistant.pk}/conversations/{conversation.pk}/messages"
    for text in ("", "   ", "x" * 2001):
        response = member.post(url, {"text": text})
        assert response.status_code == 400, text
        assert response.json()["error"]["details"] == {"field": "text"}
    # Line breaks as a browser sends them (CRLF) count once each: 2,000 characters pass.
    assert member.post(url, {"text": "ab\r\n" * 666 + "ab"}).status_code != 400
    assert member.get(url).status_code == 405


@pytest.mark.django_db
def test_messages_need_the_csrf_token(member_membership, organization):
    assistant = _assistant(organization)
    conversation = assistant_services.conversation_start(assistant=assistant,
                                                         actor=Actor.system())
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_membership.user)
    url = f"/chat/{assistant.pk}/conversations/{conversation.pk}/messages"
    assert client.post(url, {"text": "Hello"}).status_code == 403
    assert client.post(f"/chat/{assistant.pk}/conversations").status_code == 403
    assert Message.objects.filter(role="user").count() == 0


@pytest.mark.django_db
def test_another_organizations_assistants_and_conversations_are_404(member, reviewer,
                                                                   organization,
                                                                   other_organization):
    theirs = _assistant(other_organization, name="Globex desk")
    their_conversation = _handed_off(theirs, 1)[0]
    ours = _assistant(organization)
    other_of_ours = _assistant(organization, slug="other", name="Other desk")
    our_conversation = _handed_off(ours, 1)[0]
    cid = their_conversation.pk
    for path in (f"/chat/{theirs.pk}/", f"/chat/{ours.pk}/?conversation={cid}",
                 f"/chat/{other_of_ours.pk}/?conversation={our_conversation.pk}",
                 f"/chat/{ours.pk}/?conversation=abc", f"/chat/inbox/{cid}/"):
        assert member.get(path).status_code == 404, path
    for path in (f"/chat/{theirs.pk}/conversations",
                 f"/chat/{theirs.pk}/conversations/{cid}/messages",
                 f"/chat/{ours.pk}/conversations/{cid}/messages",
                 f"/chat/inbox/{cid}/reply", f"/chat/inbox/{cid}/close"):
        assert member.post(path, {"text": "Hello"}).status_code == 404, path
    their_conversation.refresh_from_db()
    assert their_conversation.status == "handed_off"
    assert not Message.objects.exists()
    assert "Globex desk" not in reviewer.get("/chat/inbox/").content.decode()


@pytest.mark.django_db
def test_the_inbox_lists_handed_over_conversations_newest_first(reviewer, organization,
                                                                django_assert_max_num_queries):
    assistant = _assistant(organization)
    conversations = _handed_off(assistant, 30)
    urgent = _handed_off(_assistant(organization, slug="clinic", name="Clinic desk"), 1,
                         reason="emergency")[0]
    urgent.handed_off_at = timezone.now() + timedelta(minutes=1)
    urgent.save()
    _handed_off(assistant, 2, status="closed")
    with django_assert_max_num_queries(6):
        response = reviewer.get("/chat/inbox/")
    html = response.content.decode()
    assert "31 conversations; 1–25 shown." in html and "Page 1 of 2" in html
    ids = [int(found) for found in re.findall(r'href="/chat/inbox/(\d+)/"', html)]
    assert ids == [urgent.pk] + [c.pk for c in conversations[:24]]
    first = html.split('<li class="card urgent">', 1)[1].split("</li>", 1)[0]
    assert '<span class="badge urgent">Urgent</span>' in first and "Clinic desk" in first
    assert html.count("badge urgent") == 1
    assert "Where is order A00001? <small>(generated)</small>" in html
    assert "Where is order A00000? <small>(customer's words)</small>" in html
    assert "References given: A00000." in html and "Not answered by the knowledge base" in html
    assert 'aria-current="page">Inbox</a>' in html

    with django_assert_max_num_queries(6):
        second = reviewer.get("/chat/inbox/?status=handed_off&page=2").content.decode()
    assert [int(found) for found in re.findall(r'href="/chat/inbox/(\d+)/"', second)] == [
        c.pk for c in conversations[24:]]
    closed = reviewer.get("/chat/inbox/?status=closed").content.decode()
    assert len(re.findall(r'href="/chat/inbox/\d+/"', closed)) == 2
    assert "2 conversations." in closed


@pytest.mark.django_db
def test_the_inbox_empty_states(reviewer, organization):
    assert "Nothing waiting" in reviewer.get("/chat/inbox/").content.decode()
    assert "No closed conversations yet." in reviewer.get(
        "/chat/inbox/?status=closed").content.decode()
    # An unknown status shows the inbox itself.
    assert "Nothing waiting" in reviewer.get("/chat/inbox/?status=bogus").content.decode()


@pytest.mark.django_db
def test_a_conversation_page_queries_stay_bounded(reviewer, member, organization,
                                                  django_assert_max_num_queries):
    conversation = _handed_off(_assistant(organization), 1)[0]
    _transcript(conversation, turns=15)
    with django_assert_max_num_queries(6):
        html = reviewer.get(f"/chat/inbox/{conversation.pk}/").content.decode()
    assert html.count('class="bubble ') == 31
    with django_assert_max_num_queries(7):
        played = member.get(f"/chat/{conversation.assistant_id}/"
                            f"?conversation={conversation.pk}").content.decode()
    assert played.count('class="bubble ') == 31


@pytest.mark.django_db
def test_staff_read_reply_and_close(reviewer, organization):
    conversation = _handed_off(_assistant(organization), 1)[0]
    _transcript(conversation)
    url = f"/chat/inbox/{conversation.pk}/"
    html = reviewer.get(url).content.decode()
    assert "Where is order A00000? <small>(customer's words)</small>" in html
    assert "<h3>Action items</h3>" in html and "References given: A00000." in html
    assert "Delivery › Standard delivery" in html and "Confidence 73%" in html
    assert "From the knowledge base" in html and ">Customer <time" in html
    assert 'data-confirm="Close conversation #' in html

    empty = reviewer.post(f"{url}reply", {"text": "  "})
    assert empty.status_code == 400
    field = empty.content.decode().split('<div class="field invalid">', 1)[1]
    assert 'aria-invalid="true" aria-describedby="id_text_error"' in field
    assert 'id="id_text_error">text is required' in field

    sent = reviewer.post(f"{url}reply", {"text": "We have sent it again.\r\nSorry!"},
                       follow=True)
    assert "Your reply is in the conversation." in sent.content.decode()
    staff = Message.objects.get(role="staff")
    assert staff.text == "We have sent it again.\nSorry!"
    assert '<li class="bubble staff"' in sent.content.decode()

    closed = reviewer.post(f"{url}close", follow=True)
    assert closed.redirect_chain == [("/chat/inbox/", 302)]
    assert f"Conversation #{conversation.pk} is closed." in closed.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    assert AuditEvent.objects.filter(action="conversation.close").count() == 1
    page = reviewer.get(url).content.decode()
    assert "This conversation is closed" in page and "Send reply" not in page
    late = reviewer.post(f"{url}reply", {"text": "One more thing"})
    assert late.status_code == 409 and "the conversation is closed" in late.content.decode()


# In a real browser -------------------------------------------------------------------------

@pytest.fixture
def starter_assistants(transactional_db, celery_worker, organization):
    """The starter assistants, their knowledge indexed by the worker. No intent or
    de-identification model is trained for these tests: the assistants then route on their
    rules and retrieval alone (the tiny test intent models are random, and training them takes
    minutes), and the worker still searches and generates every reply."""
    return starter_assistants_indexed(organization)


@pytest.mark.django_db(transaction=True)
def test_the_playground_streams_a_cited_answer(page, live_server, starter_assistants):
    page.get_by_role("navigation").get_by_role("link", name="Chat", exact=True).click()
    page.get_by_role("link", name="Shop support assistant").click()
    box = page.get_by_label("Your message")
    box.fill("one line")
    box.press("Shift+Enter")
    box.press_sequentially("two")
    assert box.input_value() == "one line\ntwo"  # Shift+Enter: a new line, nothing sent
    box.fill(QUESTION)
    box.press("Enter")
    send = page.get_by_role("button", name="Send")
    expect(send).to_be_disabled()
    page.wait_for_url(re.compile(r"\?conversation=\d+$"))
    reply = page.locator(".bubble.assistant[data-message-id]").last
    expect(reply).to_contain_text("£3.95", timeout=150_000)
    expect(send).to_be_enabled()
    expect(reply.locator(".citations li")).not_to_have_count(0)
    expect(reply.locator(".badge")).to_have_text(re.compile(
        "Generated · checked against the knowledge base|From the knowledge base"))
    expect(reply).to_contain_text(re.compile(r"Confidence \d+%"))
    stored = Message.objects.filter(role="assistant", kind="answer").get()
    assert reply.locator(".text").inner_text() == stored.text
    screenshot(page, "chat")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "chat-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Errors land beside the box, which gets the message back: the conversation closed
    # elsewhere (a JSON error before the stream), then the network gone.
    handoffs.conversation_close(conversation=stored.conversation, actor=Actor.system())
    box.fill("And next-day delivery?")
    box.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("the conversation is closed")
    assert box.input_value() == "And next-day delivery?"
    expect(send).to_be_enabled()
    page.get_by_role("button", name="New conversation").click()
    page.wait_for_url(re.compile(rf"\?conversation=(?!{stored.conversation_id}$)\d+$"))
    page.route("**/messages", lambda route: route.abort())
    page.get_by_label("Your message").fill(QUESTION)
    page.get_by_label("Your message").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("could not be reached")
    expect(send).to_be_enabled()
    assert page.locator(".bubble.user").count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_emergency_goes_to_the_inbox_where_staff_reply_and_close(page, live_server,
                                                                   starter_assistants):
    clinic = starter_assistants["clinic-patient"]
    page.goto(f"{live_server.url}/chat/{clinic.pk}/")
    page.get_by_label("Your message").fill(RED_FLAG)
    page.get_by_label("Your message").press("Enter")
    banner = page.locator(".bubble.assistant .handoff-banner.urgent")
    expect(banner).to_contain_text("Handed to staff", timeout=60_000)
    expect(page.get_by_text("This conversation is with staff now")).to_be_visible()
    conversation = Conversation.objects.get(assistant=clinic)
    assert conversation.status == "handed_off"
    screenshot(page, "chat-emergency")
    # The box stays: what the user writes now is kept for the person who takes over.
    page.get_by_label("Your message").fill("My husband is with me now")
    page.get_by_label("Your message").press("Enter")
    expect(page.locator(".bubble.assistant").last).to_contain_text(
        assistant_services.WITH_STAFF_REPLY, timeout=60_000)
    screenshot(page, "chat-with-staff")

    page.get_by_role("link", name="see it in the inbox").click()
    page.wait_for_url(f"{live_server.url}/chat/inbox/{conversation.pk}/")
    page.get_by_role("navigation").get_by_role("link", name="Inbox").click()
    row = page.locator(".inbox-list > li").first
    expect(row).to_contain_text("Clinic patient assistant")
    expect(row.locator(".badge.urgent")).to_have_text("Urgent")
    expect(row).to_contain_text("Urgent: emergency guidance was given")
    expect(row.locator(".new-messages")).to_contain_text("1 new message My husband is with me")
    screenshot(page, "inbox")

    row.get_by_role("link").click()
    page.get_by_label("Your reply").fill(STAFF_REPLY)
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Your reply is in the conversation.").wait_for()
    expect(page.locator(".bubble.staff")).to_contain_text(STAFF_REPLY)
    screenshot(page, "inbox-conversation")

    page.get_by_role("button", name="Close conversation").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Close conversation #{conversation.pk}?")
    page.keyboard.press("Escape")  # cancelled: still open
    conversation.refresh_from_db()
    assert conversation.status == "handed_off"
    page.get_by_role("button", name="Close conversation").click()
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text(f"Conversation #{conversation.pk} is closed.").wait_for()
    expect(page.get_by_text("Nothing waiting")).to_be_visible()
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    page.get_by_role("link", name="Closed").click()
    expect(page.locator(".inbox-list > li")).to_have_count(1)
