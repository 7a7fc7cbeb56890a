"""Tests for the statement-entity templates, slots and synthetic starter data.

The IBAN and Luhn checks are written again on purpose (here and in tests.entity_data_checks):
the data must pass checks that do not share code with the generator that made it. The tests
every entity-span dataset must pass are entity_data_checks'; TestSharedChecks runs them on this
generator, and the tests below are its own.
"""

import re
from collections import Counter

import pytest

from tasks_finance.statement_entities import ner_slots, starter_data
from tasks_finance.statement_entities.ner_noise import GREETINGS, SIGNOFFS
from tasks_finance.statement_entities.ner_pools import GENERIC_ORGS, POOL_TYPES, POOLS
from tasks_finance.statement_entities.ner_slots import (
    ENTITY_TYPES,
    HARD_NEGATIVE_KINDS,
    held_out_values,
)
from tasks_finance.statement_entities.starter_data import (
    GROUPS,
    NO_ENTITY,
    TABLE,
    TEMPLATES,
    TEXT_KINDS,
)
from tests import entity_data_checks as checks
from tests.entity_data_checks import all_records, both_test_halves, passes_luhn

# A span never starts or ends with these (a masked "**** 1234" or "£40" is fine).
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'/|-"
_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2})?\s*(am|pm)?", re.IGNORECASE)
_MASK = re.compile(r"[*Xx]")

records, splits = checks.starter_fixtures(starter_data)


class TestSharedChecks(checks.EntityDataChecks):
    data = starter_data
    slot_module = ner_slots
    pools = POOLS
    entity_types = ENTITY_TYPES
    filled_like_templates = GREETINGS + tuple(text for table in SIGNOFFS.values() for text in table)
    noise_kinds = frozenset({"column_spacing", "uppercase", "lowercase", "typos", "signoff",
                             "greeting", "abbreviations"})


