"""Questions the clinic's assistant never answers, however well a passage matches: how much of
a medicine to take (dosage) and what a symptom or finding is (diagnosis). They go to the
clinical team with a fixed reply; red-flag emergencies are caught before this (red_flags.py).
Plain Python, no Django."""

import re

_MEDICINE = (r"(?:tablets?|pills?|capsules?|paracetamol|ibuprofen|aspirin|codeine|medicine"
             r"|medication|meds|antibiotics?|inhaler|insulin|doses?|mg|ml|spoonfuls?|puffs?)")
_RULES: dict[str, re.Pattern] = {
    "dosage": re.compile(
        r"\bdos(?:age|ing)\b|\b(?:what|which|right|correct|max(?:imum)?|safe|usual)\s+doses?\b"
        r"|\bhow\s+(?:many|much|often)\b(?=[^.?!]{0,80}" + _MEDICINE + r")"
        r"[^.?!]{0,60}\b(?:take|give|have|use)\b"
        r"|\b(?:can|should|could|may)\s+(?:i|he|she|we|they|my\s+\w+)\s+"
        r"(?:take|give|double|mix|combine|stop\s+taking|skip|halve|crush)\b[^.?!]{0,50}"
        + _MEDICINE
        + r"|\bis\s+it\s+(?:safe|ok|okay|alright)\s+to\s+(?:take|give|mix|combine|double)\b",
        re.I),
    "diagnosis": re.compile(
        r"\bdiagnos"
        r"|\bwhat\s+do\s+you\s+think\s+(?:it|this|that)\s+(?:is|could\s+be|might\s+be)\b"
        r"|\bwhat(?:'s|\s+is)\s+wrong\s+with\s+(?:me|him|her|my)\b"
        r"|\b(?:do\s+you\s+think|could\s+(?:it|this|that)\s+be|might\s+(?:it|this|that)\s+be"
        r"|is\s+(?:it|this|that)|have\s+i\s+got|do\s+i\s+have)\b[^.?!]{0,40}"
        r"\b(?:cancer|tumou?r|infect(?:ion|ed)|shingles|diabetes|covid|broken|fractured"
        r"|serious|contagious|pregnant|an?\s+allergy|appendicitis|sepsis|meningitis)\b",
        re.I),
}
REPLY = (
    "I can't give medical advice about medicines or symptoms, so I'm passing your question to "
    "our clinical team, who will reply in this conversation. If you feel very unwell, call 111, "
    "or 999 in an emergency.")


def clinical_advice_request(text: str) -> tuple[str, str] | None:
    """("dosage" or "diagnosis", the fixed reply) when the message asks for either, else None."""
    for name, pattern in _RULES.items():
        if pattern.search(text):
            return name, REPLY
    return None
