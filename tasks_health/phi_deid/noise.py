"""The noise of real clinical text and patient messages, by kind of text.

Clinical notes get sign-offs, clinical shorthand ("pt", "hx", "dx", "f/u"), line breaks and
stray spaces; record headers column padding and capitals; portal messages and emails
greetings, sign-offs, chat shorthand ("pls", "appt"), typos and dropped apostrophes; texts and
voicemails all of that more often, and lower case. The span-keeping steps they share with
the statement-entity generator are slm_platform.core.entity_noise's; greetings that name the
doctor, possessive-keeping apostrophes and the clinical shorthand are this generator's own.
"""

import random
import re

from slm_platform.core import entity_noise as shared
from slm_platform.core.entity_noise import Fill, Segments, joined
from slm_platform.core.entity_starter_kit import Segment
from slm_platform.core.starter_kit import abbreviate

# How often each kind of noise is drawn for each kind of text, in the order applied.
NOISE_RATES: dict[str, tuple[tuple[str, float], ...]] = {
    "note": (("signoff", 0.3), ("abbreviations", 0.35), ("line_breaks", 0.2), ("typos", 0.06),
             ("extra_spaces", 0.08), ("no_final_punctuation", 0.1), ("uppercase", 0.04)),
    "record": (("column_spacing", 0.3), ("abbreviations", 0.2), ("extra_spaces", 0.05),
               ("uppercase", 0.12), ("lowercase", 0.04)),
    "message": (("greeting", 0.35), ("signoff", 0.4), ("abbreviations", 0.3), ("typos", 0.2),
                ("no_apostrophes", 0.2), ("no_final_punctuation", 0.2), ("line_breaks", 0.1),
                ("extra_spaces", 0.06), ("lowercase", 0.12)),
    "sms": (("greeting", 0.15), ("signoff", 0.3), ("abbreviations", 0.5), ("typos", 0.3),
            ("no_apostrophes", 0.4), ("no_final_punctuation", 0.5), ("extra_spaces", 0.05),
            ("lowercase", 0.45), ("uppercase", 0.02)),
}

GREETINGS = ("Hi", "Hello", "Hi there", "Good morning", "Dear Doctor", "Dear Sir/Madam",
             "Hello team", "Morning", "Hiya", "Dear Dr {doctor:last}", "Hi Dr {doctor:last}")
_GREETING_WORDS = frozenset({"hi", "hello", "dear", "good", "morning", "hiya", "hey"})
# Filled like templates. A message is signed by its writer, "{patient}" in every message
# template; a note by its clinician, "{doctor9}", someone the note may not name elsewhere.
SIGNOFFS: dict[str, tuple[str, ...]] = {
    "message": ("Thanks", "Thank you", "Sent from my iPhone", "Thanks, {patient:first}",
                "Regards,\n{patient}", "- {patient:first}", "Kind regards, {patient}\n{phone}",
                "{patient} (DOB {dob})", "Many thanks\n{patient}\n{mrn:labelled}", "Cheers"),
    "note": ("Electronically signed by {doctor9:plain}, MD on {date9} at {time}",
             "Dictated by {doctor9}; transcribed {date9:short}", "{doctor9:plain}, MBChB",
             "Signed electronically", "Dictated but not read", "cc: {doctor9}, GP",
             "Reviewed and agree with plan above. {doctor9:plain}, DO"),
}
SIGNOFFS["sms"] = SIGNOFFS["message"]

