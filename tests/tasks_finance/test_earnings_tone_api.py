"""finance.earnings-sentiment's document mode through the API with a real worker and the
organization's starter model (tiny preset): a whole transcript scored sentence by sentence,
and the tone shift between two."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from slm_platform.audit.models import AuditEvent
from tests.conftest import wait_for_active_version

TASK = "finance.earnings-sentiment"
pytestmark = pytest.mark.django_db(transaction=True)

CALL = ("Good morning, and welcome to the Q3 earnings call. Revenue grew 18% to a record "
        "$4.2 billion. Gross margin expanded by 120 basis points.\n"
        "We will now begin the question-and-answer session. Our first question comes from "
        "Ana Ruiz. Can you talk about freight? Freight costs weighed on margins this quarter.")


@pytest.fixture
def tone_model(trained_model):
    return wait_for_active_version(trained_model.organization, TASK)


def test_a_transcripts_text_gets_its_tone_per_section_with_evidence(admin_client, tone_model):
    response = admin_client.post("/api/v1/finance/earnings-tone", {"transcript": CALL},
                                 format="json")
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["model_version"] == tone_model.name
    assert report["sentences"] == 7
    assert set(report["sections"]) == {"prepared_remarks", "qa"}
    assert report["sections"]["prepared_remarks"]["sentences"] == 3
    assert report["tone"] in ("positive", "negative", "neutral")
    assert -1 <= report["score"] <= 1
    assert sum(report["labels"].values()) == 7
    evidence = report["most_positive"] + report["most_negative"]
    assert evidence and all(item["position"].startswith("sentence ") for item in evidence)
    # Scored through the audited predict service, never storing the text.
    audited = AuditEvent.objects.filter(action="predict", outcome="success")
    assert audited.filter(data__task=TASK).exists()


def test_a_transcript_file_and_the_shift_between_two(admin_client, tone_model):
    later = CALL.replace("grew 18% to a record", "fell 12% to").replace("expanded", "shrank")
    upload = SimpleUploadedFile("q3.txt", CALL.encode())
    single = admin_client.post("/api/v1/finance/earnings-tone", {"transcript": upload},
                               format="multipart")
    assert single.status_code == 200, single.content
    assert single.json()["file"] == "q3.txt"
    assert single.json()["most_positive"] or single.json()["most_negative"]

    response = admin_client.post(
        "/api/v1/finance/tone-shift",
        {"earlier": SimpleUploadedFile("q3.txt", CALL.encode()),
         "later": SimpleUploadedFile("q4.txt", later.encode())}, format="multipart")
    assert response.status_code == 200, response.content
    shift = response.json()
    assert shift["earlier"]["file"] == "q3.txt" and shift["later"]["file"] == "q4.txt"
    assert shift["shift"] == pytest.approx(shift["later"]["score"] - shift["earlier"]["score"],
                                           abs=1e-3)
    assert shift["direction"] in ("more positive", "more negative", "unchanged")
    assert set(shift["sections"]) == {"prepared_remarks", "qa"}
    assert shift["reports"]["later"]["sentences"] == 7


@pytest.mark.parametrize(("body", "fmt", "field"), [
    ({}, "json", "transcript"),
    ({"transcript": "   "}, "json", "transcript"),
    ({"transcript": 42}, "json", "transcript"),
    ({"transcript": CALL, "model_version": "latest"}, "json", "model_version"),
])
def test_bad_requests_are_4xx_naming_the_field(admin_client, body, fmt, field):
    response = admin_client.post("/api/v1/finance/earnings-tone", body, format=fmt)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["details"]["field"] == field


def test_a_binary_file_is_refused_naming_it(admin_client):
    garbage = SimpleUploadedFile("call.txt", bytes(range(256)) * 64)
    response = admin_client.post("/api/v1/finance/tone-shift",
                                 {"earlier": garbage, "later": CALL}, format="multipart")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["details"]["field"] == "earlier" and "call.txt" in error["message"]


def test_it_needs_a_login(client):
    response = client.post("/api/v1/finance/earnings-tone", {"transcript": CALL},
                           format="json")
    assert response.status_code in (401, 403)
