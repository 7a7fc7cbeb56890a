"""health.phi-deid's validated patterns, and how the served output combines them with the
model's spans so the known mistakes of rule-only de-identification tools do not happen."""

import random

import pytest

from tasks_health.phi_deid.patterns import (
    dea_is_valid,
    find_identifiers,
    nanp_is_valid,
    nhs_number_is_valid,
    npi_is_valid,
    ssn_is_valid,
    vin_is_valid,
)
from tasks_health.phi_deid.served import phi_entities, phi_served


def _found(text: str) -> list[tuple[str, str]]:
    return [(item["type"], text[item["start"]:item["end"]]) for item in find_identifiers(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Call (617) 555-0142 ext. 23 or jane.doe@gmail.com",
     [("PHONE", "(617) 555-0142 ext. 23"), ("EMAIL", "jane.doe@gmail.com")]),
    ("NHS no. 943 476 5919, tel 020 7946 0958, mobile 07700 900123",
     [("MRN", "943 476 5919"), ("PHONE", "020 7946 0958"), ("PHONE", "07700 900123")]),
    ("SSN 123-45-6789; SSN: 123456789",
     [("SSN", "123-45-6789"), ("SSN", "123456789")]),
    ("MRN: 00482913, Member ID: XGH123456789, DL# D1234567, serial no. PM4482X1",
     [("MRN", "00482913"), ("HEALTH_PLAN", "XGH123456789"), ("LICENSE", "D1234567"),
      ("DEVICE", "PM4482X1")]),
    ("DEA AB1234563, NPI 1234567893, VIN 1HGCM82633A004352",
     [("LICENSE", "AB1234563"), ("LICENSE", "1234567893"), ("VEHICLE", "1HGCM82633A004352")]),
    ("login from 192.168.1.20 and 2001:db8::ff00:42:8329; see https://portal.example.org/m/1.",
     [("IP", "192.168.1.20"), ("IP", "2001:db8::ff00:42:8329"),
      ("URL", "https://portal.example.org/m/1")]),
    ("DOB 03/14/1948, seen 2025-03-14 and on 14th March 2024; a 92-year-old, age: 101",
     [("DATE", "03/14/1948"), ("DATE", "2025-03-14"), ("DATE", "14th March 2024"),
      ("AGE", "92"), ("AGE", "101")]),
    # Trailing punctuation and an unmatched bracket stay outside; a label beats a phone shape.
    ("DOS Oct 26, CPT 99215; result of 2 January. Seen 17 Oct.",
     [("DATE", "Oct 26"), ("DATE", "2 January"), ("DATE", "17 Oct")]),
    ("Carer Keiko (465.253.6825 ext. 66) aware; Dr Chaudry, NPI 2647123951",
     [("PHONE", "465.253.6825 ext. 66"), ("LICENSE", "2647123951")]),
    ("acct 40-18-66 09890668 paid today", [("ACCOUNT", "40-18-66 09890668")]),
    ("dl number fzpgb70359ql9aj for the id check", [("LICENSE", "fzpgb70359ql9aj")]),
])
def test_structured_identifiers_are_found(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize("text", [
    "BP 120/80, HR 88, Hb 12.3 g/dL, K 4.1, SpO2 97%, took 2/3 tablets",
    "metformin 500mg bid, lisinopril 10 mg; ICD E11.9, CPT 99213",
    "67 yo man, aged 45 at diagnosis, in 2019, since 2015, on Tuesday at 10:30 for 3 days",
    "take 2 may help; version 1.2.3",
    "SSN 666-12-3456 and 123-00-4567 are never issued",
    "ref 000-12-3456, order 1234567890 shipped",  # no NANP area code starts with 1
    "Mercy General, St. Luke's, Texas, the UK",
])
def test_hard_negatives_are_not_identifiers(text):
    assert _found(text) == []


def _nanp_numbers_passing_mod_11(count: int) -> list[str]:
    rng, numbers = random.Random(5), []
    while len(numbers) < count:
        digits = f"{rng.randint(200, 999)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        if nanp_is_valid(digits) and nhs_number_is_valid(digits):
            numbers.append(f"{digits[:3]} {digits[3:6]} {digits[6:]}")
    return numbers


def test_a_us_phone_number_is_not_an_nhs_number():
    """Rule-only tools tag any 3-3-4 number with a valid mod-11 digit as an NHS number: one US
    phone number in eleven. Here the words before decide, then NANP numbering."""
    for number in _nanp_numbers_passing_mod_11(25):
        for text in (f"Call me on {number} after 5", f"tel: {number}", f"number {number}",
                     f"NHS number {number}, mobile {number}"):
            types = [kind for kind, value in _found(text)]
            if text.startswith("NHS"):
                assert types == ["MRN", "PHONE"], text
            else:
                assert types == ["PHONE"], text


def test_an_email_address_is_never_a_name_or_organisation():
    text = "Email john.smith@stmarys-health.org or visit www.stmarys-health.org"
    email_start = text.index("john")
    model = [{"start": email_start, "end": email_start + 10, "label": "NAME", "score": 0.9},
             {"start": text.index("stmarys"), "end": text.index("stmarys") + 14,
              "label": "LOCATION", "score": 0.6}]
    entities = phi_entities(text, model)
    assert [(e["label"], e["text"]) for e in entities] == [
        ("EMAIL", "john.smith@stmarys-health.org"), ("URL", "www.stmarys-health.org")]


def test_model_spans_of_checked_types_must_pass_their_check():
    text = "BP 120/80 in a 67 yo; seen 3/14; a 93-yr-old; IP 999.1.1.1; 555-0142"
    def span(value, label):
        start = text.index(value)
        return {"start": start, "end": start + len(value), "label": label, "score": 0.7}
    model = [span("120/80", "DATE"), span("67", "AGE"), span("3/14", "DATE"),
             span("93", "AGE"), span("999.1.1.1", "IP"), span("555-0142", "PHONE")]
    kept = [(e["label"], e["text"]) for e in phi_entities(text, model)]
    assert kept == [("DATE", "3/14"), ("AGE", "93")]


def test_a_span_keeps_its_own_brackets_when_trimmed():
    udi = "(01)00590453627775(17)290602(10)8595195P(21)9153"
    text = f"the device number on my monitor is {udi}."
    model = [{"start": text.index(udi) - 1, "end": len(text), "label": "DEVICE", "score": 0.8}]
    assert [e["text"] for e in phi_entities(text, model)] == [udi]


def test_served_prediction_carries_the_masked_text_and_trims_model_spans():
    text = "Seen by Dr. Anna Berg, 41 Elm Street, Cambridge."
    model = [{"start": 12, "end": 22, "label": "NAME", "score": 0.9},  # " Anna Berg,"
             {"start": 23, "end": 48, "label": "LOCATION", "score": 0.8}]
    served = phi_served(text, {"entities": model})
    assert [(e["label"], e["text"], e["source"]) for e in served["entities"]] == [
        ("NAME", "Anna Berg", "model"), ("LOCATION", "41 Elm Street, Cambridge", "model")]
    assert served["redacted"] == "Seen by Dr. [NAME], [LOCATION]."


@pytest.mark.parametrize(("check", "good", "bad"), [
    (ssn_is_valid, "123456789", "900456789"),
    (nhs_number_is_valid, "9434765919", "9434765918"),
    (npi_is_valid, "1234567893", "1234567890"),
    (dea_is_valid, "AB1234563", "AB1234567"),
    (vin_is_valid, "1HGCM82633A004352", "1HGCM82633A004353"),
])
def test_the_checks_tell_valid_from_invalid(check, good, bad):
    assert check(good)
    assert not check(bad)
