"""Bad uploads: a clear 4xx naming the file (and row or page), or a file error in the job
naming it; never a 500, never half a job stored."""

import io
import zipfile

import pytest

from slm_platform.jobs.models import Job, JobChunk, JobItem
from tests.ingest.bulk.bulk_builders import pdf_bytes, rewrite_zip_part, write_docx, write_xlsx
from tests.jobs.helpers import transactions_csv, upload, wait_for_job

pytestmark = pytest.mark.django_db(transaction=True)

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                  b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                  b'main"><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row>'
                  b'</sheetData></worksheet>')


def refused(response, *, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    assert Job.objects.count() == 0
    return response.json()["error"]


def zeros_zip(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("statement.csv", b"text\n" + b"0" * size)
    return buffer.getvalue()


@pytest.fixture
def no_leftovers(settings):
    before = set(settings.JOB_UPLOAD_DIR.iterdir())
    yield
    left = {path for path in set(settings.JOB_UPLOAD_DIR.iterdir()) - before
            if path.name != "incoming"}
    assert not left, f"files left behind by a refused upload: {left}"


def test_unknown_task_is_404(admin_client, trained_model, no_leftovers):
    error = refused(upload(admin_client, {"a.csv": transactions_csv(3)}, task="no.such-task"),
                    status=404)
    assert error["code"] == "task_not_found"


def test_missing_text_column_names_the_columns_found(admin_client, trained_model, no_leftovers):
    error = refused(upload(admin_client, {"a.csv": transactions_csv(3)}, text_column="memo"))
    assert "memo" in error["message"] and "description" in error["message"]
    assert error["details"]["file"] == "a.csv"


@pytest.mark.parametrize(("name", "data", "says"), [
    ("empty.csv", b"", "empty"),
    ("garbage.csv", bytes(range(256)) * 64, "binary"),
    ("scan.pdf", pdf_bytes([[], []]), "OCR"),
    ("bomb.zip", zeros_zip(30 * 1024 * 1024), "ZIP bomb"),
])
def test_unreadable_files_are_refused_naming_the_file(admin_client, trained_model, no_leftovers,
                                                      name, data, says):
    error = refused(upload(admin_client, {name: data}))
    assert says in error["message"]
    assert error["details"]["file"] == name


def test_zip_entry_escaping_its_folder_is_refused(admin_client, trained_model, no_leftovers):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ok.txt", b"SHELL OIL\n")
        archive.writestr("../../etc/cron.d/evil", b"* * * * * root sh\n")
    error = refused(upload(admin_client, {"statements.zip": buffer.getvalue()}))
    assert ".." in error["message"]


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_xml_bombs_are_refused(admin_client, trained_model, no_leftovers, tmp_path, kind):
    if kind == "xlsx":
        path = write_xlsx(tmp_path / "bomb.xlsx", [["text"], ["SHELL OIL"]])
        path = rewrite_zip_part(path, "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    else:
        path = write_docx(tmp_path / "bomb.docx", ["SHELL OIL"])
        path = rewrite_zip_part(path, "word/document.xml", BILLION_LAUGHS)
    error = refused(upload(admin_client, {path.name: path.read_bytes()}))
    assert "DTD" in error["message"] or "entit" in error["message"]


def test_a_mixed_encoding_file_fails_naming_the_row_and_stores_none_of_it(admin_client,
                                                                          trained_model,
                                                                          settings):
    """Its first segments are stored and queued (some maybe predicted) before row 4002 is
    reached: they are taken back out, counts included."""
    settings.JOB_CHUNK_SIZE = 250
    rows = [f"SHELL OIL {n} caf\u00e9".encode() for n in range(5000)]
    rows[4000] = "SHELL OIL caf\u00e9 in Latin-1".encode("latin-1")
    data = b"text\n" + b"\n".join(rows) + b"\n"
    response = upload(admin_client, {"mixed.csv": data, "good.csv": b"text\nSHELL OIL\n"})
    assert response.status_code == 202, response.content
    job = wait_for_job(admin_client, response.json()["id"])
    mixed = next(f for f in job["files"] if f["name"] == "mixed.csv")
    assert mixed["status"] == "failed"
    assert mixed["error_location"] == "row 4002" and "encoding" in mixed["error"]
    assert not JobItem.objects.filter(job_id=job["id"], file__name="mixed.csv").exists()
    assert JobChunk.objects.filter(job_id=job["id"]).count() == 1  # good.csv's
    assert job["status"] == "partially_failed"
    assert (job["progress"]["total"], job["progress"]["done"], job["progress"]["failed"]) == \
        (1, 1, 0)


def test_a_ten_megabyte_line_fails_its_file_and_not_the_others(admin_client, trained_model):
    long_line = b"SHELL OIL " * (1024 * 1024) + b"\n"
    response = upload(admin_client, {"huge.txt": long_line, "ok.txt": b"NETFLIX.COM\nUBER\n"})
    assert response.status_code == 202, response.content
    job = wait_for_job(admin_client, response.json()["id"])
    files = {f["name"]: f for f in job["files"]}
    assert files["huge.txt"]["status"] == "failed"
    assert files["huge.txt"]["error_location"] == "line 1"
    assert files["ok.txt"]["status"] == "read"
    assert job["status"] == "partially_failed" and job["progress"]["done"] == 2


def test_oversized_upload_is_413(admin_client, trained_model, settings):
    settings.JOB_MAX_UPLOAD_BYTES = 1000
    error = refused(upload(admin_client, {"a.csv": transactions_csv(200)}), status=413)
    assert error["details"]["field"] == "files"


def test_no_file_and_bad_fields_are_400(admin_client, trained_model):
    assert refused(admin_client.post("/api/v1/jobs", {"task": "x"}, format="multipart"))
    error = refused(upload(admin_client, {"a.csv": transactions_csv(3)}, unit="page"))
    assert "unit" in str(error)
    error = refused(upload(admin_client, {"a.csv": transactions_csv(3)}, model_version=99999),
                    status=404)
    assert error["code"] == "model_version_not_found"


def test_missing_auth_is_401(client, db):
    response = client.post("/api/v1/jobs", {}, format="multipart")
    assert response.status_code == 401
