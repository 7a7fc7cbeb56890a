"""A rule-based sentence splitter: no model to load, predictable, good on ordinary prose.

A sentence ends at ".", "!", "?" or an ellipsis followed by white space (or at "。", "！", "？"),
with any closing quotes or brackets kept on it. A period does not end one after a title or
other abbreviation that is followed by more of the sentence ("Dr. Smith", "No. 5", "e.g. this"),
after an initial ("J. Smith"), after an upper-case dotted acronym ("the U.S. Army"), or after a
list number at the start of a line ("1. First"); decimals ("3.5") hold no space, so never split.
"etc.", "Inc.", month names and lower-case acronyms ("p.m.") end a sentence only before a
capital. An ellipsis ends one only before a capital or a digit. Known misses: "U.S." at the
very end of a sentence stays joined to the next, and unknown abbreviations split before a
lower-case word.
"""

import re

_TERMINATOR = re.compile(r"""(?:[.!?]+|…+)["'”’»)\]]*(?=\s|$)|[。！？]+["'”’»)\]]*""")
_OPENING = "\"'“‘«([¿¡"
_NEXT_LETTER = re.compile(r"[\s\"'“‘«(\[¿¡]*([^\s\"'“‘«(\[¿¡])")
# Abbreviations that the sentence goes on after, whatever follows.
_ALWAYS_JOINED = frozenset([
    "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "rev", "fr", "gen", "col",
    "lt", "sgt", "capt", "cmdr", "adm", "gov", "sen", "rep", "hon", "vs", "no", "nos", "fig",
    "figs", "eq", "eqs", "ref", "refs", "vol", "vols", "ch", "chap", "sec", "pp", "p", "approx",
    "dept", "est", "misc", "cf", "viz", "al", "e.g", "i.e", "ca", "op", "cit", "ed", "eds",
    "tel", "ext", "art", "para",
])
# Abbreviations that end a sentence when a capital follows them.
_JOINED_BEFORE_LOWER = frozenset([
    "etc", "inc", "ltd", "co", "corp", "llc", "plc", "bros", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur",
    "thurs", "fri", "sat", "sun",
])
_DOTTED_UPPER = re.compile(r"(?:[A-Z]\.)+[A-Z]")  # U.S, U.K.
_DOTTED_LOWER = re.compile(r"(?:[a-z]\.)+[a-z]")  # a.m, p.m


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, stripped, in order; empty text gives none."""
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, without surrounding white space."""
    spans, start = [], 0
    for match in _TERMINATOR.finditer(text):
        if _ends_sentence(text, match):
            spans.append((start, match.end()))
            start = match.end()
    spans.append((start, len(text)))
    return [_stripped(text, start, end) for start, end in spans if text[start:end].strip()]


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())


def _ends_sentence(text: str, match: re.Match) -> bool:
    terminator = match.group()
    following = _next_letter(text, match.end())
    if following is None or terminator[0] in "。！？":
        return True
    if terminator[0] in "!?":
        return True
    if terminator.startswith(("..", "…")):
        return following.isupper() or following.isdigit()
    return _period_ends_sentence(text, match.start(), following)


def _period_ends_sentence(text: str, period: int, following: str) -> bool:
    word_start = max(text.rfind(" ", 0, period), text.rfind("\n", 0, period),
                     text.rfind("\t", 0, period)) + 1
    word = text[word_start:period].lstrip(_OPENING)
    lowered = word.lower()
    if lowered in _ALWAYS_JOINED or _DOTTED_UPPER.fullmatch(word):
        return False
    if len(word) == 1 and word.isupper():
        return False  # an initial
    if word.isdigit() and _starts_line(text, word_start):
        return False  # "1." opening a line is a list number
    if following.islower() or following.isdigit():
        return not (lowered in _JOINED_BEFORE_LOWER or _DOTTED_LOWER.fullmatch(word)
                    or len(word) == 1)
    return True


def _starts_line(text: str, position: int) -> bool:
    before = position - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    return before < 0 or text[before] == "\n"


def _next_letter(text: str, position: int) -> str | None:
    """The first character after white space and opening quotes or brackets, if any."""
    found = _NEXT_LETTER.match(text, position)
    return found.group(1) if found else None
