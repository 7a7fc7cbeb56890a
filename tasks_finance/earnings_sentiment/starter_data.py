"""Synthetic earnings-call, news and filing sentences for the starter dataset.

The product ships this generator instead of any real transcript, article or filing. Each
sentence is a hand-written template (templates_positive, templates_negative, templates_neutral)
with its slots filled from slots.POOLS and fresh figures; spoken Q&A lines get transcript noise.

Honest test figures need sentences a model cannot have memorised, so about a quarter of each
label's templates (about a quarter of each hard case too, and mirror-image twins together) only
ever generate test rows, and about a fifth of each named slot pool (companies, metrics,
segments, ...) is kept out of training as well.
"""

import functools
import random
import re
import string
from typing import NamedTuple

from slm_platform.core import starter_kit as kit
from slm_platform.core.starter_kit import TemplateScope

from .labels import SENTIMENTS
from .noise import add_noise
from .slots import POOLS, SLOT_FILLERS, SlotPicker, ValueScope
from .template import SPOKEN_REGISTERS, Template
from .templates_negative import NEGATIVE_TEMPLATES
from .templates_neutral import NEUTRAL_TEMPLATES
from .templates_positive import POSITIVE_TEMPLATES

message_key = kit.message_key  # the uniqueness key, for callers and tests

HELD_OUT_TEMPLATE_FRACTION = 0.25
_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
_POOL_SLOT = re.compile(r"\{(" + "|".join(POOLS) + r")\d*\}")

TEMPLATES: dict[str, tuple[Template, ...]] = {
    "positive": POSITIVE_TEMPLATES,
    "negative": NEGATIVE_TEMPLATES,
    "neutral": NEUTRAL_TEMPLATES,
}


class SyntheticSentence(NamedTuple):
    """One generated sentence, with where it came from."""

    text: str
    label: str
    template_id: str  # "<label>/<index in the label's template table>"
    hard: str | None  # the hard case its template stands for, None when plain
    values: tuple[str, ...]  # the named slot values used, as "pool:value"
    noise: tuple[str, ...]  # the kinds of transcript noise that changed the text


def template_ids(label: str) -> tuple[str, ...]:
    return tuple(f"{label}/{index:02d}" for index in range(len(TEMPLATES[label])))


def template_for(template_id: str) -> Template:
    label, index = template_id.split("/")
    return TEMPLATES[label][int(index)]


def held_out_templates(label: str) -> tuple[str, ...]:
    """Ids of the label's templates reserved for the test split, in table order."""
    reserved = _held_out_set(label)
    return tuple(template for template in template_ids(label) if template in reserved)


def templates_in_scope(label: str, scope: TemplateScope) -> tuple[str, ...]:
    return kit.templates_in_scope(template_ids(label), _held_out_set(label), scope)


def generate_records(
    n: int, *, seed: int, templates: TemplateScope = "all", values: ValueScope = "all",
    exclude: frozenset[str] = frozenset(),
) -> list[SyntheticSentence]:
    """Up to ``n`` sentences balanced across labels, deterministic per seed.

    Sentences are unique by ``message_key`` and never have a key in ``exclude``. With
    ``values="held_out"`` only templates with a named slot are used, and every sentence names
    at least one held-out value. A draw that keeps repeating taken sentences is dropped.
    """
    def draw(rng: random.Random, label: str, taken: set[str]) -> SyntheticSentence | None:
        return _unique_record(rng, label, templates, values, taken)

    return kit.generate_balanced(n, seed=seed, labels=SENTIMENTS, draw=draw, exclude=exclude)


def generate_examples(n: int, *, seed: int, templates: TemplateScope = "all",
                      values: ValueScope = "all") -> list[tuple[str, str]]:
    """Up to ``n`` (sentence, label) pairs, about n/3 per label."""
    records = generate_records(n, seed=seed, templates=templates, values=values)
    return [(record.text, record.label) for record in records]


def starter_records(
    *, seed: int = 41, train_size: int = 2400, test_size: int = 600
) -> dict[str, list[SyntheticSentence]]:
    """Train and the two test halves as records (see ``starter_splits``)."""
    return kit.held_out_split(generate_records, seed=seed, train_size=train_size,
                              test_size=test_size)


