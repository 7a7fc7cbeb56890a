"""The fixed label set for retail support-desk intents."""

INTENTS: tuple[str, ...] = (
    "order_status",
    "return",
    "refund",
    "delivery_problem",
    "cancel_order",
    "change_address",
    "payment_issue",
    "product_question",
    "complaint",
    "account",
    "talk_to_human",
    "other",
)

INTENT_DESCRIPTIONS: dict[str, str] = {
    "order_status": "Where an order is, whether it has shipped and when it will arrive",
    "return": "Sending an item back or exchanging it: labels, return windows, drop-off",
    "refund": "Money back: refund timing, refunds not received or for the wrong amount",
    "delivery_problem": "Delivery gone wrong: late, lost, damaged, missing items, wrong door",
    "cancel_order": "Cancelling an order (or part of it) before it is delivered",
    "change_address": "Changing the delivery address or details of an order already placed",
    "payment_issue": "Paying: declined cards, double charges, payment methods, codes, invoices",
    "product_question": "Questions before buying: sizes, materials, compatibility, stock",
    "complaint": "Dissatisfaction with a product, the service or staff, without another request",
    "account": "Login, password, email, profile, loyalty points and deleting the account",
    "talk_to_human": "Asking for a human agent, a manager, a phone call or a call back",
    "other": "Greetings, thanks, off-topic or anything outside the intents above",
}
