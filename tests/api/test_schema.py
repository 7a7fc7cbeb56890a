import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_builds_and_describes_predict(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    predict = schema["paths"]["/api/v1/tasks/{slug}/predict"]["post"]
    assert "apiKey" in str(predict["security"])


def test_interactive_docs_use_local_assets_only(client):
    html = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
