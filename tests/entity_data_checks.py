"""The tests every entity-span starter dataset must pass (statement entities, PHI
de-identification), written once.

A data test file subclasses EntityDataChecks as a Test class set to its own generator's
modules, gets its `records` and `splits` fixtures from starter_fixtures, and keeps the tests
that are its generator's own (identifier validity, hard-negative kinds, name surfaces). The
Luhn check is written here, not imported, so the data passes a check that shares no code with
the generator that made it.
"""

import re
import string
from collections import Counter
from collections.abc import Mapping
from types import ModuleType

import pytest

from slm_platform.core.entity_starter_kit import NO_ENTITY, EntityText

Records = Mapping[str, list[EntityText]]


def passes_luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def all_records(records: Records) -> list[EntityText]:
    return [record for rows in records.values() for record in rows]


def both_test_halves(records: Records) -> list[EntityText]:
    return records["test_seen_slot_values"] + records["test_unseen_slot_values"]


def starter_fixtures(data: ModuleType) -> tuple:
    """The module fixtures `records` and `splits`: the generator's starter records and splits
    (`data` is its starter_data module), built once per test file."""
    @pytest.fixture(scope="module")
    def records() -> Records:
        return data.starter_records()

    @pytest.fixture(scope="module")
    def splits() -> dict:
        return data.starter_splits()

    return records, splits


