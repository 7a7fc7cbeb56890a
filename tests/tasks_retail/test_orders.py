"""The shop's orders: loaded through the API (upsert by number, each error naming its row and
field, admins only, scoped to the organization), the status texts the assistant replies with, and
the return window."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from slm_platform.audit.models import AuditEvent
from tasks_retail.models import Order
from tasks_retail.orders import order_status_text, return_request_create

URL = "/api/v1/retail/orders"


def _row(**fields) -> dict:
    return {"number": "A10231", "email": "sam@example.com", "status": "dispatched",
            "placed_at": "2026-03-01T09:30:00Z", "dispatched_at": "2026-03-03T08:00:00Z",
            "carrier": "DPD", "tracking_url": "https://track.example.com/1",
            "items": [{"sku": "TEE", "quantity": 1}], "total": "19.50"} | fields


@pytest.mark.django_db
def test_orders_are_created_then_updated_by_number(admin_client, organization):
    response = admin_client.post(URL, [_row(), _row(number="a10232", status="placed",
                                                    dispatched_at=None)], format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0}
    response = admin_client.post(URL, [_row(status="delivered",
                                            delivered_at="2026-03-04T12:00:00Z")],
                                 format="json")
    assert response.json() == {"created": 0, "updated": 1}
    order = Order.objects.get(organization=organization, number="A10231")
    assert order.status == "delivered" and str(order.total) == "19.50"
    assert Order.objects.get(number="A10232").dispatched_at is None
    listed = admin_client.get(URL).json()["results"]
    assert {row["number"] for row in listed} == {"A10231", "A10232"}
    assert AuditEvent.objects.filter(action="retail.orders_upsert").count() == 2


@pytest.mark.django_db
def test_bad_rows_are_named_by_index_and_field_and_nothing_is_written(admin_client):
    response = admin_client.post(URL, [
        _row(),
        _row(number="A1", status="lost", placed_at="yesterday", tracking_url="ftp://x"),
        "not an object",
        _row(total="lots", colour="red"),
    ], format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["error"]["details"]["errors"]
    found = {(error["row"], error["field"]) for error in errors}
    assert {(1, "number"), (1, "status"), (1, "placed_at"), (1, "tracking_url"), (2, ""),
            (3, "total"), (3, "colour"), (3, "number")} <= found
    assert (0, "number") not in found  # the duplicate is the later row
    assert response.json()["error"]["message"].startswith(f"{len(errors)} error(s); first: row")
    assert not Order.objects.exists()
    assert admin_client.post(URL, {"number": "A10231"}, format="json").status_code == 400


@pytest.mark.django_db
def test_only_admins_load_orders_and_each_organization_sees_its_own(
        admin_client, member_client, reviewer_client, other_client):
    assert member_client.post(URL, [_row()], format="json").status_code == 403
    assert reviewer_client.post(URL, [_row()], format="json").status_code == 403
    assert admin_client.post(URL, [_row()], format="json").status_code == 200
    assert other_client.get(URL).json()["results"] == []
    # Staff look orders up; an analyst's role does not.
    assert reviewer_client.get(URL).json()["results"][0]["number"] == "A10231"
    assert member_client.get(URL).status_code == 403


def _order(organization, **fields) -> Order:
    now = timezone.now()
    return Order.objects.create(organization=organization, number="A10231",
                                placed_at=now - timedelta(days=20), **fields)


@pytest.mark.django_db
def test_status_texts_and_the_return_window(organization):
    placed = _order(organization)
    assert "is being prepared" in order_status_text(placed)
    refused_request, why = return_request_create(organization=organization, order=placed,
                                                 reason="", conversation_id=None)
    assert refused_request is None and "hasn't been delivered" in why
    placed.status, placed.delivered_at = "delivered", timezone.now() - timedelta(days=29)
    placed.save()
    assert order_status_text(placed).startswith("Order A10231 was delivered on ")
    created, why = return_request_create(organization=organization, order=placed,
                                         reason="too big", conversation_id=None)
    assert created is not None and why == "" and created.reference.startswith("R")
    again, _ = return_request_create(organization=organization, order=placed, reason="x",
                                     conversation_id=None)
    assert again.pk == created.pk  # one return per order


@pytest.mark.django_db
def test_the_demo_organization_gets_sample_orders(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("bootstrap_demo")
    call_command("bootstrap_demo")  # again: the orders are updated, not duplicated
    numbers = set(Order.objects.values_list("number", flat=True))
    assert {"A10231", "A10232", "A10233", "A10198"} == numbers
