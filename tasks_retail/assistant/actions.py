"""The shop assistant's actions: look up an order's status, start a return."""

import re

from slm_platform.chat.actions import ActionResult, ActionSpec, SlotSpec
from tasks_retail.orders import order_find, order_status_text, return_request_create

_ORDER_NUMBER = re.compile(r"\b([A-Z]\d{5})\b", re.IGNORECASE)


def order_number_extract(text: str) -> str | None:
    """An order number as customers write it ("a10231", "A10231"), upper-cased."""
    found = _ORDER_NUMBER.search(text)
    return found.group(1).upper() if found else None


ORDER_NUMBER = SlotSpec(
    name="order_number", label="order number",
    question="What's your order number? It starts with a letter, like A10231, and is in your "
             "order confirmation email.",
    schema={"type": "string", "pattern": r"^[A-Z]\d{5}$"},
    extract=order_number_extract)
RETURN_REASON = SlotSpec(
    name="reason", label="reason", free_text=True,
    question="What's the reason for the return? (for example: too small, faulty, changed my "
             "mind)",
    schema={"type": "string", "minLength": 1, "maxLength": 500})


def _not_found(number: str) -> ActionResult:
    return ActionResult(text=f"I can't find order {number}. Please check the number: it's in "
                             f"your order confirmation email.",
                        data={"found": False, "reference": number})


def order_status_execute(*, organization, conversation, slots: dict) -> ActionResult:
    order = order_find(organization=organization, number=slots["order_number"])
    if order is None:
        return _not_found(slots["order_number"])
    return ActionResult(text=order_status_text(order),
                        data={"found": True, "reference": order.number, "status": order.status})


def return_start_execute(*, organization, conversation, slots: dict) -> ActionResult:
    order = order_find(organization=organization, number=slots["order_number"])
    if order is None:
        return _not_found(slots["order_number"])
    request, refused = return_request_create(
        organization=organization, order=order, reason=slots.get("reason", ""),
        conversation_id=conversation.pk if conversation else None)
    if request is None:
        return ActionResult(text=refused, data={"created": False, "reference": order.number})
    return ActionResult(
        text=f"I've started return {request.reference} for order {order.number}. We'll email "
             f"you a prepaid label within one working day: print it, or show the QR code at any "
             f"Parcelpoint drop-off. Your refund is issued within 5 working days of the return "
             f"reaching our warehouse.",
        data={"created": True, "reference": request.reference, "return_id": request.pk,
              "order": order.number})


START_RETURN = ActionSpec(
    name="start_return", title="Start a return",
    trigger_intents=("return",),
    trigger_pattern=re.compile(
        r"\b(?:start|open|make|begin|request|raise|arrange)\s+(?:a\s+)?return\b"
        r"|\b(?:want|like|need|wish)\s+to\s+(?:return|send\s+back)\b"
        r"|\breturn\s+(?:my\s+|the\s+|this\s+)?order\b", re.IGNORECASE),
    slots=(ORDER_NUMBER, RETURN_REASON),
    confirm_text=lambda slots: f"I'll start a return for order {slots['order_number']}.",
    execute=return_start_execute)
ORDER_STATUS = ActionSpec(
    name="order_status", title="Order status",
    trigger_intents=("order_status",),
    trigger_pattern=re.compile(
        r"\b(?:where(?:'s|\s+is)|track(?:ing)?|status\s+of|has|did|when\s+(?:will|does))\b"
        r"[^.?!]{0,25}\b(?:order|parcel|package)\b", re.IGNORECASE),
    slots=(ORDER_NUMBER,),
    confirm_text=lambda slots: f"I'll look up order {slots['order_number']}.",
    execute=order_status_execute)
RETAIL_ACTIONS = (START_RETURN, ORDER_STATUS)