def _iban_passes_mod_97(text: str) -> bool:
    compact = text.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    digits = "".join(str(int(char, 36)) for char in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _span_texts(record):
    return [(record.text[start:end], kind) for start, end, kind in record.spans]


# Templates and pools.

def test_there_are_enough_distinct_templates_of_every_text_kind():
    templates = [template for table in TEMPLATES.values() for template in table]
    assert len(templates) >= 120
    assert len(set(templates)) == len(templates)
    assert set(TEXT_KINDS) == {"transaction", "reference", "header", "notice", "email"}
    assert all(len(TEMPLATES[kind]) >= 20 for kind in TEXT_KINDS)
    # Entity-free templates exist in every kind, so "no entity" is no clue to the kind.
    free_kinds = {template.split("/")[0] for template in TABLE.template_ids(NO_ENTITY)}
    assert free_kinds == set(TEXT_KINDS)


def test_every_pool_has_an_entity_type():
    assert set(POOLS) == set(POOL_TYPES)


def test_person_names_are_words_of_no_other_value():
    # The held-out check below looks for people by name, so names must be their own words.
    other_words = {word.casefold() for pool, values in POOLS.items() if pool != "person"
                   for value in values for word in re.split(r"[\s&-]+", value)}
    other_words |= {word for phrases in GENERIC_ORGS.values() for phrase in phrases
                    for word in phrase.split()}
    names = [word.casefold() for value in POOLS["person"] for word in value.split()[1:]]
    assert len(names) == len(set(names))
    assert not set(names) & other_words


def test_held_out_values_are_never_written_into_seen_templates_or_noise():
    texts = [TABLE.template_text(template) for group in GROUPS
             for template in TABLE.templates_in_scope(group, "seen")]
    texts += list(GREETINGS) + [signoff for table in SIGNOFFS.values() for signoff in table]
    for pool in POOLS:
        for value in held_out_values(pool):
            pattern = rf"(?<!\w){re.escape(value)}(?!\w)"
            assert not [text for text in texts if re.search(pattern, text, re.IGNORECASE)], value


# The splits.

def test_held_out_names_are_never_written_in_train(records):
    # No held-out organisation, and no held-out person's first name or surname, is written
    # anywhere in train (in any case).
    surfaces = [value for pool, kind in POOL_TYPES.items() if kind == "ORG"
                for value in held_out_values(pool)]
    surfaces += [name for value in held_out_values("person") for name in value.split()[1:]]
    train_text = "\n".join(record.text for record in records["train"]).casefold()
    for surface in surfaces:
        assert not re.search(rf"(?<!\w){re.escape(surface.casefold())}(?!\w)", train_text), surface


# The spans.

def test_spans_never_start_or_end_with_punctuation(records):
    for record in all_records(records):
        for start, end, _ in record.spans:
            entity = record.text[start:end]
            assert entity[0] not in _EDGE_PUNCTUATION and entity[-1] not in _EDGE_PUNCTUATION


def test_every_iban_span_passes_mod_97(records):
    ibans = [text for record in all_records(records) for text, kind in _span_texts(record)
             if kind == "IBAN"]
    assert len(ibans) >= 200
    assert all(_iban_passes_mod_97(iban) for iban in ibans), ibans
    # Both the paper form ("GB29 NWBK ...") and the compact form occur.
    assert any(" " in iban for iban in ibans) and any(" " not in iban for iban in ibans)


def test_every_unmasked_card_span_passes_luhn(records):
    cards = [text for record in all_records(records) for text, kind in _span_texts(record)
             if kind == "CARD"]
    full = [card for card in cards if not _MASK.search(card) and len(card) > 4]
    masked = [card for card in cards if _MASK.search(card)]
    assert len(full) >= 40 and len(masked) >= 150
    for card in full:
        digits = re.sub(r"[ -]", "", card)
        assert digits.isdigit() and 13 <= len(digits) <= 19, card
        assert passes_luhn(digits), card
    # A masked card keeps its last four digits; a bare "1234" follows "card ending".
    assert all(re.search(r"\d{4}$", card) for card in cards)


def test_hard_negatives_and_look_alikes_are_never_entities(records):
    for record in all_records(records):
        entities = {text for text, _ in _span_texts(record)}
        for start, end, _ in record.hard_negatives:
            assert record.text[start:end] not in entities, record
        for text, _ in _span_texts(record):
            assert "%" not in text and not _TIME.fullmatch(text), record
    generic = {phrase for phrases in GENERIC_ORGS.values() for phrase in phrases}
    spans = {text.casefold() for record in all_records(records) for text, _ in
             _span_texts(record)}
    assert not spans & generic


def test_look_alike_numbers_fail_their_checks(records):
    found = Counter()
    for record in all_records(records):
        for start, end, kind in record.hard_negatives:
            value = record.text[start:end]
            found[kind] += 1
            if kind in ("bad_iban", "creditor_id"):
                assert not _iban_passes_mod_97(value), value
            if kind == "bad_card":
                assert not passes_luhn(re.sub(r"[ -]", "", value)), value
            if kind in ("reference", "digits", "arn", "order"):
                digits = re.sub(r"\D", "", value)
                assert not (13 <= len(digits) <= 19 and passes_luhn(digits)) or kind == "order"
    assert found["bad_iban"] >= 20 and found["bad_card"] >= 20 and found["creditor_id"] >= 10


def test_hard_negatives_occur_in_train_and_test(records):
    train = Counter(kind for record in records["train"] for *_, kind in record.hard_negatives)
    test = Counter(kind for record in both_test_halves(records)
                   for *_, kind in record.hard_negatives)
    assert set(train) == HARD_NEGATIVE_KINDS, set(HARD_NEGATIVE_KINDS) - set(train)
    for kind in ("reference", "order", "phone", "postcode", "time", "percent", "bad_iban",
                 "bad_card", "generic_org", "sort_code", "bic"):
        assert train[kind] >= 20 and test[kind] >= 3, (kind, train[kind], test[kind])


# Balance.

@pytest.mark.parametrize("split", ["train", "test"])
def test_every_type_is_well_represented(records, split):
    rows = records["train"] if split == "train" else both_test_halves(records)
    spans = Counter(kind for record in rows for *_, kind in record.spans)
    rows_with = Counter(kind for record in rows for kind in {kind for *_, kind in record.spans})
    assert set(spans) == set(ENTITY_TYPES)
    assert all(spans[kind] >= 0.1 * len(rows) for kind in ENTITY_TYPES), spans
    assert all(rows_with[kind] >= 0.08 * len(rows) for kind in ENTITY_TYPES), rows_with
    assert max(spans.values()) <= 0.35 * sum(spans.values()), spans
