"""The audit export for auditors (CSV to read, JSONL to re-verify offline) and the on-demand
chain check: admins only, one organization's rows only, each export itself audited."""

import csv
import io
import json

import pytest

from slm_platform.audit.chain import RECORD_KEYS, row_hash
from slm_platform.audit.exports import CSV_COLUMNS
from slm_platform.audit.models import AuditEvent
from slm_platform.audit.services import Actor, audit_record
from tests.audit.test_chain import TABLE, verify

pytestmark = pytest.mark.django_db


def content(response) -> str:
    return b"".join(response.streaming_content).decode()


def csv_rows(response) -> list[dict]:
    text = content(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def jsonl_records(response) -> list[dict]:
    return [json.loads(line) for line in content(response).splitlines()]


def test_jsonl_holds_each_event_as_hashed_in_chain_order(admin_client, organization):
    audit_record(organization=organization, actor=Actor.system(), action="predict",
                 latency_ms=12.25, data={"inputs": 3, "score": 0.1 + 0.2})
    response = admin_client.get("/api/v1/audit/export?format=jsonl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    assert 'filename="audit-acme-bank-' in response["Content-Disposition"]
    records = jsonl_records(response)
    stored = AuditEvent.objects.filter(organization=organization).exclude(action="audit.export")
    assert [record["id"] for record in records] == \
        list(stored.order_by("sequence").values_list("id", flat=True))
    assert [record["sequence"] for record in records] == list(range(1, len(records) + 1))
    for record in records:
        assert row_hash(record) == record["row_hash"]
    assert records[-1]["data"] == {"inputs": 3, "score": 0.30000000000000004}


def test_a_jsonl_export_verifies_offline_and_shows_a_change(admin_client, organization,
                                                            tmp_path):
    for number in range(3):
        audit_record(organization=organization, actor=Actor.system(), action="step",
                     data={"number": number})
    export = tmp_path / "audit.jsonl"
    export.write_text(content(admin_client.get("/api/v1/audit/export?format=jsonl")))
    status, output = verify("--file", str(export))
    assert status == 0 and "intact, 6 events" in output  # + org, member, key creation
    lines = export.read_text().splitlines()
    lines[4] = lines[4].replace('"number": 1', '"number": 5')  # sequence 5
    export.write_text("\n".join(lines) + "\n")
    status, output = verify("--file", str(export))
    assert status == 1 and "BROKEN at sequence 5" in output and "was changed" in output


def test_csv_has_the_chain_columns_and_neutralises_formulas(admin_client, organization):
    audit_record(organization=organization, actor=Actor(label="=HYPERLINK(\"http://x\")"),
                 action="+cmd", object_type="@sum", object_id="-2+3",
                 data={"note": "=1+1"})
    audit_record(organization=organization, actor=Actor.system(), action="plain",
                 object_id="-42", latency_ms=3.5)
    response = admin_client.get("/api/v1/audit/export?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert list(rows[0]) == CSV_COLUMNS and set(CSV_COLUMNS) == set(RECORD_KEYS)
    assert [int(row["sequence"]) for row in rows] == list(range(1, len(rows) + 1))
    formula, plain = rows[-2], rows[-1]
    assert formula["actor_label"] == "'=HYPERLINK(\"http://x\")"
    assert (formula["action"], formula["object_type"], formula["object_id"]) == \
        ("'+cmd", "'@sum", "'-2+3")
    assert json.loads(formula["data"]) == {"note": "=1+1"}
    assert plain["object_id"] == "-42" and plain["latency_ms"] == "3.5"
    event = AuditEvent.objects.get(action="plain")
    assert (plain["row_hash"], plain["previous_hash"]) == (event.row_hash, event.previous_hash)


def test_filters_by_action_and_time(admin_client, organization):
    events = [audit_record(organization=organization, actor=Actor.system(),
                           action="predict" if number % 2 else "other") for number in range(6)]
    predicts = admin_client.get("/api/v1/audit/export?format=jsonl&action=predict")
    assert [r["id"] for r in jsonl_records(predicts)] == [e.pk for e in events[1::2]]
    since, until = events[2].created_at.isoformat(), events[4].created_at.isoformat()
    window = admin_client.get("/api/v1/audit/export", {"format": "jsonl", "since": since,
                                                       "until": until})
    assert [r["id"] for r in jsonl_records(window)] == [e.pk for e in events[2:5]]
    day = events[0].created_at.date().isoformat()
    whole_day = admin_client.get(f"/api/v1/audit/export?format=csv&since={day}&until={day}")
    assert {int(row["id"]) for row in csv_rows(whole_day)} >= {e.pk for e in events}


@pytest.mark.parametrize(("query", "field"), [
    ("format=xlsx", "format"), ("since=yesterday", "since"), ("until=2026-13-01", "until"),
    ("since=2026-03-02&until=2026-03-01", "until"),
])
def test_bad_parameters_answer_400_naming_the_field(admin_client, query, field):
    response = admin_client.get(f"/api/v1/audit/export?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == field


def test_the_export_is_audited_and_not_part_of_itself(admin_client, organization):
    response = admin_client.get("/api/v1/audit/export?format=csv&action=member.create")
    rows = csv_rows(response)
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor_label.startswith("api_key:")
    assert export.data == {"format": "csv", "action": "member.create", "since": None,
                           "until": None}
    assert export.pk not in {int(row["id"]) for row in rows}
    assert [row["action"] for row in rows] == ["member.create"]


def test_members_are_refused(member_client):
    assert member_client.get("/api/v1/audit/export?format=csv").status_code == 403
    assert member_client.get("/api/v1/audit/verify").status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="audit.").exists()


def test_another_organizations_rows_are_never_exported(admin_client, other_client, organization,
                                                       other_organization):
    ours = set(AuditEvent.objects.filter(organization=organization).values_list("id", flat=True))
    theirs = {r["id"] for r in jsonl_records(other_client.get("/api/v1/audit/export?format=jsonl"))}
    assert theirs and not theirs & ours
    assert {r["organization_id"] for r in
            jsonl_records(admin_client.get("/api/v1/audit/export?format=jsonl"))} == \
        {organization.pk}


def test_verify_api_reports_the_first_break(admin_client, organization):
    from django.db import connection

    first = admin_client.get("/api/v1/audit/verify").json()
    assert first["intact"] is True and first["first_break"] is None
    victim = AuditEvent.objects.filter(organization=organization).order_by("sequence")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["forged", victim.pk])
    report = admin_client.get("/api/v1/audit/verify").json()
    assert report["intact"] is False
    assert report["first_break"]["sequence"] == victim.sequence
    assert report["first_break"]["event_id"] == victim.pk
    assert AuditEvent.objects.filter(action="audit.verify", outcome="broken").count() == 1
