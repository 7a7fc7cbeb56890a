"""API views: parse input, check permission, call one service or selector, shape output."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.accounts import services as account_services
from slm_platform.accounts.models import ApiKey
from slm_platform.accounts.roles import ANY_MEMBER
from slm_platform.accounts.selectors import api_keys_visible_to, members_of
from slm_platform.api import serializers as s
from slm_platform.api.permissions import has_capability
from slm_platform.audit.selectors import audit_events_for_organization
from slm_platform.core.catalog import catalog, output_example
from slm_platform.core.errors import NotFound, ValidationFailed
from slm_platform.core.task_selectors import custom_task_spec, tasks_for_organization
from slm_platform.core.task_services import custom_task_create
from slm_platform.registry import compression
from slm_platform.registry import services as registry_services
from slm_platform.registry.comparison import compare
from slm_platform.registry.selectors import (
    activation_history,
    active_version,
    active_versions_by_task,
    model_version_get,
    model_versions_for_organization,
)
from slm_platform.serving import services as serving


def _task_payload(spec, active) -> dict:
    return {
        "slug": spec.slug, "kind": str(spec.kind), "title": spec.title,
        "description": spec.description, "industry": spec.industry, "labels": list(spec.labels),
        "label_descriptions": spec.label_descriptions, "max_input_chars": spec.max_input_chars,
        "labels_fixed": spec.labels_fixed, "custom": spec.custom,
        "examples": list(spec.examples),
        "active_version": None if active is None else {
            "id": active.pk, "version": active.version, "name": active.name,
            "test_accuracy": active.metrics.get("test", {}).get("accuracy"),
        },
    }


class TaskListApi(APIView):
    capability = {"GET": "models.read", "POST": "datasets"}

    @extend_schema(responses=s.TaskSerializer(many=True), summary="Tasks and their active models")
    def get(self, request):
        active = active_versions_by_task(organization=request.organization)
        specs = tasks_for_organization(organization=request.organization)
        return Response([_task_payload(spec, active.get(spec.slug)) for spec in specs])

    @extend_schema(request=s.CustomTaskCreateSerializer, responses={201: s.TaskSerializer},
                   summary="Create the organization's own task")
    def post(self, request):
        form = s.CustomTaskCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        task = custom_task_create(organization=request.organization, actor=request.actor,
                                  **form.validated_data)
        spec = custom_task_spec(task)
        return Response(_task_payload(spec, None), status=status.HTTP_201_CREATED)


def _predict_examples() -> list[OpenApiExample]:
    """A request and a response example per built-in task, from its catalog spec."""
    examples = []
    for spec in catalog.all():
        text = spec.examples[0] if spec.examples else "..."
        examples.append(OpenApiExample(spec.slug, request_only=True, value={"inputs": [text]}))
        examples.append(OpenApiExample(spec.slug, response_only=True, value={
            "task": spec.slug, "model_version": f"{spec.slug}@v1", "model_version_id": 1,
            "predictions": [output_example(spec)]}))
    return examples


class TaskPredictApi(APIView):
    capability = "predict"
    throttle_scopes = {"POST": "predict"}  # rate limits: api/throttling.py
    @extend_schema(request=s.PredictRequestSerializer, responses=s.PredictResponseSerializer,
                   examples=_predict_examples(),
                   summary="Predict with the task's active model (realtime queue)")
    def post(self, request, slug: str):
        body = request.data
        if not isinstance(body, dict):
            raise ValidationFailed("the body must be a JSON object", details={"field": "body"})
        if "inputs" not in body:
            raise ValidationFailed("inputs is required", details={"field": "inputs"})
        version_id = body.get("model_version")
        if version_id is not None and (isinstance(version_id, bool) or
                                       not isinstance(version_id, int)):
            raise ValidationFailed("model_version must be an integer id",
                                   details={"field": "model_version"})
        result = serving.predict(
            organization=request.organization, task_slug=slug, inputs=body["inputs"],
            actor=request.actor, model_version_id=version_id,
        )
        return Response({
            "task": result.task, "model_version": result.model_version.name,
            "model_version_id": result.model_version.pk, "predictions": result.predictions,
        })


class ModelVersionListApi(generics.ListAPIView):
    capability = "models.read"
    serializer_class = s.ModelVersionSerializer

    @extend_schema(parameters=[OpenApiParameter("task", str, description="Filter by task slug")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return model_versions_for_organization(
            organization=self.request.organization,
            task_slug=self.request.query_params.get("task") or None,
        )


def _version_or_404(request, version_id: int):
    version = model_version_get(organization=request.organization, version_id=version_id)
    if version is None:
        raise NotFound(f"model version {version_id} not found", details={"id": version_id})
    return version


class ModelVersionDetailApi(APIView):
    capability = "models.read"

    @extend_schema(responses=s.ModelVersionSerializer)
    def get(self, request, version_id: int):
        return Response(s.ModelVersionSerializer(_version_or_404(request, version_id)).data)


class ModelVersionActivateApi(APIView):
    capability = "activate"

    @extend_schema(request=s.ActivateRequestSerializer, responses=s.ModelVersionSerializer,
                   summary="Make this version the task's active one (optionally gated)")
    def post(self, request, version_id: int):
        version = _version_or_404(request, version_id)
        form = s.ActivateRequestSerializer(data=request.data or {})
        form.is_valid(raise_exception=True)
        gate = form.validated_data.get("gate")
        if gate:
            registry_services.activation_gate_enforce(
                version=version, max_label_f1_drop=gate["max_label_f1_drop"]
            )
        version = registry_services.model_version_activate(version=version, actor=request.actor)
        return Response(s.ModelVersionSerializer(version).data)


class ModelVersionCompressApi(APIView):
    capability = "activate"

    @extend_schema(request=s.CompressRequestSerializer,
                   responses={202: s.ModelVersionSerializer},
                   summary="Quantize, distil, prune or factorize this version into a new one, "
                           "measured against it in a compression report")
    def post(self, request, version_id: int):
        version = _version_or_404(request, version_id)
        data = request.data if isinstance(request.data, dict) else {}
        method, options = compression.compress_request_clean(method=data.get("method"),
                                                             options=data.get("options"))
        compressed = compression.model_version_compress(version=version, method=method,
                                                        options=options, actor=request.actor)
        return Response(s.ModelVersionSerializer(compressed).data,
                        status=status.HTTP_202_ACCEPTED)


class ModelVersionArchiveApi(APIView):
    capability = "activate"

    @extend_schema(request=None, responses=s.ModelVersionSerializer,
                   summary="Archive a ready version (it can be re-activated later)")
    def post(self, request, version_id: int):
        version = registry_services.model_version_archive(
            version=_version_or_404(request, version_id), actor=request.actor
        )
        return Response(s.ModelVersionSerializer(version).data)


class TaskRollbackApi(APIView):
    capability = "activate"

    @extend_schema(request=None, responses=s.ModelVersionSerializer,
                   summary="Re-activate the version that was active before the current one")
    def post(self, request, slug: str):
        serving.task_get(organization=request.organization, slug=slug)
        version = registry_services.model_version_rollback(
            organization=request.organization, task_slug=slug, actor=request.actor
        )
        return Response(s.ModelVersionSerializer(version).data)


class ActivationHistoryApi(generics.ListAPIView):
    capability = "models.read"
    serializer_class = s.ActivationRecordSerializer

    def get_queryset(self):
        serving.task_get(organization=self.request.organization, slug=self.kwargs["slug"])
        return activation_history(organization=self.request.organization,
                                  task_slug=self.kwargs["slug"])


class ModelVersionCompareApi(APIView):
    capability = "models.read"

    @extend_schema(parameters=[OpenApiParameter("against", str, description="'active' or an id")],
                   responses=OpenApiTypes.OBJECT,
                   summary="Champion/challenger: both versions on this version's test set")
    def get(self, request, version_id: int):
        candidate = _version_or_404(request, version_id)
        against = request.query_params.get("against", "active")
        if against == "active":
            baseline = active_version(organization=request.organization,
                                      task_slug=candidate.task_slug)
            if baseline is None:
                raise NotFound(f"{candidate.task_slug} has no active version",
                               code="no_active_model")
        elif against.isdigit():
            baseline = _version_or_404(request, int(against))
        else:
            raise ValidationFailed("against must be 'active' or a version id",
                                   details={"field": "against"})
        if baseline.task_slug != candidate.task_slug:
            raise ValidationFailed("both versions must belong to the same task",
                                   details={"field": "against"})
        return Response(compare(candidate=candidate, baseline=baseline).as_dict())


class ApiKeyListCreateApi(generics.ListAPIView):
    """Anyone keeps keys of their own; the `keys` capability sees every key of the
    organization."""

    capability = ANY_MEMBER
    serializer_class = s.ApiKeySerializer

    def get_queryset(self):
        return api_keys_visible_to(membership=self.request.membership,
                                   every=has_capability(self.request, "keys"))

    @extend_schema(request=s.ApiKeyCreateSerializer, responses={201: s.IssuedApiKeySerializer},
                   summary="Create an API key for yourself, with a role no more than yours and "
                           "an optional expiry; the key is shown only in this reply")
    def post(self, request):
        form = s.ApiKeyCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        calling_key = request.auth if isinstance(request.auth, ApiKey) else None
        issued = account_services.api_key_create(
            membership=request.membership, name=data["name"],
            role=data.get("role") or (calling_key.role if calling_key else None),
            expires_at=data.get("expires_at"), held=request.capabilities, actor=request.actor,
        )
        payload = s.ApiKeySerializer(issued.api_key).data | {"key": issued.key}
        return Response(payload, status=status.HTTP_201_CREATED)


class ApiKeyRevokeApi(APIView):
    """Your own keys, or with the `keys` capability any key of the organization."""

    capability = ANY_MEMBER

    @extend_schema(request=None, responses={200: s.ApiKeySerializer},
                   summary="Revoke an API key (refused from the next request on)")
    def delete(self, request, key_id: int):
        holder = api_keys_visible_to(membership=request.membership, every=True) \
            .filter(pk=key_id).values_list("user_id", flat=True).first()
        if holder is None:
            raise NotFound(f"API key {key_id} not found", details={"id": key_id})
        if holder != request.user.pk and not has_capability(request, "keys"):
            raise PermissionDenied("another member's key needs the 'keys' capability")
        api_key = account_services.api_key_revoke(
            organization=request.organization, api_key_id=key_id, actor=request.actor
        )
        return Response(s.ApiKeySerializer(api_key).data)


class AuditEventListApi(generics.ListAPIView):
    serializer_class = s.AuditEventSerializer
    capability = "audit.read"

    @extend_schema(parameters=[OpenApiParameter("action", str, description="e.g. predict")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return audit_events_for_organization(
            organization=self.request.organization,
            action=self.request.query_params.get("action") or None,
        )


class MemberListApi(generics.ListAPIView):
    capability = "members"
    serializer_class = s.MemberSerializer

    def get_queryset(self):
        return members_of(organization=self.request.organization)


class MemberRoleApi(APIView):
    capability = "members"

    @extend_schema(request=s.MemberRoleSerializer, responses=s.MemberSerializer,
                   summary="Give a member another role (the last admin keeps theirs)")
    def patch(self, request, membership_id: int):
        form = s.MemberRoleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        membership = account_services.member_role_change(
            organization=request.organization, membership_id=membership_id,
            role=form.validated_data["role"], actor=request.actor)
        return Response(s.MemberSerializer(membership).data)