class EntityDataChecks:
    """The shared tests, run on the generator a subclass names."""

    data: ModuleType  # starter_data: TABLE, GROUPS, TEXT_KINDS, generate_records, ...
    slot_module: ModuleType  # its slots: SLOTS, HARD_NEGATIVE_KINDS, held_out_values, ...
    pools: Mapping[str, tuple[str, ...]]  # the named pools, a fifth of each held out
    entity_types: tuple[str, ...]
    filled_like_templates: tuple[str, ...]  # the greetings and sign-offs noise adds
    noise_kinds: frozenset[str]  # the kinds of noise train must show

    # Templates and pools.

    def test_templates_only_use_known_slots_and_well_formed_alternatives(self):
        templates = [template for table in self.data.TEMPLATES.values() for template in table]
        for template in templates + list(self.filled_like_templates):
            without_alternatives = re.sub(r"\[[^\[\]]*\]", "", template)
            assert "[" not in without_alternatives and "]" not in without_alternatives, template
            for slot in self.data.template_slots(template):
                assert slot in self.slot_module.SLOTS, (slot, template)

    def test_slot_names_are_plain_identifiers(self):
        # "{date2}" is a second date: a digit suffix may never be part of a slot's own name.
        assert all(name.rstrip(string.digits) == name for name in self.slot_module.SLOTS)

    def test_about_a_quarter_of_each_groups_templates_is_held_out(self):
        table = self.data.TABLE
        for group in self.data.GROUPS:
            held_out = set(table.held_out_templates(group))
            seen = set(table.templates_in_scope(group, "seen"))
            assert held_out and not held_out & seen
            assert held_out | seen == set(table.template_ids(group))
            assert 0.2 <= len(held_out) / len(table.template_ids(group)) <= 0.3, group

    def test_about_a_fifth_of_each_named_pool_is_held_out(self):
        for pool, values in self.pools.items():
            held_out = set(self.slot_module.held_out_values(pool))
            seen = set(self.slot_module.values_in_scope(pool, "seen"))
            assert held_out and seen and not held_out & seen
            assert held_out | seen == set(values)
            assert 0.15 <= len(held_out) / len(values) <= 0.25, pool

    def test_unknown_scopes_are_rejected(self):
        with pytest.raises(ValueError):
            self.data.generate_records(10, seed=1, templates="everything")
        with pytest.raises(ValueError):
            self.data.generate_records(10, seed=1, values="everything")

    # The splits.

    def test_starter_splits_are_deterministic_per_seed(self, splits):
        assert self.data.starter_splits() == splits
        other = self.data.starter_splits(seed=30)
        assert other["train"] != splits["train"] and other["test"] != splits["test"]

    def test_split_sizes_and_slices_are_the_records(self, records, splits):
        assert len(splits["train"]) == 2000 and len(splits["test"]) == 500
        assert len(splits["test_seen_slot_values"]) == 250
        assert len(splits["test_unseen_slot_values"]) == 250
        slices = splits["test_seen_slot_values"] + splits["test_unseen_slot_values"]
        assert sorted(slices) == sorted(splits["test"])
        for name in ("train", "test_seen_slot_values", "test_unseen_slot_values"):
            assert splits[name] == [(record.text, list(record.spans)) for record in records[name]]

    def test_no_test_text_is_in_train(self, splits):
        # Compared as an uncased model sees them: case and runs of whitespace do not count.
        train_keys = {self.data.message_key(text) for text, _ in splits["train"]}
        assert len(train_keys) == len(splits["train"])
        assert not any(self.data.message_key(text) in train_keys for text, _ in splits["test"])

    def test_held_out_templates_never_generate_train_rows(self, records):
        held_out = {template for group in self.data.GROUPS
                    for template in self.data.TABLE.held_out_templates(group)}
        assert not {record.template_id for record in records["train"]} & held_out
        # Every held-out template is used, so the test split is not a few templates only.
        assert {record.template_id for record in both_test_halves(records)} == held_out

    def test_held_out_values_are_drawn_for_unseen_test_only(self, records):
        held_out = {f"{pool}:{value}" for pool in self.pools
                    for value in self.slot_module.held_out_values(pool)}
        for name in ("train", "test_seen_slot_values"):
            assert not {value for record in records[name] for value in record.values} & held_out
        unseen = {value for record in records["test_unseen_slot_values"]
                  for value in record.values}
        assert unseen and unseen <= held_out

    # The spans.

    def test_spans_are_typed_sorted_stripped_and_whole_words(self, records):
        for record in all_records(records):
            end_before = 0
            for start, end, kind in record.spans:
                value = record.text[start:end]
                assert kind in self.entity_types, record
                assert end_before <= start < end <= len(record.text), record
                assert value == value.strip(), record
                # A span covers whole words: the tokenizer splits words, not inside them.
                assert not (start and record.text[start - 1].isalnum() and value[0].isalnum())
                assert not (end < len(record.text) and record.text[end].isalnum()
                            and value[-1].isalnum()), record
                end_before = end

    def test_hard_negatives_are_known_and_never_spans(self, records):
        for record in all_records(records):
            covered = {index for start, end, _ in record.spans for index in range(start, end)}
            for start, end, kind in record.hard_negatives:
                assert kind in self.slot_module.HARD_NEGATIVE_KINDS
                assert not covered & set(range(start, end)), record

    # Balance and noise.

    @pytest.mark.parametrize("split", ["train", "test"])
    def test_a_tenth_has_no_entity_and_every_text_kind_occurs(self, records, split):
        rows = records["train"] if split == "train" else both_test_halves(records)
        no_entity = sum(1 for record in rows if not record.spans)
        assert 0.07 <= no_entity / len(rows) <= 0.13
        kinds = Counter(record.text_kind for record in rows)
        assert set(kinds) == set(self.data.TEXT_KINDS), kinds
        assert all(count >= 0.1 * len(rows) for count in kinds.values()), kinds

    def test_templates_without_entity_slots_give_the_entity_free_rows(self, records):
        entity_free = set(self.data.TABLE.template_ids(NO_ENTITY))
        for record in all_records(records):
            assert bool(record.spans) == (record.template_id not in entity_free), record

    def test_noise_occurs_without_moving_spans(self, records):
        train = records["train"]
        assert self.noise_kinds <= {kind for record in train for kind in record.noise}
        assert sum(1 for record in train if record.noise) >= 0.4 * len(train)
        for record in train:
            if "uppercase" in record.noise:
                assert record.text == record.text.upper()

    def test_generator_never_returns_an_excluded_text(self):
        generate, key = self.data.generate_records, self.data.message_key
        first = {key(record.text) for record in generate(100, seed=3)}
        again = generate(100, seed=3, exclude=frozenset(first))
        assert again and not {key(record.text) for record in again} & first
        assert generate(60, seed=4) == generate(60, seed=4)
