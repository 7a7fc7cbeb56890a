"""Knowledge-base API: admin-only writes, member reads, organization scoping, bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from slm_platform.chat.models import KnowledgeBase, KnowledgeDocument

pytestmark = pytest.mark.django_db

BASE = "/api/v1/knowledge-bases"
FAQ = "# Refunds\n\nRefunds take 5 to 10 business days.\n"


@pytest.fixture
def kb_id(admin_client):
    response = admin_client.post(BASE, {"name": "Help Centre"}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _upload(client, kb_id, name, data, **fields):
    return client.post(f"{BASE}/{kb_id}/documents",
                       {"file": SimpleUploadedFile(name, data), **fields}, format="multipart")


def _error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_admins_write_and_members_read(admin_client, member_client, kb_id):
    assert member_client.get(BASE).json()["results"][0]["slug"] == "help-centre"
    assert _error(member_client.post(BASE, {"name": "Mine"}, format="json"), 403)
    added = _upload(admin_client, kb_id, "faq.md", FAQ.encode())
    assert added.status_code == 201 and added.json()["kind"] == "markdown"
    assert added.json()["status"] == "indexing" and added.json()["passages"] == 1
    document_id = added.json()["id"]
    assert _error(_upload(member_client, kb_id, "more.md", b"# More\n\nText.\n"), 403)
    listed = member_client.get(f"{BASE}/{kb_id}/documents").json()["results"]
    assert [d["filename"] for d in listed] == ["faq.md"]
    assert member_client.get(f"{BASE}/{kb_id}").json()["version"] == 2
    assert _error(member_client.delete(f"{BASE}/{kb_id}/documents/{document_id}"), 403)
    assert _error(member_client.delete(f"{BASE}/{kb_id}"), 403)
    assert admin_client.delete(f"{BASE}/{kb_id}/documents/{document_id}").status_code == 204
    assert admin_client.get(f"{BASE}/{kb_id}").json()["version"] == 3
    assert admin_client.delete(f"{BASE}/{kb_id}").status_code == 204
    assert not KnowledgeBase.objects.exists()


def test_the_same_upload_again_answers_200_and_changes_nothing(admin_client, kb_id):
    first = admin_client.post(f"{BASE}/{kb_id}/documents",
                              {"title": "FAQ", "text": FAQ, "kind": "markdown"}, format="json")
    again = _upload(admin_client, kb_id, "faq-copy.md", FAQ.encode())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert admin_client.get(f"{BASE}/{kb_id}").json()["version"] == 2


def test_another_organizations_ids_are_not_found(admin_client, other_client, kb_id):
    document_id = _upload(admin_client, kb_id, "faq.md", FAQ.encode()).json()["id"]
    for response in (
        other_client.get(f"{BASE}/{kb_id}"),
        other_client.delete(f"{BASE}/{kb_id}"),
        other_client.get(f"{BASE}/{kb_id}/documents"),
        _upload(other_client, kb_id, "x.md", b"# X\n\nY.\n"),
        other_client.get(f"{BASE}/{kb_id}/documents/{document_id}"),
        other_client.delete(f"{BASE}/{kb_id}/documents/{document_id}"),
        other_client.get(f"{BASE}/{kb_id}/search", {"q": "refunds"}),
    ):
        assert _error(response, 404)["code"] == "not_found"
    assert other_client.get(BASE).json()["results"] == []
    assert KnowledgeDocument.objects.count() == 1


@pytest.mark.parametrize(("name", "data", "fields", "field", "message"), [
    ("noise.txt", bytes(range(256)) * 16, {}, "file", "binary data"),
    # A NUL past the first 64 KiB, which content sniffing looks at: found by the reader.
    ("late-nul.txt", b"Opening hours are 9 to 5.\n" * 3000 + b"Closed\x00 Sundays.\n", {}, "file",
     "NUL byte"),
    ("empty.md", b"", {}, "file", "empty"),
    ("sheet.json", b'{"a": 1}', {}, "file", "unsupported file type .json"),
    ("faq.csv", b"question,answer\nA?,Yes\nB?,\n", {}, "file", "row 3"),
    ("faq.md", b"# FAQ\n\nText.\n", {"kind": "spreadsheet"}, "kind", "kind must be one of"),
])
def test_bad_files_are_refused_naming_the_field(admin_client, kb_id, name, data, fields, field,
                                                message):
    error = _error(_upload(admin_client, kb_id, name, data, **fields), 400)
    assert error["details"]["field"] == field and message in error["message"]
    if field == "file":
        assert error["details"]["file"] == name
    assert not KnowledgeDocument.objects.exists()


def test_a_file_over_10_mb_is_refused(admin_client, kb_id):
    error = _error(_upload(admin_client, kb_id, "big.txt", b"word " * (2 * 1024 * 1024 + 1)),
                   413)
    assert error["details"]["field"] == "file" and "10 MB" in error["message"]


def test_bad_json_documents_are_refused(admin_client, kb_id):
    url = f"{BASE}/{kb_id}/documents"
    error = _error(admin_client.post(url, {"title": "X", "text": "Y", "kind": "pdf"},
                                     format="json"), 400)
    assert "kind" in error["details"]["fields"]
    error = _error(admin_client.post(url, {"title": "X"}, format="json"), 400)
    assert "text" in error["details"]["fields"]
    error = _error(admin_client.post(url, {"title": "X"}, format="multipart"), 400)
    assert error["details"] == {"field": "file"}


@pytest.mark.parametrize(("params", "field"), [
    ({}, "q"), ({"q": "  "}, "q"), ({"q": "refunds", "k": "0"}, "k"),
    ({"q": "refunds", "k": "21"}, "k"), ({"q": "refunds", "k": "many"}, "k"),
])
def test_bad_search_parameters_are_refused(member_client, kb_id, params, field):
    error = _error(member_client.get(f"{BASE}/{kb_id}/search", params), 400)
    assert error["details"] == {"field": field}


def test_the_schema_describes_the_knowledge_base_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    documents = schema["paths"]["/api/v1/knowledge-bases/{kb_id}/documents"]["post"]
    assert set(documents["requestBody"]["content"]) >= {"multipart/form-data",
                                                        "application/json"}
    search = schema["paths"]["/api/v1/knowledge-bases/{kb_id}/search"]["get"]
    assert {p["name"] for p in search["parameters"]} >= {"q", "k"}
