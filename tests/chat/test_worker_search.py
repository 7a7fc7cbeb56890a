"""The worker path end to end: a real Celery worker embeds with the real MiniLM encoder."""

import time

import pytest

BASE = "/api/v1/knowledge-bases"
FAQ = """# Support FAQ

## Refunds
Once we receive the returned item, your money is paid back to the original card. Refunds
take 5 to 10 business days to appear on your statement.

## Shipping
Orders leave our warehouse within two days. Delivery abroad costs a flat fee of 15 euros.

## Passwords
Forgot your password? Use the reset link on the sign-in page; the link expires after an hour.

## Opening hours
Our phone line is open Monday to Friday, 9 am to 6 pm.
"""


def _wait_until_indexed(client, kb_id: int, document_id: int, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    body = {}
    while time.monotonic() < deadline:
        body = client.get(f"{BASE}/{kb_id}/documents/{document_id}").json()
        if body["status"] != "indexing":
            return body
        time.sleep(0.2)
    raise AssertionError(f"document {document_id} still indexing after {timeout}s")


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_faq_is_indexed_and_searched_on_the_worker(celery_worker, admin_client,
                                                               member_client):
    kb_id = admin_client.post(BASE, {"name": "Shop help"}, format="json").json()["id"]
    added = admin_client.post(f"{BASE}/{kb_id}/documents",
                              {"title": "Support FAQ", "text": FAQ, "kind": "markdown"},
                              format="json")
    assert added.status_code == 201, added.content
    document = _wait_until_indexed(admin_client, kb_id, added.json()["id"])
    assert document["status"] == "ready", document["error"]
    assert document["passages"] == 4
    assert admin_client.get(f"{BASE}/{kb_id}").json()["version"] == 3  # added, then indexed

    response = member_client.get(f"{BASE}/{kb_id}/search",
                                 {"q": "how long do refunds take", "k": 3})
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert len(results) == 3
    assert results[0]["title"] == "Support FAQ > Refunds"
    assert results[0]["document"] == "Support FAQ" and "5 to 10 business days" in results[0][
        "text"]
    assert results[0]["score"] > results[1]["score"]

    hours = member_client.get(f"{BASE}/{kb_id}/search", {"q": "when can I call you"})
    assert hours.json()["results"][0]["title"] == "Support FAQ > Opening hours"

    # Deleting the document is a new version: the worker's cached index is not used again.
    admin_client.delete(f"{BASE}/{kb_id}/documents/{added.json()['id']}")
    empty = member_client.get(f"{BASE}/{kb_id}/search", {"q": "how long do refunds take"})
    assert empty.status_code == 200 and empty.json()["results"] == []
