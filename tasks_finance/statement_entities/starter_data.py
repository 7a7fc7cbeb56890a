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
employers, payees, people) is kept out of training as well. The machinery (template hold-out,
slot filling, records and splits) is slm_platform.core.entity_starter_kit's, shared with the
PHI de-identification generator.
"""

from slm_platform.core import entity_starter_kit as entity_kit
from slm_platform.core import starter_kit as kit
from slm_platform.core.entity_starter_kit import NO_ENTITY

from .ner_noise import add_noise
from .ner_slots import ENTITY_SLOTS, ENTITY_TYPES, SLOTS, SlotPicker
from .ner_templates_letters import EMAIL_TEMPLATES, NOTICE_TEMPLATES
from .ner_templates_lines import HEADER_TEMPLATES, REFERENCE_TEMPLATES, TRANSACTION_TEMPLATES

message_key = kit.message_key  # the uniqueness key, for callers and tests
template_slots = entity_kit.template_slots  # the slot names of a template, for tests

TEMPLATES: dict[str, tuple[str, ...]] = {
    "transaction": TRANSACTION_TEMPLATES, "reference": REFERENCE_TEMPLATES,
    "header": HEADER_TEMPLATES, "notice": NOTICE_TEMPLATES, "email": EMAIL_TEMPLATES,
}
TEXT_KINDS = tuple(TEMPLATES)
# How many of every twenty texts each group gives: a text kind's templates with entities, or
# ("none") the templates of any kind without one, so a tenth of the texts have no entity.
GROUP_WEIGHTS: dict[str, int] = {"transaction": 4, "reference": 3, "header": 3, "notice": 4,
                                 "email": 4, NO_ENTITY: 2}
GROUPS = tuple(GROUP_WEIGHTS)
HELD_OUT_TEMPLATE_FRACTION = 0.25
# The templates by group (TABLE.template_ids(group), .held_out_templates(group), ...), a
# quarter of each held out for test and chosen so that no rare slot (a BIC, say) is all test.
TABLE = entity_kit.TemplateTable(TEMPLATES, entity_slots=ENTITY_SLOTS, groups=GROUPS,
                                 fraction=HELD_OUT_TEMPLATE_FRACTION)
_GENERATOR = entity_kit.EntityGenerator(
    table=TABLE, weights=GROUP_WEIGHTS, seed=29, slots=SLOTS, add_noise=add_noise,
    new_picker=lambda rng, values, _template: SlotPicker(rng, values),
    entity_types=ENTITY_TYPES)
# Train from seen templates and seen names; test from held-out templates, half with seen names
# (new wording, familiar banks and people), half with held-out ones (both new).
generate_records = _GENERATOR.generate_records
starter_records = _GENERATOR.starter_records
starter_splits = _GENERATOR.starter_splits
