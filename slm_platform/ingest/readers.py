"""Read a dataset upload into records, whatever its format.

The format is told from the bytes (formats.py), tables and JSONL become rows (rows.py) and
CoNLL files sentences (conll.py); this module turns rows into LabelledText or AnnotatedText
records, checking each value. Every problem is raised as a DatasetError naming the file, row
and column the user has to fix.
"""

import itertools
from collections.abc import Iterable, Iterator

from slm_platform.ingest.conll import conll_records
from slm_platform.ingest.encodings import cell_text
from slm_platform.ingest.errors import DatasetError
from slm_platform.ingest.formats import load_source
from slm_platform.ingest.records import AnnotatedText, LabelledText, ParsedDataset, Span
from slm_platform.ingest.rows import JSON_KINDS, columns_and_rows

_SPLIT_NAMES = {"train": "train", "validation": "validation", "val": "validation",
                "dev": "validation", "test": "test"}


def read_classification(data: bytes, *, filename: str, text_column: str = "text",
                        label_column: str = "label", split_column: str | None = None,
                        multi_label: bool = False, label_separator: str = "|",
                        max_rows: int = 1_000_000) -> ParsedDataset:
    """Read a CSV/TSV, XLSX or JSONL upload into LabelledText records.

    Texts and labels are stripped; empty ones are left for the quality report to judge.
    Multi-label values are a JSON list or one string joined by `label_separator`.
    """
    source = load_source(data, filename)
    if source.format == "conll":
        raise DatasetError("this looks like a token/tag (CoNLL) file, which is for entity "
                           "extraction; classification needs a text and a label column",
                           file=filename)
    wanted = [column for column in (text_column, label_column, split_column) if column]
    columns, rows = columns_and_rows(source, filename=filename, wanted=wanted)
    records = _classification_records(
        rows, filename=filename, text_column=text_column, label_column=label_column,
        split_column=split_column, multi_label=multi_label, label_separator=label_separator)
    return ParsedDataset(format=source.format, encoding=source.encoding, columns=columns,
                         records=_collect(records, max_rows=max_rows, filename=filename))


def read_entities(data: bytes, *, filename: str, split_column: str | None = None,
                  max_rows: int = 1_000_000) -> ParsedDataset:
    """Read a JSONL upload with character-offset entities, or a CoNLL token/tag file, into
    AnnotatedText records. JSONL texts are kept exactly as given, since offsets point into them.
    """
    source = load_source(data, filename)
    if source.format == "conll":
        if split_column:
            raise DatasetError("a CoNLL file has no columns, so it cannot hold a split",
                               file=filename, column=split_column)
        records = _collect(conll_records(source.text, filename=filename), max_rows=max_rows,
                           filename=filename)
        return ParsedDataset(format="conll", encoding=source.encoding, columns=["token", "tag"],
                             records=records)
    if source.format != "jsonl":
        raise DatasetError("entity data must be JSONL with character offsets or a CoNLL "
                           f"token/tag file, not a {source.format} table", file=filename)
    wanted = ["text", split_column] if split_column else ["text"]
    columns, rows = columns_and_rows(source, filename=filename, wanted=wanted)
    records = _entity_records(rows, filename=filename, split_column=split_column)
    return ParsedDataset(format="jsonl", encoding=source.encoding, columns=columns,
                         records=_collect(records, max_rows=max_rows, filename=filename))


def _collect(records: Iterable, *, max_rows: int, filename: str) -> list:
    collected = []
    for record in records:
        if len(collected) >= max_rows:
            raise DatasetError(f"more than {max_rows:,} rows; split the file into smaller ones",
                               file=filename, row=record.row)
        collected.append(record)
    if not collected:
        raise DatasetError("no data rows", file=filename)
    return collected


# Values.

def _scalar_text(value: object, *, file: str, row: int, column: str) -> str:
    if isinstance(value, list | dict):
        raise DatasetError(f"expected a single value, got {JSON_KINDS[type(value)]}",
                           file=file, row=row, column=column)
    return cell_text(value)


