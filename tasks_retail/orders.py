"""Orders: loaded in bulk by the shop (upsert by number), looked up and returned through the
support assistant's actions (assistant/actions.py)."""

import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from slm_platform.audit.services import Actor, audit_record
from slm_platform.core.errors import ValidationFailed
from slm_platform.core.models import Organization
from tasks_retail.models import Order, OrderStatus, ReturnRequest

MAX_ORDERS_PER_UPLOAD = 5000
MAX_ERRORS = 50
RETURN_WINDOW_DAYS = 30  # knowledge/returns-and-refunds.md: "within 30 days of delivery"
_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")
_FIELDS = {"number", "email", "status", "placed_at", "dispatched_at", "delivered_at", "carrier",
           "tracking_url", "items", "total"}
_DATES = ("placed_at", "dispatched_at", "delivered_at")


def order_find(*, organization: Organization, number: str) -> Order | None:
    return Order.objects.filter(organization=organization, number=number.upper()).first()


def orders_for_organization(*, organization: Organization) -> QuerySet[Order]:
    return Order.objects.filter(organization=organization)


@transaction.atomic
def orders_upsert(*, organization: Organization, rows: object, actor: Actor) -> dict:
    """Create or update the organization's orders by number; nothing is written unless every
    row is valid, and each error names its row index and field."""
    if not isinstance(rows, list) or not rows:
        raise ValidationFailed("the body must be a non-empty JSON list of orders",
                               details={"field": "orders"})
    if len(rows) > MAX_ORDERS_PER_UPLOAD:
        raise ValidationFailed(f"{len(rows):,} orders; at most {MAX_ORDERS_PER_UPLOAD:,} per "
                               f"upload", details={"field": "orders"})
    cleaned, errors = [], []
    for index, row in enumerate(rows):
        values, row_errors = _order_clean(index, row)
        cleaned.append(values)
        errors += row_errors
    numbers = [values.get("number") for values in cleaned]
    for index, number in enumerate(numbers):
        if number and numbers.index(number) != index:
            errors.append(_error(index, "number", f"{number} is also in row "
                                                  f"{numbers.index(number)}"))
    if errors:
        raise ValidationFailed(f"{len(errors)} error(s); first: row {errors[0]['row']}, "
                               f"{errors[0]['field']}: {errors[0]['message']}",
                               details={"errors": errors[:MAX_ERRORS]})
    created = 0
    for values in cleaned:
        _, was_created = Order.objects.update_or_create(
            organization=organization, number=values.pop("number"), defaults=values)
        created += was_created
    audit_record(organization=organization, actor=actor, action="retail.orders_upsert",
                 object_type="order", data={"created": created, "updated": len(rows) - created})
    return {"created": created, "updated": len(rows) - created}


def _error(index: int, field: str, message: str) -> dict:
    return {"row": index, "field": field, "message": message}


def _order_clean(index: int, row: object) -> tuple[dict, list[dict]]:
    if not isinstance(row, dict):
        return {}, [_error(index, "", "an order must be an object")]
    errors = [_error(index, name, "unknown field") for name in sorted(set(row) - _FIELDS)]
    values: dict = {}
    number = row.get("number")
    if not isinstance(number, str) or not _NUMBER.match(number.strip().upper()):
        errors.append(_error(index, "number", "required: 3 to 32 letters, digits or dashes"))
    else:
        values["number"] = number.strip().upper()
    status = row.get("status", OrderStatus.PLACED)
    if status not in OrderStatus.values:
        errors.append(_error(index, "status", f"one of {', '.join(OrderStatus.values)}"))
    values["status"] = status
    for name in _DATES:
        value = row.get(name)
        if value in (None, "") and name != "placed_at":
            values[name] = None
            continue
        parsed = _datetime(value)
        if parsed is None:
            errors.append(_error(index, name, "an ISO 8601 date-time (2026-03-03T10:00:00Z)"))
        values[name] = parsed
    for name, limit in (("email", 254), ("carrier", 64), ("tracking_url", 500)):
        value = row.get(name, "")
        if not isinstance(value, str) or len(value) > limit:
            errors.append(_error(index, name, f"a string of at most {limit} characters"))
        values[name] = value.strip() if isinstance(value, str) else ""
    if values["tracking_url"] and not values["tracking_url"].startswith(("https://", "http://")):
        errors.append(_error(index, "tracking_url", "an http(s) URL"))
    if values["email"] and "@" not in values["email"]:
        errors.append(_error(index, "email", "an email address"))
    items = row.get("items", [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        errors.append(_error(index, "items", "a list of objects"))
    values["items"] = items
    values["total"], total_error = _total(row.get("total"))
    if total_error:
        errors.append(_error(index, "total", total_error))
    return values, errors


def _datetime(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value.strip()) or (
            datetime.fromisoformat(value.strip()) if len(value.strip()) == 10 else None)
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _total(value: object) -> tuple[Decimal | None, str]:
    if value in (None, ""):
        return None, ""
    try:
        total = Decimal(str(value))
    except InvalidOperation:
        return None, "a number"
    if isinstance(value, bool) or not total.is_finite() or total < 0 or total >= 10 ** 8:
        return None, "a number from 0 to 99,999,999.99"
    return total.quantize(Decimal("0.01")), ""


def day_text(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B}"


def order_status_text(order: Order) -> str:
    """What a customer is told about their order, from its status."""
    if order.status == OrderStatus.CANCELLED:
        return f"Order {order.number} was cancelled."
    if order.status == OrderStatus.DELIVERED and order.delivered_at:
        return f"Order {order.number} was delivered on {day_text(order.delivered_at)}."
    if order.status == OrderStatus.DISPATCHED and order.dispatched_at:
        carrier = f" with {order.carrier}" if order.carrier else ""
        tracking = f": {order.tracking_url}" if order.tracking_url else "."
        return f"Order {order.number} was dispatched on {day_text(order.dispatched_at)}" \
               f"{carrier}{tracking}"
    return (f"Order {order.number} was placed on {day_text(order.placed_at)} and is being "
            f"prepared; we'll email a tracking link when it leaves our warehouse.")


@transaction.atomic
def return_request_create(*, organization: Organization, order: Order, reason: str,
                          conversation_id: int | None) -> tuple[ReturnRequest | None, str]:
    """A return of a delivered order within the return window, or None and why not."""
    if order.status != OrderStatus.DELIVERED or order.delivered_at is None:
        return None, (f"Order {order.number} hasn't been delivered yet, so it can't be returned "
                      f"now. Once it arrives you have {RETURN_WINDOW_DAYS} days to return it.")
    if timezone.now() - order.delivered_at > timedelta(days=RETURN_WINDOW_DAYS):
        return None, (f"Order {order.number} was delivered on {day_text(order.delivered_at)}, "
                      f"more than {RETURN_WINDOW_DAYS} days ago, so it is outside our return "
                      f"window. If the item is faulty, our team can still help: just ask for "
                      f"a person.")
    existing = ReturnRequest.objects.filter(organization=organization, order=order).first()
    if existing is not None:
        return existing, ""
    created = ReturnRequest.objects.create(organization=organization, order=order,
                                           reason=reason, conversation_id=conversation_id)
    return created, ""
