"""finance.statement-entities as served: the model's entities with account identifiers checked
and masked, and the identifiers the checks find (which win over any entity they overlap).

An IBAN entity must pass the IBAN check and a full card number Luhn and a card brand's prefix,
else it is dropped: a random digit run is never called an IBAN or a card. IBAN, CARD and
ACCOUNT entities keep their span but their `text` is masked (last four kept, separators kept:
"GB** **** **** **** **54 32", "**** **** **** 1111"), with `masked: true`. Plain Python.
"""

import re

from tasks_finance.statement_entities.identifiers import (
    card_is_valid,
    find_identifiers,
    iban_is_valid,
)
from tasks_finance.statement_entities.masking import mask_keeping

IDENTIFIER_TYPES = ("IBAN", "CARD", "ACCOUNT")
_DIGITS = re.compile(r"\d")


def identifier_checked(entity: dict) -> dict | None:
    """The entity with its identifier masked, or None when it fails its check."""
    label, text = entity["label"], entity["text"]
    if label == "IBAN" and not iban_is_valid(text):
        return None
    digits = len(_DIGITS.findall(text))
    if label == "CARD" and digits >= 13 and not card_is_valid(text):
        return None  # a full number that is no card; "**** 1234" stays a masked card
    if label in IDENTIFIER_TYPES:
        head = 2 if label == "IBAN" else 0
        return dict(entity, text=mask_keeping(text, head=head), masked=True)
    return entity


def statement_entities_served(text: str, prediction: dict) -> dict:
    """The task's post-processing (TaskSpec.postprocess). The identifiers the checks find win
    over any model entity they overlap, so no entity ever shows an unmasked account number."""
    found = [{"start": item["start"], "end": item["end"], "label": item["type"],
              "text": item["masked"], "score": None, "masked": True, "source": "rule"}
             for item in find_identifiers(text)]
    entities = [checked for entity in prediction.get("entities", [])
                if not any(entity["start"] < rule["end"] and rule["start"] < entity["end"]
                           for rule in found)
                and (checked := identifier_checked(entity)) is not None]
    return dict(prediction, entities=sorted(entities + found, key=lambda e: e["start"]))
