"""Tables (CSV/TSV, XLSX, JSON Lines): one item per row, the other columns carried along.

Rows are numbered as a spreadsheet shows them: the header is row 1 in CSV and XLSX, and a
quoted cell over several lines is one row. JSON Lines items are numbered by line. Blank rows
are skipped. A row that cannot be used as it is (no text, too many cells, a line that is not
JSON) is an item with `error` set; only a file that cannot be read on raises DocumentError.
"""

import csv
import io
import json
from collections.abc import Iterator

import openpyxl

from slm_platform.ingest.bulk.records import Item, SourceFile
from slm_platform.ingest.bulk.textfiles import LineReader
from slm_platform.ingest.encodings import cell_text
from slm_platform.ingest.errors import DocumentError

NO_DELIMITER = "\x00"  # how a one-column CSV is read: no delimiter splits its texts
DEFAULT_TEXT_COLUMN = "text"
_EXCEL_LAST_ROW = 1_048_576  # openpyxl pads skipped rows; a row past this is a forged file


def check_text_column(source: SourceFile, text_column: str | None) -> str | None:
    """The column of `source` that holds the texts: `text_column` if given (matched exactly,
    else ignoring case and spaces), else the only column, else one named "text". Documents
    have no columns: None. Raises DocumentError listing the columns found otherwise."""
    if not source.is_table:
        return None
    columns = source.columns or []
    if not text_column and len(columns) == 1:
        return columns[0]
    wanted = text_column or DEFAULT_TEXT_COLUMN
    folded = {name.strip().casefold(): name for name in columns}
    if wanted in columns or wanted.strip().casefold() in folded:
        return wanted if wanted in columns else folded[wanted.strip().casefold()]
    found = ", ".join(repr(name) for name in columns) or "none"
    missing = (f"no {wanted!r} column" if text_column
               else "no text column was named and none is called 'text'")
    raise DocumentError(f"{missing}; columns found: {found}", file=source.name)


def column_names(cells: list[str]) -> list[str]:
    """Header cells as column names: stripped, trailing empty ones dropped, blanks named
    "column N" and repeats numbered, so that every row's fields are a dict without losses."""
    names = [cell.strip() for cell in cells]
    while names and not names[-1]:
        names.pop()
    unique: list[str] = []
    for index, name in enumerate(names, start=1):
        name = name or f"column {index}"
        unique.append(name if name not in unique else f"{name} ({unique.count(name) + 1})")
    return unique


def delimited_columns(sample: str, delimiter: str) -> list[str]:
    """The column names in the first non-blank record of a CSV sample."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    return column_names(next((cells for cells in reader if any(cells)), []))


def jsonl_columns(sample: str) -> list[str]:
    """The keys of the first JSON object in a JSON Lines sample."""
    first = next((line for line in sample.splitlines() if line.strip()), "{}")
    return list(json.loads(first))


def xlsx_columns(path, *, file: str) -> list[str]:
    """The column names in the first non-blank row of the workbook's first sheet."""
    rows = _xlsx_cells(path, file=file)
    try:
        return column_names(next((cells for _, cells in rows if any(cells)), []))
    finally:
        rows.close()


def table_items(source: SourceFile, *, text_column: str, max_line_chars: int) -> Iterator[Item]:
    """The rows of a table as items (text and limits unchecked: iter_items applies them)."""
    if source.kind == "jsonl":
        return _jsonl_items(source, text_column=text_column, max_line_chars=max_line_chars)
    cells = (_xlsx_cells(source.path, file=source.name) if source.kind == "xlsx" else
             _delimited_cells(source, max_line_chars=max_line_chars))
    return _row_items(cells, source=source, text_column=text_column)


def _row_items(cells: Iterator[tuple[int, list[str]]], *, source: SourceFile,
               text_column: str) -> Iterator[Item]:
    columns = None
    for row, values in cells:
        if not any(value.strip() for value in values):
            continue
        if columns is None:
            columns = column_names(values)
            continue
        yield _row_item(source.name, row, values, columns=columns, text_column=text_column)


