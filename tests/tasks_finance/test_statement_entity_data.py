"""Tests for the statement-entity templates, slots and synthetic starter data.

The IBAN and Luhn checks here are written again on purpose: the data must pass checks that do
not share code with the generator that made it.
"""

import re
import string
from collections import Counter

import pytest

from tasks_finance.statement_entities.ner_noise import GREETINGS, SIGNOFFS
from tasks_finance.statement_entities.ner_pools import GENERIC_ORGS, POOL_TYPES, POOLS
from tasks_finance.statement_entities.ner_slots import (
    ENTITY_TYPES,
    HARD_NEGATIVE_KINDS,
    SLOTS,
    held_out_values,
    values_in_scope,
)
from tasks_finance.statement_entities.starter_data import (
    GROUPS,
    NO_ENTITY,
    TEMPLATES,
    TEXT_KINDS,
    generate_records,
    held_out_templates,
    message_key,
    starter_records,
    starter_splits,
    template_ids,
    template_slots,
    template_text,
    templates_in_scope,
)

# A span never starts or ends with these (a masked "**** 1234" or "£40" is fine).
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'/|-"
_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2})?\s*(am|pm)?", re.IGNORECASE)
_MASK = re.compile(r"[*Xx]")


def _iban_passes_mod_97(text: str) -> bool:
    compact = text.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    digits = "".join(str(int(char, 36)) for char in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _passes_luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@pytest.fixture(scope="module")
def records():
    return starter_records()


@pytest.fixture(scope="module")
def splits():
    return starter_splits()


def _all_records(records):
    return [record for rows in records.values() for record in rows]


def _test_records(records):
    return records["test_seen_slot_values"] + records["test_unseen_slot_values"]


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
    free_kinds = {template.split("/")[0] for template in template_ids(NO_ENTITY)}
    assert free_kinds == set(TEXT_KINDS)


def test_templates_only_use_known_slots_and_well_formed_alternatives():
    signoffs = [signoff for table in SIGNOFFS.values() for signoff in table]
    for template in [t for table in TEMPLATES.values() for t in table] + signoffs:
        without_alternatives = re.sub(r"\[[^\[\]]*\]", "", template)
        assert "[" not in without_alternatives and "]" not in without_alternatives, template
        for slot in template_slots(template):
            assert slot in SLOTS, (slot, template)


def test_about_a_quarter_of_each_groups_templates_is_held_out():
    for group in GROUPS:
        held_out, seen = set(held_out_templates(group)), set(templates_in_scope(group, "seen"))
        assert held_out and not held_out & seen
        assert held_out | seen == set(template_ids(group))
        assert 0.2 <= len(held_out) / len(template_ids(group)) <= 0.3, group


def test_about_a_fifth_of_each_name_pool_is_held_out():
    assert set(POOLS) == set(POOL_TYPES)
    for pool, values in POOLS.items():
        held_out, seen = set(held_out_values(pool)), set(values_in_scope(pool, "seen"))
        assert held_out and seen and not held_out & seen
        assert held_out | seen == set(values)
        assert 0.15 <= len(held_out) / len(values) <= 0.25, pool


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
    texts = [template_text(template) for group in GROUPS
             for template in templates_in_scope(group, "seen")]
    texts += list(GREETINGS) + [signoff for table in SIGNOFFS.values() for signoff in table]
    for pool in POOLS:
        for value in held_out_values(pool):
            pattern = rf"(?<!\w){re.escape(value)}(?!\w)"
            assert not [text for text in texts if re.search(pattern, text, re.IGNORECASE)], value


def test_unknown_scopes_are_rejected():
    with pytest.raises(ValueError):
        generate_records(10, seed=1, templates="everything")
    with pytest.raises(ValueError):
        generate_records(10, seed=1, values="everything")


# The splits.

def test_starter_splits_are_deterministic_per_seed(splits):
    assert starter_splits() == splits
    other = starter_splits(seed=30)
    assert other["train"] != splits["train"]
    assert other["test"] != splits["test"]


def test_split_sizes_and_slices(splits):
    assert len(splits["train"]) == 2000
    assert len(splits["test"]) == 500
    assert len(splits["test_seen_slot_values"]) == len(splits["test_unseen_slot_values"]) == 250
    slices = splits["test_seen_slot_values"] + splits["test_unseen_slot_values"]
    assert sorted(slices) == sorted(splits["test"])


def test_splits_are_the_records_they_are_built_from(records, splits):
    for name in ("train", "test_seen_slot_values", "test_unseen_slot_values"):
        assert splits[name] == [(record.text, list(record.spans)) for record in records[name]]


def test_no_test_text_is_in_train(splits):
    train_texts = {text for text, _ in splits["train"]}
    train_keys = {message_key(text) for text in train_texts}
    assert not any(text in train_texts for text, _ in splits["test"])
    # Compare as an uncased model sees them: case and runs of whitespace do not count.
    assert not any(message_key(text) in train_keys for text, _ in splits["test"])
    assert len({message_key(text) for text, _ in splits["train"]}) == len(splits["train"])


def test_held_out_templates_never_generate_train_rows(records):
    held_out = {template for group in GROUPS for template in held_out_templates(group)}
    assert not {record.template_id for record in records["train"]} & held_out
    # Every held-out template is used, so the test split is not a few templates only.
    assert {record.template_id for record in _test_records(records)} == held_out


def test_held_out_names_never_reach_train(records):
    held_out = {f"{pool}:{value}" for pool in POOLS for value in held_out_values(pool)}
    assert not {value for record in records["train"] for value in record.values} & held_out
    assert not {value for record in records["test_seen_slot_values"]
                for value in record.values} & held_out
    unseen = {value for record in records["test_unseen_slot_values"] for value in record.values}
    assert unseen and unseen <= held_out
    # The same, read from the texts: no held-out organisation, and no held-out person's first
    # name or surname, is written anywhere in train (in any case).
    surfaces = [value for pool, kind in POOL_TYPES.items() if kind == "ORG"
                for value in held_out_values(pool)]
    surfaces += [name for value in held_out_values("person") for name in value.split()[1:]]
    train_text = "\n".join(record.text for record in records["train"]).casefold()
    for surface in surfaces:
        assert not re.search(rf"(?<!\w){re.escape(surface.casefold())}(?!\w)", train_text), surface


# The spans.

def test_spans_point_at_their_entities_sorted_and_apart(records):
    for record in _all_records(records):
        end_before = 0
        for start, end, kind in record.spans:
            entity = record.text[start:end]
            assert kind in ENTITY_TYPES, record
            assert end_before <= start < end <= len(record.text), record
            assert entity == entity.strip(), record
            assert entity[0] not in _EDGE_PUNCTUATION and entity[-1] not in _EDGE_PUNCTUATION
            # A span covers whole words: the tokenizer splits words, not inside them.
            assert not (start and entity[0].isalnum() and record.text[start - 1].isalnum())
            assert not (end < len(record.text) and entity[-1].isalnum()
                        and record.text[end].isalnum()), record
            end_before = end


def test_every_iban_span_passes_mod_97(records):
    ibans = [text for record in _all_records(records) for text, kind in _span_texts(record)
             if kind == "IBAN"]
    assert len(ibans) >= 200
    assert all(_iban_passes_mod_97(iban) for iban in ibans), ibans
    # Both the paper form ("GB29 NWBK ...") and the compact form occur.
    assert any(" " in iban for iban in ibans) and any(" " not in iban for iban in ibans)


def test_every_unmasked_card_span_passes_luhn(records):
    cards = [text for record in _all_records(records) for text, kind in _span_texts(record)
             if kind == "CARD"]
    full = [card for card in cards if not _MASK.search(card) and len(card) > 4]
    masked = [card for card in cards if _MASK.search(card)]
    assert len(full) >= 40 and len(masked) >= 150
    for card in full:
        digits = re.sub(r"[ -]", "", card)
        assert digits.isdigit() and 13 <= len(digits) <= 19, card
        assert _passes_luhn(digits), card
    # A masked card keeps its last four digits; a bare "1234" follows "card ending".
    assert all(re.search(r"\d{4}$", card) for card in cards)


def test_hard_negatives_are_never_spans(records):
    for record in _all_records(records):
        covered = {index for start, end, _ in record.spans for index in range(start, end)}
        entities = {text for text, _ in _span_texts(record)}
        for start, end, kind in record.hard_negatives:
            assert kind in HARD_NEGATIVE_KINDS
            assert not covered & set(range(start, end)), record
            assert record.text[start:end] not in entities, record
        for text, _ in _span_texts(record):
            assert "%" not in text and not _TIME.fullmatch(text), record
    generic = {phrase for phrases in GENERIC_ORGS.values() for phrase in phrases}
    spans = {text.casefold() for record in _all_records(records) for text, _ in
             _span_texts(record)}
    assert not spans & generic


def test_look_alike_numbers_fail_their_checks(records):
    found = Counter()
    for record in _all_records(records):
        for start, end, kind in record.hard_negatives:
            value = record.text[start:end]
            found[kind] += 1
            if kind in ("bad_iban", "creditor_id"):
                assert not _iban_passes_mod_97(value), value
            if kind == "bad_card":
                assert not _passes_luhn(re.sub(r"[ -]", "", value)), value
            if kind in ("reference", "digits", "arn", "order"):
                digits = re.sub(r"\D", "", value)
                assert not (13 <= len(digits) <= 19 and _passes_luhn(digits)) or kind == "order"
    assert found["bad_iban"] >= 20 and found["bad_card"] >= 20 and found["creditor_id"] >= 10


def test_hard_negatives_occur_in_train_and_test(records):
    train = Counter(kind for record in records["train"] for *_, kind in record.hard_negatives)
    test = Counter(kind for record in _test_records(records) for *_, kind in record.hard_negatives)
    assert set(train) == HARD_NEGATIVE_KINDS, set(HARD_NEGATIVE_KINDS) - set(train)
    for kind in ("reference", "order", "phone", "postcode", "time", "percent", "bad_iban",
                 "bad_card", "generic_org", "sort_code", "bic"):
        assert train[kind] >= 20 and test[kind] >= 3, (kind, train[kind], test[kind])


# Balance.

@pytest.mark.parametrize("split", ["train", "test"])
def test_every_type_is_well_represented(records, split):
    rows = records["train"] if split == "train" else _test_records(records)
    spans = Counter(kind for record in rows for *_, kind in record.spans)
    rows_with = Counter(kind for record in rows for kind in {kind for *_, kind in record.spans})
    assert set(spans) == set(ENTITY_TYPES)
    assert all(spans[kind] >= 0.1 * len(rows) for kind in ENTITY_TYPES), spans
    assert all(rows_with[kind] >= 0.08 * len(rows) for kind in ENTITY_TYPES), rows_with
    assert max(spans.values()) <= 0.35 * sum(spans.values()), spans
    no_entity = sum(1 for record in rows if not record.spans)
    assert 0.07 <= no_entity / len(rows) <= 0.13


@pytest.mark.parametrize("split", ["train", "test"])
def test_every_text_kind_occurs(records, split):
    rows = records["train"] if split == "train" else _test_records(records)
    kinds = Counter(record.text_kind for record in rows)
    assert set(kinds) == set(TEXT_KINDS)
    assert all(count >= 0.1 * len(rows) for count in kinds.values()), kinds


def test_templates_without_entity_slots_give_the_entity_free_rows(records):
    entity_free = set(template_ids(NO_ENTITY))
    for record in _all_records(records):
        has_entity_slot = record.template_id not in entity_free
        assert bool(record.spans) == has_entity_slot, record


def test_noise_occurs_without_moving_spans(records):
    train = records["train"]
    kinds = Counter(kind for record in train for kind in record.noise)
    assert {"column_spacing", "uppercase", "lowercase", "typos", "signoff", "greeting",
            "abbreviations"} <= set(kinds)
    assert sum(1 for record in train if record.noise) >= 0.4 * len(train)
    for record in train:
        if "uppercase" in record.noise:
            assert record.text == record.text.upper()


def test_generator_never_returns_an_excluded_text():
    first = {message_key(record.text) for record in generate_records(100, seed=3)}
    again = generate_records(100, seed=3, exclude=frozenset(first))
    assert again and not {message_key(record.text) for record in again} & first
    assert generate_records(60, seed=4) == generate_records(60, seed=4)


def test_slot_names_are_plain_identifiers():
    # "{money2}" is a second amount: a digit suffix may never be part of a slot's own name.
    assert all(name.rstrip(string.digits) == name for name in SLOTS)
