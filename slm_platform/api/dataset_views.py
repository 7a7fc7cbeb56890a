"""Dataset upload and listing."""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.api.uploads import declared_size_check
from slm_platform.core.errors import NotFound
from slm_platform.datasets.models import DatasetVersion
from slm_platform.datasets.selectors import (
    dataset_version_get,
    dataset_versions_for_organization,
)
from slm_platform.datasets.services import ParseOptions, dataset_upload


class DatasetVersionSerializer(serializers.ModelSerializer):
    dataset = serializers.CharField(source="dataset.name")
    task = serializers.CharField(source="dataset.task_slug")

    class Meta:
        model = DatasetVersion
        fields = ["id", "dataset", "task", "version", "filename", "file_format", "encoding",
                  "size_bytes", "content_sha256", "row_count", "labels", "has_split", "options",
                  "quality", "created_at"]


class DatasetUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    task = serializers.CharField(max_length=100)
    name = serializers.CharField(max_length=200, required=False,
                                 help_text="Dataset name; default: the file name")
    text_column = serializers.CharField(max_length=200, default="text")
    label_column = serializers.CharField(max_length=200, default="label")
    split_column = serializers.CharField(max_length=200, required=False, allow_blank=True)
    label_separator = serializers.CharField(max_length=5, default="|",
                                            help_text="Between labels of a multi-label row")


class DatasetListUploadApi(generics.ListAPIView):
    capability = "datasets"
    throttle_scopes = {"POST": "upload"}  # rate limits: api/throttling.py
    serializer_class = DatasetVersionSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(parameters=[OpenApiParameter("task", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return dataset_versions_for_organization(
            organization=self.request.organization,
            task_slug=self.request.query_params.get("task") or None,
        )

    @extend_schema(request={"multipart/form-data": DatasetUploadSerializer},
                   responses={201: DatasetVersionSerializer, 200: DatasetVersionSerializer},
                   summary="Upload a labelled dataset; the data-quality report comes back")
    def post(self, request):
        declared_size_check(request, limit=settings.DATASET_MAX_BYTES, what="datasets may be",
                            field="file", slack=1024 * 1024)
        form = DatasetUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        upload = data["file"]
        options = ParseOptions(text_column=data["text_column"], label_column=data["label_column"],
                               split_column=data.get("split_column") or None,
                               label_separator=data["label_separator"])
        result = dataset_upload(
            organization=request.organization, task_slug=data["task"],
            name=data.get("name") or upload.name, filename=upload.name, data=upload.read(),
            options=options, actor=request.actor,
        )
        return Response(DatasetVersionSerializer(result.version).data,
                        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class DatasetVersionDetailApi(APIView):
    capability = "datasets"

    @extend_schema(responses=DatasetVersionSerializer)
    def get(self, request, dataset_version_id: int):
        version = dataset_version_get(organization=request.organization,
                                      version_id=dataset_version_id)
        if version is None:
            raise NotFound(f"dataset version {dataset_version_id} not found",
                           details={"id": dataset_version_id})
        return Response(DatasetVersionSerializer(version).data)
