"""API of a task's cascade: the policy (`models.read` reads, `activate` writes), the threshold
suggester and the routing statistics."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.core.errors import NotFound, ValidationFailed
from slm_platform.routing import services
from slm_platform.routing.selectors import cascade_policy_get, policy_payload, routing_stats
from slm_platform.routing.suggestions import cascade_suggestion

MAX_WINDOW_DAYS = 365


class CascadePolicyApi(APIView):
    capability = {"GET": "models.read", "PUT": "activate", "DELETE": "activate"}

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="The task's cascade policy")
    def get(self, request, slug: str):
        spec = services.cascade_task(organization=request.organization, slug=slug)
        policy = cascade_policy_get(organization=request.organization, task_slug=spec.slug)
        if policy is None:
            raise NotFound(f"{spec.slug} has no cascade policy", code="cascade_not_found",
                           details={"task": spec.slug})
        return Response(policy_payload(policy))

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT,
                   summary="Set the task's cascade policy (small model, large route, human)")
    def put(self, request, slug: str):
        policy = services.cascade_policy_set(organization=request.organization, task_slug=slug,
                                             data=request.data, actor=request.actor)
        return Response(policy_payload(policy))

    @extend_schema(responses={204: None}, summary="Remove the task's cascade policy")
    def delete(self, request, slug: str):
        services.cascade_policy_delete(organization=request.organization, task_slug=slug,
                                       actor=request.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise ValidationFailed(f"{name} must be a model version id", details={"field": name})
    return int(value)


class CascadeSuggestApi(APIView):
    capability = "models.read"

    @extend_schema(
        parameters=[
            OpenApiParameter("target_accuracy", str, description="0-1, or \"large\" (the "
                             "default): the large version's accuracy on the same rows"),
            OpenApiParameter("small_version", int, description="Default: the active version"),
            OpenApiParameter("large_version", int,
                             description="Default: the cascade policy's large version"),
        ],
        responses=OpenApiTypes.OBJECT,
        summary="Escalation rate against cascade accuracy, and the threshold to use")
    def get(self, request, slug: str):
        services.cascade_task(organization=request.organization, slug=slug)
        return Response(cascade_suggestion(
            organization=request.organization, task_slug=slug,
            target_accuracy=request.query_params.get("target_accuracy"),
            small_version_id=_int_param(request, "small_version"),
            large_version_id=_int_param(request, "large_version")))


class CascadeStatsApi(APIView):
    capability = "models.read"

    @extend_schema(parameters=[OpenApiParameter("days", int, description="Window: the last "
                                                "this many days (default 7, at most 365)")],
                   responses=OpenApiTypes.OBJECT,
                   summary="Items, accuracy (from reviews) and latency per route")
    def get(self, request, slug: str):
        spec = services.cascade_task(organization=request.organization, slug=slug)
        days = request.query_params.get("days", "7")
        if not days.isdigit() or not 1 <= int(days) <= MAX_WINDOW_DAYS:
            raise ValidationFailed(f"days must be a whole number from 1 to {MAX_WINDOW_DAYS}",
                                   details={"field": "days"})
        until = timezone.now()
        return Response(routing_stats(organization=request.organization, task_slug=spec.slug,
                                      since=until - timedelta(days=int(days)), until=until))
