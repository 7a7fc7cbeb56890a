"""Output shapes (and request shapes for the schema). Input checks live in the services."""

from rest_framework import serializers

from slm_platform.accounts.models import ApiKey, Membership, Role
from slm_platform.audit.models import AuditEvent
from slm_platform.registry.models import ActivationRecord, ModelVersion


class ModelVersionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    test_accuracy = serializers.SerializerMethodField()
    test_macro_f1 = serializers.SerializerMethodField()

    class Meta:
        model = ModelVersion
        fields = ["id", "name", "task_slug", "version", "status", "source", "base_model",
                  "recipe", "test_accuracy", "test_macro_f1", "metrics", "lineage", "parent",
                  "compression", "error", "created_at", "trained_at", "activated_at"]

    def get_test_accuracy(self, version) -> float | None:
        return version.metrics.get("test", {}).get("accuracy")

    def get_test_macro_f1(self, version) -> float | None:
        return version.metrics.get("test", {}).get("macro_f1")


class CompressRequestSerializer(serializers.Serializer):
    """Only shapes the schema: the method and its options are checked by the service, so an
    error names the option that is wrong."""

    method = serializers.CharField(help_text=(
        "int8-dynamic, int8-static, bf16, distill, prune or low-rank"))
    options = serializers.DictField(required=False, help_text=(
        "Method options, e.g. {\"calibration_rows\": 512} for int8-static, "
        "{\"qat\": \"auto\"} for either int8 method (quantization-aware fine-tuning when "
        "post-training int8 fails the activation gate on validation; true: always; with "
        "qat_epochs, qat_max_steps, qat_learning_rate, qat_alpha, qat_temperature, "
        "max_label_f1_drop), "
        "{\"student_layers\": 3} for distill, {\"drop_layers\": 2} for prune, "
        "{\"energy\": 0.9} for low-rank"))


class GateSerializer(serializers.Serializer):
    max_label_f1_drop = serializers.FloatField(min_value=0.0, max_value=1.0, default=0.02)


class ActivateRequestSerializer(serializers.Serializer):
    gate = GateSerializer(required=False, help_text=(
        "Refuse activation if macro-F1 drops, or any label's F1 drops by more than the margin, "
        "against the active version on this version's test set"))


class ActivationRecordSerializer(serializers.ModelSerializer):
    model_version = serializers.CharField(source="model_version.name")
    previous_version = serializers.CharField(source="previous_version.name", allow_null=True,
                                             default=None)
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = ActivationRecord
        fields = ["id", "task_slug", "model_version", "previous_version", "kind", "actor",
                  "activated_at"]


class ActiveVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    test_accuracy = serializers.FloatField(allow_null=True)


class TaskSerializer(serializers.Serializer):
    slug = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    industry = serializers.CharField()
    labels = serializers.ListField(child=serializers.CharField())
    label_descriptions = serializers.DictField(child=serializers.CharField())
    max_input_chars = serializers.IntegerField()
    labels_fixed = serializers.BooleanField()
    custom = serializers.BooleanField()
    examples = serializers.ListField(child=serializers.CharField())
    active_version = ActiveVersionSerializer(allow_null=True)


class CustomTaskCreateSerializer(serializers.Serializer):
    slug = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=["classification", "multi_label", "entities"])
    title = serializers.CharField(max_length=200, required=False, default="")
    description = serializers.CharField(required=False, default="", allow_blank=True)
    labels = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list,
        help_text="Fixed label set; leave out to take the labels from the first dataset",
    )


class PredictRequestSerializer(serializers.Serializer):
    inputs = serializers.ListField(child=serializers.CharField(), min_length=1, max_length=256)
    model_version = serializers.IntegerField(required=False,
                                             help_text="A version id; default: the active one")


class EntitySerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="Character offset, inclusive")
    end = serializers.IntegerField(help_text="Character offset, exclusive")
    label = serializers.CharField()
    text = serializers.CharField()
    score = serializers.FloatField(allow_null=True)


class PredictionSerializer(serializers.Serializer):
    """Classification tasks fill label/score/scores (and labels when multi-label); entity
    tasks fill entities."""

    label = serializers.CharField(required=False, help_text="The top label")
    score = serializers.FloatField(required=False, help_text="Its calibrated probability")
    scores = serializers.DictField(child=serializers.FloatField(), required=False)
    entities = EntitySerializer(many=True, required=False)
    labels = serializers.ListField(child=serializers.CharField(), required=False,
                                   help_text="Multi-label tasks: every label over the threshold")


class PredictResponseSerializer(serializers.Serializer):
    task = serializers.CharField()
    model_version = serializers.CharField()
    model_version_id = serializers.IntegerField()
    predictions = PredictionSerializer(many=True)


class ApiKeySerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "user", "role", "created_at", "expires_at",
                  "last_used_at", "revoked_at"]


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    role = serializers.ChoiceField(choices=Role.choices, required=False, help_text=(
        "What the key may do (accounts/roles.py); at most your own role's capabilities. "
        "Default: your role, or the calling key's"))
    expires_at = serializers.DateTimeField(required=False, allow_null=True, help_text=(
        "ISO 8601; the key is refused (401) from then on. Default: never"))


class IssuedApiKeySerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once; store it now.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = AuditEvent
        fields = ["id", "created_at", "actor", "action", "object_type", "object_id", "outcome",
                  "latency_ms", "data"]


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "role", "created_at"]


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
