"""Synthetic patient messages to a clinic for the starter dataset.

The product ships this generator instead of any real patient data. Each message is a
hand-written template (templates_appointments, templates_care, templates_triage,
templates_admin) with its slots filled from slots.SLOT_FILLERS and the noise of noise.add_noise
on top. Every generated message keeps its slot values with their types and character spans in
the final text, for slot extraction later; the task itself classifies (text, intent).

Honest test figures need messages a model cannot have memorised, so about a quarter of each
intent's templates (at least six) only ever generate test rows, and about a fifth of each named
slot pool (clinicians, medicines, tests, departments, ...) is kept out of training as well.
"""

import functools
import random
import re
import string
from typing import NamedTuple

from slm_platform.core import starter_kit as kit
from slm_platform.core.starter_kit import TemplateScope

from .labels import INTENTS
from .noise import add_noise, joined
from .slots import SLOT_FILLERS, Segment, SlotPicker, ValueScope
from .templates_admin import ADMIN_TEMPLATES
from .templates_appointments import APPOINTMENT_TEMPLATES
from .templates_care import CARE_TEMPLATES
from .templates_triage import TRIAGE_TEMPLATES

message_key = kit.message_key  # the uniqueness key, for callers and tests

HELD_OUT_TEMPLATE_FRACTION = 0.25
MIN_HELD_OUT_TEMPLATES = 6
_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
# How often to redraw a second slot of one type ("{date2}") that came out like the first.
_ATTEMPTS_PER_DISTINCT_VALUE = 10

_ALL_TEMPLATES = {**APPOINTMENT_TEMPLATES, **CARE_TEMPLATES, **TRIAGE_TEMPLATES, **ADMIN_TEMPLATES}
TEMPLATES: dict[str, tuple[str, ...]] = {intent: _ALL_TEMPLATES[intent] for intent in INTENTS}


class Slot(NamedTuple):
    """A slot value in a message: its type and where it is, ``text[start:end] == value``."""

    kind: str
    value: str
    start: int
    end: int


class SyntheticMessage(NamedTuple):
    """One generated message, with where it came from."""

    text: str
    intent: str
    template_id: str  # "<intent>/<index in the intent's template table>"
    values: tuple[str, ...]  # the named pool values used, as "pool:value" (before noise)
    slots: tuple[Slot, ...]  # every slot value as it appears in text, in text order
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
    """Up to ``n`` (message, intent) pairs, about n/10 per intent."""
    records = generate_records(n, seed=seed, templates=templates, values=values)
    return [(record.text, record.intent) for record in records]


def starter_records(
    *, seed: int = 37, train_size: int = 2400, test_size: int = 600
) -> dict[str, list[SyntheticMessage]]:
    """Train and the two test halves as records, slots included (see ``starter_splits``)."""
    return kit.held_out_split(generate_records, seed=seed, train_size=train_size,
                              test_size=test_size)


def starter_splits(
    *, seed: int = 37, train_size: int = 2400, test_size: int = 600
) -> dict[str, list[tuple[str, str]]]:
    """Build the starter train/test split of (message, intent) pairs.

    Train uses seen templates and seen slot values only. Test uses only held-out templates:
    half filled with seen slot values ("test_seen_slot_values": new wording, familiar clinicians
    and medicines), half with held-out ones ("test_unseen_slot_values": both new). No test
    message repeats a train message, even ignoring case and whitespace.
    """
    records = starter_records(seed=seed, train_size=train_size, test_size=test_size)
    return kit.example_splits(records, seed=seed,
                              example=lambda record: (record.text, record.intent))


@functools.cache
def _held_out_set(intent: str) -> frozenset[str]:
    """Deterministically pick ~25% (at least six) of an intent's templates to hold out."""
    ids = template_ids(intent)
    count = max(MIN_HELD_OUT_TEMPLATES, round(len(ids) * HELD_OUT_TEMPLATE_FRACTION))
    # A string seed is hashed with SHA-512, so the choice is stable across processes.
    return frozenset(random.Random(f"held-out-templates:{intent}").sample(ids, count))


def _make_record(rng: random.Random, intent: str, templates: TemplateScope,
                 values: ValueScope) -> SyntheticMessage:
    chosen = rng.choice(templates_in_scope(intent, templates))
    picker = SlotPicker(rng, values)
    segments, noise = add_noise(rng, fill_template(template_text(chosen), picker),
                                lambda signoff: fill_template(signoff, picker))
    return SyntheticMessage(joined(segments), intent, chosen, tuple(picker.used),
                            _slots(segments), noise)


def fill_template(template: str, picker: SlotPicker) -> list[Segment]:
    """Pick one of each "[a|b]" group, then fill each slot once ("{date2}" is a second date,
    drawn again if it came out like the first)."""
    template = _ALTERNATIVES.sub(lambda group: picker.rng.choice(group[1].split("|")), template)
    filled: dict[str, list[Segment]] = {}
    segments = []
    for literal, slot, _, _ in string.Formatter().parse(template):
        segments.append(Segment(literal))
        if slot:
            if slot not in filled:
                filled[slot] = _distinct_fill(slot, picker, filled)
            segments.extend(filled[slot])
    return [segment for segment in segments if segment.text]


def _distinct_fill(slot: str, picker: SlotPicker,
                   filled: dict[str, list[Segment]]) -> list[Segment]:
    filler = SLOT_FILLERS[slot.rstrip(string.digits)]
    siblings = {joined(value) for name, value in filled.items()
                if name.rstrip(string.digits) == slot.rstrip(string.digits)}
    used_before = len(picker.used)
    value = filler(picker)
    for _ in range(_ATTEMPTS_PER_DISTINCT_VALUE):
        if joined(value) not in siblings:
            break
        del picker.used[used_before:]  # only the values the message keeps are recorded
        value = filler(picker)
    return value


def _slots(segments: list[Segment]) -> tuple[Slot, ...]:
    slots, offset = [], 0
    for segment in segments:
        if segment.kind is not None:
            slots.append(Slot(segment.kind, segment.text, offset, offset + len(segment.text)))
        offset += len(segment.text)
    return tuple(slots)
