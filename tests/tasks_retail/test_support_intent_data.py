"""Tests for the support-intent labels, templates, slot pools and synthetic starter data."""

import re
import string
from collections import Counter

import pytest

from tasks_retail.support_intent.labels import INTENT_DESCRIPTIONS, INTENTS
from tasks_retail.support_intent.noise import ABBREVIATED_FORMS
from tasks_retail.support_intent.slots import (
    POOLS,
    SLOT_FILLERS,
    held_out_values,
    values_in_scope,
)
from tasks_retail.support_intent.starter_data import (
    TEMPLATES,
    generate_examples,
    generate_records,
    held_out_templates,
    message_key,
    starter_records,
    starter_splits,
    template_ids,
    templates_in_scope,
)


@pytest.fixture(scope="module")
def records():
    return starter_records()


@pytest.fixture(scope="module")
def splits():
    return starter_splits()


def test_intents_are_the_fixed_twelve_in_order():
    expected = (
        "order_status return refund delivery_problem cancel_order change_address payment_issue "
        "product_question complaint account talk_to_human other"
    )
    assert tuple(expected.split()) == INTENTS
    assert set(INTENT_DESCRIPTIONS) == set(INTENTS)
    assert tuple(TEMPLATES) == INTENTS


def test_every_intent_has_at_least_sixteen_distinct_templates():
    all_templates = [template for templates in TEMPLATES.values() for template in templates]
    assert len(all_templates) == len(set(all_templates))
    assert all(len(templates) >= 16 for templates in TEMPLATES.values())


def test_templates_only_use_known_slots_and_well_formed_alternatives():
    for template in (template for templates in TEMPLATES.values() for template in templates):
        without_alternatives = re.sub(r"\[[^\[\]]*\]", "", template)
        assert "[" not in without_alternatives and "]" not in without_alternatives, template
        for _, slot, _, _ in string.Formatter().parse(template.replace("|", " ")):
            if slot:
                assert slot.rstrip(string.digits) in SLOT_FILLERS, (slot, template)


def test_about_a_quarter_of_each_intents_templates_is_held_out():
    for intent in INTENTS:
        held_out, seen = set(held_out_templates(intent)), set(templates_in_scope(intent, "seen"))
        assert len(held_out) >= 4
        assert 0.2 <= len(held_out) / len(TEMPLATES[intent]) <= 0.3
        assert not held_out & seen
        assert held_out | seen == set(template_ids(intent))


def test_about_a_fifth_of_each_slot_pool_is_held_out():
    for pool, values in POOLS.items():
        held_out, seen = set(held_out_values(pool)), set(values_in_scope(pool, "seen"))
        assert held_out and seen and not held_out & seen
        assert held_out | seen == set(values)
        assert 0.1 <= len(held_out) / len(values) <= 0.3, pool


def test_unknown_scopes_are_rejected():
    with pytest.raises(ValueError):
        generate_examples(12, seed=1, templates="everything")
    with pytest.raises(ValueError):
        generate_examples(12, seed=1, values="everything")


def test_starter_splits_are_deterministic_per_seed(splits):
    assert starter_splits() == splits
    other = starter_splits(seed=30)
    assert other["train"] != splits["train"]
    assert other["test"] != splits["test"]


def test_split_sizes_and_slices(splits):
    assert len(splits["train"]) == 2400
    assert 0.95 * 600 <= len(splits["test"]) <= 600
    slices = splits["test_seen_slot_values"] + splits["test_unseen_slot_values"]
    assert sorted(slices) == sorted(splits["test"])


@pytest.mark.parametrize(("split", "expected"), [("train", 200), ("test", 50)])
def test_every_intent_appears_in_each_split_with_balance(splits, split, expected):
    counts = Counter(intent for _, intent in splits[split])
    assert set(counts) == set(INTENTS)
    assert all(0.9 * expected <= count <= expected for count in counts.values()), counts


