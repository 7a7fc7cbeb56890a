"""Tests for the PHI de-identification templates, slots and synthetic starter data.

The identifier checks (SSA rules, NHS mod 11, NPI Luhn, DEA and VIN check digits, IPv4
octets) are written again on purpose (here and in tests.entity_data_checks): the data must pass
checks that share no code with the generator that made it. The tests every entity-span dataset
must pass are entity_data_checks'; TestSharedChecks runs them on this generator, and the tests
below are its own.
"""

import re
from collections import Counter

import pytest

from tasks_health.phi_deid import slots, starter_data
from tasks_health.phi_deid.labels import PHI_TYPES
from tasks_health.phi_deid.noise import GREETINGS, SIGNOFFS
from tasks_health.phi_deid.pools import (
    COUNTRIES,
    EXTRA_DRUGS,
    FACILITIES,
    POOL_TYPES,
    POOLS,
    ROLES,
    STATES,
    URL_SHAPES,
)
from tasks_health.phi_deid.slots import HARD_NEGATIVE_KINDS, held_out_values
from tasks_health.phi_deid.starter_data import (
    NO_ENTITY,
    TABLE,
    TEMPLATES,
    TEXT_KINDS,
    template_locale,
    template_slots,
)
from tests import entity_data_checks as checks
from tests.entity_data_checks import all_records, both_test_halves, passes_luhn

_NAME_POOLS = ("female", "male", "surname")
_VIN_VALUES = {**{str(digit): digit for digit in range(10)},
               **dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ",
                          (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9),
                          strict=True))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def _passes_nhs_mod_11(digits: str) -> bool:
    if not re.fullmatch(r"\d{10}", digits):
        return False
    check = 11 - sum(int(char) * (10 - index) for index, char in enumerate(digits[:9])) % 11
    return check != 10 and (0 if check == 11 else check) == int(digits[9])


def _valid_ssn(text: str) -> bool:
    match = re.fullmatch(r"(\d{3})([- ])(\d{2})\2(\d{4})", text)
    if not match:
        return False
    area, group, serial = int(match[1]), int(match[3]), int(match[4])
    return 0 < area < 900 and area != 666 and group != 0 and serial != 0


def _valid_dea(text: str) -> bool:
    digits = [int(char) for char in text[2:]]
    total = digits[0] + digits[2] + digits[4] + 2 * (digits[1] + digits[3] + digits[5])
    return text[0] in "ABFGM" and total % 10 == digits[6]


def _valid_vin(text: str) -> bool:
    if not re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", text):
        return False
    remainder = sum(_VIN_VALUES[char] * weight
                    for char, weight in zip(text, _VIN_WEIGHTS, strict=True)) % 11
    return text[8] == ("X" if remainder == 10 else str(remainder))


records, splits = checks.starter_fixtures(starter_data)


class TestSharedChecks(checks.EntityDataChecks):
    data = starter_data
    slot_module = slots
    pools = POOLS
    entity_types = PHI_TYPES
    filled_like_templates = GREETINGS + tuple(text for table in SIGNOFFS.values() for text in table)
    noise_kinds = frozenset({"column_spacing", "uppercase", "lowercase", "typos", "signoff",
                             "greeting", "abbreviations", "extra_spaces"})


def _spans_of(records, kind):
    return [record.text[start:end] for record in all_records(records)
            for start, end, span_kind in record.spans if span_kind == kind]


def _all_template_texts():
    return [template for table in TEMPLATES.values() for template in table]


# Templates and pools.

def test_there_are_enough_templates_of_every_kind_with_and_without_identifiers():
    templates = _all_template_texts()
    assert len(set(templates)) == len(templates)
    free = set(TABLE.template_ids(NO_ENTITY))
    for kinds in (("note", "record"), ("message", "sms")):  # templates_notes, _messages
        ids = [f"{kind}/{index:02d}" for kind in kinds for index in range(len(TEMPLATES[kind]))]
        assert len([i for i in ids if i not in free]) >= 60, kinds
        assert len([i for i in ids if i in free]) >= 10, kinds
    assert {template.split("/")[0] for template in free} == set(TEXT_KINDS)


