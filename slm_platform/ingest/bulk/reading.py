"""From a SourceFile to its items, in one streaming pass, with the per-item limits applied."""

from collections.abc import Iterator

from slm_platform.ingest.bulk import documents, tables
from slm_platform.ingest.bulk.records import DEFAULT_LIMITS, UNITS, Item, Limits, SourceFile
from slm_platform.ingest.errors import DocumentError


def iter_items(source: SourceFile, *, text_column: str | None = None, unit: str = "row",
               limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """The items of one source file, read lazily.

    Tables give one item per row whatever `unit` says, with the other columns in `fields`;
    documents are cut by `unit`: "line", "paragraph" or "sentence" ("row" reads as "line").
    Texts are stripped; an empty one, or one over `limits.max_item_chars` (then cut to it), is
    an item with `error` set. A file that cannot be read on, holds more than `limits.max_items`
    items or none at all raises DocumentError.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    if source.is_table:
        column = tables.check_text_column(source, text_column)
        items = tables.table_items(source, text_column=column,
                                   max_line_chars=limits.max_line_chars)
    else:
        items = documents.document_items(source, unit="line" if unit == "row" else unit,
                                         limits=limits)
    return _checked(items, source=source, limits=limits)


def _checked(items: Iterator[Item], *, source: SourceFile, limits: Limits) -> Iterator[Item]:
    count = 0
    for item in items:
        count += 1
        if count > limits.max_items:
            raise DocumentError(f"more than {limits.max_items:,} items; split the file",
                                file=source.name, location=item.position)
        yield _with_text_checked(item, max_chars=limits.max_item_chars)
    if not count:
        empty = "no rows below the header" if source.is_table else "no text"
        raise DocumentError(empty, file=source.name)


def _with_text_checked(item: Item, *, max_chars: int) -> Item:
    text = item.text.strip()
    error = item.error
    if not text and not error:
        error = "empty text"
    elif len(text) > max_chars:
        error = error or f"text is {len(text):,} characters; the limit is {max_chars:,}"
        text = text[:max_chars]
    if text == item.text and error == item.error:
        return item
    return Item(item.file, item.position, text, item.fields, error)
