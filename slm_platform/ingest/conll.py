"""CoNLL token/tag files: telling one from a table, and reading its sentences into
AnnotatedText records whose BIO (or IOBES) tags have become character spans."""

import io
import itertools
import re
from collections.abc import Iterator

from slm_platform.ingest.errors import DatasetError
from slm_platform.ingest.records import AnnotatedText, Span

_CONLL_SAMPLE_LINES = 200
_TAG = re.compile(r"O|[BIES]-\S+")


def looks_like_conll(sample: str) -> bool:
    """Whether the start of a text reads as token/tag lines rather than a table."""
    # The first line rules out tables (a header is no token/tag pair); a majority rather than
    # every line, so that one bad line is reported by its number instead of as "not CoNLL".
    lines = (line.split() for line in sample.splitlines())
    tokens = [fields for fields in lines if fields and fields[0] != "-DOCSTART-"]
    tagged = [len(f) >= 2 and bool(_TAG.fullmatch(f[-1])) for f in tokens[:_CONLL_SAMPLE_LINES]]
    return bool(tagged) and tagged[0] and sum(tagged) * 2 > len(tagged)


def conll_records(text: str, *, filename: str) -> Iterator[AnnotatedText]:
    """One AnnotatedText per sentence (tokens up to a blank or -DOCSTART- line), numbered by
    the line of its first token; a line that is not a token and a tag raises a DatasetError."""
    sentence: list[tuple[int, str, str]] = []  # (line, token, tag)
    for row, line in enumerate(io.StringIO(text), start=1):
        # A byte-order mark can survive mid-file where files were concatenated (WNUT-17's dev
        # set has one); on its own line it is a blank line, not a token.
        fields = line.replace("\ufeff", "").split()
        if fields and fields[0] != "-DOCSTART-":
            if len(fields) < 2 or not _TAG.fullmatch(fields[-1]):
                raise DatasetError("expected a token and a BIO tag (O, B-X, I-X), got "
                                   f"{line.strip()!r}", file=filename, row=row)
            sentence.append((row, fields[0], fields[-1]))
        elif sentence:
            yield _sentence(sentence)
            sentence = []
    if sentence:
        yield _sentence(sentence)


def _sentence(tokens: list[tuple[int, str, str]]) -> AnnotatedText:
    """Join the tokens with single spaces and turn their tags into character spans."""
    starts = itertools.accumulate((len(token) + 1 for _, token, _ in tokens[:-1]), initial=0)
    tagged = [(start, start + len(token), tag)
              for start, (_, token, tag) in zip(starts, tokens, strict=True)]
    return AnnotatedText(row=tokens[0][0], text=" ".join(token for _, token, _ in tokens),
                         spans=_tag_spans(tagged), split=None)


def _tag_spans(tagged: list[tuple[int, int, str]]) -> tuple[Span, ...]:
    """BIO/IOB2 (and IOBES) tags to spans. As in seqeval, an I- that does not continue an entity
    of its own label starts a new one; E- and S- close the entity they end."""
    spans: list[list] = []  # [start, end, label]; the last one is open while open_label is set
    open_label = None
    for start, end, tag in tagged:
        prefix, _, label = tag.partition("-")
        if prefix in ("I", "E") and label == open_label:
            spans[-1][1] = end
        elif prefix != "O":
            spans.append([start, end, label])
        open_label = label if prefix in ("B", "I") else None
    return tuple(Span(start=start, end=end, label=label) for start, end, label in spans)
