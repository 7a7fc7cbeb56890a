"""Red-flag rules for patient messages: a safety net under the intent model.

A learned classifier misses some emergencies worded unlike its training data (the starter model
found 41 of 60 held-out ones on its own). A message naming a red-flag symptom is therefore called
`emergency` whatever the model said, and says which rule fired, so a person can see why. The
rules follow the usual urgent-care red flags (heart attack, breathing, stroke, sudden severe
headache, heavy bleeding, suicide and self-harm, overdose and poisoning, anaphylaxis, collapse,
seizures, an unwell baby, a rash that does not fade, sepsis, severe burns); they lean towards
calling an emergency, and a negation just before a match ("no thoughts of self-harm", "not
struggling to breathe") stops it. Plain Python, no Django.
"""

import re
from dataclasses import dataclass

_RULES: dict[str, str] = {
    "chest_pain": (
        r"heart attack|chest (?:pain|tightness|pressure|is tight)[^.?!]{0,60}?"
        r"(?:crush|radiat|spread|down (?:my|his|her|the) (?:left )?arm|jaw|sweat|clammy"
        r"|breath|faint|dizz|sick)"
        r"|(?:crushing|heavy|squeezing) (?:pain|feeling|pressure) (?:in|on|across) "
        r"(?:my|his|her|the) chest"),
    "breathing": (
        r"(?:can'?t|cannot|can not|unable to|not able to|struggling to|hard to|barely) "
        r"(?:breathe|breath|catch (?:my|his|her|their) breath|get (?:my|his|her) breath)"
        r"|gasping|lips (?:are |have )?(?:gone |going |turning |turned )?blue|blue lips|choking"),
    "stroke": (
        r"\bstroke\b|face (?:is )?(?:droop|dropp|fallen|drooping|lopsided)"
        r"|slurr(?:ed|ing)|(?:can'?t|cannot|unable to) (?:lift|raise|move) "
        r"(?:his|her|my|one|their) (?:arm|leg)"
        r"|sudden(?:ly)? (?:lost|loss of|can'?t see|blind)"),
    "headache": (
        r"worst headache|thunderclap|sudden(?:ly)?,? (?:severe|excruciating|agonising|agonizing) "
        r"headache"),
    "bleeding": (
        r"(?:won'?t|will not|doesn'?t|does not|can'?t|cannot|not) stop(?:ping)? bleeding"
        r"|bleeding (?:heavily|a lot|won'?t stop|non.?stop|everywhere)|pouring (?:with )?blood"
        r"|(?:coughing|vomiting|throwing) up blood|heavy bleeding"),
    "suicide_self_harm": (
        r"suicid|kill (?:myself|himself|herself|themselves)"
        r"|end(?:ing)? (?:it all|my life|his life|her life)"
        r"|take (?:my|his|her) own life|self.?harm|hurt(?:ing)? (?:myself|himself|herself)"
        r"|don'?t want to (?:be here|live|wake up)"),
    "overdose_poisoning": (
        r"overdos|took (?:too many|a lot of|loads of|all (?:of )?(?:my|his|her|the)) "
        r"(?:pills|tablets|meds)|swallowed [^.?!]{0,40}(?:pills|tablets|bleach|battery)"
        r"|poison"),
    "anaphylaxis": (
        r"anaphyla|epi-?pen|(?:throat|tongue|lips|face|mouth) (?:is |are |has |have )?"
        r"(?:swelling|swollen|swelled|closing)|swelling (?:of|in) (?:the|his|her|my) "
        r"(?:throat|tongue|lips|face)"),
    "collapse": (
        r"unresponsive|won'?t wake|not waking|can'?t wake|passed out|collapsed|unconscious"
        r"|not breathing|stopped breathing"),
    "seizure": r"seizure|convuls|(?:having|had) a fit\b|fitting",
    "unwell_baby": (
        r"(?:baby|newborn|infant)[^.?!]{0,60}(?:floppy|limp|unresponsive|blue|won'?t feed"
        r"|not feeding|fever|temperature of 3[89])|floppy"),
    "rash_not_fading": r"(?:doesn'?t|does not|won'?t|didn'?t|not) fade|glass test|non.?blanching",
    "sepsis": r"sepsis|septic|mottled",
    "severe_burn": r"(?:large|big|bad|severe|deep) burns?\b|burn(?:t|ed)? (?:all over|badly)",
}
_PATTERNS = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _RULES.items()}
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|denies|deny|nor|none|isn'?t|aren'?t|wasn'?t|don'?t|doesn'?t"
    r"|didn'?t|haven'?t|hasn'?t)\b(?:\W+\w+){0,3}\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class RedFlag:
    rule: str
    matched: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"rule": self.rule, "matched": self.matched, "start": self.start,
                "end": self.end}


def red_flag(text: str) -> RedFlag | None:
    """The first red-flag rule the message meets (not negated just before), or None."""
    for rule, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 40):match.start()]
            # Only the clause the match sits in: "no fever. He can't breathe" is not negated.
            before = re.split(r"[.?!;]", before)[-1]
            if _NEGATION.search(before):
                continue
            return RedFlag(rule, match.group(0), match.start(), match.end())
    return None
