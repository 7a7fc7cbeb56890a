"""Read a dataset upload into records, whatever its format.

The format is judged from the bytes, never from the file name: people rename files freely, and
a CSV saved as "data.xlsx" is still the CSV it is. Text files must be UTF-8 (with or without a
BOM) or UTF-16 with a BOM, so that texts and labels arrive exactly as typed. Every problem is
raised as a DatasetError naming the file, row and column the user has to fix.
"""

import csv
import io
import itertools
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import openpyxl

from slm_platform.ingest.bulk import containers
from slm_platform.ingest.bulk.records import DEFAULT_LIMITS
from slm_platform.ingest.encodings import bom_codec, cell_text, guess_encoding
from slm_platform.ingest.errors import DatasetError, DocumentError
from slm_platform.ingest.records import AnnotatedText, LabelledText, ParsedDataset, Span

_SPLIT_NAMES = {"train": "train", "validation": "validation", "val": "validation",
                "dev": "validation", "test": "test"}
_SAMPLE_CHARS = 64 * 1024
_CONLL_SAMPLE_LINES = 200
_TAG = re.compile(r"O|[BIES]-\S+")
_FIRST_NONBLANK_LINE = re.compile(r"^.*\S.*$", re.MULTILINE)
_OTHER_BINARIES = {
    b"PK\x03\x04": "a ZIP archive, not an Excel .xlsx workbook or a text file",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook; save it as .xlsx or as CSV UTF-8",
}
_TOO_DEEP = "JSON nested too deeply to read (arrays or objects inside each other)"
_JSON_KINDS = {list: "a list", dict: "an object", str: "a string", int: "a number",
               float: "a number", bool: "true/false", type(None): "null"}


def detect_format(data: bytes) -> str:
    """Return "xlsx", "jsonl", "conll" or "delimited" (CSV, TSV, ...), judged by content."""
    if _is_xlsx(data):
        return "xlsx"
    return _text_format(data.decode(bom_codec(data), errors="replace"))


def decode_text(data: bytes, *, filename: str) -> tuple[str, str]:
    """Return (text, encoding) for UTF-8 ("utf-8"), UTF-8 with BOM ("utf-8-sig") or UTF-16 with
    BOM ("utf-16"); anything else raises a DatasetError naming the line of the first bad byte
    and the likely encoding, and so does a NUL character (binary data, never text)."""
    codec = bom_codec(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(codec, errors="replace").count("\n") + 1
        guess = guess_encoding(data[max(0, exc.start - 4096):exc.start + 65536])
        looks = f" (looks like {guess})" if guess else ""
        raise DatasetError(f"not UTF-8{looks}; save it as UTF-8", file=filename,
                           row=line) from None
    if "\x00" in text:  # no database stores it in text, and no text holds it
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DatasetError("a NUL character, which text never holds: binary data?",
                           file=filename, row=line)
    return text, codec


def read_classification(data: bytes, *, filename: str, text_column: str = "text",
                        label_column: str = "label", split_column: str | None = None,
                        multi_label: bool = False, label_separator: str = "|",
                        max_rows: int = 1_000_000) -> ParsedDataset:
    """Read a CSV/TSV, XLSX or JSONL upload into LabelledText records.

    Texts and labels are stripped; empty ones are left for the quality report to judge.
    Multi-label values are a JSON list or one string joined by `label_separator`.
    """
    source = _load(data, filename)
    if source.format == "conll":
        raise DatasetError("this looks like a token/tag (CoNLL) file, which is for entity "
                           "extraction; classification needs a text and a label column",
                           file=filename)
    wanted = [column for column in (text_column, label_column, split_column) if column]
    columns, rows = _rows(source, filename=filename, wanted=wanted)
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
    source = _load(data, filename)
    if source.format == "conll":
        if split_column:
            raise DatasetError("a CoNLL file has no columns, so it cannot hold a split",
                               file=filename, column=split_column)
        records = _collect(_conll_records(source.text, filename=filename), max_rows=max_rows,
                           filename=filename)
        return ParsedDataset(format="conll", encoding=source.encoding, columns=["token", "tag"],
                             records=records)
    if source.format != "jsonl":
        raise DatasetError("entity data must be JSONL with character offsets or a CoNLL "
                           f"token/tag file, not a {source.format} table", file=filename)
    wanted = ["text", split_column] if split_column else ["text"]
    columns, rows = _rows(source, filename=filename, wanted=wanted)
    records = _entity_records(rows, filename=filename, split_column=split_column)
    return ParsedDataset(format="jsonl", encoding=source.encoding, columns=columns,
                         records=_collect(records, max_rows=max_rows, filename=filename))


# Formats and encodings.

@dataclass(frozen=True)
class _Source:
    """An upload with its format known and, for the text formats, its text decoded."""

    format: str
    encoding: str
    data: bytes
    text: str = ""


def _load(data: bytes, filename: str) -> _Source:
    if _is_xlsx(data):
        _check_workbook(data, filename)
        # The workbook's parts are XML that Excel writes as UTF-8.
        return _Source(format="xlsx", encoding="utf-8", data=data)
    for signature, what in _OTHER_BINARIES.items():
        if data.startswith(signature):
            raise DatasetError(f"this is {what}", file=filename)
    text, encoding = decode_text(data, filename=filename)
    return _Source(format=_text_format(text), encoding=encoding, data=data, text=text)


def _check_workbook(data: bytes, filename: str) -> None:
    """The bulk readers' checks before openpyxl inflates anything: sizes and compression
    ratios of the parts (a ZIP bomb), and no DTD in any XML part (an entity bomb)."""
    limits = DEFAULT_LIMITS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            containers.check_members(archive, file=filename, limits=limits,
                                     max_member_bytes=limits.max_part_bytes)
            containers.check_xml_parts(archive, file=filename)
    except DocumentError as exc:
        part = f"{exc.location}: " if exc.location else ""
        raise DatasetError(f"not a readable Excel workbook ({part}{exc.message})",
                           file=filename) from None


def _is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names)


