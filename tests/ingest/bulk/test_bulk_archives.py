"""Bulk-job ZIP archives: expanded safely, one level deep, within size and ratio limits."""

import stat
import struct
import zipfile
from pathlib import Path

import pytest
from bulk_builders import pdf_bytes, write_docx, write_xlsx, write_zip

from slm_platform.ingest.bulk import DocumentError, Limits, iter_items, open_sources
from slm_platform.ingest.bulk.containers import extract

DEFAULTS = Limits()


def expand(path: Path, *, limits: Limits = DEFAULTS):
    return open_sources(path, name=path.name, workdir=path.parent / "work", limits=limits)


def refused(path: Path, *, limits: Limits = DEFAULTS) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        expand(path, limits=limits)
    return caught.value


def test_a_zip_of_several_formats_gives_one_source_per_file(tmp_path):
    xlsx = write_xlsx(tmp_path / "in.xlsx", [["text", "id"], ["from excel", 1]]).read_bytes()
    docx = write_docx(tmp_path / "in.docx", ["From Word."]).read_bytes()
    archive = write_zip(tmp_path / "upload.zip", {
        "batch/": b"",
        "batch/rows.csv": "text;note\nfrom csv;a\nmore;b\n".encode("cp1252"),
        "batch/sheet.xlsx": xlsx, "letter.docx": docx,
        "scan.pdf": pdf_bytes([["From PDF."]]), "notes.txt": b"From text.\n",
        "__MACOSX/batch/._rows.csv": b"\x00\x05\x16\x07", ".DS_Store": b"\x00\x00\x00\x01Bud1",
    })
    sources = expand(archive)
    assert [(source.name, source.kind) for source in sources] == [
        ("upload.zip/batch/rows.csv", "delimited"), ("upload.zip/batch/sheet.xlsx", "xlsx"),
        ("upload.zip/letter.docx", "docx"), ("upload.zip/scan.pdf", "pdf"),
        ("upload.zip/notes.txt", "text")]
    assert all(source.path.parent == tmp_path / "work" for source in sources)
    first = [next(iter_items(source, unit="sentence")) for source in sources]
    assert [(item.file, item.text) for item in first] == [
        ("upload.zip/batch/rows.csv", "from csv"), ("upload.zip/batch/sheet.xlsx", "from excel"),
        ("upload.zip/letter.docx", "From Word."), ("upload.zip/scan.pdf", "From PDF."),
        ("upload.zip/notes.txt", "From text.")]


@pytest.mark.parametrize("name", ["../escape.csv", "/etc/cron.d/job.csv", "a/../../b.csv",
                                  "C:\\Windows\\x.csv", "a\\..\\..\\b.csv"])
def test_entries_whose_paths_leave_the_archive_are_refused(tmp_path, name):
    archive = write_zip(tmp_path / "upload.zip", {"ok.csv": b"text\nhi\n", name: b"text\nx\n"})
    error = refused(archive)
    assert (error.file, error.location) == ("upload.zip", name)
    assert "leaves the archive" in error.message
    assert not (tmp_path / "escape.csv").exists()


def test_a_symbolic_link_entry_is_refused(tmp_path):
    path = tmp_path / "upload.zip"
    with zipfile.ZipFile(path, "w") as archive:
        link = zipfile.ZipInfo("passwords.csv")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    error = refused(path)
    assert (error.location, error.message) == ("passwords.csv",
                                               "an entry is a symbolic link; refused")


def test_a_zip_inside_the_zip_is_refused(tmp_path):
    inner = write_zip(tmp_path / "inner.zip", {"a.csv": b"text\nhi\n"}).read_bytes()
    error = refused(write_zip(tmp_path / "outer.zip", {"more/inner.zip": inner}))
    assert error.file == "outer.zip/more/inner.zip"
    assert "ZIP archive inside the ZIP archive" in error.message


