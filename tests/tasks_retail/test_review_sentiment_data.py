"""Tests for the review-sentiment labels, templates, slot pools, overall rule and starter data."""

import re
import string
from collections import Counter

import pytest

from tasks_retail.review_sentiment.compose import (
    Plan,
    overall_polarity,
    plan_labels,
)
from tasks_retail.review_sentiment.labels import (
    ASPECT_LABELS,
    ASPECTS,
    LABEL_DESCRIPTIONS,
    LABELS,
    OVERALL,
    OVERALL_LABELS,
    split_label,
)
from tasks_retail.review_sentiment.noise import ABBREVIATED_FORMS
from tasks_retail.review_sentiment.slots import (
    POOLS,
    SLOT_FILLERS,
    held_out_values,
    values_in_scope,
)
from tasks_retail.review_sentiment.starter_data import (
    TEMPLATES,
    facet,
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
from tasks_retail.review_sentiment.templates_product import PRICE_NEGATIVE, PRICE_POSITIVE
from tasks_retail.review_sentiment.wording import expand

ALL_TEMPLATES = [template for templates in TEMPLATES.values() for template in templates]


@pytest.fixture(scope="module")
def records():
    return starter_records()


@pytest.fixture(scope="module")
def splits():
    return starter_splits()


def test_labels_are_three_overall_then_two_per_aspect():
    assert OVERALL == ("negative", "neutral", "positive")
    assert ASPECTS == ("quality", "delivery", "price", "customer_service", "returns")
    assert LABELS[:3] == ("overall:negative", "overall:neutral", "overall:positive")
    assert LABELS == OVERALL_LABELS + ASPECT_LABELS
    assert len(LABELS) == len(set(LABELS)) == 13
    assert {split_label(label) for label in ASPECT_LABELS} == {
        (aspect, polarity) for aspect in ASPECTS for polarity in ("positive", "negative")
    }
    assert set(LABEL_DESCRIPTIONS) == set(LABELS)


def test_template_groups_are_large_distinct_and_mirrored():
    assert set(TEMPLATES) == set(ASPECT_LABELS) | set(OVERALL_LABELS) | {
        "filler:context", "filler:mention", "filler:closing"}
    assert len(ALL_TEMPLATES) == len(set(ALL_TEMPLATES))
    assert all(len(TEMPLATES[label]) >= 14 for label in ASPECT_LABELS)
    assert all(len(TEMPLATES[label]) >= 20 for label in OVERALL_LABELS)
    # Tables of one facet are written side by side and held out index by index.
    for group in TEMPLATES:
        if not group.startswith("filler:"):
            assert len(TEMPLATES[group]) == len(TEMPLATES[f"{facet(group)}:positive"]), group


def test_templates_only_use_known_slots_and_well_formed_alternatives():
    for template in ALL_TEMPLATES:
        assert "<" not in template and ">" not in template, template  # every marker expanded
        without_alternatives = re.sub(r"\[[^\[\]]*\]", "", template)
        assert "[" not in without_alternatives and "]" not in without_alternatives, template
        assert not template.endswith("."), template  # the composer ends the sentence
        for _, slot, _, _ in string.Formatter().parse(template.replace("|", " ")):
            if slot:
                assert slot.rstrip(string.digits) in SLOT_FILLERS, (slot, template)


def test_wording_markers_expand_to_alternatives():
    assert expand(("Delivery was <slow>",)) == (
        "Delivery was [slow|really slow|painfully slow|far too slow|so slow|very slow|sluggish]",)
    assert expand(("<Fast> delivery",))[0].startswith("[Fast|Quick|Super quick|")


def test_price_concessions_are_labelled_by_their_judgement_of_value():
    assert "Not cheap, but worth [it|every penny]" in PRICE_POSITIVE
    assert "Not cheap, and [definitely|certainly] not worth it" in PRICE_NEGATIVE


@pytest.mark.parametrize(("verdict", "aspects", "expected"), [
    (None, [("quality", "positive"), ("delivery", "negative")], "neutral"),  # contrast
    (None, [("quality", "positive"), ("price", "positive"), ("returns", "negative")],
     "positive"),
    (None, [("delivery", "negative")], "negative"),
    ("positive", [("delivery", "negative")], "positive"),  # "took ages, but I love it"
    ("neutral", [("price", "positive")], "neutral"),  # "great value. Does the job."
    ("negative", [("quality", "positive"), ("price", "negative")], "negative"),
    ("positive", [("delivery", "negative"), ("returns", "negative")], None),
    ("negative", [("delivery", "positive"), ("returns", "positive")], None),
    ("neutral", [("quality", "positive"), ("price", "positive")], None),
    (None, [], None),
])
def test_overall_rule(verdict, aspects, expected):
    assert overall_polarity(verdict, aspects) == expected


def test_about_a_quarter_of_each_group_is_held_out_by_index_across_its_facet():
    for group in TEMPLATES:
        held_out, seen = set(held_out_templates(group)), set(templates_in_scope(group, "seen"))
        assert len(held_out) >= 4
        assert 0.2 <= len(held_out) / len(TEMPLATES[group]) <= 0.3, group
        assert not held_out & seen
        assert held_out | seen == set(template_ids(group))
        if not group.startswith("filler:"):
            twin = f"{facet(group)}:positive"
            assert {t.split("/")[1] for t in held_out} == {
                t.split("/")[1] for t in held_out_templates(twin)}


def test_about_a_fifth_of_each_slot_pool_is_held_out():
    for pool, values in POOLS.items():
        held_out, seen = set(held_out_values(pool)), set(values_in_scope(pool, "seen"))
        assert held_out and seen and not held_out & seen
        assert held_out | seen == set(values)
        assert 0.1 <= len(held_out) / len(values) <= 0.3, pool


def test_unknown_scopes_are_rejected():
    with pytest.raises(ValueError):
        generate_examples(6, seed=1, templates="everything")
    with pytest.raises(ValueError):
        generate_examples(6, seed=1, values="everything")


def test_starter_splits_are_deterministic_per_seed(splits):
    assert starter_splits() == splits
    other = starter_splits(seed=32)
    assert other["train"] != splits["train"]
    assert other["test"] != splits["test"]


def test_split_sizes_and_slices(splits):
    assert len(splits["train"]) == 2400
    assert 0.95 * 600 <= len(splits["test"]) <= 600
    halves = splits["test_seen_slot_values"] + splits["test_unseen_slot_values"]
    assert sorted(halves) == sorted(splits["test"])
    for name in ("test_mixed_aspects", "test_no_aspects"):
        assert len(splits[name]) >= 60, name
        assert all(row in splits["test"] for row in splits[name])
    for _, labels in splits["test_mixed_aspects"]:
        assert {split_label(label)[1] for label in labels[1:]} == {"positive", "negative"}
    assert all(len(labels) == 1 for _, labels in splits["test_no_aspects"])


@pytest.mark.parametrize("split", ["train", "test"])
def test_every_row_has_one_overall_label_and_up_to_three_aspects(splits, split):
    for text, labels in splits[split]:
        assert isinstance(text, str) and isinstance(labels, list)
        assert labels == [label for label in LABELS if label in labels], labels  # ordered, unique
        assert sum(label in OVERALL_LABELS for label in labels) == 1, (text, labels)
        aspects = [split_label(label)[0] for label in labels if label in ASPECT_LABELS]
        assert len(aspects) <= 3 and len(aspects) == len(set(aspects)), (text, labels)


@pytest.mark.parametrize(("split", "rows"), [("train", 2400), ("test", 600)])
def test_every_label_is_well_represented(splits, split, rows):
    counts = Counter(label for _, labels in splits[split] for label in labels)
    assert all(0.95 * rows / 3 <= counts[label] <= rows / 3 for label in OVERALL_LABELS), counts
    # Every aspect label is on at least a tenth of the rows (about an eighth expected).
    assert all(counts[label] >= 0.1 * rows for label in ASPECT_LABELS), counts


def test_no_test_review_is_in_train(splits):
    train_keys = {message_key(text) for text, _ in splits["train"]}
    # The tokenizer is uncased and preprocessing collapses whitespace: compare as the model sees.
    assert not any(message_key(text) in train_keys for text, _ in splits["test"])


def test_labels_follow_the_plan_and_the_overall_rule(records):
    for record in records["train"] + records["test_unseen_slot_values"]:
        assert record.labels == plan_labels(record.plan)
        overall = overall_polarity(record.plan.verdict, record.plan.aspects)
        assert overall is not None and f"overall:{overall}" in record.labels
        assert 1 <= record.sentences <= 6
        # The templates used are the plan's: its verdict and aspect opinions, nothing else.
        opinions = [t.split("/")[0] for t in record.template_ids if not t.startswith("filler:")]
        expected = [f"{aspect}:{polarity}" for aspect, polarity in record.plan.aspects]
        if record.plan.verdict is not None:
            expected.append(f"overall:{record.plan.verdict}")
        assert sorted(opinions) == sorted(expected)


def test_plan_labels_put_overall_first():
    plan = Plan("positive", (("returns", "negative"), ("quality", "positive")))
    assert plan_labels(plan) == ("overall:positive", "quality:positive", "returns:negative")


def test_held_out_templates_never_generate_train_rows(records):
    held_out = {template for group in TEMPLATES for template in held_out_templates(group)}
    assert not {t for record in records["train"] for t in record.template_ids} & held_out
    test_records = records["test_seen_slot_values"] + records["test_unseen_slot_values"]
    used = {t for record in test_records for t in record.template_ids}
    assert used <= held_out
    # Every held-out template is actually used, so the test split is not a few templates only.
    assert used == held_out


def test_held_out_slot_values_never_reach_train(records):
    held_out = {f"{pool}:{value}" for pool in POOLS for value in held_out_values(pool)}
    assert not {value for record in records["train"] for value in record.values} & held_out
    assert not {value for record in records["test_seen_slot_values"]
                for value in record.values} & held_out
    unseen = [value for record in records["test_unseen_slot_values"] for value in record.values]
    assert unseen and set(unseen) <= held_out


def test_hard_cases_occur(records):
    train = records["train"]
    contrast = [r for r in train if re.search(r"\bbut\b|although|though|however", r.text.lower())
                and len({polarity for _, polarity in r.plan.aspects}) == 2]
    assert len(contrast) >= 50
    verdict_against_aspect = [r for r in train if r.plan.verdict == "positive"
                              and ("positive" not in {p for _, p in r.plan.aspects})
                              and r.plan.aspects]
    assert len(verdict_against_aspect) >= 20
    without_verdict = [r for r in train if r.plan.verdict is None]
    assert 0.1 * len(train) <= len(without_verdict) <= 0.3 * len(train)
    mentions = [r for r in train if any(t.startswith("filler:mention") for t in r.template_ids)]
    assert len(mentions) >= 0.1 * len(train)


def test_noise_variants_occur_at_label_independent_rates(records):
    train = records["train"]
    kinds = Counter(kind for record in train for kind in record.noise)
    assert set(kinds) == {"abbreviations", "no_apostrophes", "typos", "exclamations",
                          "no_final_punctuation", "repeated_exclamations", "lowercase",
                          "uppercase", "extra_spaces"}
    assert all(count >= 0.01 * len(train) for count in kinds.values()), kinds
    noisy_share = {
        overall: sum(1 for r in train if r.labels[0] == f"overall:{overall}" and r.noise)
        / sum(1 for r in train if r.labels[0] == f"overall:{overall}")
        for overall in OVERALL
    }
    assert max(noisy_share.values()) - min(noisy_share.values()) < 0.1, noisy_share
    for record in train:
        if "lowercase" in record.noise:
            assert record.text == record.text.lower()
        if "uppercase" in record.noise:
            assert record.text == record.text.upper()
        if "no_apostrophes" in record.noise:
            assert "'" not in record.text
        if "repeated_exclamations" in record.noise and not {"typos"} & set(record.noise):
            assert "!!!" in record.text
        if "abbreviations" in record.noise and not {"typos", "no_apostrophes"} & set(record.noise):
            assert any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", record.text.lower())
                       for form in ABBREVIATED_FORMS), record.text


def test_reviews_are_varied_in_length(records):
    texts = [record.text for record in records["train"]]
    assert len({message_key(text) for text in texts}) == len(texts)
    sentences = Counter(record.sentences for record in records["train"])
    assert set(sentences) == {1, 2, 3, 4, 5, 6}
    words = sorted(len(text.split()) for text in texts)
    assert words[len(words) // 10] <= 8 and words[-1] <= 90


def test_a_review_is_about_one_product(records):
    for record in records["train"]:
        products = [value for value in record.values if value.startswith("product:")]
        assert len(products) <= 1, record


def test_generator_is_deterministic_per_seed():
    assert generate_examples(90, seed=5) == generate_examples(90, seed=5)
    assert generate_examples(90, seed=5) != generate_examples(90, seed=6)


def test_generator_never_returns_an_excluded_review():
    first = {message_key(record.text) for record in generate_records(60, seed=3)}
    # The same seed would draw the same reviews again; the exclusion must draw others.
    again = generate_records(60, seed=3, exclude=frozenset(first))
    assert again and not {message_key(record.text) for record in again} & first


def test_template_text_round_trips_ids():
    for group in TEMPLATES:
        assert [template_text(t) for t in template_ids(group)] == list(TEMPLATES[group])
