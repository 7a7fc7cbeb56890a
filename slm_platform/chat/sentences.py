"""The sentences of a reply: a text split into sentences, a streamed reply's finished sentences
and unfinished tail, and a reply cut where it starts repeating itself. Pure string code (no
model, no Django).
"""

import re

# Never end a sentence ("e.g. this", "Dr. Patel"; "No." only before a number) ...
_ABBREVIATIONS = {"e.g", "i.e", "eg", "ie", "dr", "mr", "mrs", "ms", "prof", "st", "vs", "cf"}
_ABBREVIATIONS |= {"approx", "incl", "tel", "ext", "fig"}
# ... or end one only before a capital ("at 9 a.m. on Monday").
_LOWER_CONTINUES = {"a.m", "p.m", "am", "pm", "etc"}
_NEXT_CHAR = re.compile(r"\s*(\S?)")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n")


def _splits(text: str) -> list[int]:
    """Where sentences end, each confirmed by the text that follows it."""
    ends = []
    for match in _SENTENCE_END.finditer(text):
        if match[0] == "\n":
            ends.append(match.start())
            continue
        following = _NEXT_CHAR.match(text, match.end())[1]
        word = re.search(r"[\w.]*$", text[max(0, match.start() - 20) : match.start()])[0]
        if _ends_sentence(word.lower(), match[0][0], following):
            ends.append(match.end())
    return ends


def _ends_sentence(word: str, mark: str, following: str) -> bool:
    if not following:
        return False
    if mark != ".":
        return True
    if word == "no":
        return not (following.isdigit() or following == "#")
    return word not in _ABBREVIATIONS and not (word in _LOWER_CONTINUES and following.islower())


def _sentence_spans(text: str) -> tuple[list[tuple[int, int]], int]:
    """The finished sentences as (start, end), stripped, and where the unfinished tail starts."""
    spans, start = [], 0
    for end in _splits(text):
        piece = text[start:end]
        if piece.strip():
            leading = len(piece) - len(piece.lstrip())
            spans.append((start + leading, start + len(piece.rstrip())))
        start = end
    return spans, start


def sentences(text: str) -> list[str]:
    """The text split into sentences, each keeping its punctuation. Abbreviations ("e.g.",
    "Dr.", "No. 5"), decimals and addresses do not end a sentence; a line break does."""
    spans, tail = _sentence_spans(text)
    rest = text[tail:].strip()
    return [text[start:end] for start, end in spans] + ([rest] if rest else [])


def complete_sentences(text: str) -> tuple[list[str], str]:
    """For a reply being streamed: its finished sentences and the unfinished tail. A sentence
    is finished only once the next one has begun (or a line break follows), since "3." may yet
    become "3.95" and "e.g." is not an end."""
    spans, tail = _sentence_spans(text)
    return [text[start:end] for start, end in spans], text[tail:].lstrip()


def _normal(sentence: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", sentence.lower()).split())


def _run_end(text: str, start: int, end: int) -> int | None:
    """Where the first copy of a word n-gram (3 to 8 words) ends, when it is repeated back to
    back 3 or more times in text[start:end]."""
    tokens = [(m.end(), _normal(m[0])) for m in re.finditer(r"\S+", text[start:end])]
    words = [word for _, word in tokens]
    for index in range(len(words)):
        for size in range(3, min(8, (len(words) - index) // 3) + 1):
            copies = [words[index + k * size : index + (k + 1) * size] for k in range(3)]
            if copies[0] == copies[1] == copies[2]:
                return start + tokens[index + size - 1][0]
    return None


def repetition_cut(text: str) -> str:
    """The text up to the first sentence that repeats an earlier one (ignoring case, spacing
    and punctuation), or up to the end of the first copy of a word n-gram repeated back to back
    3 or more times inside a sentence; stripped."""
    spans, tail = _sentence_spans(text)
    if text[tail:].strip():
        rest = text[tail:]
        spans.append((tail + len(rest) - len(rest.lstrip()), len(text.rstrip())))
    seen = set()
    for start, end in spans:
        key = _normal(text[start:end])
        if key and key in seen:
            return text[:start].strip()
        run_end = _run_end(text, start, end)
        if run_end is not None:
            return text[:run_end].strip()
        seen.add(key)
    return text.strip()