def test_no_test_message_is_in_train(splits):
    train_texts = {text for text, _ in splits["train"]}
    train_keys = {message_key(text) for text in train_texts}
    assert not any(text in train_texts for text, _ in splits["test"])
    # The tokenizer is uncased and preprocessing collapses whitespace: compare as the model sees.
    assert not any(message_key(text) in train_keys for text, _ in splits["test"])


def test_no_message_carries_two_intents(splits):
    intents_by_key = {}
    for text, intent in splits["train"] + splits["test"]:
        assert intents_by_key.setdefault(message_key(text), intent) == intent, text


def test_splits_are_the_records_they_are_built_from(records, splits):
    assert splits["train"] == [(record.text, record.intent) for record in records["train"]]
    for name in ("test_seen_slot_values", "test_unseen_slot_values"):
        assert splits[name] == [(record.text, record.intent) for record in records[name]]


def test_held_out_templates_never_generate_train_rows(records):
    held_out = {template for intent in INTENTS for template in held_out_templates(intent)}
    assert not {record.template_id for record in records["train"]} & held_out
    test_records = records["test_seen_slot_values"] + records["test_unseen_slot_values"]
    assert {record.template_id for record in test_records} <= held_out
    # Every held-out template is actually used, so the test split is not a few templates only.
    assert {record.template_id for record in test_records} == held_out


def test_held_out_slot_values_never_reach_train(records):
    held_out = {f"{pool}:{value}" for pool in POOLS for value in held_out_values(pool)}
    assert not {value for record in records["train"] for value in record.values} & held_out
    assert not {value for record in records["test_seen_slot_values"]
                for value in record.values} & held_out
    unseen = [value for record in records["test_unseen_slot_values"] for value in record.values]
    assert unseen and set(unseen) <= held_out


def test_record_intent_matches_its_template(records):
    for record in records["train"]:
        assert record.template_id.split("/")[0] == record.intent


def test_noise_variants_occur_and_do_what_they_say(records):
    train = records["train"]
    kinds = Counter(kind for record in train for kind in record.noise)
    expected_kinds = {"greeting", "signoff", "abbreviations", "no_apostrophes", "typos",
                      "no_final_punctuation", "repeated_punctuation", "lowercase", "uppercase",
                      "extra_spaces"}
    assert set(kinds) == expected_kinds
    assert all(count >= 0.01 * len(train) for count in kinds.values()), kinds
    assert sum(1 for record in train if record.noise) >= 0.6 * len(train)
    for record in train:
        if "lowercase" in record.noise:
            assert record.text == record.text.lower()
        if "uppercase" in record.noise:
            assert record.text == record.text.upper()
        if "no_apostrophes" in record.noise:
            assert "'" not in record.text
        # A typo or a dropped apostrophe ("some1's" -> "some1s") may change the short form.
        if "abbreviations" in record.noise and not {"typos", "no_apostrophes"} & set(record.noise):
            assert any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", record.text.lower())
                       for form in ABBREVIATED_FORMS), record.text


def test_generated_messages_are_varied(records):
    texts = [record.text for record in records["train"]]
    assert len({message_key(text) for text in texts}) == len(texts)
    # Short chat lines and long multi-sentence messages with context both occur.
    lengths = sorted(len(text) for text in texts)
    assert lengths[len(lengths) // 10] < 40
    assert lengths[-len(lengths) // 10] > 100 and lengths[-1] > 250


def test_generator_is_deterministic_per_seed():
    assert generate_examples(240, seed=5) == generate_examples(240, seed=5)
    assert generate_examples(240, seed=5) != generate_examples(240, seed=6)


def test_generator_never_returns_an_excluded_message():
    first = {message_key(record.text) for record in generate_records(120, seed=3)}
    # The same seed would draw the same messages again; the exclusion must draw others.
    again = generate_records(120, seed=3, exclude=frozenset(first))
    assert again and not {message_key(record.text) for record in again} & first