def _row_item(file: str, row: int, values: list[str], *, columns: list[str],
              text_column: str) -> Item:
    padded = [*values[:len(columns)], *[""] * (len(columns) - len(values))]
    fields = dict(zip(columns, padded, strict=True))
    text = fields.pop(text_column)
    error = None
    if any(value.strip() for value in values[len(columns):]):
        error = (f"{len(values)} values in a row of {len(columns)} columns; quote texts that "
                 "hold the delimiter")
    return Item(file=file, position=f"row {row}", text=text, fields=fields, error=error)


def _delimited_cells(source: SourceFile, *, max_line_chars: int) -> Iterator[tuple[int, list[str]]]:
    # csv's own field limit (128 KiB by default, process-wide) would stop texts the line
    # limit allows; LineReader bounds every record, so raise csv's limit to match it.
    if csv.field_size_limit() < max_line_chars:
        csv.field_size_limit(max_line_chars)
    row = 0
    with source.path.open("rb") as binary:
        lines = LineReader(binary, source.encoding or "utf-8", file=source.name,
                           max_chars=max_line_chars, multiline_records=True)
        lines.location = lambda: f"row {row + 1}"
        reader = csv.reader(lines, delimiter=source.delimiter or NO_DELIMITER)
        try:
            for row, cells in enumerate(reader, start=1):
                yield row, cells
                lines.start_record()
        except csv.Error as exc:
            raise lines.error(f"cannot be read as CSV: {exc}") from None


def _xlsx_cells(path, *, file: str) -> Iterator[tuple[int, list[str]]]:
    # read_only streams the sheet's XML; data_only gives formulas' last computed values. The
    # file goes in open, as openpyxl refuses a path whose name does not end in .xlsx.
    stream = open(path, "rb")  # noqa: SIM115 (closed in the finally below)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl
        stream.close()
        raise DocumentError(f"not a readable Excel workbook ({exc})", file=file) from None
    row = 0
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong used range; read every row
        for row, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if row > _EXCEL_LAST_ROW:
                raise DocumentError("rows beyond Excel's last row", file=file,
                                    location=f"row {row}")
            yield row, [cell_text(value) for value in values]
    except DocumentError:
        raise
    except Exception as exc:  # damage deep in a sheet surfaces only as it is read
        raise DocumentError(f"not a readable Excel workbook ({exc})", file=file,
                            location=f"row {row + 1}") from None
    finally:
        workbook.close()
        stream.close()


def _jsonl_items(source: SourceFile, *, text_column: str,
                 max_line_chars: int) -> Iterator[Item]:
    with source.path.open("rb") as binary:
        lines = LineReader(binary, source.encoding or "utf-8", file=source.name,
                           max_chars=max_line_chars)
        for line in lines:
            if line.strip():
                yield _jsonl_item(source.name, lines.line_number, line, text_column)


def _jsonl_item(file: str, line_number: int, line: str, text_column: str) -> Item:
    where = {"file": file, "position": f"line {line_number}"}
    try:
        values = json.loads(line)
    except json.JSONDecodeError as exc:
        return Item(**where, text="", fields={},
                    error=f"not valid JSON: {exc.msg} at character {exc.colno}")
    except RecursionError:
        return Item(**where, text="", fields={}, error="JSON nested too deeply to read")
    if not isinstance(values, dict):
        return Item(**where, text="", fields={}, error="not a JSON object")
    fields = {key: _json_text(value) for key, value in values.items() if key != text_column}
    text = values.get(text_column)
    if isinstance(text, list | dict):
        return Item(**where, text="", fields=fields, error=f"{text_column!r} is not a string")
    error = None if text_column in values else f"no {text_column!r} key"
    return Item(**where, text=_json_text(text), fields=fields, error=error)


def _json_text(value: object) -> str:
    """A JSON value as text: strings as they are, null as "", anything else as JSON."""
    if value is None or isinstance(value, str):
        return value or ""
    return json.dumps(value, ensure_ascii=False)