# A space between two words (not one next to a line break or another space).
_INNER_SPACE = r"(?<=\S) (?=\S)"
# Longer phrases first, so "follow up" is shortened before "up" could be.
ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bshortness of breath\b", ("SOB",)), (r"\bblood pressure\b", ("BP",)),
    (r"\bfollow[- ]up\b", ("f/u", "FU")), (r"\bdischarged?\b", ("d/c", "dc'd")),
    (r"\bpatient\b", ("pt",)), (r"\bhistory\b", ("hx",)), (r"\bdiagnosis\b", ("dx",)),
    (r"\btreatment\b", ("tx",)), (r"\bprescription\b", ("rx", "script")),
    (r"\bappointment\b", ("appt", "apt")), (r"\bmedications?\b", ("meds",)),
    (r"\bwithout\b", ("w/o",)), (r"\bwith\b", ("w/",)), (r"\byears old\b", ("yo", "y/o")),
    (r"\bplease\b", ("pls", "plz")), (r"\bthanks\b", ("thx", "ty")), (r"\byou\b", ("u",)),
    (r"\bbecause\b", ("bc", "cos")), (r"\btomorrow\b", ("tmrw",)), (r"\bmessage\b", ("msg",)),
    (r"\binformation\b", ("info",)), (r"\bdaughter\b", ("dtr",)), (r"\bI'm\b", ("im", "Im")),
)

# Text already in capitals is not then lower-cased.
_CASE_ONCE = {"lowercase": "uppercase"}


def add_noise(rng: random.Random, segments: Segments, *, text_kind: str, fill: Fill,
              entities_allowed: bool) -> tuple[Segments, tuple[str, ...]]:
    """Return the noisy segments and the kinds of noise that changed them, in order applied.
    ``fill`` turns a greeting or sign-off template into segments; a text meant to have no
    entity only gets those that name nobody."""
    steps: dict[str, shared.Step] = {
        "column_spacing": lambda value: shared.widen_gaps(
            rng, value, widths=("  ", "   ", "\t", " | "), gap=_INNER_SPACE),
        "uppercase": lambda value: shared.recase(value, str.upper),
        "lowercase": lambda value: shared.recase(value, str.lower),
        "typos": lambda value: shared.plain_typos(rng, value),
        "no_final_punctuation": shared.drop_final_punctuation,
        "signoff": lambda value: shared.sign_off(rng, value, signoffs=SIGNOFFS[text_kind],
                                                 fill=fill, entities_allowed=entities_allowed),
        "line_breaks": lambda value: shared.plain_only(
            value, lambda text: text.replace(". ", ".\n")),
        "extra_spaces": lambda value: shared.widen_gaps(
            rng, value, widths=("  ", " \n ", "   "), gap=_INNER_SPACE),
        "greeting": lambda value: _greet(rng, value, fill, entities_allowed),
        "abbreviations": lambda value: shared.plain_only(
            value, lambda text: abbreviate(rng, text, ABBREVIATIONS, 0.6)),
        "no_apostrophes": _drop_apostrophes,
    }
    return shared.apply_noise(rng, segments, rates=NOISE_RATES[text_kind], steps=steps,
                              never_after=_CASE_ONCE)


def _drop_apostrophes(segments: Segments) -> Segments:
    """Drop the apostrophes of plain text, but not a possessive's right after a span: a name
    must not run into the next word ("Okoro's" -> "Okoros" would split the name)."""
    kept = []
    for index, segment in enumerate(segments):
        text = segment.text
        if segment.kind is None:
            after_value = index > 0 and segments[index - 1].kind is not None
            head = "'" if after_value and text.startswith("'") else ""
            text = head + text[len(head):].replace("'", "")
        kept.append(Segment(text, segment.kind))
    return kept


def _greet(rng: random.Random, segments: Segments, fill: Fill,
           entities_allowed: bool) -> Segments:
    """Put a greeting in front, unless the text already opens with one."""
    first_word = re.sub(r"\W", "", joined(segments).split()[0]).lower()
    if first_word in _GREETING_WORDS:
        return segments
    greetings = [text for text in GREETINGS if entities_allowed or "{" not in text]
    first, separator = segments[0], rng.choice((",\n", ", ", "\n\n", " - "))
    if separator == ", " and first.kind is None and not re.match(r"I\b|[A-Z]{2}", first.text):
        first = Segment(first.text[:1].lower() + first.text[1:])
    return [*fill(rng.choice(greetings)), Segment(separator), first, *segments[1:]]
