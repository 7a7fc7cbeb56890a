"""The starter-data generators' shared machinery: scopes, unique draws, the held-out split."""

from typing import NamedTuple

import pytest

from slm_platform.core import starter_kit as kit


class Row(NamedTuple):
    text: str
    label: str
    template: str


TEMPLATES = {"a": ["A one {n}", "A two {n}", "A three {n}", "A four {n}"],
             "b": ["B one {n}", "B two {n}", "B three {n}", "B four {n}"]}
HELD_OUT = frozenset({"a/3", "b/0"})


def _generate(n, *, seed, templates="all", values="all", exclude=frozenset()):
    numbers = range(0, 50) if values == "seen" else range(50, 60)

    def draw(rng, label, taken):
        ids = kit.templates_in_scope([f"{label}/{i}" for i in range(4)], HELD_OUT, templates)

        def make():
            template = rng.choice(ids)
            text = TEMPLATES[label][int(template[2])].format(n=rng.choice(numbers))
            return Row(text, label, template)
        return kit.first_unique(make, taken)

    return kit.generate_balanced(n, seed=seed, labels=["a", "b"], draw=draw, exclude=exclude)


def test_scopes_split_the_templates_in_table_order():
    ids = ["a/0", "a/1", "a/2", "a/3"]
    assert kit.templates_in_scope(ids, HELD_OUT, "seen") == ("a/0", "a/1", "a/2")
    assert kit.templates_in_scope(ids, HELD_OUT, "held_out") == ("a/3",)
    assert kit.templates_in_scope(ids, HELD_OUT, "all") == tuple(ids)
    with pytest.raises(ValueError, match="unknown template scope"):
        kit.templates_in_scope(ids, HELD_OUT, "test")


def test_the_split_keeps_test_templates_and_texts_out_of_train():
    split = kit.held_out_split(_generate, seed=3, train_size=60, test_size=20)
    train, seen, unseen = (split[name] for name in
                           ("train", "test_seen_slot_values", "test_unseen_slot_values"))
    assert len(train) == 60 and {row.label for row in train} == {"a", "b"}
    assert not {row.template for row in train} & HELD_OUT
    assert {row.template for row in seen + unseen} <= HELD_OUT
    keys = [kit.message_key(row.text) for row in train + seen + unseen]
    assert len(keys) == len(set(keys))
    assert all(int(row.text.split()[-1]) >= 50 for row in unseen)
    assert split == kit.held_out_split(_generate, seed=3, train_size=60, test_size=20)


def test_a_scope_with_too_little_variety_yields_fewer_rows_rather_than_repeats():
    # One held-out template per label and 10 unseen numbers: at most 20 distinct texts.
    rows = _generate(50, seed=1, templates="held_out", values="held_out")
    assert len(rows) == len({kit.message_key(row.text) for row in rows}) <= 20
    assert kit.message_key("  Hello\tWORLD ") == "hello world"
