"""What the industry apps' entity-span starter-data generators share: texts built as segments
that know their kinds, templates held out by slot rarity, the filler that keeps one value per
slot name, and the records and splits they give.

A generator supplies its own template tables, slots, pools, picker and noise
(entity_noise has the span-keeping noise steps); EntityGenerator turns them into EntityText
records and the starter splits of starter_kit.held_out_split. Plain Python, no Django.
"""

import random
import re
import string
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, Protocol

from slm_platform.core import starter_kit as kit
from slm_platform.core.starter_kit import TemplateScope

ValueScope = TemplateScope  # "all", "seen" or "held_out" values of a pool
Span = tuple[int, int, str]  # (start, end, type or kind)
Example = tuple[str, list[Span]]
NO_ENTITY = "none"  # the group of the templates with no entity slot, whatever their text kind
_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
# How often to redraw a second slot of one kind ("{date2}") that came out like the first.
_ATTEMPTS_PER_DISTINCT_VALUE = 10


class Segment(NamedTuple):
    """A piece of a text: plain (kind None), an entity (one of the generator's entity types)
    or a hard negative (one of its hard-negative kinds)."""

    text: str
    kind: str | None = None


class EntityText(NamedTuple):
    """One generated text with its entities and where it came from."""

    text: str
    spans: tuple[Span, ...]  # (start, end, type), in text order, text[start:end] the entity
    text_kind: str
    template_id: str  # "<text kind>/<index in the kind's template table>"
    values: tuple[str, ...]  # the named pool values used, as "pool:value"
    hard_negatives: tuple[Span, ...]  # (start, end, kind) of values that must not be entities
    noise: tuple[str, ...]  # the kinds of noise that changed the text


class Slot(NamedTuple):
    """What fills "{name:variant}": `draw(picker)` gives the text's value once, and
    `render(picker, value, variant)` writes it, per use, as segments."""

    draw: Callable[[Any], object]  # the generator's own ValuePicker subclass
    render: Callable[[Any, object, str], list[Segment]]


class AddNoise(Protocol):
    """A generator's add_noise: the noisy segments and the kinds of noise that changed them."""

    def __call__(self, rng: random.Random, segments: list[Segment], *, text_kind: str,
                 fill: Callable[[str], list[Segment]],
                 entities_allowed: bool) -> tuple[list[Segment], tuple[str, ...]]: ...


class HeldOutPools:
    """Named value pools, a fixed share of each kept for the test split with unseen values."""

    def __init__(self, pools: Mapping[str, tuple[str, ...]], *, fraction: float) -> None:
        self.pools = pools
        self._held_out: dict[str, frozenset[str]] = {}
        for pool, values in pools.items():
            count = max(1, round(len(values) * fraction))
            # A string seed is hashed with SHA-512, so the choice is stable across processes.
            sample = random.Random(f"held-out-values:{pool}").sample(values, count)
            self._held_out[pool] = frozenset(sample)

    def held_out_values(self, pool: str) -> tuple[str, ...]:
        """Values of a pool reserved for held-out evaluation, in table order."""
        return tuple(value for value in self.pools[pool] if value in self._held_out[pool])

    def values_in_scope(self, pool: str, scope: ValueScope) -> tuple[str, ...]:
        if scope == "all":
            return self.pools[pool]
        if scope == "seen":
            return tuple(value for value in self.pools[pool] if value not in self._held_out[pool])
        if scope == "held_out":
            return self.held_out_values(pool)
        raise ValueError(f"unknown value scope {scope!r}; use 'all', 'seen' or 'held_out'")


class ValuePicker:
    """Draws the values of one text from the pools a scope allows and records the named ones
    ("merchant:Tesco"); a generator's picker adds what its slots need to remember."""

    def __init__(self, rng: random.Random, scope: ValueScope, *, pools: HeldOutPools) -> None:
        self.rng = rng
        self.scope = scope
        self.used: list[str] = []
        self._pools = pools

    def pick(self, pool: str) -> str:
        value = self.rng.choice(self._pools.values_in_scope(pool, self.scope))
        self.used.append(f"{pool}:{value}")
        return value

    def logs(self) -> tuple[list, ...]:
        """The lists that record what the text drew, cut back when a value is drawn again."""
        return (self.used,)


