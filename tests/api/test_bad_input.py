"""Every bad input gets a 4xx in the one error shape, naming the problem. Never a 500."""

import pytest

PREDICT = "/api/v1/tasks/finance.transaction-category/predict"
pytestmark = pytest.mark.django_db


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    return error


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"inputs": []}, "inputs", "between 1 and 256"),
        ({"inputs": ["x"] * 257}, "inputs", "between 1 and 256"),
        ({"inputs": "UBER *TRIP"}, "inputs", "must be a list"),
        ({"inputs": {"a": 1}}, "inputs", "must be a list"),
        ({"inputs": ["ok", 42]}, "inputs[1]", "must be a string, not int"),
        ({"inputs": [None]}, "inputs[0]", "must be a string, not NoneType"),
        ({"inputs": [["nested"]]}, "inputs[0]", "must be a string, not list"),
        ({"inputs": ["fine", "   "]}, "inputs[1]", "is empty"),
        ({"inputs": ["a" * 513]}, "inputs[0]", "at most 512"),
        ({}, "inputs", "required"),
        ({"inputs": ["x"], "model_version": "latest"}, "model_version", "integer"),
        ({"inputs": ["x"], "model_version": True}, "model_version", "integer"),
    ],
)
def test_invalid_inputs_are_400_naming_the_field(admin_client, body, field, fragment):
    error = error_of(admin_client.post(PREDICT, body, format="json"), 400)
    assert error["code"] == "validation_error"
    assert error["details"]["field"] == field
    assert fragment in error["message"]


def test_a_json_array_body_is_400(admin_client):
    error = error_of(admin_client.post(PREDICT, ["x"], format="json"), 400)
    assert error["details"]["field"] == "body"


@pytest.mark.parametrize("url", ["/api/v1/finance/earnings-tone", "/api/v1/finance/tone-shift",
                                 "/api/v1/finance/statements", "/api/v1/health/deid"])
@pytest.mark.parametrize("body", [[None, None], "a transcript", 42])
def test_a_document_endpoint_given_a_json_array_or_value_is_400(admin_client, url, body):
    # Found by the fuzzing test (tests/security/test_fuzzing.py): these read fields off the
    # body, and a body that is no object was a 500.
    error = error_of(admin_client.post(url, body, format="json"), 400)
    assert error["details"]["field"] == "body"


@pytest.mark.parametrize("query", [{"limit": 10**21}, {"limit": 10**21, "offset": 10**21},
                                   {"offset": 10**21}])
def test_a_page_limit_past_the_databases_integers_is_a_page_not_a_500(admin_client,
                                                                       organization, query):
    # Found by the fuzzing test: ?limit=10**21 overflowed in SQL. A page is at most 1,000 rows.
    from slm_platform.registry.models import ModelVersion

    ModelVersion.objects.create(organization=organization, task_slug="finance.transaction-category",
                                version=1, status="archived", base_model="all-MiniLM-L6-v2")
    response = admin_client.get("/api/v1/models", query)
    assert response.status_code == 200, response.content
    shown = 0 if "offset" in query else 1
    assert response.json()["count"] == 1 and len(response.json()["results"]) == shown


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/v1/chat/completions", {"model": "a\x00b", "messages": []}, "model"),
    ("/v1/chat/completions", {"model": "shop", "messages": [{"role": "user",
                                                             "content": "hi\x00"}]},
     "messages[0].content"),
    ("/api/v1/audit-events?action=predict%00", None, "action"),
    ("/api/v1/tasks/finance%00/activations", None, "path"),
])
def test_a_nul_character_is_400_naming_where(admin_client, url, body, field):
    # Found by the fuzzing test on PostgreSQL, which cannot hold a NUL in text: the query
    # failed (500). SQLite stored it. Refused before any view runs (core/request_checks.py).
    response = (admin_client.post(url, body, format="json") if body is not None
                else admin_client.get(url))
    error = error_of(response, 400)
    assert error["details"]["field"] == field and "NUL" in error["message"]


def test_an_escaped_backslash_before_u0000_is_no_nul(admin_client):
    body = {"model": "a\\u0000b", "messages": [{"role": "user", "content": "hi"}]}
    assert error_of(admin_client.post("/v1/chat/completions", body, format="json"),
                    404)["code"] == "model_not_found"


def test_malformed_json_is_400(admin_client):
    response = admin_client.post(PREDICT, '{"inputs": ["x",', content_type="application/json")
    assert error_of(response, 400)["code"] == "parse_error"


def test_unsupported_content_type_is_415(admin_client):
    response = admin_client.post(PREDICT, "inputs=x", content_type="text/plain")
    assert error_of(response, 415)["code"] == "unsupported_media_type"


def test_huge_payload_is_413(admin_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = {"inputs": ["x" * 400] * 5}
    assert error_of(admin_client.post(PREDICT, body, format="json"), 413)["code"] == (
        "payload_too_large"
    )


def test_unknown_task_is_404(admin_client):
    response = admin_client.post("/api/v1/tasks/finance.nope/predict", {"inputs": ["x"]},
                                 format="json")
    error = error_of(response, 404)
    assert error["code"] == "task_not_found"
    assert error["details"] == {"task": "finance.nope"}


def test_unknown_endpoint_is_a_json_404(admin_client):
    assert error_of(admin_client.get("/api/v1/nothing-here"), 404)["code"] == "not_found"


def test_wrong_method_is_405(admin_client):
    assert error_of(admin_client.get(PREDICT), 405)["code"] == "method_not_allowed"


def test_missing_key_is_401(client):
    response = client.post(PREDICT, {"inputs": ["x"]}, content_type="application/json")
    assert error_of(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer slm_deadbeef_nope", "Bearer not-a-key",
                                    "Bearer", "Bearer a b"])
def test_invalid_key_is_401(client, admin_membership, header):
    response = client.post(PREDICT, {"inputs": ["x"]}, content_type="application/json",
                           HTTP_AUTHORIZATION=header)
    error_of(response, 401)


def test_right_prefix_wrong_secret_is_401(client, admin_client):
    real = admin_client.issued_key.key
    forged = real[:-4] + ("aaaa" if not real.endswith("aaaa") else "bbbb")
    response = client.post(PREDICT, {"inputs": ["x"]}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {forged}")
    assert error_of(response, 401)["code"] == "invalid_api_key"


def test_revoked_key_is_401(client, admin_client):
    issued = admin_client.issued_key
    assert admin_client.delete(f"/api/v1/api-keys/{issued.api_key.pk}").status_code == 200
    response = client.post(PREDICT, {"inputs": ["x"]}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {issued.key}")
    assert error_of(response, 401)["code"] == "api_key_revoked"


def test_user_without_organization_is_403(client, django_user_model):
    django_user_model.objects.create_user(username="drifter", password="a-long-test-password")
    client.login(username="drifter", password="a-long-test-password")
    assert error_of(client.get("/api/v1/tasks"), 403)["code"] == "permission_denied"
