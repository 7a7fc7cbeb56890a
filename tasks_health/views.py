"""The health app's own endpoint: a clinical document de-identified."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.api.uploads import (
    declared_size_check,
    model_version_field,
    request_documents,
    request_fields,
)
from tasks_health.phi_deid.labels import PHI_TYPES
from tasks_health.phi_deid.redaction import MODES
from tasks_health.phi_deid.services import MAX_DOCUMENT_BYTES, deidentify, options_check

_DOCUMENT = ("a TXT, PDF or DOCX file (multipart), or the document's text (JSON); at most "
             "5,000 lines")
_MODES = ("mask: [NAME]; pseudonym: a stand-in kept for the same value throughout the "
          "document, dates shifted by one offset; hash: [NAME:<hmac>], alike for one value "
          "across the organization's documents; remove: deleted")
_EXAMPLE = {
    "task": "health.phi-deid", "model_version": "health.phi-deid@1", "model_version_id": 12,
    "file": "document", "mode": "pseudonym",
    "text": "Pt Robin Ashdown (DOB 1930-08-02, MRN 71946208) seen today, a 90+ yo woman from "
            "[LOCATION-1]; daughter reachable at (803) 214-5531 or person1@example.org.",
    "counts": {"NAME": 1, "DATE": 1, "MRN": 1, "AGE": 1, "LOCATION": 1, "PHONE": 1,
               "EMAIL": 1},
    "entities": [{"start": 3, "end": 17, "label": "NAME", "source": "model", "score": 0.98,
                  "replacement": "Robin Ashdown"},
                 {"start": 23, "end": 33, "label": "DATE", "source": "rule", "score": None,
                  "replacement": "1930-08-02"}],
}


def _form(name: str, kind) -> serializers.Serializer:
    return inline_serializer(name, {
        "document": kind(help_text=_DOCUMENT),
        "mode": serializers.ChoiceField(choices=MODES, required=False, help_text=_MODES),
        "types": serializers.ListField(child=serializers.ChoiceField(choices=PHI_TYPES),
                                       required=False,
                                       help_text="only these types (default: all)"),
        "model_version": serializers.IntegerField(required=False,
                                                  help_text="a version id; default: active"),
    })


class DeidentifyApi(APIView):
    capability = "predict"
    throttle_scopes = {"POST": "predict"}  # rate limits: api/throttling.py
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": _form("DeidentifyUpload", serializers.FileField),
                 "application/json": _form("DeidentifyText", serializers.CharField)},
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, examples=[
            OpenApiExample("a clinical note, pseudonymised", value=_EXAMPLE)])},
        summary="De-identify a clinical document: its Safe Harbor identifiers masked, "
                "pseudonymised, hashed or removed")
    def post(self, request):
        declared_size_check(request, limit=MAX_DOCUMENT_BYTES, slack=64 * 1024,
                            what="a document may be", field="document")
        fields = request_fields(request)
        types = fields.getlist("types") if hasattr(fields, "getlist") else fields.get("types")
        mode, wanted = options_check(mode=fields.get("mode"), types=types)
        with request_documents(request, ("document",), _DOCUMENT) as (document,):
            report = deidentify(organization=request.organization, document=document,
                                mode=mode, types=wanted, actor=request.actor,
                                model_version_id=model_version_field(request))
        return Response(report)
