"""Tests for the transaction-category labels, normaliser and synthetic starter data."""

from collections import Counter

import pytest

from tasks_finance.transaction_category.labels import CATEGORIES, CATEGORY_DESCRIPTIONS
from tasks_finance.transaction_category.merchants import ALWAYS_SEEN, MERCHANTS
from tasks_finance.transaction_category.normalise import normalise_description
from tasks_finance.transaction_category.starter_data import (
    generate_examples,
    generate_records,
    held_out_merchants,
    seen_merchants,
    starter_splits,
    training_merchants,
    validation_merchants,
)


def test_categories_are_the_fixed_fifteen_in_order():
    expected = (
        "groceries dining fuel transport travel shopping subscriptions utilities "
        "rent_mortgage healthcare entertainment income transfers fees cash"
    )
    assert tuple(expected.split()) == CATEGORIES
    assert set(CATEGORY_DESCRIPTIONS) == set(CATEGORIES)
    assert set(MERCHANTS) == set(CATEGORIES)


def test_normaliser_strips_amazon_reference_code_but_keeps_domain():
    result = normalise_description("AMZN Mktp US*2K4LL0YH2 Amzn.com/bill WA")
    assert "amzn mktp us" in result
    assert "amzn.com/bill" in result
    assert "2k4ll0yh2" not in result


def test_normaliser_drops_terminal_and_store_numbers():
    result = normalise_description("POS 4411 SHELL OIL 5744")
    assert "shell oil" in result
    assert not any(char.isdigit() for char in result)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("UBER *TRIP HELP.UBER.COM", "uber trip help.uber.com"),
        ("ACH DEPOSIT ACME CORP PAYROLL", "ach deposit acme corp payroll"),
        ("SQ *BLUE BOTTLE", "sq blue bottle"),
        ("WHOLEFDS MKT #10234 XXXX9921 2024-11-03 14:22", "wholefds mkt"),
        (
            "PURCHASE AUTHORIZED ON 11/03 KROGER STORE 0567 CARD 1234",
            "purchase authorized on kroger",
        ),
        ("NETFLIX.COM 866-579-7172 CA", "netflix.com ca"),
        ("ATM WITHDRAWAL ****1234  LONDON   GB", "atm withdrawal london gb"),
        ("ZELLE TO MARIA GARCIA -- CONF# 8273645", "zelle to maria garcia conf"),
        ("VENMO   PAYMENT 03NOV24", "venmo payment"),
        ("MONTHLY SERVICE FEE...", "monthly service fee"),
    ],
)
def test_normaliser_examples(raw, expected):
    assert normalise_description(raw) == expected


def test_normaliser_keeps_numbered_brand_names():
    assert normalise_description("7-ELEVEN 35512") == "7-eleven"
    assert normalise_description("PHILLIPS 66 #0042") == "phillips 66"


def test_normaliser_never_empties_text_with_letters():
    assert normalise_description("A1B2C3D4E5") != ""
    assert normalise_description("*** XXXX1234 ***") != ""
    assert normalise_description("*** 1234 ***") == ""


def test_generator_is_deterministic_per_seed():
    assert generate_examples(300, seed=5) == generate_examples(300, seed=5)
    assert generate_examples(300, seed=5) != generate_examples(300, seed=6)


def test_generator_balances_every_category():
    examples = generate_examples(3000, seed=1)
    counts = Counter(category for _, category in examples)
    assert set(counts) == set(CATEGORIES)
    assert max(counts.values()) - min(counts.values()) <= 1


def test_generator_labels_are_known_categories():
    for scope in ("all", "seen", "held_out"):
        labels = {category for _, category in generate_examples(450, seed=2, merchants=scope)}
        assert labels <= set(CATEGORIES)


def test_unknown_merchant_scope_is_rejected():
    with pytest.raises(ValueError):
        generate_examples(15, seed=1, merchants="everything")


def test_merchant_tables_are_sized_and_unambiguous():
    all_merchants = [merchant for pool in MERCHANTS.values() for merchant in pool]
    assert len(all_merchants) == len(set(all_merchants))
    assert all(12 <= len(pool) <= 25 for pool in MERCHANTS.values())


def test_held_out_split_is_about_a_fifth_and_disjoint():
    for category in CATEGORIES:
        held_out, seen = set(held_out_merchants(category)), set(seen_merchants(category))
        assert held_out and not held_out & seen
        assert held_out | seen == set(MERCHANTS[category])
        assert 0.1 <= len(held_out) / len(MERCHANTS[category]) <= 0.3


def test_seen_scope_never_uses_held_out_merchants():
    held_out = {merchant for category in CATEGORIES for merchant in held_out_merchants(category)}
    records = generate_records(3000, seed=3, merchants="seen")
    assert not {record.merchant for record in records} & held_out


def test_held_out_scope_only_uses_held_out_merchants():
    records = generate_records(750, seed=4, merchants="held_out")
    for record in records:
        assert record.merchant in held_out_merchants(record.category)


def test_validation_merchants_are_a_tenth_of_the_seen_ones_and_never_trained_on():
    for category in CATEGORIES:
        validation = set(validation_merchants(category))
        training = set(training_merchants(category))
        assert validation and not validation & training
        assert validation | training == set(seen_merchants(category))
        assert not validation & ALWAYS_SEEN  # household names stay in training
        assert len(validation) <= max(1, round(0.1 * len(seen_merchants(category))))


def test_training_scope_never_uses_validation_or_held_out_merchants():
    reserved = {merchant for category in CATEGORIES
                for merchant in validation_merchants(category) + held_out_merchants(category)}
    records = generate_records(3000, seed=3, merchants="training")
    assert not {record.merchant for record in records} & reserved


def test_validation_is_cut_like_the_test_half_of_it_from_merchants_never_trained_on():
    """Half fresh rows of training merchants, half rows of the validation merchants: a random
    carve of train would hold only trained merchants, which a model separates perfectly."""
    splits = starter_splits()
    validation = splits["validation"]
    assert 0.9 * 300 <= len(validation) <= 300
    train_descriptions = {description for description, _ in splits["train"]}
    assert not any(description in train_descriptions for description, _ in validation)
    held = {merchant.lower() for category in CATEGORIES
            for merchant in validation_merchants(category) if "{" not in merchant}
    unseen = [description for description, _ in validation
              if any(merchant in description.lower() for merchant in held)]
    assert 0.3 * len(validation) <= len(unseen) <= 0.6 * len(validation)
    assert not any(merchant in description.lower()
                   for description, _ in splits["train"] for merchant in held)


def test_the_unseen_test_half_is_the_held_out_merchants_rows():
    splits = starter_splits()
    expected = generate_examples(375, seed=15, merchants="held_out")
    train_descriptions = {description for description, _ in splits["train"]}
    assert splits["test_unseen_merchants"] == [
        row for row in expected if row[0] not in train_descriptions]


def test_starter_splits_have_no_exact_train_test_overlap():
    splits = starter_splits()
    train_descriptions = {description for description, _ in splits["train"]}
    assert len(splits["train"]) == 3000
    assert 0.9 * 750 <= len(splits["test"]) <= 750
    assert not any(description in train_descriptions for description, _ in splits["test"])


def test_normaliser_never_empties_generated_descriptions():
    for description, _ in generate_examples(3000, seed=7):
        assert normalise_description(description)


def test_generated_descriptions_are_varied():
    descriptions = [description for description, _ in generate_examples(3000, seed=8)]
    assert len(set(descriptions)) > 0.9 * len(descriptions)
