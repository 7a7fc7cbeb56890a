"""Tests for the earnings-sentiment labels, templates, slot pools and synthetic starter data."""

import random
import re
import string
from collections import Counter

import pytest

from tasks_finance.earnings_sentiment.labels import SENTIMENT_DESCRIPTIONS, SENTIMENTS
from tasks_finance.earnings_sentiment.slots import (
    POOLS,
    SLOT_FILLERS,
    SlotPicker,
    held_out_values,
    values_in_scope,
)
from tasks_finance.earnings_sentiment.starter_data import (
    HELD_OUT_TEMPLATE_FRACTION,
    TEMPLATES,
    generate_examples,
    generate_records,
    held_out_templates,
    message_key,
    starter_records,
    starter_splits,
    template_for,
    template_ids,
    templates_in_scope,
)
from tasks_finance.earnings_sentiment.template import (
    DIRECTION,
    FINANCE_WORDS,
    MIXED_CLAUSES,
    NEGATION_HEDGE,
    NUMBERS_ONLY,
    REGISTERS,
)

HARD_CASES = {
    "positive": {NEGATION_HEDGE, DIRECTION, MIXED_CLAUSES, NUMBERS_ONLY},
    "negative": {NEGATION_HEDGE, DIRECTION, MIXED_CLAUSES, NUMBERS_ONLY},
    "neutral": {FINANCE_WORDS, NUMBERS_ONLY},
}
TEST_HALVES = ("test_seen_slot_values", "test_unseen_slot_values")


@pytest.fixture(scope="module")
def records():
    return starter_records()


@pytest.fixture(scope="module")
def splits():
    return starter_splits()


def _all_templates():
    return [template for templates in TEMPLATES.values() for template in templates]


def _test_records(records):
    return records["test_seen_slot_values"] + records["test_unseen_slot_values"]


def test_labels_are_the_fixed_three_in_order():
    assert SENTIMENTS == ("positive", "negative", "neutral")
    assert set(SENTIMENT_DESCRIPTIONS) == set(SENTIMENTS)
    assert tuple(TEMPLATES) == SENTIMENTS


def test_every_label_has_at_least_forty_distinct_templates():
    texts = [template.text for template in _all_templates()]
    assert len(texts) == len(set(texts))
    assert all(len(templates) >= 40 for templates in TEMPLATES.values())


def test_templates_only_use_known_slots_and_well_formed_alternatives():
    for template in _all_templates():
        without_alternatives = re.sub(r"\[[^\[\]]*\]", "", template.text)
        assert "[" not in without_alternatives and "]" not in without_alternatives, template
        for _, slot, _, _ in string.Formatter().parse(template.text.replace("|", " ")):
            if slot:
                assert slot.rstrip(string.digits) in SLOT_FILLERS, (slot, template.text)


def test_every_label_spans_the_registers_and_its_hard_cases():
    for label, templates in TEMPLATES.items():
        registers = Counter(template.register for template in templates)
        assert all(registers[register] >= 5 for register in
                   ("remarks", "answer", "question", "news", "filing")), (label, registers)
        assert set(registers) <= set(REGISTERS)
        hard = Counter(template.hard for template in templates if template.hard)
        assert set(hard) == HARD_CASES[label]
        assert all(count >= 5 for count in hard.values()), (label, hard)


def test_twins_pair_a_positive_and_a_negative_template_of_one_kind():
    twins: dict[str, list] = {}
    for label, templates in TEMPLATES.items():
        for template in templates:
            if template.twin:
                twins.setdefault(template.twin, []).append((label, template))
    assert len(twins) >= 20
    for name, pair in twins.items():
        assert sorted(label for label, _ in pair) == ["negative", "positive"], name
        (_, first), (_, second) = pair
        assert (first.register, first.hard) == (second.register, second.hard), name


