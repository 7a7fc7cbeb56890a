"""Bulk jobs: upload, watch, cancel, retry, download results; the organization's webhook."""

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.api.uploads import declared_size_check
from slm_platform.core.errors import NotFound, ValidationFailed
from slm_platform.core.task_selectors import task_resolve
from slm_platform.jobs import results
from slm_platform.jobs.models import Job, JobFile, JobItem
from slm_platform.jobs.selectors import job_get, job_items, job_progress, jobs_for_organization
from slm_platform.jobs.services import JobRequest, job_cancel, job_create, job_retry
from slm_platform.jobs.uploads import uploads_on_disk
from slm_platform.jobs.webhooks import (
    webhook_configure,
    webhook_for,
    webhook_secret_rotate,
)


class JobFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobFile
        fields = ["name", "kind", "size_bytes", "encoding", "columns", "text_column", "status",
                  "items", "error", "error_location"]


class JobSerializer(serializers.ModelSerializer):
    model_version = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    files = JobFileSerializer(many=True, read_only=True)

    class Meta:
        model = Job
        fields = ["id", "task_slug", "status", "model_version", "progress", "unit",
                  "cancel_requested", "error", "callback_url", "files", "created_at",
                  "started_at", "read_at", "finished_at"]

    def get_model_version(self, job) -> dict:
        version = job.model_version
        return {"id": version.pk, "name": version.name, "version": version.version}

    def get_progress(self, job) -> dict:
        return job_progress(job)


class JobCreateSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True),
                                  required=False,
                                  help_text="One or many files, or a ZIP of them")
    task = serializers.CharField(max_length=100)
    text_column = serializers.CharField(max_length=200, required=False,
                                        help_text="Tables: the column holding the text "
                                                  "(default: 'text', or the only column)")
    unit = serializers.ChoiceField(choices=["line", "paragraph", "sentence"], required=False,
                                   help_text="How TXT/PDF/DOCX text is split into items; "
                                             "default: the task's")
    model_version = serializers.IntegerField(required=False,
                                             help_text="Default: the task's active version")
    callback_url = serializers.URLField(required=False, max_length=500)


class JobItemSerializer(serializers.ModelSerializer):
    file = serializers.CharField(source="file.name")

    class Meta:
        model = JobItem
        fields = ["seq", "file", "position", "text", "fields", "status", "error", "label",
                  "score", "result", "model_version_id"]


def _job(request, job_id: int) -> Job:
    job = job_get(organization=request.organization, job_id=job_id)
    if job is None:
        raise NotFound(f"job {job_id} not found", details={"id": job_id})
    return job


