"""Bulk-job files: kinds judged by content, encodings, delimiters, and files that are not text."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from bulk_builders import pdf_bytes, write_docx, write_xlsx, write_zip

from slm_platform.ingest.bulk import DocumentError, iter_items, open_sources, sniff


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def source_of(tmp_path: Path, name: str, data: bytes):
    [source] = open_sources(write(tmp_path, name, data), name=name, workdir=tmp_path / "work")
    return source


def refused(call, *args, **kwargs) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        result = call(*args, **kwargs)
        list(result) if not isinstance(result, str) else result
    return caught.value


def test_the_bulk_package_imports_no_django():
    code = "import sys; sys.modules['django'] = None; import slm_platform.ingest.bulk; print('ok')"
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[3],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "ok"


def test_document_error_names_file_and_place_and_pickles():
    error = DocumentError("empty text", file="a.zip/b.csv", location="row 12")
    assert str(error) == "a.zip/b.csv, row 12: empty text"
    assert error.as_details() == {"file": "a.zip/b.csv", "location": "row 12"}
    assert DocumentError("bad", file="a.csv").as_details() == {"file": "a.csv"}
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.file, copy.location) == ("empty text", "a.zip/b.csv", "row 12")
    assert isinstance(error, ValueError)


def test_kinds_are_judged_by_content_never_by_name(tmp_path):
    assert sniff(write(tmp_path, "report.pdf", b"text,label\nhi,a\nho,b\n")) == "delimited"
    assert sniff(write(tmp_path, "data.csv", pdf_bytes([["Hello."]]))) == "pdf"
    assert sniff(write_xlsx(tmp_path / "sheet.docx", [["text"], ["hi"]])) == "xlsx"
    assert sniff(write_docx(tmp_path / "letter.xlsx", ["Hello."])) == "docx"
    assert sniff(write_zip(tmp_path / "files.csv", {"a.txt": b"hi"})) == "zip"
    assert sniff(write(tmp_path, "rows.csv", b'{"text": "hi"}\n{"text": "ho"}\n')) == "jsonl"
    assert sniff(write(tmp_path, "notes.csv", b"Hello, world. This is prose.\nMore.\n")) == "text"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le",
                                      "utf-16-be", "cp1252"])
def test_csv_in_each_encoding_reads_the_same(tmp_path, encoding):
    data = "id,text\n1,Café crème brûlée\n2,naïve façade\n".encode(encoding)
    source = source_of(tmp_path, "export.csv", data)
    assert source.encoding == encoding
    assert source.columns == ["id", "text"]
    items = list(iter_items(source, text_column="text"))
    assert [item.text for item in items] == ["Café crème brûlée", "naïve façade"]
    assert [item.fields for item in items] == [{"id": "1"}, {"id": "2"}]


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_the_delimiter_is_detected(tmp_path, delimiter):
    rows = [["id", "text", "note"], ["1", "hello, there", "a"], ["2", "bye", "b; c"]]
    data = "".join(delimiter.join(f'"{cell}"' for cell in row) + "\n" for row in rows)
    source = source_of(tmp_path, "data.txt", data.encode())
    assert (source.kind, source.delimiter) == ("delimited", delimiter)
    assert [item.text for item in iter_items(source)] == ["hello, there", "bye"]


def test_a_file_headed_text_is_a_one_column_table_whose_commas_stay(tmp_path):
    source = source_of(tmp_path, "texts.csv", b'text\nHello, world\n"Quoted, too"\n')
    assert (source.kind, source.columns) == ("delimited", ["text"])
    items = list(iter_items(source))
    assert [(item.text, item.fields) for item in items] == [("Hello, world", {}),
                                                            ("Quoted, too", {})]


@pytest.mark.parametrize("data", [b"", b"\n  \n\t\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(tmp_path, data):
    error = refused(open_sources, write(tmp_path, "empty.csv", data), name="empty.csv",
                    workdir=tmp_path)
    assert (error.file, error.message) == ("empty.csv", "the file is empty")


def test_binary_garbage_named_csv_is_refused(tmp_path):
    garbage = write(tmp_path, "data.csv", os.urandom(20_000))
    error = refused(open_sources, garbage, name="data.csv", workdir=tmp_path)
    assert error.file == "data.csv"
    assert error.message.startswith("binary data")


@pytest.mark.parametrize(("data", "says"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old Office file"),
    (b"\x1f\x8b\x08\x00" + bytes(100), "gzip"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "image"),
])
def test_formats_uploaded_by_mistake_are_named(tmp_path, data, says):
    error = refused(sniff, write(tmp_path, "upload.csv", data))
    assert says in error.message
