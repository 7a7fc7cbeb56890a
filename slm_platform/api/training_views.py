"""Training runs: start, watch, cancel."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.core.errors import NotFound
from slm_platform.training.models import TrainingRun
from slm_platform.training.selectors import training_run_get, training_runs_for_organization
from slm_platform.training.services import training_run_cancel, training_run_create


class TrainingRunSerializer(serializers.ModelSerializer):
    dataset_version = serializers.IntegerField(source="dataset_version_id")
    model_version = serializers.SerializerMethodField()

    class Meta:
        model = TrainingRun
        fields = ["id", "task_slug", "dataset_version", "model_version", "recipe",
                  "hyperparameters", "status", "cancel_requested", "progress", "split", "log",
                  "error", "created_at", "started_at", "finished_at"]

    def get_model_version(self, run) -> dict | None:
        version = run.model_version
        if version is None:
            return None
        return {"id": version.pk, "name": version.name, "status": version.status}


class TrainingRunCreateSerializer(serializers.Serializer):
    task = serializers.CharField(max_length=100)
    dataset = serializers.IntegerField(help_text="A dataset version id")
    recipe = serializers.ChoiceField(choices=["full", "fast", "spacy"], required=False,
                                     help_text="full (default), fast (single-label), spacy "
                                               "(entities)")
    hyperparameters = serializers.JSONField(required=False)


class TrainingRunListCreateApi(generics.ListAPIView):
    capability = "training"
    serializer_class = TrainingRunSerializer

    @extend_schema(parameters=[OpenApiParameter("task", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return training_runs_for_organization(
            organization=self.request.organization,
            task_slug=self.request.query_params.get("task") or None,
        )

    @extend_schema(request=TrainingRunCreateSerializer, responses={201: TrainingRunSerializer},
                   summary="Fine-tune a task on a dataset version (training queue)")
    def post(self, request):
        form = TrainingRunCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        run = training_run_create(
            organization=request.organization, task_slug=data["task"],
            dataset_version_id=data["dataset"], recipe=data.get("recipe"),
            hyperparameters=data.get("hyperparameters"), actor=request.actor,
        )
        return Response(TrainingRunSerializer(run).data, status=status.HTTP_201_CREATED)


def _run_or_404(request, run_id: int) -> TrainingRun:
    run = training_run_get(organization=request.organization, run_id=run_id)
    if run is None:
        raise NotFound(f"training run {run_id} not found", details={"id": run_id})
    return run


class TrainingRunDetailApi(APIView):
    capability = "training"

    @extend_schema(responses=TrainingRunSerializer)
    def get(self, request, run_id: int):
        return Response(TrainingRunSerializer(_run_or_404(request, run_id)).data)


class TrainingRunCancelApi(APIView):
    capability = "training"

    @extend_schema(request=None, responses=TrainingRunSerializer, summary="Cancel a run")
    def post(self, request, run_id: int):
        run = training_run_cancel(organization=request.organization, run_id=run_id,
                                  actor=request.actor)
        return Response(TrainingRunSerializer(run).data)
