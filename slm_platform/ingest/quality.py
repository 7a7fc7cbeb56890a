"""The data-quality report shown before training: what blocks a run, and what only warns.

`QualityReport.as_dict()` returns a JSON-ready dict whose keys are always present, in this order:

- "ok": true when no finding blocks training.
- "row_count": how many records were checked.
- "label_distribution": {label: count}, most frequent first, ties by label. For classification
  a count of rows per label; for entity extraction a count of spans per label.
- "split_counts": {split: rows} for "train", "validation", "test" in that order, holding only the
  splits that occur; {} when the file has no split column.
- "blocking", "warnings": lists of findings in a fixed order, each {"code", "message", "rows",
  "count"}: "rows" holds the first 20 row numbers concerned, as the user sees them in the file,
  and "count" how many rows are concerned in all. Two findings list no rows: "single_label",
  which concerns the whole file (count is its row count), and "no_entities" (count only).

Codes: empty_text, empty_label, unknown_label, single_label, misaligned_span (blocking; an
unknown_label is only a warning when the task's labels are not fixed, as new labels are then
added), and too_long, exact_duplicate, near_duplicate, conflicting_labels, rare_label,
train_test_overlap, no_entities (warnings).

Duplicate checks hash a normalised text, so they stay linear in the number of rows.
"""

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import cached_property

from slm_platform.ingest.records import SPLITS, AnnotatedText, LabelledText, Span

ROWS_LISTED = 20
LABELS_NAMED = 10
_DIGIT = re.compile(r"\d")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_WHITESPACE = re.compile(r"\s+")


@dataclass
class Finding:
    """One problem found in the data: `rows` lists the first 20 rows, `count` all of them."""

    code: str
    message: str
    rows: list[int]
    count: int


@dataclass
class QualityReport:
    """What the quality checks found in one dataset; `ok` when nothing blocks training."""

    row_count: int
    label_distribution: dict[str, int]
    split_counts: dict[str, int]
    blocking: list[Finding]
    warnings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.blocking

    def as_dict(self) -> dict:
        """The report as a JSON-ready dict; the module docstring describes its keys."""
        return {
            "ok": self.ok,
            "row_count": self.row_count,
            "label_distribution": dict(self.label_distribution),
            "split_counts": dict(self.split_counts),
            "blocking": [asdict(finding) for finding in self.blocking],
            "warnings": [asdict(finding) for finding in self.warnings],
        }


def normalise_text(text: str) -> str:
    """The text as near-duplicate checks compare it: NFKC, casefolded, every digit "0",
    punctuation and symbols removed, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    bare = _PUNCTUATION.sub("", _DIGIT.sub("0", folded))
    return _WHITESPACE.sub(" ", bare).strip()


def classification_report(records: list[LabelledText], *, known_labels: set[str] | None,
                          labels_fixed: bool, multi_label: bool, max_chars: int,
                          min_examples_per_label: int = 5) -> QualityReport:
    """Check classification records; `known_labels` is the task's label set, if it has one."""
    data = _Data(records=records, known_labels=known_labels, labels_fixed=labels_fixed,
                 multi_label=multi_label, max_chars=max_chars,
                 min_examples_per_label=min_examples_per_label)
    return _report(data, blocking=_CLASSIFICATION_BLOCKING, warnings=_CLASSIFICATION_WARNINGS)


def entity_report(records: list[AnnotatedText], *,
                  token_spans: Callable[[str], list[tuple[int, int]]],
                  known_labels: set[str] | None, labels_fixed: bool,
                  max_chars: int) -> QualityReport:
    """Check entity records; `token_spans(text)` gives each token's (start, end) offsets, as a
    tokenizer's offset mapping does, and entities must start and end on those boundaries."""
    data = _Data(records=records, known_labels=known_labels, labels_fixed=labels_fixed,
                 max_chars=max_chars, token_spans=token_spans)
    return _report(data, blocking=_ENTITY_BLOCKING, warnings=_ENTITY_WARNINGS)


