"""Sample orders for the demo organization, so the shop assistant's actions have something to
find ("where is my order A10231?"). Dates are relative to today; loading again updates them."""

from datetime import timedelta

from django.utils import timezone

from slm_platform.audit.services import Actor
from slm_platform.core.models import Organization
from tasks_retail.orders import orders_upsert


def _demo_orders() -> list[dict]:
    now = timezone.now().replace(microsecond=0)

    def ago(days: int) -> str:
        return (now - timedelta(days=days)).isoformat()

    return [
        {"number": "A10231", "email": "sam@example.com", "status": "dispatched",
         "placed_at": ago(3), "dispatched_at": ago(2), "carrier": "DPD",
         "tracking_url": "https://track.example.com/dpd/15501234567890",
         "items": [{"sku": "TEE-NVY-M", "name": "Organic cotton T-shirt, navy, M",
                    "quantity": 2}], "total": "38.00"},
        {"number": "A10232", "email": "jo@example.com", "status": "delivered",
         "placed_at": ago(12), "dispatched_at": ago(11), "delivered_at": ago(9),
         "carrier": "Royal Mail", "tracking_url": "https://track.example.com/rm/JB123456789GB",
         "items": [{"sku": "RUN-SHOE-42", "name": "Trail running shoes, size 42",
                    "quantity": 1}], "total": "89.95"},
        {"number": "A10233", "email": "alex@example.com", "status": "placed",
         "placed_at": ago(0), "items": [{"sku": "MUG-OAT", "name": "Stoneware mug, oat",
                                         "quantity": 4}], "total": "32.00"},
        {"number": "A10198", "email": "kim@example.com", "status": "delivered",
         "placed_at": ago(50), "dispatched_at": ago(49), "delivered_at": ago(47),
         "carrier": "DPD", "tracking_url": "https://track.example.com/dpd/15509876543210",
         "items": [{"sku": "JKT-OLV-L", "name": "Waxed jacket, olive, L", "quantity": 1}],
         "total": "129.00"},
    ]


def demo_orders_load(*, organization: Organization) -> str:
    counts = orders_upsert(organization=organization, rows=_demo_orders(),
                           actor=Actor.system())
    return f"demo orders: {counts['created']} created, {counts['updated']} updated " \
           f"(try \"where is my order A10231?\")"
