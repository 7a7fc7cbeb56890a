"""health.phi-deid as served: the model's spans and the validated patterns' matches, combined so
that the known mistakes of rule-only tools do not happen, and the text with its PHI masked.

The model finds the contextual types (names, places, dates in prose, identifiers known only by
the words around them); the patterns (phi_deid.patterns) find the structured ones and check
them. Combined:
- a pattern's match wins over any model span it overlaps (an email address is one EMAIL, never
  a NAME or an organisation inside it; a number after "tel" is a PHONE even when the model or a
  mod-11 check would call it an NHS number);
- a model span of a type with a check must pass it (a "date" of 120/80 is a blood pressure, an
  "age" of 67 is no identifier, an "IP" must have real octets), else it is dropped.

Each entity: {start, end, label, text, score, source: "model" | "rule", rule?}. The prediction
also carries `redacted`, the text in mask mode ("[NAME]"); the de-identification endpoint
offers the other modes over whole documents. Plain Python.
"""

from tasks_health.phi_deid.patterns import find_identifiers, valid_for_type
from tasks_health.phi_deid.redaction import redact

_EDGE = " \t\n,;:()[]\"'"


def phi_entities(text: str, model_entities: list[dict]) -> list[dict]:
    """The model's checked entities and the patterns' matches, none overlapping, in text
    order."""
    found = [{"start": item["start"], "end": item["end"], "label": item["type"],
              "text": text[item["start"]:item["end"]], "score": None, "source": "rule",
              "rule": item["rule"]} for item in find_identifiers(text)]
    kept = []
    for entity in model_entities:
        start, end = _trimmed(text, entity["start"], entity["end"])
        if start >= end or not valid_for_type(entity["label"], text[start:end]):
            continue
        if any(start < rule["end"] and rule["start"] < end for rule in found):
            continue
        kept.append({"start": start, "end": end, "label": entity["label"],
                     "text": text[start:end], "score": entity.get("score"), "source": "model"})
    return sorted(found + kept, key=lambda entity: entity["start"])


def phi_served(text: str, prediction: dict) -> dict:
    """The task's post-processing (TaskSpec.postprocess)."""
    entities = phi_entities(text, prediction.get("entities", []))
    redacted, _ = redact(text, entities, mode="mask", key=b"")
    return dict(prediction, entities=entities, redacted=redacted)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the spaces and punctuation a token classifier may take at its edges
    (and a full stop at its end); a bracket stays when the span holds its partner, as in a
    device's "(01)0059...(21)9153"."""
    def edge(character: str, span: str, partner: str) -> bool:
        return character in _EDGE and not (character in "()" and partner in span)

    while start < end and edge(text[start], text[start:end], ")"):
        start += 1
    while end > start and (text[end - 1] == "." or edge(text[end - 1], text[start:end], "(")):
        end -= 1
    return start, end
