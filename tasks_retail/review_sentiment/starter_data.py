"""Synthetic product reviews for the starter dataset of retail review sentiment.

The product ships this generator instead of any real review. compose.plan_review decides what a
review says (an overall polarity, a verdict or none, opinions about 0-3 aspects; the overall
label follows compose.overall_polarity), compose.layout orders its sentences, and each sentence
is a hand-written template (templates_product, templates_service, templates_opinion) with slots
filled from slots.POOLS; noise.add_noise goes on top.

Honest test figures need reviews a model cannot have memorised, so about a quarter of every
template group (each aspect and polarity, each verdict polarity, each kind of filler; at least
four) only ever appears in test rows, and test rows are built from those templates alone. The
tables of one facet (an aspect's positive and negative clauses, the three verdicts) are written
side by side with mirror-image clauses at one index, so the same indices are held out of each:
a sentence frame is never seen in training with one polarity only. About a fifth of each named
slot pool (products, brands, carriers, star ratings, ...) is kept out of training as well.
"""

import functools
import random
import re
import string
from typing import NamedTuple

from slm_platform.core import starter_kit as kit
from slm_platform.core.starter_kit import TemplateScope

from .compose import Plan, clause_from_template, join_clauses, layout, plan_labels, plan_review
from .labels import ASPECT_LABELS, OVERALL, OVERALL_LABELS
from .noise import add_noise
from .slots import SLOT_FILLERS, SlotPicker, ValueScope
from .templates_opinion import FILLER_TEMPLATES, OPINION_TEMPLATES
from .templates_product import PRODUCT_TEMPLATES
from .templates_service import SERVICE_TEMPLATES

message_key = kit.message_key  # the uniqueness key, for callers and tests

HELD_OUT_TEMPLATE_FRACTION = 0.25
MIN_HELD_OUT_TEMPLATES = 4
_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")

# Every template group: the ten aspect:polarity groups, the three verdict groups (named by the
# overall label they give) and the three kinds of filler.
TEMPLATES: dict[str, tuple[str, ...]] = {
    **{label: {**PRODUCT_TEMPLATES, **SERVICE_TEMPLATES}[label] for label in ASPECT_LABELS},
    **{label: OPINION_TEMPLATES[label] for label in OVERALL_LABELS},
    **FILLER_TEMPLATES,
}
TEST_SLICES = ("test_seen_slot_values", "test_unseen_slot_values", "test_mixed_aspects",
               "test_no_aspects")


class SyntheticReview(NamedTuple):
    """One generated review, with where it came from."""

    text: str
    labels: tuple[str, ...]  # one overall label, then 0-3 aspect labels, in LABELS order
    plan: Plan
    template_ids: tuple[str, ...]  # "<group>/<index in the group's table>", in sentence order
    sentences: int
    values: tuple[str, ...]  # the named slot values used, as "pool:value"
    noise: tuple[str, ...]  # the kinds of noise that changed the text


def template_ids(group: str) -> tuple[str, ...]:
    return tuple(f"{group}/{index:02d}" for index in range(len(TEMPLATES[group])))


def template_text(template_id: str) -> str:
    group, index = template_id.split("/")
    return TEMPLATES[group][int(index)]


def held_out_templates(group: str) -> tuple[str, ...]:
    """Ids of the group's templates reserved for the test split, in table order."""
    reserved = _held_out_set(group)
    return tuple(template for template in template_ids(group) if template in reserved)


def templates_in_scope(group: str, scope: TemplateScope) -> tuple[str, ...]:
    return kit.templates_in_scope(template_ids(group), _held_out_set(group), scope)


def generate_records(
    n: int, *, seed: int, templates: TemplateScope = "all", values: ValueScope = "all",
    exclude: frozenset[str] = frozenset(),
) -> list[SyntheticReview]:
    """Up to ``n`` reviews, a third of each overall polarity, deterministic per seed, unique by
    ``message_key`` and never with a key in ``exclude`` (starter_kit.generate_balanced)."""
    def draw(rng: random.Random, overall: str, taken: set[str]) -> SyntheticReview | None:
        return kit.first_unique(lambda: _make_record(rng, overall, templates, values), taken)

    return kit.generate_balanced(n, seed=seed, labels=OVERALL, draw=draw, exclude=exclude)