def test_a_bad_file_inside_the_zip_is_named_by_its_path_in_the_archive(tmp_path):
    error = refused(write_zip(tmp_path / "upload.zip", {"ok.txt": b"hi\n", "data/x.csv": b""}))
    assert (error.file, error.message) == ("upload.zip/data/x.csv", "the file is empty")


def test_an_archive_of_only_folders_and_clutter_is_refused(tmp_path):
    error = refused(write_zip(tmp_path / "upload.zip", {"a/": b"", "__MACOSX/._a": b"x"}))
    assert error.message == "the archive holds no files"


# Bombs and limits.

def zeros_zip(path: Path, size: int, count: int = 1) -> Path:
    return write_zip(path, {f"zeros{index}.txt": b"0" * size for index in range(count)})


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path):
    error = refused(zeros_zip(tmp_path / "bomb.zip", 20 * 1024 * 1024))
    assert error.location == "zeros0.txt"
    assert "which only a ZIP bomb does; the limit is 200" in error.message


def test_a_zip_over_the_inflated_size_limit_is_refused(tmp_path):
    limits = Limits(max_decompressed_bytes=5 * 1024 * 1024, max_compression_ratio=10**6)
    error = refused(zeros_zip(tmp_path / "big.zip", 2 * 1024 * 1024, count=3), limits=limits)
    assert error.message == "inflates to 6,291,456 bytes in all; the limit is 5,242,880"


def test_a_zip_whose_headers_understate_its_size_is_refused(tmp_path):
    path = zeros_zip(tmp_path / "liar.zip", 5 * 1024 * 1024)
    path.write_bytes(_declared_size(path.read_bytes(), 1000))
    assert zipfile.ZipFile(path).infolist()[0].file_size == 1000
    error = refused(path)
    assert (error.location, error.file) == ("zeros0.txt", "liar.zip")
    assert "damaged entry" in error.message
    assert all(entry.stat().st_size <= 1000 for entry in (tmp_path / "work").iterdir())


def _declared_size(data: bytes, size: int) -> bytes:
    """The archive with its first member's uncompressed size rewritten in both headers."""
    patched = bytearray(data)
    local, central = data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")
    struct.pack_into("<I", patched, local + 22, size)
    struct.pack_into("<I", patched, central + 24, size)
    return bytes(patched)


def test_extraction_counts_the_bytes_it_inflates(tmp_path):
    path = write_zip(tmp_path / "a.zip", {"a.txt": b"abc" * 1_000_000})
    with zipfile.ZipFile(path) as archive, pytest.raises(DocumentError) as caught:
        extract(archive, archive.infolist()[0], tmp_path / "out", file="a.zip",
                limits=Limits(), budget=1_000_000)
    assert "inflates to more than" in caught.value.message


def test_too_many_entries_are_refused(tmp_path):
    archive = write_zip(tmp_path / "many.zip", {f"{n}.txt": b"hi\n" for n in range(11)})
    error = refused(archive, limits=Limits(max_zip_entries=10))
    assert error.message == "11 entries; the limit is 10"


def test_encrypted_and_unusually_compressed_entries_are_refused(tmp_path):
    path = tmp_path / "bz.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("a.csv", "text\nhi\n")
    assert "method other than deflate" in refused(path).message
    data = bytearray(write_zip(tmp_path / "enc.zip", {"a.csv": b"text\nhi\n"}).read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        offset = data.index(signature) + flags_at
        struct.pack_into("<H", data, offset, struct.unpack_from("<H", data, offset)[0] | 1)
    (tmp_path / "enc.zip").write_bytes(bytes(data))
    assert "password-protected" in refused(tmp_path / "enc.zip").message


def test_a_truncated_zip_is_refused(tmp_path):
    path = write_zip(tmp_path / "cut.zip", {"a.csv": b"text\nhi\n" * 1000})
    path.write_bytes(path.read_bytes()[:-30])
    assert "damaged or truncated" in refused(path).message
