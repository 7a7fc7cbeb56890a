"""The retail app's endpoints: the shop's orders, loaded in bulk, that the assistant looks up."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from tasks_retail.models import Order
from tasks_retail.orders import orders_for_organization, orders_upsert


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "number", "email", "status", "placed_at", "dispatched_at",
                  "delivered_at", "carrier", "tracking_url", "items", "total", "updated_at"]


class OrderListUpsertApi(generics.ListAPIView):
    """Staff look orders up (`handoffs`); loading them configures the assistant
    (`assistants`)."""

    capability = {"GET": "handoffs", "POST": "assistants"}
    serializer_class = OrderSerializer

    def get_queryset(self):
        return orders_for_organization(organization=self.request.organization)

    @extend_schema(
        request={"application/json": {"type": "array", "items": {"type": "object"}}},
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT,
                                        description="{created, updated}")},
        summary="Load orders (`assistants` capability): a JSON list of orders, created or "
                "updated by number; nothing is written unless every row is valid, and each "
                "error names its row and field")
    def post(self, request):
        counts = orders_upsert(organization=request.organization, rows=request.data,
                               actor=request.actor)
        return Response(counts, status=status.HTTP_200_OK)