def test_bare_figure_twins_only_swap_the_higher_and_lower_figure():
    """A beat and a miss read the same but for which figure is higher: "{eps_hi} vs. {eps_lo}"."""
    positive = {template.twin: template.text for template in TEMPLATES["positive"]
                if template.twin and template.hard == NUMBERS_ONLY}
    negative = {template.twin: template.text for template in TEMPLATES["negative"]
                if template.twin and template.hard == NUMBERS_ONLY}
    assert len(positive) >= 5 and set(positive) == set(negative)
    for twin, text in positive.items():
        swapped = text.replace("_hi}", "_x}").replace("_lo}", "_hi}").replace("_x}", "_lo}")
        assert swapped == negative[twin], twin


@pytest.mark.parametrize("kind", ["money", "eps", "pct", "rate", "turns"])
def test_paired_figures_are_always_higher_then_lower(kind):
    for seed in range(300):
        picker = SlotPicker(random.Random(seed), "all")
        higher = SLOT_FILLERS[f"{kind}_hi"](picker)
        lower = SLOT_FILLERS[f"{kind}_lo"](picker)
        assert _number(higher) > _number(lower), (higher, lower)
        assert re.sub(r"[\d.]", "", higher) == re.sub(r"[\d.]", "", lower)  # same unit


def _number(figure: str) -> float:
    return float(re.search(r"\d+(?:\.\d+)?", figure).group())


def test_about_a_quarter_of_each_labels_templates_is_held_out():
    for label in SENTIMENTS:
        held_out, seen = set(held_out_templates(label)), set(templates_in_scope(label, "seen"))
        assert len(held_out) >= 8
        assert 0.2 <= len(held_out) / len(TEMPLATES[label]) <= 0.3
        assert not held_out & seen
        assert held_out | seen == set(template_ids(label))


def test_every_hard_case_is_partly_held_out_and_partly_trained_on():
    for label in SENTIMENTS:
        held_out = Counter(template_for(template_id).hard or "plain"
                           for template_id in held_out_templates(label))
        seen = Counter(template_for(template_id).hard or "plain"
                       for template_id in templates_in_scope(label, "seen"))
        assert set(held_out) == set(seen) == HARD_CASES[label] | {"plain"}, label
        share = held_out["plain"] / (held_out["plain"] + seen["plain"])
        assert abs(share - HELD_OUT_TEMPLATE_FRACTION) <= 0.05, label


def test_twins_are_held_out_together():
    held_out = {template_for(template_id).twin for label in SENTIMENTS
                for template_id in held_out_templates(label)}
    seen = {template_for(template_id).twin for label in SENTIMENTS
            for template_id in templates_in_scope(label, "seen")}
    assert not (held_out & seen) - {None}


def test_about_a_fifth_of_each_slot_pool_is_held_out():
    for pool in ("company", "segment", "region", "metric", "margin", "cost"):
        assert pool in POOLS
    for pool, values in POOLS.items():
        assert len(values) == len(set(values)), pool
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
    other = starter_splits(seed=42)
    assert other["train"] != splits["train"]
    assert other["test"] != splits["test"]


def test_split_sizes_and_slices(splits):
    assert len(splits["train"]) == 2400
    assert 0.95 * 600 <= len(splits["test"]) <= 600
    # Two ways to cut the same test set: by slot values and by hard case.
    for first, second in (TEST_HALVES, ("test_plain", "test_hard")):
        assert sorted(splits[first] + splits[second]) == sorted(splits["test"])
    assert all(len(splits[name]) >= 0.3 * len(splits["test"])
               for name in ("test_plain", "test_hard") + TEST_HALVES)


@pytest.mark.parametrize(("split", "expected"), [("train", 800), ("test", 200)])
def test_every_label_appears_in_each_split_with_balance(splits, split, expected):
    counts = Counter(label for _, label in splits[split])
    assert set(counts) == set(SENTIMENTS)
    assert all(0.95 * expected <= count <= expected for count in counts.values()), counts


def test_no_test_sentence_is_in_train(splits):
    train_texts = {text for text, _ in splits["train"]}
    train_keys = {message_key(text) for text in train_texts}
    assert not any(text in train_texts for text, _ in splits["test"])
    # Preprocessing collapses whitespace and the tokenizer is uncased: compare as the model sees.
    assert not any(message_key(text) in train_keys for text, _ in splits["test"])


