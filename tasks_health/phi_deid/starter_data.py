"""Synthetic clinical notes and patient messages, with PHI spans, for the starter dataset of
`health.phi-deid`.

The product ships this generator instead of any real record. Each text is a hand-written
template of one kind (narrative notes and record headers: templates_notes; portal messages
and emails, texts and voicemails: templates_messages) with its slots filled by slots.SLOTS in
one locale (US or UK) and the noise of noise.add_noise on top. Every identifier of
labels.PHI_TYPES keeps its character span through the noise, and the structured ones are
valid (SSA rules, NHS mod 11, NPI Luhn, DEA and VIN check digits). Hard negatives (ages of 89
and under, years, weekdays, times, durations, drugs and doses, lab values, codes, facilities,
states, roles) are never spans, and a tenth of the texts have no identifier at all.

Honest test figures need texts a model cannot have memorised, so about a quarter of each
kind's templates only ever generate test rows, and about a fifth of each named pool (first
names, surnames, streets, towns, counties) is kept out of training as well. The machinery
(template hold-out, slot filling, records and splits) is slm_platform.core.entity_starter_kit's,
shared with the statement-entity generator.
"""

import random
import re

from slm_platform.core import entity_starter_kit as entity_kit
from slm_platform.core import starter_kit as kit
from slm_platform.core.entity_starter_kit import NO_ENTITY

from .labels import PHI_TYPES
from .noise import add_noise
from .slots import ENTITY_SLOTS, LOCALE_SLOTS, SLOTS, SlotPicker, ValueScope
from .templates_messages import MESSAGE_TEMPLATES, SMS_TEMPLATES
from .templates_notes import NOTE_TEMPLATES, RECORD_TEMPLATES

message_key = kit.message_key  # the uniqueness key, for callers and tests
template_slots = entity_kit.template_slots  # the slot names of a template, for tests

TEMPLATES: dict[str, tuple[str, ...]] = {
    "note": NOTE_TEMPLATES, "record": RECORD_TEMPLATES, "message": MESSAGE_TEMPLATES,
    "sms": SMS_TEMPLATES,
}
TEXT_KINDS = tuple(TEMPLATES)
# How many of every twenty texts each group gives: a text kind's templates with identifiers,
# or ("none") the templates of any kind without one, so a tenth of the texts have none.
GROUP_WEIGHTS: dict[str, int] = {"note": 5, "record": 4, "message": 5, "sms": 4, NO_ENTITY: 2}
GROUPS = tuple(GROUP_WEIGHTS)
HELD_OUT_TEMPLATE_FRACTION = 0.25
US_SHARE = 0.55  # of the texts whose template fits either locale
# Words that place a template in one country's health system.
_LOCALE_WORDS = {"uk": re.compile(r"\b(GP|NHS|A&E|DVLA|mum|postcode|Trust|ward \d+)\b"),
                 "us": re.compile(r"\b(SSN|Medicare|ZIP|copay|ER|mom|DEA|NPI|VPN)\b")}
# The templates by group (TABLE.template_ids(group), .held_out_templates(group), ...), a
# quarter of each held out for test and chosen so that no rare slot (a VIN, say) is all test.
TABLE = entity_kit.TemplateTable(TEMPLATES, entity_slots=ENTITY_SLOTS, groups=GROUPS,
                                 fraction=HELD_OUT_TEMPLATE_FRACTION)


def template_locale(template: str) -> str | None:
    """"us" or "uk" where a template's slots or words tie it to one country, else None."""
    for slot in template_slots(template):
        if slot in LOCALE_SLOTS:
            return LOCALE_SLOTS[slot]
    for locale, words in _LOCALE_WORDS.items():
        if words.search(template):
            return locale
    return None


def _new_picker(rng: random.Random, values: ValueScope, template: str) -> SlotPicker:
    """A picker in the template's locale, or (if it fits both) in one drawn."""
    locale = template_locale(template) or ("us" if rng.random() < US_SHARE else "uk")
    return SlotPicker(rng, values, locale)


_GENERATOR = entity_kit.EntityGenerator(
    table=TABLE, weights=GROUP_WEIGHTS, seed=31, new_picker=_new_picker, slots=SLOTS,
    add_noise=add_noise, entity_types=PHI_TYPES)
# Train from seen templates and seen names and places; test from held-out templates, half
# with seen values (new wording, familiar names), half with held-out ones (both new).
generate_records = _GENERATOR.generate_records
starter_records = _GENERATOR.starter_records
starter_splits = _GENERATOR.starter_splits
