"""Appointment requests for the clinic's staff: the list, and each one as a calendar file."""

import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, renderers, serializers
from rest_framework.views import APIView

from tasks_health.appointments import (
    appointment_request_get,
    appointment_request_ics,
    appointment_requests_for_organization,
)
from tasks_health.models import AppointmentRequest


class AppointmentRequestSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = AppointmentRequest
        fields = ["id", "reference", "kind", "status", "preferred_date",
                  "preferred_time_of_day", "preferred_time", "current_date", "reason",
                  "conversation", "created"]


class AppointmentRequestListApi(generics.ListAPIView):
    capability = "handoffs"
    serializer_class = AppointmentRequestSerializer

    def get_queryset(self):
        return appointment_requests_for_organization(organization=self.request.organization)


class CalendarRenderer(renderers.BaseRenderer):
    """text/calendar for the file; an error body (a dict) stays JSON."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode() if isinstance(data, str) else json.dumps(data).encode()


class AppointmentRequestIcsApi(APIView):
    capability = "handoffs"
    renderer_classes = [CalendarRenderer, renderers.JSONRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # An error (404, 401...) is the API's JSON error shape, and says so in its
        # Content-Type, whatever calendar type the client accepts.
        if getattr(response, "exception", False):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR)},
                   summary="An appointment request as an iCalendar file (TENTATIVE: staff "
                           "still confirm a time)")
    def get(self, request, request_id: int):
        found = appointment_request_get(organization=request.organization,
                                        request_id=request_id)
        response = HttpResponse(appointment_request_ics(request=found, host=request.get_host()),
                                content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = (f'attachment; filename="appointment-request-'
                                           f'{found.pk}.ics"')
        return response
