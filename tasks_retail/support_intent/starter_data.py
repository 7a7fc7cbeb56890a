"""Synthetic retail support-desk messages for the starter dataset.

The product ships this generator instead of any real customer data. Each message is a
hand-written template (templates_orders, templates_service) with its slots filled from
slots.POOLS and the noise of noise.add_noise on top.

Honest test figures need messages a model cannot have memorised, so about a quarter of each
intent's templates (at least four) only ever generate test rows, and about a fifth of each named
slot pool (products, brands, cities, names, ...) is kept out of training as well.
"""

import functools
import random
import re
import string
from typing import NamedTuple

from slm_platform.core import starter_kit as kit
from slm_platform.core.starter_kit import TemplateScope

from .labels import INTENTS
from .noise import add_noise
from .slots import SLOT_FILLERS, SlotPicker, ValueScope
from .templates_orders import ORDER_TEMPLATES
from .templates_service import SERVICE_TEMPLATES

message_key = kit.message_key  # the uniqueness key, for callers and tests

HELD_OUT_TEMPLATE_FRACTION = 0.25
MIN_HELD_OUT_TEMPLATES = 4
_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")

TEMPLATES: dict[str, tuple[str, ...]] = {
    intent: {**ORDER_TEMPLATES, **SERVICE_TEMPLATES}[intent] for intent in INTENTS
}


class SyntheticMessage(NamedTuple):
    """One generated message, with where it came from."""

    text: str
    intent: str
    template_id: str  # "<intent>/<index in the intent's template table>"
    values: tuple[str, ...]  # the named slot values used, as "pool:value"
    noise: tuple[str, ...]  # the kinds of noise that changed the text


def template_ids(intent: str) -> tuple[str, ...]:
    return tuple(f"{intent}/{index:02d}" for index in range(len(TEMPLATES[intent])))


def template_text(template_id: str) -> str:
    intent, index = template_id.split("/")
    return TEMPLATES[intent][int(index)]


def held_out_templates(intent: str) -> tuple[str, ...]:
    """Ids of the intent's templates reserved for the test split, in table order."""
    reserved = _held_out_set(intent)
    return tuple(template for template in template_ids(intent) if template in reserved)


def templates_in_scope(intent: str, scope: TemplateScope) -> tuple[str, ...]:
    return kit.templates_in_scope(template_ids(intent), _held_out_set(intent), scope)


def generate_records(
    n: int, *, seed: int, templates: TemplateScope = "all", values: ValueScope = "all",
    exclude: frozenset[str] = frozenset(),
) -> list[SyntheticMessage]:
    """Up to ``n`` messages balanced across intents, deterministic per seed, unique by
    ``message_key`` and never with a key in ``exclude`` (starter_kit.generate_balanced)."""
    def draw(rng: random.Random, intent: str, taken: set[str]) -> SyntheticMessage | None:
        return kit.first_unique(lambda: _make_record(rng, intent, templates, values), taken)

    return kit.generate_balanced(n, seed=seed, labels=INTENTS, draw=draw, exclude=exclude)


def generate_examples(n: int, *, seed: int, templates: TemplateScope = "all",
                      values: ValueScope = "all") -> list[tuple[str, str]]:
    """Up to ``n`` (message, intent) pairs, about n/12 per intent."""
    records = generate_records(n, seed=seed, templates=templates, values=values)
    return [(record.text, record.intent) for record in records]


def starter_records(
    *, seed: int = 29, train_size: int = 2400, test_size: int = 600
) -> dict[str, list[SyntheticMessage]]:
    """Train and the two test halves as records (see ``starter_splits``)."""
    return kit.held_out_split(generate_records, seed=seed, train_size=train_size,
                              test_size=test_size)


def starter_splits(
    *, seed: int = 29, train_size: int = 2400, test_size: int = 600
) -> dict[str, list[tuple[str, str]]]:
    """Build the starter train/test split of (message, intent) pairs.

    Train uses seen templates and seen slot values only. Test uses only held-out templates:
    half filled with seen slot values ("test_seen_slot_values": new wording, familiar products
    and places), half with held-out ones ("test_unseen_slot_values": both new). No test message
    repeats a train message, even ignoring case and whitespace.
    """
    records = starter_records(seed=seed, train_size=train_size, test_size=test_size)
    return kit.example_splits(records, seed=seed,
                              example=lambda record: (record.text, record.intent))


@functools.cache
def _held_out_set(intent: str) -> frozenset[str]:
    """Deterministically pick ~25% (at least four) of an intent's templates to hold out."""
    ids = template_ids(intent)
    count = max(MIN_HELD_OUT_TEMPLATES, round(len(ids) * HELD_OUT_TEMPLATE_FRACTION))
    # A string seed is hashed with SHA-512, so the choice is stable across processes.
    return frozenset(random.Random(f"held-out-templates:{intent}").sample(ids, count))


def _make_record(rng: random.Random, intent: str, templates: TemplateScope,
                 values: ValueScope) -> SyntheticMessage:
    chosen = rng.choice(templates_in_scope(intent, templates))
    picker = SlotPicker(rng, values)
    text, noise = add_noise(rng, _fill(template_text(chosen), picker),
                            lambda: picker.pick("name"))
    return SyntheticMessage(text, intent, chosen, tuple(picker.used), noise)


def _fill(template: str, picker: SlotPicker) -> str:
    """Pick one of each "[a|b]" group, then fill each slot once ("{date2}" is a second date)."""
    template = _ALTERNATIVES.sub(lambda group: picker.rng.choice(group[1].split("|")), template)
    slots = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return template.format(**{slot: SLOT_FILLERS[slot.rstrip(string.digits)](picker)
                              for slot in sorted(slots)})