def test_templates_are_written_for_one_country():
    for template in _all_template_texts():
        slots = set(template_slots(template))
        assert not ({"nhs"} & slots and {"ssn", "plan", "npi", "dea"} & slots), template
        if "nhs" in slots:
            assert template_locale(template) == "uk", template
        if "ssn" in slots:
            assert template_locale(template) == "us", template


def test_every_pool_has_a_type_and_enough_names():
    assert set(POOLS) == set(POOL_TYPES)
    assert len(POOLS["female"]) + len(POOLS["male"]) >= 60 and len(POOLS["surname"]) >= 60


def test_names_are_words_of_nothing_else():
    # The held-out check below looks for people by name, so names must be their own words.
    others = [value for pool, values in POOLS.items() if pool not in _NAME_POOLS
              for value in values]
    others += list(FACILITIES + ROLES + STATES + COUNTRIES + EXTRA_DRUGS) + _all_template_texts()
    others += [shape for shapes in URL_SHAPES.values() for shape in shapes]
    others += list(GREETINGS) + [signoff for table in SIGNOFFS.values() for signoff in table]
    other_words = {word.casefold() for text in others for word in re.findall(r"[\w'-]+", text)}
    names = [name.casefold() for pool in _NAME_POOLS for name in POOLS[pool]]
    assert len(names) == len(set(names))
    assert not set(names) & other_words


# The splits.

def test_held_out_values_are_never_written_in_train(records):
    # No held-out name, street, town or county is written anywhere in train, in any case, not
    # even inside an email address or a URL.
    surfaces = [value.split("|")[0] for pool in POOLS for value in held_out_values(pool)]
    train_text = "\n".join(record.text for record in records["train"]).casefold()
    for surface in surfaces:
        assert not re.search(rf"(?<![^\W_]){re.escape(surface.casefold())}(?![^\W_])",
                             train_text), surface


# The spans.

def test_spans_are_one_line_and_edged_by_their_kind(records):
    for record in all_records(records):
        for start, end, kind in record.spans:
            value = record.text[start:end]
            assert "\n" not in value and value[-1] not in ".,;:!?-/'\"", record
            assert value[0].isalnum() or (kind in ("PHONE", "DEVICE") and value[0] in "(+")


def test_structured_identifiers_are_valid(records):
    ssns = _spans_of(records, "SSN")
    assert len(ssns) >= 50 and all(_valid_ssn(ssn) for ssn in ssns), ssns
    assert any(" " in ssn for ssn in ssns) and any("-" in ssn for ssn in ssns)
    nhs = [re.sub(r"[ -]", "", text) for text in _spans_of(records, "MRN")
           if re.fullmatch(r"\d{3}[ -]?\d{3}[ -]?\d{4}", text)]
    assert len(nhs) >= 30 and all(_passes_nhs_mod_11(number) for number in nhs), nhs
    licences = _spans_of(records, "LICENSE")
    npis = [text for text in licences if re.fullmatch(r"[12]\d{9}", text)]
    assert len(npis) >= 20 and all(passes_luhn("80840" + npi) for npi in npis), npis
    deas = [text.upper() for text in licences if re.fullmatch(r"[A-Z]{2}\d{7}", text, re.I)]
    assert len(deas) >= 20 and all(_valid_dea(dea) for dea in deas), deas
    vins = [text.upper() for text in _spans_of(records, "VEHICLE") if len(text) == 17]
    assert len(vins) >= 20 and all(_valid_vin(vin) for vin in vins), vins