def template_slots(template: str) -> tuple[str, ...]:
    """The slot names a template (alternatives and all) fills, digits and variants dropped."""
    fields = string.Formatter().parse(template.replace("|", " "))
    return tuple(field.rstrip(string.digits) for _, field, _, _ in fields if field)


class TemplateTable:
    """A generator's templates by text kind, grouped by kind (or NO_ENTITY for those without
    an entity slot), with a fixed share of each group held out for the test split."""

    def __init__(self, tables: Mapping[str, tuple[str, ...]], *, entity_slots: frozenset[str],
                 groups: tuple[str, ...], fraction: float) -> None:
        self.tables = tables
        ids = tuple(f"{kind}/{index:02d}" for kind, templates in tables.items()
                    for index in range(len(templates)))
        self._slots = {template: set(template_slots(self.template_text(template)))
                       for template in ids}
        self._group = {template: template.split("/")[0] if entity_slots & slots else NO_ENTITY
                       for template, slots in self._slots.items()}
        self._ids = {group: tuple(template for template in ids if self._group[template] == group)
                     for group in groups}
        self._held_out = self._pick_held_out(ids, groups, fraction)

    def template_ids(self, group: str) -> tuple[str, ...]:
        """A group's template ids, "<text kind>/<index>", in table order."""
        return self._ids[group]

    def template_text(self, template_id: str) -> str:
        kind, index = template_id.split("/")
        return self.tables[kind][int(index)]

    def held_out_templates(self, group: str) -> tuple[str, ...]:
        """Ids of the group's templates reserved for the test split, in table order."""
        return self.templates_in_scope(group, "held_out")

    def templates_in_scope(self, group: str, scope: TemplateScope) -> tuple[str, ...]:
        return kit.templates_in_scope(self._ids[group], self._held_out, scope)

    def _pick_held_out(self, ids: tuple[str, ...], groups: tuple[str, ...],
                       fraction: float) -> frozenset[str]:
        """Deterministically pick `fraction` of each group's templates to hold out.

        Not a plain random sample: rare slots would then land on one side by chance (every
        template with a rare identifier in test, none in train). Templates are taken rarest
        slots first (ties in a fixed shuffled order), each held out while its group's quota
        lasts and none of its slots has `fraction` of its templates held out yet; what a quota
        still lacks is then filled with the templates of the commonest slots.
        """
        uses = Counter(slot for slots in self._slots.values() for slot in slots)
        # A string seed is hashed with SHA-512, so the choice is stable across processes.
        shuffled = random.Random("held-out-templates").sample(ids, len(ids))
        ordered = sorted(shuffled, key=lambda template: tuple(
            sorted((uses[slot], slot) for slot in self._slots[template])))
        quota = Counter({group: round(len(self._ids[group]) * fraction) for group in groups})
        held_per_slot, held = Counter(), set()
        for template in ordered:
            slots = self._slots[template]
            if quota[self._group[template]] and all(
                    held_per_slot[slot] < max(1, round(uses[slot] * fraction)) for slot in slots):
                held.add(template)
                held_per_slot.update(slots)
                quota[self._group[template]] -= 1
        for template in reversed(ordered):
            if quota[self._group[template]] and template not in held:
                held.add(template)
                quota[self._group[template]] -= 1
        return frozenset(held)


class SlotFiller:
    """Fills the templates of one text: a slot name keeps its value across the text and its
    greeting and sign-off ("{person}" twice is one person), "{person2}" is another one."""

    def __init__(self, picker: ValuePicker, *, slots: Mapping[str, Slot]) -> None:
        self.picker = picker
        self.slots = slots
        self.values: dict[str, object] = {}

    def fill(self, template: str) -> list[Segment]:
        template = _ALTERNATIVES.sub(lambda group: self.picker.rng.choice(group[1].split("|")),
                                    template)
        segments = []
        for literal, field, variant, _ in string.Formatter().parse(template):
            segments.append(Segment(literal))
            if field:
                slot = self.slots[field.rstrip(string.digits)]
                if field not in self.values:
                    self.values[field] = self._distinct_value(field)
                segments.extend(slot.render(self.picker, self.values[field], variant or ""))
        return [segment for segment in segments if segment.text]

    def _distinct_value(self, field: str) -> object:
        base = field.rstrip(string.digits)
        siblings = [value for name, value in self.values.items()
                    if name.rstrip(string.digits) == base]
        lengths = [len(log) for log in self.picker.logs()]
        value = self.slots[base].draw(self.picker)
        for _ in range(_ATTEMPTS_PER_DISTINCT_VALUE):
            if value not in siblings:
                break
            for log, length in zip(self.picker.logs(), lengths, strict=True):
                del log[length:]  # only the values the text keeps are recorded
            value = self.slots[base].draw(self.picker)
        return value


