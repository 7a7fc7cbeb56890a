import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_builds_and_describes_predict(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    predict = schema["paths"]["/api/v1/tasks/{slug}/predict"]["post"]
    assert "apiKey" in str(predict["security"])

    # Every built-in task's request and output shape, with an example.
    from slm_platform.core.catalog import catalog

    answers = predict["responses"]["200"]["content"]["application/json"]["examples"]
    requests = predict["requestBody"]["content"]["application/json"]["examples"]
    slugs = [spec.slug for spec in catalog.all()]
    assert len(answers) == len(requests) == len(slugs) >= 4
    shown = {example["value"]["task"]: example["value"]["predictions"][0]
             for example in answers.values()}
    assert set(shown) == set(slugs)
    patient = shown["health.patient-intent"]
    assert [slot["type"] for slot in patient["slots"]] == ["clinician", "date"]
    assert schema["paths"]["/api/v1/finance/earnings-tone"]["post"]["responses"]["200"]


def test_interactive_docs_use_local_assets_only(client):
    html = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html


def test_every_operation_documents_its_errors_in_the_one_error_shape(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in ("400", "401", "403", "404", "409", "503"):
                assert responses[status]["content"]["application/json"]["schema"] == error, (
                    method, path, status)
            if "requestBody" in operation:
                assert {"413", "415"} <= set(responses), (method, path)
    predict = schema["paths"]["/api/v1/tasks/{slug}/predict"]["post"]["responses"]
    assert "Retry-After" in predict["429"]["headers"]
    assert "429" not in schema["paths"]["/api/v1/tasks"]["get"]["responses"]
    # What the views answer, as found by the fuzzing test: a revoked key's row (200, not 204),
    # and the audit export in both its formats.
    assert "200" in schema["paths"]["/api/v1/api-keys/{key_id}"]["delete"]["responses"]
    export = schema["paths"]["/api/v1/audit/export"]["get"]["responses"]["200"]["content"]
    assert set(export) == {"text/csv", "application/x-ndjson"}
