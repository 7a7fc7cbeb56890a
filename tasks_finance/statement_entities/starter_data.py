"""Synthetic text from and around bank statements, with entity spans, for the starter dataset
of `finance.statement-entities`.

The product ships this generator instead of any real statement. Each text is a hand-written
template of one kind (transaction lines and memos, payment references, statement headers,
letters from the bank, customer emails: ner_templates_lines, ner_templates_letters) with its
slots filled by ner_slots.SLOTS and the noise of ner_noise.add_noise on top. Every entity keeps
its character span through the noise: ORG, PERSON, MONEY, DATE, ACCOUNT, IBAN (a valid mod-97
check) and CARD (a valid Luhn digit, or masked). Hard negatives (references, order and phone
numbers, postcodes, times, percentages, numbers failing Luhn or mod 97, "the bank") are never
spans, and a tenth of the texts have no entity at all.

Honest test figures need texts a model cannot have memorised, so about a quarter of each kind's
templates only ever generate test rows, and about a fifth of each name pool (banks, merchants,
employers, payees, people) is kept out of training as well.
"""

import functools
import random
import re
import string
from collections import Counter
from typing import NamedTuple

from slm_platform.core import starter_kit as kit
from slm_platform.core.starter_kit import TemplateScope

from .ner_noise import add_noise, joined
from .ner_slots import ENTITY_SLOTS, ENTITY_TYPES, SLOTS, Segment, SlotPicker, ValueScope
from .ner_templates_letters import EMAIL_TEMPLATES, NOTICE_TEMPLATES
from .ner_templates_lines import HEADER_TEMPLATES, REFERENCE_TEMPLATES, TRANSACTION_TEMPLATES

message_key = kit.message_key  # the uniqueness key, for callers and tests

Span = tuple[int, int, str]

TEMPLATES: dict[str, tuple[str, ...]] = {
    "transaction": TRANSACTION_TEMPLATES, "reference": REFERENCE_TEMPLATES,
    "header": HEADER_TEMPLATES, "notice": NOTICE_TEMPLATES, "email": EMAIL_TEMPLATES,
}
TEXT_KINDS = tuple(TEMPLATES)
NO_ENTITY = "none"
# How many of every twenty texts each group gives: a text kind's templates with entities, or
# ("none") the templates of any kind without one, so a tenth of the texts have no entity.
GROUP_WEIGHTS: dict[str, int] = {"transaction": 4, "reference": 3, "header": 3, "notice": 4,
                                 "email": 4, NO_ENTITY: 2}
GROUPS = tuple(GROUP_WEIGHTS)
HELD_OUT_TEMPLATE_FRACTION = 0.25
_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
# How often to redraw a second slot of one kind ("{money2}") that came out like the first.
_ATTEMPTS_PER_DISTINCT_VALUE = 10


class EntityText(NamedTuple):
    """One generated text with its entities and where it came from."""

    text: str
    spans: tuple[Span, ...]  # (start, end, type), in text order, text[start:end] the entity
    text_kind: str
    template_id: str  # "<text kind>/<index in the kind's template table>"
    values: tuple[str, ...]  # the named pool values used, as "pool:value"
    hard_negatives: tuple[Span, ...]  # (start, end, kind) of values that must not be entities
    noise: tuple[str, ...]  # the kinds of noise that changed the text


@functools.cache
def template_ids(group: str) -> tuple[str, ...]:
    """A group's template ids, "<text kind>/<index>", in table order."""
    return tuple(template for template in _all_template_ids() if _group(template) == group)


def template_text(template_id: str) -> str:
    kind, index = template_id.split("/")
    return TEMPLATES[kind][int(index)]


def template_slots(template: str) -> tuple[str, ...]:
    """The slot names a template (alternatives and all) fills, digits and variants dropped."""
    fields = string.Formatter().parse(template.replace("|", " "))
    return tuple(field.rstrip(string.digits) for _, field, _, _ in fields if field)


def held_out_templates(group: str) -> tuple[str, ...]:
    """Ids of the group's templates reserved for the test split, in table order."""
    return kit.templates_in_scope(template_ids(group), _held_out_set(group), "held_out")


def templates_in_scope(group: str, scope: TemplateScope) -> tuple[str, ...]:
    return kit.templates_in_scope(template_ids(group), _held_out_set(group), scope)


def generate_records(
    n: int, *, seed: int, templates: TemplateScope = "all", values: ValueScope = "all",
    exclude: frozenset[str] = frozenset(),
) -> list[EntityText]:
    """Up to ``n`` texts in GROUP_WEIGHTS proportions, deterministic per seed, unique by
    ``message_key`` and never with a key in ``exclude`` (starter_kit.generate_balanced)."""
    def draw(rng: random.Random, group: str, taken: set[str]) -> EntityText | None:
        return kit.first_unique(lambda: _make_record(rng, group, templates, values), taken)

    schedule = tuple(group for group, weight in GROUP_WEIGHTS.items() for _ in range(weight))
    return kit.generate_balanced(n, seed=seed, labels=schedule, draw=draw, exclude=exclude)


def generate_examples(n: int, *, seed: int, templates: TemplateScope = "all",
                      values: ValueScope = "all") -> list[tuple[str, list[Span]]]:
    """Up to ``n`` (text, spans) pairs."""
    records = generate_records(n, seed=seed, templates=templates, values=values)
    return [(record.text, list(record.spans)) for record in records]


def starter_records(
    *, seed: int = 29, train_size: int = 2000, test_size: int = 500
) -> dict[str, list[EntityText]]:
    """Train and the two test halves as records, hard negatives included (see
    ``starter_splits``)."""
    return kit.held_out_split(generate_records, seed=seed, train_size=train_size,
                              test_size=test_size)