class EntityGenerator:
    """A generator's records and starter splits: texts drawn in `weights` proportions from the
    groups of `table`, each filled with the values of a fresh `new_picker(rng, value scope,
    template)` and noised by `add_noise`; segments of `entity_types` become the spans."""

    def __init__(self, *, table: TemplateTable, weights: Mapping[str, int], seed: int,
                 new_picker: Callable[[random.Random, ValueScope, str], ValuePicker],
                 slots: Mapping[str, Slot], add_noise: AddNoise,
                 entity_types: Iterable[str]) -> None:
        self.table = table
        self.seed = seed  # of the starter splits
        self.new_picker = new_picker
        self.slots = slots
        self.add_noise = add_noise
        self.entity_types = frozenset(entity_types)
        self._schedule = tuple(group for group, weight in weights.items() for _ in range(weight))

    def generate_records(self, n: int, *, seed: int, templates: TemplateScope = "all",
                         values: ValueScope = "all",
                         exclude: frozenset[str] = frozenset()) -> list[EntityText]:
        """Up to `n` texts in the weights' proportions, deterministic per seed, unique by
        message_key and never with a key in `exclude` (starter_kit.generate_balanced)."""
        def draw(rng: random.Random, group: str, taken: set[str]) -> EntityText | None:
            return kit.first_unique(lambda: self._make_record(rng, group, templates, values),
                                    taken)

        return kit.generate_balanced(n, seed=seed, labels=self._schedule, draw=draw,
                                     exclude=exclude)

    def starter_records(self, *, seed: int | None = None, train_size: int = 2000,
                        test_size: int = 500) -> dict[str, list[EntityText]]:
        """Train and the two test halves as records, hard negatives included (see
        `starter_splits`); `seed` None is the generator's own."""
        return kit.held_out_split(self.generate_records, seed=self.seed if seed is None else seed,
                                  train_size=train_size, test_size=test_size)

    def starter_splits(self, *, seed: int | None = None, train_size: int = 2000,
                       test_size: int = 500) -> dict[str, list[Example]]:
        """The starter train/test split of (text, spans), each span (start, end, type).

        Train uses seen templates and seen values only. Test uses only held-out templates:
        half with seen values ("test_seen_slot_values": new wording, familiar names), half
        with held-out ones ("test_unseen_slot_values": both new); "test" is both, shuffled.
        No test text repeats a train text, even ignoring case and whitespace.
        """
        seed = self.seed if seed is None else seed
        records = self.starter_records(seed=seed, train_size=train_size, test_size=test_size)
        return kit.example_splits(records, seed=seed,
                                  example=lambda record: (record.text, list(record.spans)))

    def _make_record(self, rng: random.Random, group: str, templates: TemplateScope,
                     values: ValueScope) -> EntityText:
        """Fill a template of the group's scope, add its text kind's noise and record where
        every entity and hard negative ended up."""
        chosen = rng.choice(self.table.templates_in_scope(group, templates))
        template, text_kind = self.table.template_text(chosen), chosen.split("/")[0]
        filler = SlotFiller(self.new_picker(rng, values, template), slots=self.slots)
        segments, noise = self.add_noise(rng, filler.fill(template), text_kind=text_kind,
                                         fill=filler.fill, entities_allowed=group != NO_ENTITY)
        segments = [segment for segment in segments if segment.text]
        spans, hard_negatives, offset = [], [], 0
        for segment in segments:
            end = offset + len(segment.text)
            if segment.kind in self.entity_types:
                spans.append((offset, end, segment.kind))
            elif segment.kind is not None:
                hard_negatives.append((offset, end, segment.kind))
            offset = end
        return EntityText("".join(segment.text for segment in segments), tuple(spans),
                          text_kind, chosen, tuple(filler.picker.used), tuple(hard_negatives),
                          noise)