@dataclass
class _Data:
    """The records and the task settings every check reads."""

    records: list
    known_labels: set[str] | None
    labels_fixed: bool
    max_chars: int
    multi_label: bool = False
    min_examples_per_label: int = 5
    token_spans: Callable[[str], list[tuple[int, int]]] | None = None

    @cached_property
    def keyed(self) -> list[tuple[LabelledText | AnnotatedText, str]]:
        """(record, normalised text) for the records whose text normalises to something."""
        keyed = ((record, normalise_text(record.text)) for record in self.records)
        return [(record, key) for record, key in keyed if key]


Check = Callable[[_Data], Finding | None]


def _report(data: _Data, *, blocking: list[Check], warnings: list[Check]) -> QualityReport:
    return QualityReport(row_count=len(data.records),
                         label_distribution=_label_distribution(data.records),
                         split_counts=_split_counts(data.records),
                         blocking=_run(blocking, data), warnings=_run(warnings, data))


def _run(checks: list[Check], data: _Data) -> list[Finding]:
    return [finding for check in checks if (finding := check(data)) is not None]


def _label_distribution(records: list) -> dict[str, int]:
    counts = Counter(label for record in records for label in _labels(record))
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _split_counts(records: list) -> dict[str, int]:
    counts = Counter(record.split for record in records if record.split)
    return {split: counts[split] for split in SPLITS if split in counts}


def _labels(record: LabelledText | AnnotatedText) -> tuple[str, ...]:
    if isinstance(record, LabelledText):
        return record.labels
    return tuple(span.label for span in record.spans)


def _annotation(record: LabelledText | AnnotatedText) -> frozenset | tuple[Span, ...]:
    """What a row says about its text: its label set, or its (sorted) spans."""
    return frozenset(record.labels) if isinstance(record, LabelledText) else record.spans


def _finding(code: str, message: str, rows: list[int]) -> Finding | None:
    if not rows:
        return None
    return Finding(code=code, message=message, rows=rows[:ROWS_LISTED], count=len(rows))


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def _names(names: list[str]) -> str:
    listed = ", ".join(names[:LABELS_NAMED])
    more = len(names) - LABELS_NAMED
    return f"{listed} and {more} more" if more > 0 else listed


# Checks shared by both kinds of data.

def _empty_text(data: _Data) -> Finding | None:
    rows = [record.row for record in data.records if not record.text.strip()]
    return _finding("empty_text", f"Empty text in {_rows(len(rows))}", rows)


def _unknown_labels(data: _Data) -> tuple[list[int], list[str]]:
    rows, unknown = [], {}
    for record in data.records:
        outside = [label for label in _labels(record) if label not in data.known_labels]
        if outside:
            rows.append(record.row)
            unknown.update(dict.fromkeys(outside))
    return rows, list(unknown)


def _unknown_label_fixed(data: _Data) -> Finding | None:
    if data.known_labels is None or not data.labels_fixed:
        return None
    rows, unknown = _unknown_labels(data)
    return _finding("unknown_label", f"Labels outside this task's fixed label set in "
                    f"{_rows(len(rows))}: {_names(unknown)}", rows)


def _unknown_label_new(data: _Data) -> Finding | None:
    if data.known_labels is None or data.labels_fixed:
        return None
    rows, unknown = _unknown_labels(data)
    return _finding("unknown_label", f"New labels in {_rows(len(rows))}: {_names(unknown)}; "
                    "they will be added to the task's label set", rows)


def _too_long(data: _Data) -> Finding | None:
    rows = [record.row for record in data.records if len(record.text) > data.max_chars]
    return _finding("too_long", f"Texts longer than {data.max_chars:,} characters in "
                    f"{_rows(len(rows))}; training cuts them off there", rows)


def _exact_duplicate(data: _Data) -> Finding | None:
    seen, rows = set(), []
    for record, _ in data.keyed:
        key = (record.text, _annotation(record))
        if key in seen:
            rows.append(record.row)
        seen.add(key)
    return _finding("exact_duplicate", f"Repeats of an earlier row's text and labels in "
                    f"{_rows(len(rows))}", rows)