class JobListCreateApi(generics.ListAPIView):
    capability = "jobs"
    throttle_scopes = {"POST": "upload"}  # rate limits: api/throttling.py
    serializer_class = JobSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(parameters=[OpenApiParameter("task", str), OpenApiParameter("status", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return jobs_for_organization(organization=self.request.organization,
                                     task_slug=params.get("task") or None,
                                     status=params.get("status") or None) \
            .prefetch_related("files")

    @extend_schema(request={"multipart/form-data": JobCreateSerializer},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
                   responses={202: JobSerializer, 200: JobSerializer},
                   summary="Upload files for bulk prediction (bulk queue)")
    def post(self, request):
        declared_size_check(request, limit=settings.JOB_MAX_UPLOAD_BYTES, what="a job may be",
                            field="files")
        form = JobCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        key = request.headers.get("Idempotency-Key") or None
        if key is not None and len(key) > 200:
            raise ValidationFailed("Idempotency-Key is longer than 200 characters",
                                   details={"header": "Idempotency-Key"})
        job_request = JobRequest(task_slug=data["task"], text_column=data.get("text_column"),
                                 unit=data.get("unit"), model_version_id=data.get("model_version"),
                                 callback_url=data.get("callback_url"), idempotency_key=key)
        files = request.FILES.getlist("files") + request.FILES.getlist("file")
        with uploads_on_disk(files) as uploads:
            result = job_create(organization=request.organization, request=job_request,
                                uploads=uploads, actor=request.actor)
        return Response(JobSerializer(result.job).data,
                        status=status.HTTP_202_ACCEPTED if result.created else status.HTTP_200_OK)


class JobDetailApi(APIView):
    capability = "jobs"

    @extend_schema(responses=JobSerializer)
    def get(self, request, job_id: int):
        return Response(JobSerializer(_job(request, job_id)).data)


class JobCancelApi(APIView):
    capability = "jobs"

    @extend_schema(request=None, responses=JobSerializer, summary="Stop dispatching the job")
    def post(self, request, job_id: int):
        job = job_cancel(organization=request.organization, job_id=job_id, actor=request.actor)
        return Response(JobSerializer(job).data)


class JobRetryApi(APIView):
    capability = "jobs"

    @extend_schema(request=None, responses=JobSerializer,
                   summary="Predict the items whose prediction failed again")
    def post(self, request, job_id: int):
        job_retry(organization=request.organization, job_id=job_id, actor=request.actor)
        return Response(JobSerializer(_job(request, job_id)).data,
                        status=status.HTTP_202_ACCEPTED)


class JobItemListApi(generics.ListAPIView):
    capability = "jobs"
    serializer_class = JobItemSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("label", str),
                               OpenApiParameter("min_score", float),
                               OpenApiParameter("max_score", float)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return job_items(job=_job(self.request, self.kwargs["job_id"]),
                         status=params.get("status") or None, label=params.get("label") or None,
                         min_score=_float_param(params, "min_score"),
                         max_score=_float_param(params, "max_score"))


def _float_param(params, name: str) -> float | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        return float(value)
    except ValueError:
        raise ValidationFailed(f"{name} must be a number", details={"field": name}) from None


class JobResultsApi(APIView):
    capability = "jobs"

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=list(results.FORMATS))],
                   responses={(200, content_type.split(";")[0]): OpenApiTypes.BINARY
                              for content_type in results.CONTENT_TYPES.values()},
                   summary="The results joined to the original rows, streamed")
    def get(self, request, job_id: int):
        job = _job(request, job_id)
        export = request.query_params.get("format", "csv")
        if export not in results.FORMATS:
            raise ValidationFailed(f"format must be one of {', '.join(results.FORMATS)}",
                                   details={"field": "format"})
        spec = task_resolve(organization=job.organization, slug=job.task_slug)
        shape = results.Shape.of(spec)
        filename = f"job-{job.pk}-results.{export}"
        if export == "xlsx":
            return FileResponse(results.xlsx_file(job, shape), as_attachment=True,
                                filename=filename, content_type=results.CONTENT_TYPES["xlsx"])
        stream = results.csv_stream(job, shape) if export == "csv" else \
            results.jsonl_stream(job, shape)
        response = StreamingHttpResponse(results.in_blocks(stream),
                                         content_type=results.CONTENT_TYPES[export])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class WebhookSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500, allow_blank=True)


class WebhookApi(APIView):
    """The organization's default completion callback (a job's callback_url overrides it)."""

    capability = {"GET": "jobs", "PUT": "settings"}

    @extend_schema(responses=WebhookSerializer)
    def get(self, request):
        return Response({"url": webhook_for(request.organization).url})

    @extend_schema(request=WebhookSerializer, responses=WebhookSerializer)
    def put(self, request):
        form = WebhookSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        hook = webhook_configure(organization=request.organization,
                                 url=form.validated_data["url"], actor=request.actor)
        return Response({"url": hook.url})


class WebhookSecretRotateApi(APIView):
    capability = "settings"

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT},
                   summary="A new signing secret, shown this once")
    def post(self, request):
        hook = webhook_secret_rotate(organization=request.organization, actor=request.actor)
        return Response({"secret": hook.secret, "signature_header": "X-SLM-Signature",
                         "algorithm": "HMAC-SHA256 over the raw body, hex, prefixed 'sha256='"})
