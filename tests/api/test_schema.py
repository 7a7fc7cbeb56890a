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
