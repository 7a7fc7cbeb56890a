"""Job results as CSV, JSONL or XLSX: the original columns, then the prediction's.

Rows stream from the database in item order (`seq`), so a million-row result never sits in
memory. Cells a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at the
start, unless the cell is a plain number) get a leading apostrophe in CSV and XLSX, so opening
a result cannot execute what someone typed into a bank statement.
"""

import csv
import json
import re
import tempfile
from collections.abc import Iterator
from typing import NamedTuple

from slm_platform.core.catalog import TaskKind
from slm_platform.jobs.models import Job, JobFile, JobItem
from slm_platform.registry.models import ModelVersion

FORMATS = ("csv", "jsonl", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?")
_ROWS_PER_QUERY = 2000
_BLOCK_CHARS = 1 << 16


class Shape(NamedTuple):
    """What a task's results show: its kind's prediction columns, then `fields`, the served
    prediction's own extra keys (TaskSpec.result_fields: a de-identified text, say)."""

    kind: str
    fields: tuple[str, ...] = ()

    @classmethod
    def of(cls, spec) -> "Shape":
        return cls("", ()) if spec is None else cls(spec.kind, tuple(spec.result_fields))


def neutralise(value: str) -> str:
    """Make a cell inert for spreadsheets (OWASP's CSV-injection advice), numbers left alone."""
    if value and value.startswith(_FORMULA_START) and not (
            any(ch.isdigit() for ch in value) and _PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def result_columns(job: Job, shape: Shape) -> tuple[list[str], list[str]]:
    """(original columns in the order first seen, prediction columns)."""
    original: list[str] = []
    for job_file in JobFile.objects.filter(job=job, status=JobFile.Status.READ):
        names = job_file.columns if job_file.columns is not None else ["text"]
        original += [name for name in names if name not in original]
    if shape.kind == TaskKind.ENTITIES:
        predicted = ["entities"]
    elif shape.kind == TaskKind.MULTI_LABEL:
        predicted = ["predicted_labels", "predicted_score"]
    else:
        predicted = ["predicted_label", "predicted_score"]
    # A job its task's cascade policy routed shows each item's route after its model version.
    routed = ["route"] if _routed(job) else []
    return original, [*predicted, *shape.fields, "model_version", *routed, "status", "error",
                      "source_file", "source_position"]


def _routed(job: Job) -> bool:
    from slm_platform.routing.selectors import job_was_routed

    return job_was_routed(job_id=job.pk)


class _Item(NamedTuple):
    seq: int
    file_id: int
    position: str
    text: str
    fields: dict | None
    status: str
    error: str
    label: str
    score: float | None
    model_version_id: int | None
    result: dict | None = None


def _items(job: Job, *, with_result: bool = True) -> Iterator[_Item]:
    """The job's items in order, as plain tuples (model instances cost more than the rest of
    an export together); the stored prediction only when the output shows it."""
    columns = list(_Item._fields) if with_result else list(_Item._fields[:-1])
    for values in JobItem.objects.filter(job=job).order_by("seq").values_list(*columns) \
            .iterator(chunk_size=_ROWS_PER_QUERY):
        yield _Item(*values)


class _Names:
    """File and model-version names by id, each looked up once per export."""

    def __init__(self, job: Job):
        self.files = {pk: (name, text_column or "text") for pk, name, text_column in
                      JobFile.objects.filter(job=job).values_list("pk", "name", "text_column")}
        self._versions: dict[int, str] = {}

    def version(self, version_id: int | None) -> str:
        if version_id is None:
            return ""
        if version_id not in self._versions:
            self._versions[version_id] = ModelVersion.objects.get(pk=version_id).name
        return self._versions[version_id]


def _prediction_cells(item: _Item, shape: Shape) -> list:
    result = item.result or {}
    extra = [_cell(result.get(field)) for field in shape.fields]
    if shape.kind == TaskKind.ENTITIES:
        return [json.dumps(result.get("entities", []), ensure_ascii=False) if item.result
                else "", *extra]
    labels = ("|".join(result.get("labels") or []) if shape.kind == TaskKind.MULTI_LABEL
              else item.label)
    return [labels, "" if item.score is None else round(item.score, 6), *extra]


def _cell(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _original_cells(item: _Item, text_column: str, original: list[str]) -> list[str]:
    values = dict(item.fields or {})
    values[text_column] = item.text
    return [values.get(name, "") for name in original]


def result_rows(job: Job, shape: Shape, original: list[str]) -> Iterator[list]:
    """One row per item: `original` (result_columns' first list), then the prediction's."""
    names = _Names(job)
    routed = _routed(job)
    # Single-label rows show the label and score columns; the stored prediction is not read
    # (unless it holds the item's route).
    with_result = shape.kind != TaskKind.CLASSIFICATION or bool(shape.fields) or routed
    for item in _items(job, with_result=with_result):
        file_name, text_column = names.files[item.file_id]
        route = [(item.result or {}).get("route", "")] if routed else []
        yield (_original_cells(item, text_column, original) + _prediction_cells(item, shape)
               + [names.version(item.model_version_id), *route, item.status, item.error,
                  file_name, item.position])


class _Line:
    """A file-like that hands back what csv.writer writes, one row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_stream(job: Job, shape: Shape) -> Iterator[str]:
    writer = csv.writer(_Line())
    original, predicted = result_columns(job, shape)
    yield "\ufeff"  # a BOM, so spreadsheet programs read the UTF-8 as UTF-8
    yield writer.writerow([neutralise(name) for name in original + predicted])
    for row in result_rows(job, shape, original):
        yield writer.writerow([neutralise(cell) if isinstance(cell, str) else cell
                               for cell in row])


def in_blocks(stream: Iterator[str], size: int = _BLOCK_CHARS) -> Iterator[bytes]:
    """The stream's rows joined into blocks of about `size` characters, as UTF-8: a response
    sent a row at a time costs a socket write and an encode per row, about half of a large
    export's time."""
    pending: list[str] = []
    length = 0
    for part in stream:
        pending.append(part)
        length += len(part)
        if length >= size:
            yield "".join(pending).encode()
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode()


def jsonl_stream(job: Job, shape: Shape) -> Iterator[str]:
    names = _Names(job)
    for item in _items(job):
        yield json.dumps({
            "seq": item.seq, "file": names.files[item.file_id][0], "position": item.position,
            "text": item.text, "fields": item.fields, "status": item.status,
            "error": item.error or None, "prediction": item.result,
            "model_version": names.version(item.model_version_id) or None,
        }, ensure_ascii=False) + "\n"


def xlsx_file(job: Job, shape: Shape):
    """The workbook in a temporary file (openpyxl's write-only mode keeps memory flat)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("results")
    original, predicted = result_columns(job, shape)
    sheet.append([neutralise(name) for name in original + predicted])
    for row in result_rows(job, shape, original):
        sheet.append([_xlsx_cell(cell) for cell in row])
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    workbook.save(output)
    output.seek(0)
    return output


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_cell(cell):
    if not isinstance(cell, str):
        return cell
    # openpyxl refuses control characters XML cannot hold; they carry no meaning in a cell.
    return neutralise(_ILLEGAL_XML.sub("", cell))
