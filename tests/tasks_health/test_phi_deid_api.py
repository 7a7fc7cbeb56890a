"""health.phi-deid through the API with a real worker and the organization's starter model
(tiny preset, trained by the training worker): predict, the de-identification endpoint in its
four modes, a bulk job's redacted column, and bad input."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from slm_platform.audit.models import AuditEvent
from tests.conftest import wait_for_active_version
from tests.jobs.helpers import content, upload, wait_for_job

TASK = "health.phi-deid"
pytestmark = pytest.mark.django_db(transaction=True)

NOTE = ("Pt seen today, MRN: 00482913. Daughter can be reached at (617) 555-0142 or "
        "ann.k@mailbox.org.\n\nDOB 03/14/1931; a 94-year-old woman. MRN 00482913 confirmed.")
PHONE, EMAIL = "(617) 555-0142", "ann.k@mailbox.org"


@pytest.fixture
def phi_model(trained_model):
    return wait_for_active_version(trained_model.organization, TASK)


def _deid(client, **body):
    return client.post("/api/v1/health/deid", body, format="json")


def test_predict_serves_checked_entities_and_the_masked_text(admin_client, phi_model):
    response = admin_client.post(f"/api/v1/tasks/{TASK}/predict", {"inputs": [NOTE]},
                                 format="json")
    assert response.status_code == 200, response.content
    prediction = response.json()["predictions"][0]
    found = {(e["label"], e["text"]) for e in prediction["entities"] if e["source"] == "rule"}
    assert {("MRN", "00482913"), ("PHONE", PHONE), ("EMAIL", EMAIL), ("DATE", "03/14/1931"),
            ("AGE", "94")} <= found
    assert PHONE not in prediction["redacted"] and "[PHONE]" in prediction["redacted"]


def test_mask_mode_redacts_the_document_and_never_echoes_the_identifiers(admin_client,
                                                                          phi_model):
    response = _deid(admin_client, document=NOTE)
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["model_version"] == phi_model.name and report["mode"] == "mask"
    for value in (PHONE, EMAIL, "00482913", "03/14/1931"):
        assert value not in report["text"]
        assert value not in response.content.decode()
    assert "[MRN]" in report["text"] and "[EMAIL]" in report["text"]
    assert report["text"].count("\n") == NOTE.count("\n")  # the layout is kept
    assert report["counts"]["MRN"] == 2
    for entity in report["entities"]:
        assert NOTE[entity["start"]:entity["end"]]  # offsets into the document as sent
    audited = AuditEvent.objects.filter(action="predict", outcome="success", data__task=TASK)
    assert audited.exists()


def test_pseudonym_is_consistent_and_hash_links_documents(admin_client, phi_model):
    report = _deid(admin_client, document=NOTE, mode="pseudonym").json()
    mrns = [e["replacement"] for e in report["entities"] if e["label"] == "MRN"]
    assert len(mrns) == 2 and mrns[0] == mrns[1] != "00482913"
    assert re.fullmatch(r"\d{8}", mrns[0])
    assert "@example.org" in report["text"]

    first = _deid(admin_client, document=NOTE, mode="hash", types=["MRN"]).json()
    second = _deid(admin_client, document="Chart MRN 00482913 reviewed.", mode="hash",
                   types=["MRN"]).json()
    assert {e["label"] for e in first["entities"]} == {"MRN"}
    assert PHONE in first["text"]  # only the types asked for
    assert first["entities"][0]["replacement"] == second["entities"][0]["replacement"]
    removed = _deid(admin_client, document="Call (617) 555-0142 today.", mode="remove").json()
    assert removed["text"] == "Call today."


def test_a_document_file_is_read_and_redacted(admin_client, phi_model):
    response = admin_client.post(
        "/api/v1/health/deid",
        {"document": SimpleUploadedFile("note.txt", NOTE.encode()), "mode": "mask",
         "types": ["PHONE", "EMAIL"]}, format="multipart")
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["file"] == "note.txt"
    assert PHONE not in report["text"] and "00482913" in report["text"]


def test_a_bulk_job_gets_a_redacted_column(admin_client, phi_model):
    rows = "id,note\n" + "\n".join(
        f'{n},"Call {who} at (617) 555-01{n:02d} re MRN: 0048291{n}"'
        for n, who in enumerate(("her", "him", "them")))
    job = upload(admin_client, {"notes.csv": rows.encode()}, task=TASK, text_column="note")
    assert job.status_code == 202, job.content
    finished = wait_for_job(admin_client, job.json()["id"])
    assert finished["status"] == "succeeded"
    results = admin_client.get(f"/api/v1/jobs/{finished['id']}/results?format=csv")
    table = list(csv.DictReader(io.StringIO(content(results).decode("utf-8-sig"))))
    assert [row["redacted"] for row in table] == [f"Call {who} at [PHONE] re MRN: [MRN]"
                                                  for who in ("her", "him", "them")]
    assert [row["id"] for row in table] == ["0", "1", "2"]


@pytest.mark.parametrize(("body", "field"), [
    ({}, "document"),
    ({"document": "   "}, "document"),
    ({"document": 42}, "document"),
    ({"document": NOTE, "mode": "blur"}, "mode"),
    ({"document": NOTE, "types": ["NAME", "FAX"]}, "types"),
    ({"document": NOTE, "types": [3]}, "types"),
    ({"document": NOTE, "model_version": "latest"}, "model_version"),
    ({"document": "x" * 1_000_001}, "document"),
])
def test_bad_requests_are_4xx_naming_the_field(admin_client, phi_model, body, field):
    response = _deid(admin_client, **body)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["details"]["field"] == field


def test_a_binary_file_is_refused_naming_it(admin_client, phi_model):
    garbage = SimpleUploadedFile("note.txt", bytes(range(256)) * 64)
    response = admin_client.post("/api/v1/health/deid", {"document": garbage},
                                 format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["details"]["file"] == "note.txt"


def test_a_pdf_note_is_redacted_and_a_scanned_one_refused(admin_client, phi_model):
    from tests.tasks_finance.test_statement_served import _pdf_bytes

    pdf = SimpleUploadedFile("note.pdf", _pdf_bytes([NOTE.replace("\n\n", "\n").split("\n")]))
    response = admin_client.post("/api/v1/health/deid", {"document": pdf}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["file"] == "note.pdf"
    assert PHONE not in response.json()["text"] and "[PHONE]" in response.json()["text"]
    scanned = SimpleUploadedFile("scan.pdf", _pdf_bytes([[]]))
    response = admin_client.post("/api/v1/health/deid", {"document": scanned},
                                 format="multipart")
    assert response.status_code == 400, response.content
    assert "text layer" in response.json()["error"]["message"]
    assert response.json()["error"]["details"]["file"] == "scan.pdf"
