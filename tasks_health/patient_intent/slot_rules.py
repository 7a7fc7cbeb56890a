"""Slots of a patient message: dates, times, departments and clinician names, with spans.

Patterns, not a model: the shapes of dates ("next tue", "3/14", "14 March", "the 2nd",
"tomorrow") and times ("9.30am", "half 8", "quarter past 11", "1615hrs"), a gazetteer of clinic
departments, and a title followed by a name ("Dr Okafor", "nurse patel"). Each slot is
{"type", "text", "start", "end"} with text == message[start:end]; overlapping matches keep the
longest. Plain Python, no Django.
"""

import re

_WEEKDAY = (r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day)?|monday|tuesday"
            r"|wednesday|thursday|friday|saturday|sunday")
_MONTH = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"\b(?:(?:next|this|last|coming) (?:{_WEEKDAY})"
    rf"|(?:{_WEEKDAY}),? (?:the )?{_DAY}(?: of)? (?:{_MONTH})"
    rf"|(?:{_WEEKDAY}) (?:{_DAY}|week|morning|afternoon|evening)\b"
    r"|(?:this|tomorrow|yesterday|today) (?:morning|afternoon|evening)"
    r"|(?:later|earlier) this (?:week|month)"
    rf"|{_WEEKDAY}"
    rf"|{_DAY} (?:of )?(?:{_MONTH})(?: \d{{4}})?|(?:{_MONTH}) {_DAY}(?:,? \d{{4}})?"
    rf"|the {_DAY}\b(?: of (?:{_MONTH}))?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|(?:[12]\d|3[01]|0?[1-9])\.(?:1[0-2]|0?[1-9])\.(?:\d{2,4})?"
    r"|today|tomorrow|tmrw|tmr|yesterday|yday|the other day|(?:next|this|last) week(?:end)?)"
    r"(?!\w)",
    re.IGNORECASE)
_TIME = re.compile(
    r"\b(?:(?:half|quarter (?:past|to)) (?:1[0-2]|[1-9])"
    r"|(?:[01]?\d|2[0-3])[:.][0-5]\d ?(?:am|pm|a\.m\.|p\.m\.)?"
    r"|(?:1[0-2]|0?[1-9]) ?(?:am|pm|a\.m\.|p\.m\.|o'?clock)"
    r"|(?:[01]\d|2[0-3])[0-5]\d ?hrs|noon|midday|midnight)(?![\w/])",
    re.IGNORECASE)
DEPARTMENTS = (
    "A&E", "accident and emergency", "antenatal", "audiology", "blood clinic", "cardiology",
    "dermatology", "diabetes clinic", "dietetics", "ear nose and throat", "ENT", "endocrinology",
    "family planning", "fracture clinic", "gastroenterology", "GP", "gynaecology", "gynecology",
    "haematology",
    "maternity", "memory clinic", "mental health", "midwife", "neurology", "oncology",
    "ophthalmology", "orthopaedics", "orthopedics", "paediatrics", "pediatrics", "pharmacy",
    "phlebotomy", "physio", "physiotherapy", "podiatry", "radiology", "respiratory clinic",
    "rheumatology", "sexual health", "travel clinic", "urology", "x-ray", "vaccination clinic",
)
_DEPARTMENT = re.compile(
    r"\b(?:" + "|".join(re.escape(name) for name in
                        sorted(DEPARTMENTS, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE)
# A title, then a name that is not an ordinary word ("dr appointment" is no clinician).
_NOT_NAMES = {
    "a", "about", "again", "and", "appointment", "appt", "asap", "at", "be", "bumped", "can",
    "clinic", "could", "for", "he", "i", "in", "is", "it", "letter", "my", "need", "note",
    "office", "on", "or", "please", "pls", "quick", "said", "says", "she", "surgery",
    "thanks", "the", "they", "to", "today", "told", "tomorrow", "visit", "was", "we", "who",
    "will", "would", "write", "you", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "has", "had", "have", "did", "does", "gave", "asked", "wants",
    "what", "when", "where", "why", "how", "explain", "if", "this", "next", "first",
}
_NAME = r"[A-Za-z][A-Za-z'-]+"
_CLINICIAN = re.compile(
    rf"\b(?:(?:dr|prof|mr|mrs|ms)\.?|doctor|nurse|professor|miss|midwife|sister) "
    rf"({_NAME})(?: ({_NAME}))?", re.IGNORECASE)


def extract_slots(text: str) -> list[dict]:
    """The message's dates, times, departments and clinicians in text order."""
    found = [("date", match) for match in _DATE.finditer(text)]
    found += [("time", match) for match in _TIME.finditer(text)]
    found += [("department", match) for match in _DEPARTMENT.finditer(text)]
    found += [("clinician", match) for match in _clinicians(text)]
    found.sort(key=lambda item: (item[1].start(), -(item[1].end() - item[1].start())))
    slots, end = [], -1
    for kind, match in found:
        if match.start() < end:
            continue  # inside a longer match already taken
        slots.append({"type": kind, "text": match.group(0), "start": match.start(),
                      "end": match.end()})
        end = match.end()
    return slots


class _Span:
    """A match cut to the name's words that are names (a match-like start/end/group(0))."""

    def __init__(self, text: str, start: int, end: int):
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _index: int = 0) -> str:
        return self._text[self._start:self._end]


def _clinicians(text: str) -> list:
    """A title and one or two name words: "Dr Okafor", "dr tom rees"; the second word only
    when it is a name too ("Dr Okafor said" stops at Okafor)."""
    spans = []
    for match in _CLINICIAN.finditer(text):
        first, second = match.group(1), match.group(2)
        if first.lower() in _NOT_NAMES:
            continue
        # A second name word only where case shows it: "Dr Tom Rees", not "Dr Rahman next".
        named = (second and second.lower() not in _NOT_NAMES and first[0].isupper()
                 and second[0].isupper() and not second.isupper())
        end = match.end(2) if named else match.end(1)
        spans.append(_Span(text, match.start(), end))
    return spans
