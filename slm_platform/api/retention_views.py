"""The organization's retention policy: every member reads it, `settings` changes it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from slm_platform.accounts.roles import ANY_MEMBER
from slm_platform.retention.selectors import retention_policy_for
from slm_platform.retention.services import retention_policy_update


class RetentionPolicySerializer(serializers.Serializer):
    """Days to keep each kind of data; null keeps it forever."""

    job_inputs_days = serializers.IntegerField(allow_null=True, required=False)
    job_results_days = serializers.IntegerField(allow_null=True, required=False)
    conversations_days = serializers.IntegerField(allow_null=True, required=False)
    dataset_uploads_days = serializers.IntegerField(allow_null=True, required=False)


class RetentionPolicyApi(APIView):
    capability = {"GET": ANY_MEMBER, "PUT": "settings"}

    @extend_schema(responses=RetentionPolicySerializer)
    def get(self, request):
        return Response(retention_policy_for(organization=request.organization).as_dict())

    @extend_schema(request=RetentionPolicySerializer, responses=RetentionPolicySerializer,
                   summary="Change the periods given; the others stay as they are")
    def put(self, request):
        # The service checks each value and names the field it refuses.
        policy = retention_policy_update(organization=request.organization, changes=request.data,
                                         actor=request.actor)
        return Response(policy.as_dict())
