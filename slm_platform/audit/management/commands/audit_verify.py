"""Recompute every organization's audit hash chain and report the first broken link of each.

    python manage.py audit_verify                      # every organization
    python manage.py audit_verify --organization acme  # one
    python manage.py audit_verify --file export.jsonl  # a JSONL export, offline

Exits 1 when a chain is broken, naming the organization, the sequence, the event id and why.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from slm_platform.audit.chain import HASHED_FIELDS, ChainReport, chain_check
from slm_platform.audit.selectors import audit_chain_verify
from slm_platform.core.models import Organization


class Command(BaseCommand):
    help = "Verify the audit log's hash chains; exit 1 at a broken link."

    def add_arguments(self, parser):
        parser.add_argument("--organization", metavar="SLUG", help="only this organization")
        parser.add_argument("--file", type=Path, metavar="PATH",
                            help="verify a JSONL audit export instead of the database")

    def handle(self, *args, organization=None, file=None, **options):
        if file is not None:
            broken = self._report(str(file), _file_check(file))
        else:
            organizations = Organization.objects.order_by("slug")
            if organization:
                organizations = organizations.filter(slug=organization)
                if not organizations.exists():
                    raise CommandError(f"no organization with slug {organization!r}")
            broken = sum(self._report(org.slug, audit_chain_verify(organization=org))
                         for org in organizations)
        if broken:
            raise CommandError(f"audit chain broken: {broken} of the chains checked")

    def _report(self, name: str, report: ChainReport) -> int:
        if report.intact:
            self.stdout.write(f"{name}: intact, {report.events_checked} events, last sequence "
                              f"{report.last_sequence}, hash {report.last_hash or '-'}")
            return 0
        fault = report.first_break
        event = f"event {fault.event_id}" if fault.event_id is not None else "no event"
        where = f"sequence {fault.sequence}" if fault.sequence is not None else "its head"
        self.stdout.write(f"{name}: BROKEN at {where} ({event}): {fault.reason}; "
                          f"{report.events_checked} events intact before it")
        return 1


def _file_check(path: Path) -> ChainReport:
    """An export starts anywhere in the chain (from a date); its rows must follow each other,
    so verify an export that has no action filter."""
    try:
        lines = path.open(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    with lines:
        return chain_check((_record(path, number, line) for number, line in
                            enumerate(lines, start=1) if line.strip()), from_start=False)


def _record(path: Path, number: int, line: str) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path}, line {number}: not JSON ({exc.msg})") from None
    missing = [name for name in (*HASHED_FIELDS, "row_hash")
               if not isinstance(record, dict) or name not in record]
    if missing:
        raise CommandError(f"{path}, line {number}: not an audit export record (no "
                           f"{', '.join(missing)})")
    return record
