"""The audit log and settings pages through Django's test client: who may read and change what
(checked on the server), filters, pagination and the streamed CSV export of the audit log,
members and the last-admin guard, API keys shown once, the webhook and its secret."""

import csv
import datetime
import io
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from slm_platform.accounts import keys
from slm_platform.accounts.models import ApiKey, Membership
from slm_platform.accounts.services import api_key_create, member_create
from slm_platform.audit.models import AuditEvent
from slm_platform.audit.services import Actor, audit_record
from slm_platform.jobs.models import OrganizationWebhook

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def _event(organization, action="predict", *, actor=None, object_type="model_version",
           object_id="7", data=None, outcome="success"):
    return audit_record(organization=organization, actor=actor or Actor.system(),
                        action=action, object_type=object_type, object_id=object_id,
                        data=data, outcome=outcome)


def _csv_rows(response) -> list[dict]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


# Who may see and do what -------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_the_login(client):
    for path in ("/audit/", "/audit/export.csv", "/settings/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post("/settings/keys/create", {"name": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ApiKey.objects.exists()


def test_an_analyst_keeps_keys_of_their_own_and_changes_nothing_else(
        member, member_membership, admin_membership, organization):
    admin_key = api_key_create(membership=admin_membership, name="admin-key").api_key
    own_key = api_key_create(membership=member_membership, name="bob-key").api_key
    assert member.get("/audit/").status_code == 403  # the audit log is for auditors
    page = member.get("/settings/").content.decode()
    assert "bob-key" in page and own_key.prefix in page
    assert "admin-key" not in page  # without the keys capability, only their own keys
    assert "Add member" not in page and "Save webhook" not in page and "Members" not in page
    assert "Create key" in page

    for path, data in [("/settings/members/add", {"username": "eve", "password": PASSWORD,
                                                  "role": "admin"}),
                       (f"/settings/members/{member_membership.pk}/role", {"role": "admin"}),
                       (f"/settings/keys/{admin_key.pk}/revoke", {}),
                       ("/settings/webhook", {"url": "http://127.0.0.1/hook"}),
                       ("/settings/webhook/rotate", {})]:
        assert member.post(path, data).status_code == 403, path
    # A key of their own, never with more than their role.
    response = member.post("/settings/keys/create", {"name": "sneaky", "role": "admin"})
    assert response.status_code == 400 and 'id="id_role_error"' in response.content.decode()
    assert member.post("/settings/keys/create", {"name": "laptop"}).status_code == 302
    assert ApiKey.objects.get(name="laptop").role == "analyst"
    assert member.post(f"/settings/keys/{own_key.pk}/revoke").status_code == 302
    member_membership.refresh_from_db()
    assert member_membership.role == "analyst"
    assert not Membership.objects.filter(user__username="eve").exists()
    assert list(ApiKey.objects.filter(revoked_at__isnull=False)) == [own_key]
    assert not ApiKey.objects.filter(name="sneaky").exists()
    assert not OrganizationWebhook.objects.exists()


def test_another_organizations_objects_are_404_and_its_events_invisible(
        admin, organization, other_admin_membership, other_organization):
    foreign_key = api_key_create(membership=other_admin_membership, name="globex").api_key
    _event(other_organization, "globex.secret-action")
    assert admin.post(f"/settings/keys/{foreign_key.pk}/revoke").status_code == 404
    assert admin.post(f"/settings/members/{other_admin_membership.pk}/role",
                      {"role": "analyst"}).status_code == 404
    foreign_key.refresh_from_db()
    other_admin_membership.refresh_from_db()
    assert foreign_key.revoked_at is None and other_admin_membership.role == "admin"
    assert "globex.secret-action" not in admin.get("/audit/").content.decode()
    assert "globex" not in admin.get("/settings/").content.decode()
    rows = _csv_rows(admin.get("/audit/export.csv"))
    assert rows and all(row["action"] != "globex.secret-action" for row in rows)


# Audit log ---------------------------------------------------------------------------------

def test_the_audit_log_filters_by_actor_action_object_and_time(auditor, organization):
    alice = Actor(label="user:alice")
    _event(organization, "api_key.create", actor=alice, object_type="api_key", object_id="3")
    _event(organization, "api_key.revoke", actor=alice, object_type="api_key", object_id="4")
    _event(organization, "predict", object_type="model_version", object_id="3")
    past = timezone.now() - datetime.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=past):
        _event(organization, "job.create", object_type="job", object_id="99")

    def actions(query: str) -> set[str]:
        response = auditor.get("/audit/" + query)
        assert response.status_code == 200
        return {event.action for event in response.context["page"].object_list}

    assert actions("?actor=alice") == {"api_key.create", "api_key.revoke"}
    assert actions("?action=predict") == {"predict"}
    assert actions("?object_type=api_key&object_id=3") == {"api_key.create"}
    assert actions("?object_id=3") == {"api_key.create", "predict"}
    day = (past + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert actions(f"?until={day}") == {"job.create"}
    assert "job.create" not in actions(f"?since={day}")
    assert "member.create" in actions("")  # the fixtures' own events, newest first

    response = auditor.get("/audit/?since=2025-02-01T10:00&until=2025-01-01T10:00")
    assert response.status_code == 400
    assert 'id="id_until_error"' in response.content.decode()
    assert auditor.get("/audit/?since=yesterday").status_code == 400


def test_the_audit_log_is_paginated_and_pages_keep_the_filters(auditor, organization):
    for number in range(120):
        _event(organization, "predict", object_id=str(number))
    response = auditor.get("/audit/?action=predict")
    page = response.context["page"]
    assert page.paginator.count == 120 and len(page.object_list) == 50
    assert page.object_list[0].object_id == "119"  # newest first
    html = response.content.decode()
    assert 'href="?action=predict&amp;page=2"' in html
    assert 'href="/audit/export.csv?action=predict"' in html
    last = auditor.get("/audit/?action=predict&page=3").context["page"]
    assert len(last.object_list) == 20 and last.object_list[-1].object_id == "0"
    assert auditor.get("/audit/?action=predict&page=99").context["page"].number == 3


def test_an_empty_audit_log_says_so(auditor, organization):
    html = auditor.get("/audit/?action=nothing.like.this").content.decode()
    assert "No events match these filters" in html and "Export CSV" not in html


def test_the_csv_export_streams_the_filtered_events_and_neutralises_formulas(
        auditor, organization):
    _event(organization, "predict", actor=Actor(label="=HYPERLINK(\"http://evil\")"),
           object_id="-2+3", data={"note": "@SUM(A1)"})
    _event(organization, "predict", object_id="-12.5")
    _event(organization, "job.create", object_id="1")
    response = auditor.get("/audit/export.csv?action=predict")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert [row["action"] for row in rows] == ["predict", "predict"]
    number, formula = rows
    assert number["object_id"] == "-12.5"  # a plain number stays a number
    assert formula["actor"] == "'=HYPERLINK(\"http://evil\")"
    assert formula["object_id"] == "'-2+3"
    assert formula["data"] == '{"note": "@SUM(A1)"}'  # starts with "{", harmless
    assert auditor.get("/audit/export.csv?since=nonsense").status_code == 400


def test_the_audit_page_does_not_grow_its_queries_with_the_log(auditor, organization,
                                                                 admin_membership):
    key = api_key_create(membership=admin_membership, name="integration").api_key
    counts = []
    for extra in (60, 200):  # 60 first, so that page 2 exists both times
        for number in range(extra):
            _event(organization, "predict", actor=Actor.for_api_key(key), object_id=str(number),
                   data={"inputs": 1})
        with CaptureQueriesContext(connection) as queries:
            assert auditor.get("/audit/").status_code == 200
            assert auditor.get("/audit/?action=predict&page=2").status_code == 200
        counts.append(len(queries))
    assert counts[1] == counts[0], counts


# Settings ----------------------------------------------------------------------------------

def test_a_new_api_key_is_shown_once(admin, admin_membership, organization):
    response = admin.post("/settings/keys/create", {"name": "billing-sync"})
    assert response.status_code == 302 and response["Location"] == "/settings/"
    api_key = ApiKey.objects.get(name="billing-sync")
    first = admin.get("/settings/")
    assert first["Cache-Control"] == "no-store"
    html = first.content.decode()
    full_key = html.split('id="issued-key"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    assert full_key.startswith(f"slm_{api_key.prefix}_")
    assert keys.key_hash(full_key) == api_key.key_hash
    again = admin.get("/settings/").content.decode()
    assert full_key not in again and "billing-sync" in again
    event = AuditEvent.objects.get(action="api_key.create", object_id=str(api_key.pk))
    assert event.actor_label == "user:alice"


def test_an_api_key_needs_a_name(admin):
    response = admin.post("/settings/keys/create", {"name": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_name_error"' in html and 'aria-describedby="id_name_error"' in html
    assert not ApiKey.objects.exists()


def test_an_admin_revokes_a_key_and_it_is_audited(admin, member_membership):
    api_key = api_key_create(membership=member_membership, name="bob-laptop").api_key
    response = admin.post(f"/settings/keys/{api_key.pk}/revoke", follow=True)
    assert "The key bob-laptop" in response.content.decode()
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_key.revoke", object_id=str(api_key.pk),
                                     actor_label="user:alice").exists()
    assert 'data-confirm="Revoke' not in response.content.decode()  # nothing left to revoke


def test_an_admin_adds_a_member_and_errors_stand_next_to_their_field(admin, organization):
    response = admin.post("/settings/members/add",
                          {"username": "Alice", "password": "short", "role": "analyst"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_username_error"' in html and "That username is taken." in html
    response = admin.post("/settings/members/add",
                          {"username": "carol", "password": "password", "role": "analyst"})
    assert 'id="id_password_error"' in response.content.decode()
    response = admin.post("/settings/members/add",
                          {"username": "carol", "password": PASSWORD, "role": "admin"})
    assert response.status_code == 302
    carol = Membership.objects.get(user__username="carol")
    assert carol.organization == organization and carol.role == "admin"
    assert Client().login(username="carol", password=PASSWORD)
    assert AuditEvent.objects.filter(action="member.create", actor_label="user:alice",
                                     data__username="carol").exists()


def test_the_last_admin_cannot_demote_themselves(admin, admin_membership, organization):
    response = admin.post(f"/settings/members/{admin_membership.pk}/role", {"role": "analyst"})
    assert response.status_code == 409
    html = response.content.decode()
    assert f'id="role-{admin_membership.pk}_error"' in html and "last admin" in html
    admin_membership.refresh_from_db()
    assert admin_membership.role == "admin"
    assert admin.post(f"/settings/members/{admin_membership.pk}/role",
                      {"role": "owner"}).status_code == 400

    # With a second admin, the first may step down, and the change is audited.
    second = member_create(organization=organization, username="dave", password=PASSWORD,
                           role="admin")
    response = admin.post(f"/settings/members/{admin_membership.pk}/role", {"role": "analyst"})
    assert response.status_code == 302
    admin_membership.refresh_from_db()
    assert admin_membership.role == "analyst"
    event = AuditEvent.objects.get(action="member.role_change")
    assert event.data == {"username": "alice", "from": "admin", "to": "analyst"}
    # ...and, an analyst now, can change roles no more.
    assert admin.post(f"/settings/members/{second.pk}/role",
                      {"role": "analyst"}).status_code == 403


def test_the_webhook_url_is_validated_and_the_secret_shown_once(admin, organization, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.example.com"]
    response = admin.post("/settings/webhook", {"url": "http://10.0.0.1/internal"})
    assert response.status_code == 400
    assert 'id="id_url_error"' in response.content.decode()
    assert "WEBHOOK_ALLOWED_HOSTS" in response.content.decode()
    response = admin.post("/settings/webhook", {"url": "https://hooks.example.com/slm"},
                          follow=True)
    assert "https://hooks.example.com/slm" in response.content.decode()
    hook = OrganizationWebhook.objects.get(organization=organization)
    assert hook.url == "https://hooks.example.com/slm"
    assert hook.secret not in response.content.decode()

    assert admin.post("/settings/webhook/rotate").status_code == 302
    hook.refresh_from_db()
    assert hook.secret in admin.get("/settings/").content.decode()
    assert hook.secret not in admin.get("/settings/").content.decode()
    assert {"webhook.configure", "webhook.rotate_secret"} <= set(
        AuditEvent.objects.values_list("action", flat=True))


def test_the_pages_carry_no_inline_script(admin, organization):
    _event(organization, "predict", data={"text": "<script>alert(1)</script>"})
    for path in ("/audit/", "/settings/"):
        html = admin.get(path).content.decode()
        body = html.split("</head>", 1)[1]
        assert "<script" not in body and " onclick=" not in body and "style=" not in body