def starter_splits(
    *, seed: int = 29, train_size: int = 2000, test_size: int = 500
) -> dict[str, list[tuple[str, list[Span]]]]:
    """Build the starter train/test split of (text, spans), each span (start, end, type).

    Train uses seen templates and seen names only. Test uses only held-out templates: half
    with seen names ("test_seen_slot_values": new wording, familiar banks and people), half
    with held-out ones ("test_unseen_slot_values": both new). No test text repeats a train
    text, even ignoring case and whitespace.
    """
    records = starter_records(seed=seed, train_size=train_size, test_size=test_size)
    splits = {name: [(record.text, list(record.spans)) for record in rows]
              for name, rows in records.items()}
    test = splits["test_seen_slot_values"] + splits["test_unseen_slot_values"]
    random.Random(seed).shuffle(test)
    return {"test": test, **splits}


@functools.cache
def _all_template_ids() -> tuple[str, ...]:
    return tuple(f"{kind}/{index:02d}" for kind, templates in TEMPLATES.items()
                 for index in range(len(templates)))


def _group(template_id: str) -> str:
    has_entity = ENTITY_SLOTS.intersection(template_slots(template_text(template_id)))
    return template_id.split("/")[0] if has_entity else NO_ENTITY


def _held_out_set(group: str) -> frozenset[str]:
    return _held_out_ids().intersection(template_ids(group))


@functools.cache
def _held_out_ids() -> frozenset[str]:
    """Deterministically pick a quarter of each group's templates to hold out.

    Not a plain random sample: rare slots would then land on one side by chance (every
    template with a BIC in test, none in train). Templates are taken rarest slots first
    (ties in a fixed shuffled order), each held out while its group's quota lasts and none of
    its slots has a quarter of its templates held out yet; what a quota still lacks is then
    filled with the templates of the commonest slots.
    """
    # A string seed is hashed with SHA-512, so the choice is stable across processes.
    ids = random.Random("held-out-templates").sample(_all_template_ids(), len(_all_template_ids()))
    ordered = sorted(ids, key=_rarity)
    quota = Counter({group: round(len(template_ids(group)) * HELD_OUT_TEMPLATE_FRACTION)
                     for group in GROUPS})
    uses, held_per_slot, held = _slot_uses(), Counter(), set()
    for template in ordered:
        slots = set(template_slots(template_text(template)))
        if quota[_group(template)] and all(
                held_per_slot[slot] < max(1, round(uses[slot] * HELD_OUT_TEMPLATE_FRACTION))
                for slot in slots):
            held.add(template)
            held_per_slot.update(slots)
            quota[_group(template)] -= 1
    for template in reversed(ordered):
        if quota[_group(template)] and template not in held:
            held.add(template)
            quota[_group(template)] -= 1
    return frozenset(held)


def _rarity(template_id: str) -> tuple[tuple[int, str], ...]:
    """A template's slots, rarest first, as (how many templates use it, name)."""
    uses = _slot_uses()
    slots = set(template_slots(template_text(template_id)))
    return tuple(sorted((uses[slot], slot) for slot in slots))


@functools.cache
def _slot_uses() -> Counter:
    return Counter(slot for template_id in _all_template_ids()
                   for slot in set(template_slots(template_text(template_id))))


def _make_record(rng: random.Random, group: str, templates: TemplateScope,
                 values: ValueScope) -> EntityText:
    chosen = rng.choice(templates_in_scope(group, templates))
    text_kind = chosen.split("/")[0]
    filler = _Filler(SlotPicker(rng, values))
    segments, noise = add_noise(rng, filler.fill(template_text(chosen)), text_kind=text_kind,
                                fill=filler.fill, entities_allowed=group != NO_ENTITY)
    segments = [segment for segment in segments if segment.text]
    spans, hard_negatives = _positions(segments)
    return EntityText(joined(segments), spans, text_kind, chosen, tuple(filler.picker.used),
                      hard_negatives, noise)


class _Filler:
    """Fills the templates of one text: a slot name keeps its value across the text and its
    sign-off ("{person}" twice is one person), "{person2}" is another one."""

    def __init__(self, picker: SlotPicker) -> None:
        self.picker = picker
        self.values: dict[str, object] = {}

    def fill(self, template: str) -> list[Segment]:
        template = _ALTERNATIVES.sub(lambda group: self.picker.rng.choice(group[1].split("|")),
                                    template)
        segments = []
        for literal, field, variant, _ in string.Formatter().parse(template):
            segments.append(Segment(literal))
            if field:
                slot = SLOTS[field.rstrip(string.digits)]
                if field not in self.values:
                    self.values[field] = self._distinct_value(field)
                segments.extend(slot.render(self.picker, self.values[field], variant or ""))
        return [segment for segment in segments if segment.text]

    def _distinct_value(self, field: str) -> object:
        base = field.rstrip(string.digits)
        siblings = [value for name, value in self.values.items()
                    if name.rstrip(string.digits) == base]
        used_before = len(self.picker.used)
        value = SLOTS[base].draw(self.picker)
        for _ in range(_ATTEMPTS_PER_DISTINCT_VALUE):
            if value not in siblings:
                break
            del self.picker.used[used_before:]  # only the values the text keeps are recorded
            value = SLOTS[base].draw(self.picker)
        return value


def _positions(segments: list[Segment]) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """The spans of the entities and of the hard negatives, in text order."""
    spans, hard_negatives, offset = [], [], 0
    for segment in segments:
        end = offset + len(segment.text)
        if segment.kind in ENTITY_TYPES:
            spans.append((offset, end, segment.kind))
        elif segment.kind is not None:
            hard_negatives.append((offset, end, segment.kind))
        offset = end
    return tuple(spans), tuple(hard_negatives)
