"""Tests for the patient-intent labels, templates, slot pools and synthetic starter data."""

import re
import string
from collections import Counter

import pytest

from tasks_health.patient_intent.labels import INTENT_DESCRIPTIONS, INTENTS
from tasks_health.patient_intent.noise import ABBREVIATED_FORMS, OPENINGS, SIGNOFFS
from tasks_health.patient_intent.pools import POOL_KINDS, POOLS
from tasks_health.patient_intent.slots import (
    SLOT_FILLERS,
    SLOT_KINDS,
    held_out_values,
    values_in_scope,
)
from tasks_health.patient_intent.starter_data import (
    TEMPLATES,
    generate_examples,
    generate_records,
    held_out_templates,
    message_key,
    starter_records,
    starter_splits,
    template_ids,
    template_text,
    templates_in_scope,
)

# Words a triage nurse reads as a red flag on their own: no routine template may use them.
RED_FLAGS = (
    r"chest pain|pain in my chest|crushing|can'?t breathe|struggling to breathe|short of breath|"
    r"stroke|drooping|lopsided|slurred|floppy|isn't responding|unresponsive|collapsed|"
    r"passed out|pass out|seizure|won't stop bleeding|bleeding heavily|coughing up blood|"
    r"alive anymore|end it|self harm|overdose|epipen|(?:doesn|don)'?t fade|worst headache|"
    r"loss of vision|mottled|blistering"
)
# With the above, what makes each emergency template one (swelling throat, a feverish baby...).
EMERGENCY_SIGNS = RED_FLAGS + (
    r"|throat (feels tight|has swollen)|confused|swallowed|tablets|whole packet|temperature of|"
    r"sugar is really low|breathing strangely|isn't breathing|hard to breathe|face is swelling|"
    r"can't finish a sentence|can't lift|unable to speak|words are coming out wrong|won't wake|"
    r"can't wake|not responding|not making sense|large burns|worst pain|can't see|had a fit|"
    r"newborn|won't stop|breathing really fast|bleeding"
)


@pytest.fixture(scope="module")
def records():
    return starter_records()


@pytest.fixture(scope="module")
def splits():
    return starter_splits()


def _all_templates():
    return [template for templates in TEMPLATES.values() for template in templates]


def test_intents_are_the_fixed_ten_in_order():
    expected = (
        "book_appointment reschedule_appointment cancel_appointment prescription_refill "
        "test_results billing opening_hours symptom_report emergency other"
    )
    assert tuple(expected.split()) == INTENTS
    assert set(INTENT_DESCRIPTIONS) == set(INTENTS)
    assert tuple(TEMPLATES) == INTENTS


def test_every_intent_has_at_least_twenty_five_distinct_templates():
    assert len(_all_templates()) == len(set(_all_templates()))
    assert all(len(templates) >= 25 for templates in TEMPLATES.values())


def test_no_two_intents_share_a_wording():
    # Noise drops punctuation and changes case, so "ok thanks!" and "OK thanks" are one message.
    intents_by_wording = {}
    for intent, templates in TEMPLATES.items():
        for template in templates:
            wording = message_key(re.sub(r"[^\w\s{}\[\]|]", "", template))
            assert intents_by_wording.setdefault(wording, intent) == intent, template


def test_templates_only_use_known_slots_and_well_formed_alternatives():
    for template in _all_templates() + list(SIGNOFFS):
        without_alternatives = re.sub(r"\[[^\[\]]*\]", "", template)
        assert "[" not in without_alternatives and "]" not in without_alternatives, template
        for _, slot, _, _ in string.Formatter().parse(template.replace("|", " ")):
            if slot:
                assert slot.rstrip(string.digits) in SLOT_FILLERS, (slot, template)


def test_red_flag_words_appear_only_in_emergency_templates():
    for intent, templates in TEMPLATES.items():
        for template in templates:
            found = re.search(rf"\b(?:{RED_FLAGS})\b", template, re.IGNORECASE)
            if intent == "emergency":
                assert re.search(rf"\b(?:{EMERGENCY_SIGNS})\b", template, re.IGNORECASE), template
            else:
                assert found is None, (intent, template)


def test_about_a_quarter_of_each_intents_templates_is_held_out():
    for intent in INTENTS:
        held_out, seen = set(held_out_templates(intent)), set(templates_in_scope(intent, "seen"))
        assert len(held_out) >= 6
        assert 0.2 <= len(held_out) / len(TEMPLATES[intent]) <= 0.3
        assert not held_out & seen
        assert held_out | seen == set(template_ids(intent))


def test_about_a_fifth_of_each_slot_pool_is_held_out():
    for pool, values in POOLS.items():
        held_out, seen = set(held_out_values(pool)), set(values_in_scope(pool, "seen"))
        assert held_out and seen and not held_out & seen
        assert held_out | seen == set(values)
        assert 0.1 <= len(held_out) / len(values) <= 0.3, pool


def test_held_out_values_are_never_written_into_seen_templates_or_noise():
    texts = [template_text(template) for intent in INTENTS
             for template in templates_in_scope(intent, "seen")] + list(OPENINGS) + list(SIGNOFFS)
    for pool in POOLS:
        for value in held_out_values(pool):
            pattern = rf"(?<!\w){re.escape(value)}(?!\w)"
            assert not [text for text in texts if re.search(pattern, text, re.IGNORECASE)], value


