"""The audit hash chain: how an event is hashed and how a chain is checked.

An event's hash is SHA-256 over the canonical JSON (sorted keys, separators "," and ":", UTF-8,
non-ASCII as is) of its content (`HASHED_FIELDS`, the time as `timestamp_text`), which holds
the previous event's hash, so changing, removing or reordering any event breaks every link
after it. The same functions check a chain read from the database and one read back from a
JSONL export, whose records carry exactly these keys, so an auditor can re-verify offline
(`manage.py audit_verify --file`, or `row_hash(record) == record["row_hash"]` per line).

Numbers are canonical as JSON holds them: a float with no fraction is written as an integer
(PostgreSQL's jsonb gives 1e16 back as 10000000000000000), any other float in Python's
shortest round-trip form.
"""

import datetime
import hashlib
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

HASHED_FIELDS = (
    "organization_id", "sequence", "created_at", "actor_user_id", "actor_api_key_id",
    "actor_label", "action", "object_type", "object_id", "outcome", "latency_ms", "data",
    "previous_hash",
)
# The model's columns behind each record key (the actor ids are the copies taken when the
# event was written: see AuditEvent.actor_user_ref).
COLUMNS = {"actor_user_id": "actor_user_ref", "actor_api_key_id": "actor_api_key_ref"}
_ROWS_PER_QUERY = 2000


def timestamp_text(moment: datetime.datetime) -> str:
    """UTC, to the microsecond: the form hashed and exported."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canonical(value):
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


def canonical_json(content: dict) -> str:
    return json.dumps(_canonical(content), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def row_hash(content: dict) -> str:
    """The hash of one event: `content` holds HASHED_FIELDS (created_at as timestamp_text)."""
    return hashlib.sha256(canonical_json({name: content[name] for name in HASHED_FIELDS})
                          .encode()).hexdigest()


# The columns read for a record, in the order of RECORD_KEYS.
RECORD_KEYS = ("id", *HASHED_FIELDS, "row_hash")
RECORD_COLUMNS = tuple(COLUMNS.get(name, name) for name in RECORD_KEYS)


def record_from_row(row: tuple) -> dict:
    """One event as a record (the JSONL export's form): a tuple of RECORD_COLUMNS' values."""
    record = dict(zip(RECORD_KEYS, row, strict=True))
    record["created_at"] = timestamp_text(record["created_at"])
    return record


def records_of(events) -> Iterator[dict]:
    """The events of a queryset as records, a chunk of rows per query."""
    for row in events.values_list(*RECORD_COLUMNS).iterator(chunk_size=_ROWS_PER_QUERY):
        yield record_from_row(row)


@dataclass(frozen=True)
class ChainBreak:
    sequence: int | None
    event_id: int | None
    reason: str

    def as_dict(self) -> dict:
        return {"sequence": self.sequence, "event_id": self.event_id, "reason": self.reason}


@dataclass(frozen=True)
class ChainReport:
    events_checked: int
    last_sequence: int
    last_hash: str
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def _link_break(record: dict, expected: int, previous_hash: str | None) -> str | None:
    """Why `record` does not follow the record before it, or None."""
    sequence = record["sequence"]
    if sequence > expected:
        missing = str(expected) if sequence == expected + 1 else f"{expected}–{sequence - 1}"
        return f"sequence {missing} missing before it: rows were deleted"
    if sequence < expected:
        return f"sequence {sequence} where {expected} was expected: rows repeat or out of order"
    if previous_hash is not None and record["previous_hash"] != previous_hash:
        return (f"previous_hash does not match the hash of sequence {sequence - 1}: the chain "
                "was cut and re-joined")
    if row_hash(record) != record["row_hash"]:
        return "row_hash does not match the row's content: the row was changed"
    return None


def chain_check(records: Iterable[dict], *, head: tuple[int, str] | None = None,
                from_start: bool = True) -> ChainReport:
    """Walk records in sequence order and report the first broken link. `head` is the chain
    head's (last_sequence, last_hash), checked after the last record (deleted newest rows);
    `from_start=False` accepts a first record anywhere in the chain (an export from a date)."""
    checked, expected, previous_hash = 0, 1, "" if from_start else None
    last: dict | None = None
    for record in records:
        if checked == 0 and not from_start:
            expected = record["sequence"]
        reason = _link_break(record, expected, previous_hash)
        if reason:
            return ChainReport(checked, expected - 1, previous_hash or "",
                               ChainBreak(record["sequence"], record.get("id"), reason))
        checked, expected, previous_hash, last = \
            checked + 1, record["sequence"] + 1, record["row_hash"], record
    last_sequence = last["sequence"] if last else 0
    report = ChainReport(checked, last_sequence, previous_hash or "", None)
    if head is not None:
        report = _head_check(report, head, last)
    return report


def _head_check(report: ChainReport, head: tuple[int, str], last: dict | None) -> ChainReport:
    head_sequence, head_hash = head
    if head_sequence > report.last_sequence:
        missing = report.last_sequence + 1
        span = str(missing) if missing == head_sequence else f"{missing}–{head_sequence}"
        reason = f"sequence {span} missing at the end: the newest rows were deleted"
        return ChainReport(report.events_checked, report.last_sequence, report.last_hash,
                           ChainBreak(missing, None, reason))
    if head_hash != report.last_hash:
        reason = "the chain head's hash does not match the last row"
        return ChainReport(report.events_checked, report.last_sequence, report.last_hash,
                           ChainBreak(report.last_sequence, last and last.get("id"), reason))
    return report


def chain_unchained(*, event_model, head_model, batch_size: int = 1000) -> int:
    """Chain every event that has no sequence yet, per organization in (created_at, id) order,
    after the chain's head; returns how many were chained. The audit migration calls it with
    its historical models to chain the events written before the chain existed."""
    chained = 0
    organization_ids = (event_model._base_manager.filter(sequence__isnull=True)
                        .order_by().values_list("organization_id", flat=True).distinct())
    for organization_id in list(organization_ids):
        chained += _chain_organization(event_model, head_model, organization_id, batch_size)
    return chained


def _chain_organization(event_model, head_model, organization_id: int, batch_size: int) -> int:
    head, _ = head_model._base_manager.get_or_create(organization_id=organization_id)
    # The base manager: the append-only guard sits on `objects`, and this is the one place
    # allowed to fill the chain columns of rows written before the chain existed. A batch at a
    # time, each read after the last was saved: no cursor stays open on rows being updated.
    unchained = (event_model._base_manager.filter(organization_id=organization_id,
                                                  sequence__isnull=True)
                 .order_by("created_at", "id"))
    count = 0
    while batch := list(unchained[:batch_size]):
        for event in batch:
            event.actor_user_ref = event.actor_user_id
            event.actor_api_key_ref = event.actor_api_key_id
            event.sequence, event.previous_hash = head.last_sequence + 1, head.last_hash
            event.row_hash = row_hash(event_content(event))
            head.last_sequence, head.last_hash = event.sequence, event.row_hash
        event_model._base_manager.bulk_update(batch, [
            "actor_user_ref", "actor_api_key_ref", "sequence", "previous_hash", "row_hash"])
        count += len(batch)
    head_model._base_manager.filter(pk=head.pk).update(last_sequence=head.last_sequence,
                                                       last_hash=head.last_hash)
    return count


def event_content(event) -> dict:
    """An event instance's hashed content (created_at as timestamp_text)."""
    content = {name: getattr(event, COLUMNS.get(name, name)) for name in HASHED_FIELDS}
    content["created_at"] = timestamp_text(content["created_at"])
    return content
