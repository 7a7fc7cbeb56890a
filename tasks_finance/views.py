"""The finance app's own endpoints: a transcript's tone, and how it moved between two."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.api.uploads import declared_size_check, model_version_field, request_documents
from tasks_finance.earnings_sentiment.services import (
    MAX_TRANSCRIPT_BYTES,
    earnings_tone,
    earnings_tone_shift,
)
from tasks_finance.statements import MAX_STATEMENT_BYTES, statement_read

_DOCUMENT = ("a TXT, PDF or DOCX file (multipart), or the transcript's text (JSON); split "
             "into sentences, at most 2,000")
_TONE_EXAMPLE = {
    "task": "finance.earnings-sentiment", "model_version": "finance.earnings-sentiment@3",
    "model_version_id": 7, "file": "q3-call.pdf", "tone": "positive", "score": 0.214,
    "sentences": 412, "labels": {"positive": 151, "negative": 62, "neutral": 199},
    "sections": {
        "prepared_remarks": {"tone": "positive", "score": 0.351, "sentences": 168,
                             "labels": {"positive": 88, "negative": 12, "neutral": 68}},
        "qa": {"tone": "neutral", "score": 0.08, "sentences": 244,
               "labels": {"positive": 63, "negative": 50, "neutral": 131}}},
    "most_positive": [{"text": "Revenue grew 18% to a record $4.2 billion.",
                       "position": "page 2", "section": "prepared_remarks",
                       "label": "positive", "tone": 0.97}],
    "most_negative": [{"text": "Gross margin came under pressure from freight costs.",
                       "position": "page 7", "section": "qa", "label": "negative",
                       "tone": -0.93}],
}
_SHIFT_EXAMPLE = {
    "task": "finance.earnings-sentiment", "model_version": "finance.earnings-sentiment@3",
    "model_version_id": 7,
    "earlier": {"tone": "positive", "score": 0.214, "sentences": 412, "file": "q2-call.pdf"},
    "later": {"tone": "neutral", "score": 0.041, "sentences": 398, "file": "q3-call.pdf"},
    "shift": -0.173, "direction": "more negative",
    "sections": {"prepared_remarks": {"earlier": 0.351, "later": 0.22, "shift": -0.131,
                                      "direction": "more negative"},
                 "qa": {"earlier": 0.08, "later": -0.09, "shift": -0.17,
                        "direction": "more negative"}},
    "reports": {"earlier": "(the earnings-tone report of the first transcript)",
                "later": "(the earnings-tone report of the second)"},
}


def _form(name: str, fields: tuple[str, ...], kind) -> serializers.Serializer:
    return inline_serializer(name, {
        **{field: kind(help_text=_DOCUMENT) for field in fields},
        "model_version": serializers.IntegerField(required=False,
                                                  help_text="a version id; default: active"),
    })


class EarningsToneApi(APIView):
    capability = "predict"
    throttle_scopes = {"POST": "predict"}  # rate limits: api/throttling.py
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": _form("EarningsToneUpload", ("transcript",),
                                              serializers.FileField),
                 "application/json": _form("EarningsToneText", ("transcript",),
                                           serializers.CharField)},
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, examples=[
            OpenApiExample("a call with prepared remarks and Q&A", value=_TONE_EXAMPLE)])},
        summary="Score a whole earnings-call transcript: its tone, per section, with evidence")
    def post(self, request):
        declared_size_check(request, limit=MAX_TRANSCRIPT_BYTES, slack=64 * 1024,
                            what="a transcript may be", field="transcript")
        with request_documents(request, ("transcript",), _DOCUMENT) as (transcript,):
            report = earnings_tone(organization=request.organization, transcript=transcript,
                                   actor=request.actor,
                                   model_version_id=model_version_field(request))
        return Response(report)


class ToneShiftApi(APIView):
    capability = "predict"
    throttle_scopes = {"POST": "predict"}  # rate limits: api/throttling.py
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": _form("ToneShiftUpload", ("earlier", "later"),
                                              serializers.FileField),
                 "application/json": _form("ToneShiftText", ("earlier", "later"),
                                           serializers.CharField)},
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, examples=[
            OpenApiExample("management sounded less upbeat this quarter",
                           value=_SHIFT_EXAMPLE)])},
        summary="Compare two transcripts of one company: how management's tone moved")
    def post(self, request):
        declared_size_check(request, limit=2 * MAX_TRANSCRIPT_BYTES, slack=64 * 1024,
                            what="two transcripts may be", field="earlier")
        with request_documents(request, ("earlier", "later"), _DOCUMENT) as (earlier, later):
            shift = earnings_tone_shift(organization=request.organization, earlier=earlier,
                                        later=later, actor=request.actor,
                                        model_version_id=model_version_field(request))
        return Response(shift)


_STATEMENT_EXAMPLE = {
    "file": "march.pdf", "pages": 2,
    "transactions": [
        {"date": "2025-03-03", "description": "CARD PAYMENT TO TESCO STORES 2841",
         "amount": "-23.47", "currency": "GBP", "balance": "1412.08",
         "counterparty": "tesco stores"},
        {"date": "2025-03-28", "description": "ACME ANALYTICS LTD SALARY", "amount": "2450.00",
         "currency": "GBP", "balance": "3862.08", "counterparty": "acme analytics ltd salary"}],
    "identifiers": [{"type": "IBAN", "masked": "GB** **** **** **** **54 32", "valid": True},
                    {"type": "ACCOUNT", "masked": "**-**-** ****5678", "valid": True}],
}


class StatementApi(APIView):
    capability = "predict"
    throttle_scopes = {"POST": "predict"}  # rate limits: api/throttling.py
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": inline_serializer("StatementUpload", {
                     "statement": serializers.FileField(help_text="a TXT or PDF statement")}),
                 "application/json": inline_serializer("StatementText", {
                     "statement": serializers.CharField(help_text="the statement's text")})},
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, examples=[
            OpenApiExample("a two-page PDF statement", value=_STATEMENT_EXAMPLE)])},
        summary="Read a bank statement into transactions, account numbers masked")
    def post(self, request):
        declared_size_check(request, limit=MAX_STATEMENT_BYTES, slack=64 * 1024,
                            what="a statement may be", field="statement")
        with request_documents(request, ("statement",),
                               "a TXT or PDF file (multipart), or the statement's text "
                               "(JSON)") as (statement,):
            return Response(statement_read(statement))
