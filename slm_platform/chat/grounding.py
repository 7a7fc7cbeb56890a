"""Grounding checks for generated support-chat replies: every number, amount, percentage, date,
time, phone number, web or email address and name in a reply must appear in the knowledge-base
passages it was written from. Pure string code (no model, no Django), fast enough to run on each
sentence of a streamed reply before it is shown.

A reply fact is supported when the passages, or the trusted `also_allowed` text, hold the same
normal form; fact_patterns.py finds the facts other than names and says how they compare.
- A name is supported when the phrase occurs in the passages (any case) or each of its words
  is written capitalised there. A single capitalised word opening a sentence is not taken
  for a name unless it is all capitals or holds a digit or "&".
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from slm_platform.chat.fact_patterns import COMPILED_PATTERNS, Keys


@dataclass(frozen=True)
class Fact:
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Check:
    grounded: bool
    facts: list[Fact]
    unsupported: list[Fact]


# Capitalised words that are not names wherever they stand, with the verbs a reply's sentences
# open with ("Call NHS 111" names NHS, not "Call NHS").
_STOP_WORDS = """
I I'm I'll I've I'd A An The This That These Those It It's Its We We're We'll We've You You're
You'll You've Your Yours Our Ours My Me Us He She They Their Them His Her Yes No Not Please Thank
Thanks Hello Hi Hey Dear Sorry Sure OK Ok Okay Note If When Then And But Or So Also For To In On
At By Of As With From After Before Unfortunately However Otherwise Just Here There What Which Who
How Why Where Can Could Would Should Will May Might Must Do Does Did Is Are Was Were Be Have Has
Had Let Let's Mr Mrs Ms Miss Dr Prof Sir Madam Regards Kind Best Welcome Goodbye Bye Good Great
Call Contact Email Phone Ring Text Visit Go Use Check Choose Select Click Tap Log Sign Ask Book
Order Start Return Send Bring Take Keep Make Find See Read Add Pay Open Request Fill Allow Try
Tell Get Enter Print Show Write Wait Apply Follow
"""
_STOP = set(_STOP_WORDS.split())
_TOKEN = re.compile(r"(?<![\w'’&])[A-Z0-9](?:[\w'’]|&(?=\w))*")
_JOIN_GAP = re.compile(r"[ \t]+(?:of[ \t]+)?")


def _overlaps(span: tuple[int, int], taken: bytearray) -> bool:
    return any(taken[span[0] : span[1]])


def _extract(text: str) -> list[tuple[Fact, Keys, Keys]]:
    """Each fact with the keys a reply needs for it and the keys a passage provides with it;
    for a name, the phrases any one of which must occur in the passages."""
    found, taken, lowered = [], bytearray(len(text)), text.lower()
    for kind, pattern, keys, needles in COMPILED_PATTERNS:
        if needles and not any(needle in lowered for needle in needles):
            continue
        for match in pattern.finditer(text):
            result = None if _overlaps(match.span(), taken) else keys(match)
            if result is not None:
                taken[match.start() : match.end()] = b"\x01" * len(match[0])
                found.append((Fact(kind, match.group(), *match.span()), *result))
    found += _entities(text, taken)
    return sorted(found, key=lambda item: item[0].start)


def _name_word(word: str) -> bool:
    word = word.replace("’", "'")
    if len(word) < 2 or word in _STOP or (word.isupper() and word.capitalize() in _STOP):
        return False
    code = any(c.isdigit() for c in word) and word.upper() == word and not word.isdigit()
    return word[0].isupper() or code


def _marked(word: str) -> bool:
    """All capitals, or holding a digit or "&": a name even when it opens a sentence."""
    return word.isupper() or any(c.isdigit() or c == "&" for c in word)


def _sentence_start(text: str, index: int) -> bool:
    before = text[max(0, index - 40) : index].rstrip(" \t\"'“‘(*•#>-")
    return not before or before[-1] in ".!?:\n"


def _name_groups(text: str, taken: bytearray) -> list[list[tuple[int, int]]]:
    groups: list[list[tuple[int, int]]] = []
    for match in _TOKEN.finditer(text):
        start, end = match.start(), match.end() - (2 if re.search(r"['’]s$", match[0]) else 0)
        if _overlaps((start, end), taken) or not _name_word(text[start:end]):
            continue
        if groups and _JOIN_GAP.fullmatch(text[groups[-1][-1][1] : start]):
            groups[-1].append((start, end))
        else:
            groups.append([(start, end)])
    return groups


def _entities(text: str, taken: bytearray) -> list[tuple[Fact, Keys, Keys]]:
    found = []
    for group in _name_groups(text, taken):
        start, end = group[0][0], group[-1][1]
        phrases = {text[start:end]}
        first = text[start : group[0][1]]
        if _sentence_start(text, start) and not _marked(first):
            if len(group) == 1:
                continue
            phrases.add(text[group[1][0] : end])
        found.append((Fact("entity", text[start:end], start, end), frozenset(phrases), Keys()))
    return found


def reply_facts(text: str) -> list[Fact]:
    """The checkable facts of a text, in order of position."""
    return [fact for fact, _, _ in _extract(text)]


@lru_cache(maxsize=512)
def _provided(text: str) -> Keys:
    return frozenset().union(*(provided for _, _, provided in _extract(text)))


def _phrase_supported(phrase: str, corpus: str, capitalised: set[str]) -> bool:
    """Whether the phrase occurs in the corpus (any case, singular or plural), or each of its
    words is written capitalised there."""
    singular = re.sub(r"(?<=[a-z])s$", "", phrase)
    pattern = r"\s+".join(re.escape(word) for word in singular.split())
    if re.search(rf"(?<!\w){pattern}(?:e?s|['’]s)?(?!\w)", corpus, re.IGNORECASE):
        return True
    return all(word.lower() in capitalised for word in phrase.split() if word != "of")


def facts_check(reply: str, passages: list[str], *, also_allowed: Sequence[str] = ()) -> Check:
    """Whether every fact of the reply is found in the passages. also_allowed: other trusted
    text (the user's own question, the assistant's name) whose facts count as present too —
    e.g. the user's order number echoed back."""
    sources = [*passages, *also_allowed]
    provided = frozenset().union(*(_provided(source) for source in sources))
    corpus = "\n".join(sources)
    capitalised = {word.lower() for word in re.findall(r"\b[A-Z][\w&]*", corpus)}
    facts, unsupported = [], []
    for fact, required, _ in _extract(reply):
        facts.append(fact)
        if fact.kind == "entity":
            supported = any(_phrase_supported(p, corpus, capitalised) for p in required)
        else:
            supported = required <= provided
        if not supported:
            unsupported.append(fact)
    return Check(grounded=not unsupported, facts=facts, unsupported=unsupported)