def test_no_sentence_carries_two_labels(splits):
    labels_by_key = {}
    for text, label in splits["train"] + splits["test"]:
        assert labels_by_key.setdefault(message_key(text), label) == label, text


def test_splits_are_the_records_they_are_built_from(records, splits):
    assert splits["train"] == [(record.text, record.label) for record in records["train"]]
    for name in TEST_HALVES:
        assert splits[name] == [(record.text, record.label) for record in records[name]]


def test_held_out_templates_never_generate_train_rows(records):
    held_out = {template for label in SENTIMENTS for template in held_out_templates(label)}
    assert not {record.template_id for record in records["train"]} & held_out
    test_templates = {record.template_id for record in _test_records(records)}
    # Every held-out template is used, so the test split is not a few templates only.
    assert test_templates == held_out


def test_held_out_slot_values_never_reach_train(records):
    held_out = {f"{pool}:{value}" for pool in POOLS for value in held_out_values(pool)}
    assert not {value for record in records["train"] for value in record.values} & held_out
    assert not {value for record in records["test_seen_slot_values"]
                for value in record.values} & held_out
    for record in records["test_unseen_slot_values"]:
        assert record.values and set(record.values) <= held_out, record


def test_held_out_company_names_do_not_appear_in_train_text(splits):
    train_text = " ".join(text for text, _ in splits["train"]).casefold()
    assert not [name for name in held_out_values("company") if name.casefold() in train_text]


def test_hard_slice_holds_every_hard_case_of_every_label(records, splits):
    test_records = _test_records(records)
    for label in SENTIMENTS:
        kinds = {record.hard for record in test_records if record.label == label and record.hard}
        assert kinds == HARD_CASES[label], label
    hard_texts = {text for text, _ in splits["test_hard"]}
    for record in test_records:
        assert (record.text in hard_texts) == (record.hard is not None)
    for name in ("test_plain", "test_hard"):
        counts = Counter(label for _, label in splits[name])
        assert set(counts) == set(SENTIMENTS) and min(counts.values()) >= 50, (name, counts)


def test_record_label_matches_its_template(records):
    for record in records["train"] + _test_records(records):
        assert record.template_id.split("/")[0] == record.label
        assert record.hard == template_for(record.template_id).hard


def test_noise_is_only_on_spoken_lines_and_no_clue_to_the_label(records):
    train = records["train"]
    kinds = Counter(kind for record in train for kind in record.noise)
    assert set(kinds) == {"opening", "fillers", "repeated_word", "no_commas",
                          "no_final_punctuation", "lowercase"}
    for record in train:
        if record.noise:
            assert template_for(record.template_id).register in {"answer", "question"}
        if "lowercase" in record.noise:
            assert record.text == record.text.lower()
        if "no_commas" in record.noise:
            assert "," not in record.text
    shares = [sum(1 for record in train if record.label == label and record.noise) / 800
              for label in SENTIMENTS]
    assert min(shares) >= 0.15 and max(shares) - min(shares) <= 0.1, shares


def test_clean_sentences_are_well_formed(records):
    for record in records["train"] + _test_records(records):
        assert "  " not in record.text and record.text == record.text.strip(), record.text
        assert "{" not in record.text and "[" not in record.text, record.text
        if not record.noise:
            assert record.text[0].isupper() or record.text[0].isdigit(), record.text


def test_generated_sentences_are_varied(records):
    texts = [record.text for record in records["train"]]
    assert len({message_key(text) for text in texts}) == len(texts)
    lengths = sorted(len(text) for text in texts)
    assert lengths[len(lengths) // 10] < 70 and lengths[-1] > 150


def test_generator_is_deterministic_per_seed():
    assert generate_examples(240, seed=5) == generate_examples(240, seed=5)
    assert generate_examples(240, seed=5) != generate_examples(240, seed=6)


def test_generator_never_returns_an_excluded_sentence():
    first = {message_key(record.text) for record in generate_records(120, seed=3)}
    # The same seed would draw the same sentences again; the exclusion must draw others.
    again = generate_records(120, seed=3, exclude=frozenset(first))
    assert again and not {message_key(record.text) for record in again} & first