def _label_values(value: object, *, multi_label: bool, separator: str, file: str, row: int,
                  column: str) -> tuple[str, ...]:
    where = {"file": file, "row": row, "column": column}
    if multi_label and isinstance(value, list):
        parts = [_scalar_text(item, **where) for item in value]
    elif multi_label:
        parts = _scalar_text(value, **where).split(separator)
    else:
        parts = [_scalar_text(value, **where)]
    return tuple(dict.fromkeys(part.strip() for part in parts if part.strip()))


def _split_value(value: object, *, file: str, row: int, column: str) -> str:
    raw = _scalar_text(value, file=file, row=row, column=column).strip()
    split = _SPLIT_NAMES.get(raw.casefold())
    if split is None:
        raise DatasetError(f"split {raw!r} is not one of train, validation, test", file=file,
                           row=row, column=column)
    return split


def _classification_records(rows: Iterator[tuple[int, dict]], *, filename: str,
                            text_column: str, label_column: str, split_column: str | None,
                            multi_label: bool, label_separator: str) -> Iterator[LabelledText]:
    for row, values in rows:
        where = {"file": filename, "row": row}
        text = _scalar_text(values[text_column], column=text_column, **where).strip()
        labels = _label_values(values[label_column], multi_label=multi_label,
                               separator=label_separator, column=label_column, **where)
        split = (_split_value(values[split_column], column=split_column, **where)
                 if split_column else None)
        yield LabelledText(row=row, text=text, labels=labels, split=split)


def _entity_records(rows: Iterator[tuple[int, dict]], *, filename: str,
                    split_column: str | None) -> Iterator[AnnotatedText]:
    for row, values in rows:
        where = {"file": filename, "row": row}
        text = _scalar_text(values["text"], column="text", **where)
        split = (_split_value(values[split_column], column=split_column, **where)
                 if split_column else None)
        yield AnnotatedText(row=row, text=text, spans=_spans(values, text, **where), split=split)


def _spans(values: dict, text: str, *, file: str, row: int) -> tuple[Span, ...]:
    column = "entities" if "entities" in values else "spans"
    items = values.get(column) or []
    if not isinstance(items, list):
        raise DatasetError("expected a list of entities", file=file, row=row, column=column)
    spans = sorted(_span(item, text, file=file, row=row, column=column) for item in items)
    for first, second in itertools.pairwise(spans):
        if second.start < first.end:
            raise DatasetError(f"entities overlap: {_quote(text, first)} and "
                               f"{_quote(text, second)}", file=file, row=row, column=column)
    return tuple(spans)


def _span(item: object, text: str, *, file: str, row: int, column: str) -> Span:
    where = {"file": file, "row": row, "column": column}
    if isinstance(item, dict):
        start, end, label = item.get("start"), item.get("end"), item.get("label")
    elif isinstance(item, list) and len(item) == 3:
        start, end, label = item
    else:
        raise DatasetError('each entity must be {"start": ..., "end": ..., "label": ...} or '
                           "[start, end, label]", **where)
    if type(start) is not int or type(end) is not int:  # bool and 1.0 are not offsets
        raise DatasetError(f"entity offsets must be whole numbers, got {start!r} and {end!r}",
                           **where)
    if start >= end:
        raise DatasetError(f"entity [{start}, {end}) is empty: start must be before end", **where)
    if start < 0 or end > len(text):
        raise DatasetError(f"entity [{start}, {end}) lies outside the text, which has "
                           f"{len(text)} characters", **where)
    if not isinstance(label, str) or not label.strip():
        raise DatasetError(f"entity [{start}, {end}) has no label", **where)
    return Span(start=start, end=end, label=label.strip())


def _quote(text: str, span: Span) -> str:
    return f"{text[span.start:span.end]!r} ({span.label})"
