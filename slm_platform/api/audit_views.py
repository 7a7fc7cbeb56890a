"""The audit trail for auditors: export it (CSV or JSONL, streamed) and verify its chain."""

import datetime

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.audit import exports
from slm_platform.audit.services import ExportFilters, audit_chain_check, audit_export_begin
from slm_platform.core.errors import ValidationFailed


def _moment(request, name: str, *, end_of_day: bool = False) -> datetime.datetime | None:
    """An ISO 8601 time (UTC when it names no offset) or a date: its start, or for `until`
    its end."""
    text = request.query_params.get(name, "").strip()
    if not text:
        return None
    try:  # a date first: parse_datetime reads one as its midnight
        day = parse_date(text)
        moment = None if day else parse_datetime(text)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = datetime.datetime.combine(day, datetime.time.max if end_of_day
                                           else datetime.time.min)
    if moment is None:
        raise ValidationFailed(f"{name} must be an ISO 8601 time or date, such as "
                               "2026-03-31T17:00:00Z or 2026-03-31", details={"field": name})
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)


def _filters(request) -> ExportFilters:
    filters = ExportFilters(since=_moment(request, "since"),
                            until=_moment(request, "until", end_of_day=True),
                            action=request.query_params.get("action", "").strip() or None)
    if filters.since and filters.until and filters.until < filters.since:
        raise ValidationFailed("until is before since", details={"field": "until"})
    return filters


class AuditExportApi(APIView):
    capability = "audit.read"

    @extend_schema(parameters=[
        OpenApiParameter("format", str, enum=list(exports.FORMATS)),
        OpenApiParameter("since", str, description="ISO 8601 time or date, inclusive"),
        OpenApiParameter("until", str, description="ISO 8601 time or date, inclusive"),
        OpenApiParameter("action", str, description="e.g. predict"),
    ], responses={(200, content_type.split(";")[0]): OpenApiTypes.BINARY
                  for content_type in exports.CONTENT_TYPES.values()},
        summary="The audit trail, oldest first, with each event's sequence and hashes")
    def get(self, request):
        export_format = request.query_params.get("format", "csv")
        if export_format not in exports.FORMATS:
            raise ValidationFailed(f"format must be one of {', '.join(exports.FORMATS)}",
                                   details={"field": "format"})
        events = audit_export_begin(organization=request.organization, actor=request.actor,
                                    export_format=export_format, filters=_filters(request))
        response = StreamingHttpResponse(exports.export_stream(events, export_format),
                                         content_type=exports.CONTENT_TYPES[export_format])
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = (f'attachment; filename="audit-'
                                           f'{request.organization.slug}-{stamp}.{export_format}"')
        return response


class AuditVerifyApi(APIView):
    capability = "audit.read"

    @extend_schema(responses=OpenApiTypes.OBJECT,
                   summary="Recompute the organization's audit hash chain")
    def get(self, request):
        report = audit_chain_check(organization=request.organization, actor=request.actor)
        return Response({
            "intact": report.intact, "events_checked": report.events_checked,
            "last_sequence": report.last_sequence, "last_hash": report.last_hash,
            "first_break": report.first_break and report.first_break.as_dict(),
        })
