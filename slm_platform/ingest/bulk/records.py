"""What the bulk readers hand out: limits in, source files and items out."""

from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024

TABLE_KINDS = ("delimited", "xlsx", "jsonl")
DOCUMENT_KINDS = ("text", "pdf", "docx")
UNITS = ("row", "line", "paragraph", "sentence")


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one uploaded file may hold. The defaults are safe; settings may change them."""

    max_items: int = 1_000_000            # rows or items per file (each file of a ZIP on its own)
    max_zip_entries: int = 1_000          # entries in an uploaded ZIP, folders included
    max_decompressed_bytes: int = 2048 * MIB  # all of a ZIP's files, or all of an XLSX/DOCX's parts
    max_part_bytes: int = 256 * MIB       # one XML part of an XLSX/DOCX (some are loaded whole)
    max_compression_ratio: int = 200      # uncompressed/compressed size of one ZIP member
    max_item_chars: int = 20_000          # longer texts are cut to this and flagged on the item
    max_line_chars: int = 1_000_000       # one line, CSV record, paragraph or page: read whole
    max_pdf_pages: int = 5_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One readable file of an upload: the upload itself, or one file of its ZIP archive.

    `kind` is one of TABLE_KINDS or DOCUMENT_KINDS. `encoding` is set for the text kinds
    ("delimited", "jsonl", "text"); `delimiter` for "delimited"; `columns` for the tables (for
    JSONL, the keys of the first object).
    """

    name: str
    path: Path
    kind: str
    encoding: str | None = None
    delimiter: str | None = None
    columns: list[str] | None = None

    @property
    def is_table(self) -> bool:
        return self.kind in TABLE_KINDS


@dataclass(frozen=True, slots=True)
class Item:
    """One text to predict on, with where it came from.

    `position` is how a person finds it: "row 12" (the header is row 1), "line 7",
    "line 7, sentence 2", "page 3, sentence 2", "paragraph 4", "table 1, row 3".
    `fields` holds a table row's other columns as strings, in header order; None for documents.
    `error` says why the item cannot be predicted as it is ("empty text", or a text cut to the
    limit); the job records it on the item and goes on.
    """

    file: str
    position: str
    text: str
    fields: dict[str, str] | None = None
    error: str | None = None


# A segment's default bound in bytes (settings.JOB_SEGMENT_MAX_BYTES).
SEGMENT_MAX_BYTES = 16 * 1024 * 1024
# What a stored item costs in memory beyond its characters: a string object per field and
# its dict slot. Counted so that a table of thousands of short columns is bounded too.
FIELD_OVERHEAD_BYTES = 100


def item_bytes(item) -> int:
    fields = item.fields or {}
    return len(item.text) + sum(len(key) + len(value) + FIELD_OVERHEAD_BYTES
                                for key, value in fields.items())


def segments(items, *, most: int, most_bytes: int):
    """Tuples of at most `most` items and about `most_bytes` (item_bytes; a segment holds at
    least one item), so that a segment of very wide rows is as bounded as one of short rows."""
    iterator = iter(items)
    segment, size = [], 0
    for item in iterator:
        segment.append(item)
        size += item_bytes(item)
        if len(segment) >= most or size >= most_bytes:
            yield tuple(segment)
            segment, size = [], 0
    if segment:
        yield tuple(segment)