def starter_splits(
    *, seed: int = 41, train_size: int = 2400, test_size: int = 600
) -> dict[str, list[tuple[str, str]]]:
    """Build the starter train/test split of (sentence, label) pairs.

    Train uses seen templates and seen slot values only. Test uses only held-out templates:
    half filled with seen slot values ("test_seen_slot_values"), half with held-out ones
    ("test_unseen_slot_values"). The test set is also cut by its templates' hard cases:
    "test_hard" (negation and hedges, down-is-good, mixed clauses, bare figures, neutral text
    full of finance words) and "test_plain". No test sentence repeats a train sentence, even
    ignoring case and whitespace.
    """
    records = starter_records(seed=seed, train_size=train_size, test_size=test_size)
    test_records = records["test_seen_slot_values"] + records["test_unseen_slot_values"]
    random.Random(seed).shuffle(test_records)
    groups = {
        **records,
        "test": test_records,
        "test_plain": [record for record in test_records if record.hard is None],
        "test_hard": [record for record in test_records if record.hard is not None],
    }
    return {name: [(record.text, record.label) for record in rows]
            for name, rows in groups.items()}


@functools.cache
def _held_out_set(label: str) -> frozenset[str]:
    return frozenset(template_id for template_id in _held_out_ids()
                     if template_id.startswith(f"{label}/"))


@functools.cache
def _held_out_ids() -> frozenset[str]:
    """Deterministically hold out ~25% of the templates, twins together.

    A positive template and its negative twin differ in a word or two, so holding out only one
    of them would leak its wording into train under the other label. Twins are held out as one
    unit. Units are grouped per hard case and per label (or pair of labels); each group puts
    its spoken units first, each part in a seeded order, and holds out every fourth unit from a
    seeded start. So every label loses about a quarter of its plain templates, of each of its
    hard cases and of its Q&A lines (which carry the transcript noise).
    """
    units: dict[str, list[str]] = {}
    for label in SENTIMENTS:
        for template_id in template_ids(label):
            twin = template_for(template_id).twin
            units.setdefault(f"twin:{twin}" if twin else template_id, []).append(template_id)
    strata: dict[str, list[str]] = {}
    for unit, ids in units.items():
        labels = "+".join(sorted(template_id.split("/")[0] for template_id in ids))
        strata.setdefault(f"{template_for(ids[0]).hard or 'plain'}:{labels}", []).append(unit)
    step = round(1 / HELD_OUT_TEMPLATE_FRACTION)
    chosen: set[str] = set()
    for stratum, stratum_units in sorted(strata.items()):
        # A string seed is hashed with SHA-512, so the choice is stable across processes.
        rng = random.Random(f"held-out-templates:{stratum}")
        rng.shuffle(stratum_units)
        stratum_units.sort(key=lambda unit: template_for(units[unit][0]).register
                           not in SPOKEN_REGISTERS)
        for unit in stratum_units[rng.randrange(step)::step]:
            chosen.update(units[unit])
    return frozenset(chosen)


def _unique_record(rng: random.Random, label: str, templates: TemplateScope,
                   values: ValueScope, taken: set[str]) -> SyntheticSentence | None:
    candidates = templates_in_scope(label, templates)
    if values == "held_out":
        candidates = tuple(template_id for template_id in candidates
                           if _POOL_SLOT.search(template_for(template_id).text))
    for _ in range(kit.ATTEMPTS_PER_ROW):
        record = _make_record(rng, label, rng.choice(candidates), values)
        if values == "held_out" and not record.values:
            continue  # the alternatives drawn skipped every named slot
        if message_key(record.text) not in taken:
            return record
    return None


def _make_record(rng: random.Random, label: str, template_id: str,
                 values: ValueScope) -> SyntheticSentence:
    template = template_for(template_id)
    picker = SlotPicker(rng, values)
    text, noise = _fill(template.text, picker), ()
    if template.register in SPOKEN_REGISTERS:
        text, noise = add_noise(rng, text, template.register)
    return SyntheticSentence(text, label, template_id, template.hard, tuple(picker.used), noise)


def _fill(template: str, picker: SlotPicker) -> str:
    """Pick one of each "[a|b]" group, fill each slot once ("{money2}" is a second amount) and
    start the sentence with a capital."""
    template = _ALTERNATIVES.sub(lambda group: picker.rng.choice(group[1].split("|")), template)
    slots = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    text = template.format(**{slot: SLOT_FILLERS[slot.rstrip(string.digits)](picker)
                              for slot in sorted(slots)})
    # A sentence may open with a metric or region ("gross margin was ...", "the Nordics ...").
    return text[0].upper() + text[1:]