def test_network_addresses_emails_and_phones_are_well_formed(records):
    ips = _spans_of(records, "IP")
    v4 = [ip for ip in ips if "." in ip]
    assert len(v4) >= 50 and len(ips) - len(v4) >= 5
    for ip in v4:
        octets = ip.split(".")
        assert len(octets) == 4 and all(re.fullmatch(r"0|[1-9]\d{0,2}", o) and int(o) <= 255
                                        for o in octets), ip
    for ip in ips:
        if ip not in v4:
            assert re.fullmatch(r"[0-9a-f:]+", ip.lower()), ip
            assert ("::" in ip and ip.count(":") <= 7) or ip.count(":") == 7, ip
    assert all(re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", email)
               for email in _spans_of(records, "EMAIL"))
    us_phones = 0
    for phone in _spans_of(records, "PHONE"):
        digits = re.sub(r"\D", "", re.split(r" ?(ext|x)", phone)[0])
        if len(digits) == 11 and digits[0] == "1":
            digits = digits[1:]
        if len(digits) == 10 and digits[0] != "0":  # NANP: area code and exchange from 2
            us_phones += 1
            assert digits[0] in "23456789" and digits[3] in "23456789", phone
    assert us_phones >= 100


def test_numbers_passing_the_nhs_check_are_mrns_only_as_nhs_numbers(records):
    # A ten-digit US number can pass the NHS mod-11 check; in a phone context it is a PHONE,
    # and a number is an MRN of NHS shape only where the text calls it an NHS number.
    phones = mrns = 0
    for record in all_records(records):
        for start, end, kind in record.spans:
            value = record.text[start:end]
            if not (re.fullmatch(r"\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}", value)
                    and _passes_nhs_mod_11(re.sub(r"\D", "", value))):
                continue
            if kind == "PHONE":
                phones += 1
            elif kind == "MRN":  # (an NPI or an account number may pass by chance too)
                mrns += 1
                assert "nhs" in record.text[max(0, start - 20):start].lower(), record
    assert phones >= 20 and mrns >= 30


def test_ages_are_tagged_only_over_89(records):
    ages = _spans_of(records, "AGE")
    assert len(ages) >= 100 and all(age.isdigit() and int(age) > 89 for age in ages), ages
    young = [record.text[start:end] for record in all_records(records)
             for start, end, kind in record.hard_negatives if kind == "young_age"]
    assert len(young) >= 50 and all(int(age) <= 89 for age in young)
    assert "89" in young


def test_no_name_inside_an_email_or_url_and_no_date_a_year_or_weekday_alone(records):
    for record in all_records(records):
        containers = [(start, end) for start, end, kind in record.spans if kind in ("EMAIL", "URL")]
        for start, end, kind in record.spans:
            assert not any(s <= start < e and (start, end) != (s, e) for s, e in containers)
            value = record.text[start:end]
            if kind == "DATE":
                assert not re.fullmatch(r"\d{4}", value), record
                assert not re.fullmatch(r"(mon|tues?|wed|thu|fri|sat|sun)\w*", value, re.I)


def test_facilities_roles_and_regions_are_never_spans(records):
    never = {value.casefold() for value in FACILITIES + ROLES + STATES + COUNTRIES}
    for record in all_records(records):
        for start, end, _ in record.spans:
            assert record.text[start:end].casefold() not in never, record


def test_hard_negatives_occur_in_train_and_test(records):
    train = Counter(kind for record in records["train"] for *_, kind in record.hard_negatives)
    test = Counter(kind for record in both_test_halves(records)
                   for *_, kind in record.hard_negatives)
    assert set(train) == set(test) == HARD_NEGATIVE_KINDS
    assert all(train[kind] >= 40 for kind in HARD_NEGATIVE_KINDS), train


# Balance and shape.

@pytest.mark.parametrize("split", ["train", "test"])
def test_every_type_is_represented(records, split):
    rows = records["train"] if split == "train" else both_test_halves(records)
    spans = Counter(kind for record in rows for *_, kind in record.spans)
    assert set(spans) == set(PHI_TYPES), set(PHI_TYPES) - set(spans)
    assert all(spans[kind] >= (40 if split == "train" else 5) for kind in PHI_TYPES), spans


def test_texts_are_long_and_short(records):
    lengths = [len(record.text) for record in records["train"]]
    assert sum(length >= 300 for length in lengths) >= 50
    assert sum(length <= 60 for length in lengths) >= 100


def test_template_ids_point_into_the_tables():
    assert TABLE.template_text(TABLE.template_ids("note")[0]) == TEMPLATES["note"][0]
