"""The audit trail for auditors, streamed oldest first with each event's chain columns.

JSONL holds each event exactly as hashed (slm_platform/audit/chain.py), so an export can be
re-verified offline: `manage.py audit_verify --file export.jsonl`, or a few lines of any
language. CSV is for reading: cells a spreadsheet would run as a formula are neutralised
(jobs/results.py), which changes them, so CSV is not for re-verification.
"""

import csv
import json
from collections.abc import Iterator

from slm_platform.audit.chain import records_of
from slm_platform.jobs.results import in_blocks, neutralise

FORMATS = ("csv", "jsonl")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
# The chain's order first, then who, what and the hashes.
CSV_COLUMNS = ["sequence", "created_at", "actor_label", "actor_user_id", "actor_api_key_id",
               "action", "object_type", "object_id", "outcome", "latency_ms", "data",
               "previous_hash", "row_hash", "id", "organization_id"]


class _Line:
    """A file-like that hands back what csv.writer writes, one row at a time."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    return neutralise(value) if isinstance(value, str) else value


def csv_stream(events) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff"  # a BOM, so spreadsheet programs read the UTF-8 as UTF-8
    yield writer.writerow(CSV_COLUMNS)
    for record in records_of(events):
        yield writer.writerow([_csv_cell(record[name]) for name in CSV_COLUMNS])


def jsonl_stream(events) -> Iterator[str]:
    for record in records_of(events):
        yield json.dumps(record, ensure_ascii=False) + "\n"


def export_stream(events, export_format: str) -> Iterator[bytes]:
    stream = csv_stream(events) if export_format == "csv" else jsonl_stream(events)
    return in_blocks(stream)
