"""The rows of a table (CSV/TSV, XLSX) or JSONL upload, as (row number, {column: value}).

Rows are numbered as a spreadsheet shows them, the header and blank rows counted and a quoted
cell over several lines being one row; JSONL rows are numbered by line. Blank rows are skipped,
and a missing column or key, or a row that cannot be read, raises a DatasetError naming it.
"""

import csv
import io
import json
from collections.abc import Iterator

import openpyxl

from slm_platform.ingest.encodings import cell_text
from slm_platform.ingest.errors import DatasetError
from slm_platform.ingest.formats import Source, sniff_delimiter

_TOO_DEEP = "JSON nested too deeply to read (arrays or objects inside each other)"
# What a JSON value is, in the words an error message uses.
JSON_KINDS = {list: "a list", dict: "an object", str: "a string", int: "a number",
              float: "a number", bool: "true/false", type(None): "null"}


def columns_and_rows(source: Source, *, filename: str,
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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
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
        raise DatasetError(f"expected a JSON object, got {JSON_KINDS[type(value)]}", file=file,
                           row=row)
    return value
