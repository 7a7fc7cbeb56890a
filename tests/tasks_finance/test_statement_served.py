"""finance.statement-entities as served: identifiers checked and masked, rules over the model;
and a whole statement read into transactions through POST /api/v1/finance/statements."""

import importlib.util
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tasks_finance.statement_entities.served import statement_entities_served
from tests.conftest import wait_for_active_version

IBAN = "GB82 WEST 1234 5698 7654 32"
TEXT = f"Paid £40.00 to Ana Ruiz, IBAN {IBAN}, card 4111 1111 1111 1112 ref 99812"


def _entity(text: str, piece: str, label: str) -> dict:
    start = text.index(piece)
    return {"start": start, "end": start + len(piece), "label": label, "text": piece,
            "score": 0.9}


def test_identifiers_are_masked_checked_and_found_by_rule_when_the_model_missed_them():
    prediction = {"entities": [
        _entity(TEXT, "£40.00", "MONEY"), _entity(TEXT, "Ana Ruiz", "PERSON"),
        _entity(TEXT, "4111 1111 1111 1112", "CARD"),  # fails Luhn: no card
        _entity(TEXT, "99812", "ACCOUNT"),
    ]}
    served = statement_entities_served(TEXT, prediction)["entities"]
    labels = [(entity["label"], entity["text"]) for entity in served]
    assert labels == [("MONEY", "£40.00"), ("PERSON", "Ana Ruiz"),
                      ("IBAN", "GB** **** **** **** **54 32"), ("ACCOUNT", "*9812")]
    iban = served[2]
    assert iban["source"] == "rule" and iban["masked"] and TEXT[iban["start"]:iban["end"]] == IBAN


def test_a_rule_found_identifier_wins_over_a_model_entity_that_overlaps_it():
    prediction = {"entities": [_entity(TEXT, "IBAN GB82 WEST", "ORG")]}
    served = statement_entities_served(TEXT, prediction)["entities"]
    assert [entity["label"] for entity in served] == ["IBAN"]
    assert "1234" not in str(served)


def _pdf_bytes(pages):
    path = Path(__file__).parents[1] / "ingest" / "bulk" / "bulk_builders.py"
    spec = importlib.util.spec_from_file_location("bulk_builders", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.pdf_bytes(pages)


STATEMENT = [
    "Northbank plc   Statement 1 March 2025 to 31 March 2025",
    "Account holder: Ana Ruiz   Sort code 12-34-56  Account 12345678",
    f"IBAN {IBAN}",
    "Date        Description                         Amount      Balance",
    "01 Mar 2025 Opening balance                                 1,435.55",
    "03 Mar 2025 CARD PAYMENT TO TESCO STORES 2841   -23.47      1,412.08",
    "28 Mar 2025 ACME ANALYTICS LTD SALARY           2,450.00    3,862.08",
    "31 Mar 2025 Closing balance                                 3,862.08",
]


@pytest.mark.django_db
@pytest.mark.parametrize("as_pdf", [False, True])
def test_a_statement_is_read_into_transactions_with_identifiers_masked(admin_client, as_pdf):
    if as_pdf:
        body = {"statement": SimpleUploadedFile("march.pdf", _pdf_bytes([STATEMENT]))}
        response = admin_client.post("/api/v1/finance/statements", body, format="multipart")
    else:
        response = admin_client.post("/api/v1/finance/statements",
                                     {"statement": "\n".join(STATEMENT)}, format="json")
    assert response.status_code == 200, response.content
    result = response.json()
    assert [(t["date"], t["amount"], t["balance"]) for t in result["transactions"]] == [
        ("2025-03-03", "-23.47", "1412.08"), ("2025-03-28", "2450.00", "3862.08")]
    assert result["transactions"][0]["counterparty"].startswith("tesco")
    types = {item["type"]: item["masked"] for item in result["identifiers"]}
    assert types["IBAN"].endswith("54 32") and "1234 5698" not in str(result)
    assert "12345678" not in str(result)
    assert result.get("pages") == (1 if as_pdf else None)


@pytest.mark.django_db
def test_a_scanned_pdf_or_a_missing_statement_is_a_400_naming_it(admin_client):
    scanned = SimpleUploadedFile("scan.pdf", _pdf_bytes([[]]))
    response = admin_client.post("/api/v1/finance/statements", {"statement": scanned},
                                 format="multipart")
    assert response.status_code == 400, response.content
    assert "scan.pdf" in response.json()["error"]["message"]
    missing = admin_client.post("/api/v1/finance/statements", {}, format="json")
    assert missing.status_code == 400
    assert missing.json()["error"]["details"]["field"] == "statement"


@pytest.mark.django_db(transaction=True)
def test_predict_serves_masked_entities(admin_client, trained_model):
    wait_for_active_version(trained_model.organization, "finance.statement-entities")
    response = admin_client.post("/api/v1/tasks/finance.statement-entities/predict",
                                 {"inputs": [TEXT]}, format="json")
    assert response.status_code == 200, response.content
    entities = response.json()["predictions"][0]["entities"]
    assert any(e["label"] == "IBAN" and e["masked"] for e in entities)
    assert "1234 5698" not in str(entities)