def test_unknown_scopes_are_rejected():
    with pytest.raises(ValueError):
        generate_examples(10, seed=1, templates="everything")
    with pytest.raises(ValueError):
        generate_examples(10, seed=1, values="everything")


def test_starter_splits_are_deterministic_per_seed(splits):
    assert starter_splits() == splits
    other = starter_splits(seed=38)
    assert other["train"] != splits["train"]
    assert other["test"] != splits["test"]


def test_split_sizes_and_slices(splits):
    assert len(splits["train"]) == 2400
    assert len(splits["test"]) == 600
    assert len(splits["test_seen_slot_values"]) == len(splits["test_unseen_slot_values"]) == 300
    slices = splits["test_seen_slot_values"] + splits["test_unseen_slot_values"]
    assert sorted(slices) == sorted(splits["test"])


@pytest.mark.parametrize(("split", "expected"), [
    ("train", 240), ("test", 60), ("test_seen_slot_values", 30), ("test_unseen_slot_values", 30),
])
def test_every_intent_appears_in_each_split_with_balance(splits, split, expected):
    counts = Counter(intent for _, intent in splits[split])
    assert set(counts) == set(INTENTS)
    assert all(count == expected for count in counts.values()), counts


def test_no_test_message_is_in_train(splits):
    train_texts = {text for text, _ in splits["train"]}
    train_keys = {message_key(text) for text in train_texts}
    assert not any(text in train_texts for text, _ in splits["test"])
    # The tokenizer is uncased and preprocessing collapses whitespace: compare as the model sees.
    assert not any(message_key(text) in train_keys for text, _ in splits["test"])


def test_splits_are_the_records_they_are_built_from(records, splits):
    for name in ("train", "test_seen_slot_values", "test_unseen_slot_values"):
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
    # The same, read from the slots as they stand in the text (noise may change their case).
    held_out_surfaces = {(POOL_KINDS.get(pool, pool), value.casefold())
                         for pool in POOLS for value in held_out_values(pool)}
    assert not {(slot.kind, slot.value.casefold()) for record in records["train"]
                for slot in record.slots} & held_out_surfaces


def test_slot_spans_point_at_their_values(records):
    for record in (record for rows in records.values() for record in rows):
        ends = [0]
        for slot in record.slots:
            assert slot.kind in SLOT_KINDS
            assert slot.value and record.text[slot.start:slot.end] == slot.value, record
            assert slot.start >= ends[-1], record  # in text order, never overlapping
            ends.append(slot.end)


def test_slots_are_the_pool_values_the_record_used(records):
    # Dates come from the "day" pool or are drawn fresh; every other pool has a slot type of its
    # own, so its slots in the text are exactly the values the record says it used.
    pool_only_kinds = set(POOLS) - set(POOL_KINDS)
    for record in (record for rows in records.values() for record in rows):
        used = Counter((POOL_KINDS.get(pool, pool), value.casefold())
                       for pool, value in (entry.split(":", 1) for entry in record.values))
        # Noise may change a value's case in the text, never its letters.
        in_text = Counter((slot.kind, slot.value.casefold()) for slot in record.slots)
        assert not used - in_text, record
        named_in_text = {key: n for key, n in in_text.items() if key[0] in pool_only_kinds}
        named_used = {key: n for key, n in used.items() if key[0] in pool_only_kinds}
        assert named_in_text == named_used, record


def test_every_slot_kind_occurs_in_train(records):
    kinds = Counter(slot.kind for record in records["train"] for slot in record.slots)
    assert set(kinds) == SLOT_KINDS
    assert all(count >= 10 for count in kinds.values()), kinds


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
        if "abbreviations" in record.noise and not {"typos", "no_apostrophes"} & set(record.noise):
            assert any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", record.text.lower())
                       for form in ABBREVIATED_FORMS), record.text


@pytest.mark.parametrize("kind", ["lowercase", "typos", "signoff"])
def test_noise_rates_do_not_depend_on_the_intent(records, kind):
    train = records["train"]
    overall = sum(kind in record.noise for record in train) / len(train)
    for intent in INTENTS:
        rows = [record for record in train if record.intent == intent]
        rate = sum(kind in record.noise for record in rows) / len(rows)
        assert abs(rate - overall) < 0.1, (intent, rate, overall)


def test_generated_messages_are_varied(records):
    texts = [record.text for record in records["train"]]
    assert len({message_key(text) for text in texts}) == len(texts)
    # Short chat lines and long multi-sentence messages with context both occur.
    lengths = sorted(len(text) for text in texts)
    assert lengths[len(lengths) // 10] < 60
    assert lengths[-len(lengths) // 10] > 130 and lengths[-1] > 280
    assert lengths[-1] <= 1000  # the spec's max_input_chars


def test_generator_is_deterministic_per_seed():
    assert generate_records(200, seed=5) == generate_records(200, seed=5)
    assert generate_examples(200, seed=5) != generate_examples(200, seed=6)


def test_generator_never_returns_an_excluded_message():
    first = {message_key(record.text) for record in generate_records(100, seed=3)}
    # The same seed would draw the same messages again; the exclusion must draw others.
    again = generate_records(100, seed=3, exclude=frozenset(first))
    assert again and not {message_key(record.text) for record in again} & first