def _text_format(text: str) -> str:
    first_line = _FIRST_NONBLANK_LINE.search(text)
    if first_line and _is_json_object(first_line.group()):
        return "jsonl"
    if _looks_like_conll(_sample(text)):
        return "conll"
    return "delimited"


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than json can read
        return False


def _looks_like_conll(sample: str) -> bool:
    # The first line rules out tables (a header is no token/tag pair); a majority rather than
    # every line, so that one bad line is reported by its number instead of as "not CoNLL".
    lines = (line.split() for line in sample.splitlines())
    tokens = [fields for fields in lines if fields and fields[0] != "-DOCSTART-"]
    tagged = [len(f) >= 2 and bool(_TAG.fullmatch(f[-1])) for f in tokens[:_CONLL_SAMPLE_LINES]]
    return bool(tagged) and tagged[0] and sum(tagged) * 2 > len(tagged)


def _sample(text: str) -> str:
    """The start of the text, cut after its last complete line."""
    if len(text) <= _SAMPLE_CHARS:
        return text
    sample = text[:_SAMPLE_CHARS]
    return sample[:sample.rfind("\n") + 1]


def _sniff_delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(_sample(text), delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


# Rows: (row number, {column: value}) from a table or a JSONL file.

def _rows(source: _Source, *, filename: str,
          wanted: list[str]) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The columns, and the rows as dicts that hold every wanted column."""
    if source.format == "jsonl":
        columns: list[str] = []  # filled in as the rows are read
        return columns, _jsonl_rows(source.text, columns=columns, wanted=wanted,
                                    filename=filename)
    if source.format == "xlsx":
        return _table_rows(_xlsx_cells(source.data, filename), wanted=wanted, filename=filename)
    return _table_rows(_delimited_cells(source.text, filename), wanted=wanted, filename=filename)


def _delimited_cells(text: str, filename: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    row = 0
    try:
        # Counted in records, not lines, as a spreadsheet shows a quoted multi-line cell.
        for row, cells in enumerate(reader, start=1):
            yield row, cells
    except csv.Error as exc:
        raise DatasetError(f"cannot be read as CSV: {exc}", file=filename, row=row + 1) from None


def _xlsx_cells(data: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    # read_only streams the sheet; data_only gives formulas' last computed values.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl
        raise DatasetError(f"not a readable Excel workbook ({exc})", file=filename) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong used range; read every row
        for row, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield row, [cell_text(value) for value in values]
    finally:
        workbook.close()


def _table_rows(cells: Iterator[tuple[int, list[str]]], *, wanted: list[str],
                filename: str) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    header = next((cell_row for cell_row in cells if _has_values(cell_row[1])), None)
    if header is None:
        raise DatasetError("no data rows", file=filename)
    header_row, names = header
    columns = [name.strip() for name in names]
    while columns and not columns[-1]:
        columns.pop()
    for column in wanted:
        if column not in columns:
            found = ", ".join(repr(name) for name in columns if name)
            raise DatasetError(f"no {column!r} column; columns found: {found or 'none'}",
                               file=filename, row=header_row, column=column)
    return columns, _table_records(cells, columns=columns, filename=filename)


def _table_records(cells: Iterator[tuple[int, list[str]]], *, columns: list[str],
                   filename: str) -> Iterator[tuple[int, dict]]:
    for row, values in cells:
        if not _has_values(values):
            continue
        if _has_values(values[len(columns):]):
            raise DatasetError("values beyond the last named column; name that column, or "
                               "quote texts that contain the delimiter", file=filename, row=row)
        padded = [*values[:len(columns)], *[""] * (len(columns) - len(values))]
        yield row, dict(zip(columns, padded, strict=True))


def _has_values(cells: list[str]) -> bool:
    return any(cell.strip() for cell in cells)


def _jsonl_rows(text: str, *, columns: list[str], wanted: list[str],
                filename: str) -> Iterator[tuple[int, dict]]:
    # StringIO splits on "\n" only: JSON strings may hold a raw U+2028 that splitlines() breaks.
    for row, line in enumerate(io.StringIO(text), start=1):
        if not line.strip():
            continue
        values = _json_object(line, file=filename, row=row)
        columns.extend(key for key in values if key not in columns)
        for column in wanted:
            if column not in values:
                raise DatasetError(f"no {column!r} key; keys found: {', '.join(values) or 'none'}",
                                   file=filename, row=row, column=column)
        yield row, values


def _json_object(line: str, *, file: str, row: int) -> dict:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DatasetError(f"not valid JSON: {exc.msg} at character {exc.colno}", file=file,
                           row=row) from None
    except RecursionError:
        raise DatasetError(_TOO_DEEP, file=file, row=row) from None
    if not isinstance(value, dict):
        raise DatasetError(f"expected a JSON object, got {_JSON_KINDS[type(value)]}", file=file,
                           row=row)
    return value


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
        raise DatasetError(f"expected a single value, got {_JSON_KINDS[type(value)]}",
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


# CoNLL.

def _conll_records(text: str, *, filename: str) -> Iterator[AnnotatedText]:
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