def generate_examples(n: int, *, seed: int, templates: TemplateScope = "all",
                      values: ValueScope = "all") -> list[tuple[str, list[str]]]:
    """Up to ``n`` (review, labels) pairs, about n/3 per overall polarity."""
    records = generate_records(n, seed=seed, templates=templates, values=values)
    return [_row(record) for record in records]


def starter_records(
    *, seed: int = 31, train_size: int = 2400, test_size: int = 600
) -> dict[str, list[SyntheticReview]]:
    """Train and the two test halves as records (see ``starter_splits``)."""
    return kit.held_out_split(generate_records, seed=seed, train_size=train_size,
                              test_size=test_size)


def starter_splits(
    *, seed: int = 31, train_size: int = 2400, test_size: int = 600
) -> dict[str, list[tuple[str, list[str]]]]:
    """Build the starter train/test split of (review, labels) pairs; labels is a list with one
    overall label and 0-3 aspect labels, the label-set form the multi-label trainer takes.

    Train uses seen templates and seen slot values only. Test uses only held-out templates:
    half filled with seen slot values ("test_seen_slot_values": new wording, familiar products),
    half with held-out ones ("test_unseen_slot_values": both new). Two more slices cut the whole
    test split by content: "test_mixed_aspects" (a positive and a negative aspect opinion in one
    review) and "test_no_aspects" (a verdict alone, the overall label only). No test review
    repeats a train review, even ignoring case and whitespace.
    """
    records = starter_records(seed=seed, train_size=train_size, test_size=test_size)
    test_records = records["test_seen_slot_values"] + records["test_unseen_slot_values"]
    random.Random(seed).shuffle(test_records)
    parts = {
        **records,
        "test": test_records,
        "test_mixed_aspects": [record for record in test_records if _mixed(record.plan)],
        "test_no_aspects": [record for record in test_records if not record.plan.aspects],
    }
    return {name: [_row(record) for record in rows] for name, rows in parts.items()}


def facet(group: str) -> str:
    """The facet whose tables share held-out indices: "price" for "price:negative", "overall"
    for the verdicts, the group itself for a kind of filler."""
    return group if group.startswith("filler:") else group.split(":")[0]


@functools.cache
def _held_out_set(group: str) -> frozenset[str]:
    """Deterministically pick ~25% (at least four) of a group's templates to hold out: the same
    indices in every table of the group's facet."""
    size = len(TEMPLATES[group])
    count = max(MIN_HELD_OUT_TEMPLATES, round(size * HELD_OUT_TEMPLATE_FRACTION))
    # A string seed is hashed with SHA-512, so the choice is stable across processes.
    indices = random.Random(f"held-out-templates:{facet(group)}").sample(range(size), count)
    return frozenset(f"{group}/{index:02d}" for index in indices)


def _row(record: SyntheticReview) -> tuple[str, list[str]]:
    return record.text, list(record.labels)


def _mixed(plan: Plan) -> bool:
    return len({polarity for _, polarity in plan.aspects}) == 2


def _make_record(rng: random.Random, overall: str, templates: TemplateScope,
                 values: ValueScope) -> SyntheticReview:
    plan = plan_review(rng, overall)
    picker = SlotPicker(rng, values)
    chosen = [rng.choice(templates_in_scope(group, templates)) for group in layout(rng, plan)]
    clauses = [
        clause_from_template(template_text(template), _fill(template_text(template), picker),
                             template.split("/")[0])
        for template in chosen
    ]
    sentences = join_clauses(rng, clauses)
    text, noise = add_noise(rng, " ".join(sentences))
    return SyntheticReview(text, plan_labels(plan), plan, tuple(chosen), len(sentences),
                           tuple(picker.used), noise)


def _fill(template: str, picker: SlotPicker) -> str:
    """Pick one of each "[a|b]" group, then fill each slot once ("{price2}" is a second price)."""
    template = _ALTERNATIVES.sub(lambda group: picker.rng.choice(group[1].split("|")), template)
    slots = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return template.format(**{slot: SLOT_FILLERS[slot.rstrip(string.digits)](picker)
                              for slot in sorted(slots)})
