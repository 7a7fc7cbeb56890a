"""The records a dataset upload is read into; `row` is always the row number the user sees."""

from dataclasses import dataclass

# The splits a row may name, in the order reports list them.
SPLITS = ("train", "validation", "test")

# slots: an upload may hold a million records, and slots roughly halve their memory.


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One classification example. Single-label rows hold one label, or none when the cell was
    empty; multi-label rows hold zero or more."""

    row: int
    text: str
    labels: tuple[str, ...]
    split: str | None


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """An entity as character offsets into its text; `end` is exclusive."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class AnnotatedText:
    """One entity-extraction example, its spans sorted by position and never overlapping."""

    row: int
    text: str
    spans: tuple[Span, ...]
    split: str | None


@dataclass
class ParsedDataset:
    """An upload read into records, with what was learned about the file on the way."""

    format: str
    encoding: str
    columns: list[str]
    records: list[LabelledText] | list[AnnotatedText]