def _train_test_overlap(data: _Data) -> Finding | None:
    train = {key for record, key in data.keyed if record.split == "train"}
    rows = [record.row for record, key in data.keyed if record.split == "test" and key in train]
    return _finding("train_test_overlap", f"Test texts that also occur in the train split in "
                    f"{_rows(len(rows))}; test scores will look better than they are", rows)


# Classification checks.

def _empty_label(data: _Data) -> Finding | None:
    if data.multi_label:
        return None  # a multi-label row may rightly carry no label
    rows = [record.row for record in data.records if not record.labels]
    return _finding("empty_label", f"No label in {_rows(len(rows))}", rows)


def _single_label(data: _Data) -> Finding | None:
    distinct = sorted({label for record in data.records for label in record.labels})
    if data.multi_label or len(distinct) >= 2:
        return None
    found = f"only {distinct[0]!r}" if distinct else "none"
    return Finding(code="single_label", message=f"The file holds fewer than 2 distinct labels "
                   f"({found}); a classifier needs at least two", rows=[],
                   count=len(data.records))


def _near_duplicate(data: _Data) -> Finding | None:
    texts_by_key: dict[str, set[str]] = defaultdict(set)
    rows = []
    for record, key in data.keyed:
        texts = texts_by_key[key]
        if texts and record.text not in texts:
            rows.append(record.row)
        texts.add(record.text)
    return _finding("near_duplicate", f"Near-duplicates of an earlier row's text (differing only "
                    f"in case, digits, punctuation or spacing) in {_rows(len(rows))}", rows)


def _conflicting_labels(data: _Data) -> Finding | None:
    groups: dict[str, list[tuple[int, frozenset]]] = defaultdict(list)
    for record, key in data.keyed:
        groups[key].append((record.row, _annotation(record)))
    rows = sorted(row for members in groups.values()
                  if len({labels for _, labels in members}) > 1 for row, _ in members)
    return _finding("conflicting_labels", f"The same text with different labels in "
                    f"{_rows(len(rows))}", rows)


def _rare_label(data: _Data) -> Finding | None:
    counts = Counter(label for record in data.records for label in record.labels)
    rare = sorted((count, label) for label, count in counts.items()
                  if count < data.min_examples_per_label)
    rare_labels = {label for _, label in rare}
    rows = [record.row for record in data.records if rare_labels.intersection(record.labels)]
    named = _names([f"{label} ({count})" for count, label in rare])
    return _finding("rare_label", f"Fewer than {data.min_examples_per_label} examples for "
                    f"{len(rare)} label(s): {named}", rows)


# Entity checks.

def _misaligned(record: AnnotatedText, token_spans: Callable) -> Iterator[Span]:
    tokens = token_spans(record.text)
    starts, ends = {start for start, _ in tokens}, {end for _, end in tokens}
    return (span for span in record.spans if span.start not in starts or span.end not in ends)


def _misaligned_span(data: _Data) -> Finding | None:
    rows, example = [], ""
    for record in data.records:
        if not record.spans:
            continue
        span = next(_misaligned(record, data.token_spans), None)
        if span is not None:
            rows.append(record.row)
            example = example or (f"row {record.row}: {record.text[span.start:span.end]!r} "
                                  f"({span.label})")
    return _finding("misaligned_span", f"Entities that do not start and end on token "
                    f"boundaries in {_rows(len(rows))}, e.g. {example}", rows)


def _no_entities(data: _Data) -> Finding | None:
    count = sum(1 for record in data.records if not record.spans)
    if not count:
        return None
    return Finding(code="no_entities", message=f"No entities in {_rows(count)}; they teach the "
                   "model what not to tag", rows=[], count=count)


_CLASSIFICATION_BLOCKING = [_empty_text, _empty_label, _unknown_label_fixed, _single_label]
_CLASSIFICATION_WARNINGS = [_unknown_label_new, _too_long, _exact_duplicate, _near_duplicate,
                            _conflicting_labels, _rare_label, _train_test_overlap]
_ENTITY_BLOCKING = [_empty_text, _unknown_label_fixed, _misaligned_span]
_ENTITY_WARNINGS = [_unknown_label_new, _no_entities, _too_long, _exact_duplicate,
                    _train_test_overlap]
