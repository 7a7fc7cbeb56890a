"""Bulk-job documents: text, PDF and Word files cut into lines, paragraphs and sentences."""

import tracemalloc
import zipfile
from pathlib import Path

import pytest
from bulk_builders import pdf_bytes, rewrite_zip_part, write_docx, write_xlsx, write_zip

from slm_platform.ingest.bulk import DocumentError, Limits, iter_items, open_sources

DEFAULTS = Limits()


def source_at(path: Path, *, limits: Limits = DEFAULTS):
    [source] = open_sources(path, name=path.name, workdir=path.parent / "work", limits=limits)
    return source


def positions_and_texts(source, unit: str) -> list[tuple[str, str]]:
    return [(item.position, item.text) for item in iter_items(source, unit=unit)]


# Plain text.

TEXT = ("Dr. Smith paid $3.50 for it. Then he\n"
        "left! Was it worth it?\n"
        "\n"
        "The U.S. team won... or did it?\n")


@pytest.mark.parametrize(("unit", "expected"), [
    ("line", [("line 1", "Dr. Smith paid $3.50 for it. Then he"),
              ("line 2", "left! Was it worth it?"),
              ("line 4", "The U.S. team won... or did it?")]),
    ("paragraph", [("lines 1-2", "Dr. Smith paid $3.50 for it. Then he\nleft! Was it worth it?"),
                   ("line 4", "The U.S. team won... or did it?")]),
    ("sentence", [("line 1, sentence 1", "Dr. Smith paid $3.50 for it."),
                  ("line 1, sentence 2", "Then he left!"),
                  ("line 2, sentence 1", "Was it worth it?"),
                  ("line 4, sentence 1", "The U.S. team won... or did it?")]),
])
def test_text_files_are_cut_by_unit(tmp_path, unit, expected):
    path = tmp_path / "notes.txt"
    path.write_text(TEXT)
    source = source_at(path)
    assert source.kind == "text"
    assert positions_and_texts(source, unit) == expected


def test_sentences_of_a_file_without_blank_lines_stream_in_windows(tmp_path):
    path = tmp_path / "book.txt"
    path.write_text("".join(f"Sentence number {number} is here. And a second one.\n"
                            for number in range(1, 20_001)))
    limits = Limits(max_line_chars=100_000)
    source = source_at(path, limits=limits)
    count, last, flagged = 0, None, 0
    tracemalloc.start()
    try:
        for item in iter_items(source, unit="sentence", limits=limits):
            count, flagged, last = count + 1, flagged + bool(item.error), item
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024  # splitting the 1 MB file in one piece takes about 15 MB
    assert (count, flagged) == (40_000, 0)
    assert (last.position, last.text) == ("line 20000, sentence 2", "And a second one.")


def test_a_paragraph_over_the_line_limit_is_refused(tmp_path):
    path = tmp_path / "log.txt"
    path.write_text("an entry without any blank line between them\n" * 100)
    error = refused_unit(path, "paragraph", Limits(max_line_chars=1000))
    assert error.message.startswith("a paragraph longer than 1,000 characters")


def refused_unit(path: Path, unit: str, limits: Limits) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        list(iter_items(source_at(path, limits=limits), unit=unit, limits=limits))
    return caught.value


# PDF.

def test_pdf_text_is_cut_per_page(tmp_path):
    path = tmp_path / "statement.pdf"
    path.write_bytes(pdf_bytes([["Opening balance 100.00. Closing balance 80.00.",
                                 "Card payment ACME (London) 20.00"],
                                [],
                                ["Thank you for banking with us."]]))
    source = source_at(path)
    assert positions_and_texts(source, "line") == [
        ("page 1, line 1", "Opening balance 100.00. Closing balance 80.00."),
        ("page 1, line 2", "Card payment ACME (London) 20.00"),
        ("page 2", ""),
        ("page 3, line 1", "Thank you for banking with us.")]
    sentences = list(iter_items(source, unit="sentence"))
    assert [item.position for item in sentences] == [
        "page 1, sentence 1", "page 1, sentence 2", "page 1, sentence 3", "page 2",
        "page 3, sentence 1"]
    assert sentences[3].error.startswith("no text layer on this page")


def test_a_pdf_without_a_text_layer_is_refused_at_upload(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes([[], []]))
    with pytest.raises(DocumentError) as caught:
        source_at(path)
    assert caught.value.message == ("no text layer on any page; scanned PDFs need OCR, which "
                                    "the platform does not do")


def test_a_pdf_over_the_page_limit_is_refused(tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_bytes([["Page text."]] * 4))
    with pytest.raises(DocumentError, match="more than 3 pages"):
        source_at(path, limits=Limits(max_pdf_pages=3))


@pytest.mark.parametrize("damage", ["garbage body", "truncated"])
def test_a_damaged_pdf_is_refused(tmp_path, damage):
    whole = pdf_bytes([["Some text."]])
    data = (b"%PDF-1.4\n" + bytes(range(256)) * 20 if damage == "garbage body"
            else whole[:whole.index(b"stream")])
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        source_at(path)
    assert caught.value.file == "broken.pdf"


# DOCX.

def test_docx_paragraphs_and_table_rows_become_items(tmp_path):
    path = write_docx(tmp_path / "letter.docx",
                      ["Dear Dr. Jones. Thank you.", "", "Line one\nLine two"],
                      table=[["2024-01-02", "ACME LTD", "-42.00"]])
    source = source_at(path)
    assert positions_and_texts(source, "line") == [
        ("paragraph 1", "Dear Dr. Jones. Thank you."),
        ("paragraph 2, line 1", "Line one"), ("paragraph 2, line 2", "Line two"),
        ("table 1, row 1", "2024-01-02\tACME LTD\t-42.00")]
    assert positions_and_texts(source, "sentence")[:2] == [
        ("paragraph 1, sentence 1", "Dear Dr. Jones."),
        ("paragraph 1, sentence 2", "Thank you.")]
    assert positions_and_texts(source, "paragraph")[1] == ("paragraph 2", "Line one\nLine two")


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_truncated_office_file_is_refused(tmp_path, kind):
    path = (write_docx(tmp_path / "a.docx", ["Hello."]) if kind == "docx"
            else write_xlsx(tmp_path / "a.xlsx", [["text"], ["hi"]]))
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(DocumentError) as caught:
        source_at(path)
    assert "damaged or truncated" in caught.value.message


def test_a_docx_with_a_broken_body_is_refused(tmp_path):
    path = rewrite_zip_part(write_docx(tmp_path / "a.docx", ["Hello."]),
                            "word/document.xml", b"<w:document><unclosed>")
    with pytest.raises(DocumentError) as caught:
        source_at(path)
    assert (caught.value.file, caught.value.location) == ("a.docx", "word/document.xml")


# XML bombs.

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol3;</t></si></sst>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize(("kind", "part", "bomb"), [
    ("xlsx", "xl/sharedStrings.xml", BILLION_LAUGHS),
    ("xlsx", "xl/workbook.xml", EXTERNAL_ENTITY),
    ("docx", "word/document.xml", BILLION_LAUGHS),
    ("docx", "word/document.xml", EXTERNAL_ENTITY),
])
def test_xml_bombs_in_office_files_are_refused(tmp_path, kind, part, bomb):
    path = (write_docx(tmp_path / "a.docx", ["Hello."]) if kind == "docx"
            else write_xlsx(tmp_path / "a.xlsx", [["text"], ["hi"]]))
    rewrite_zip_part(path, part, bomb)
    with pytest.raises(DocumentError) as caught:
        source_at(path)
    assert caught.value.location == part
    assert "possible XML bomb" in caught.value.message


def test_an_office_part_that_inflates_past_the_part_limit_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["text"]] + [[f"row {n}"] for n in range(5000)])
    with pytest.raises(DocumentError) as caught:
        source_at(path, limits=Limits(max_part_bytes=100_000))
    assert caught.value.location == "xl/worksheets/sheet1.xml"
    assert "the limit is 100,000" in caught.value.message


def test_a_zip_with_an_office_content_list_but_no_parts_is_still_checked(tmp_path):
    path = write_zip(tmp_path / "odd.xlsx", {"[Content_Types].xml": b"<Types/>",
                                             "xl/workbook.xml": b"not xml at all"})
    with pytest.raises(DocumentError) as caught:
        source_at(path)
    assert caught.value.file == "odd.xlsx"
    assert zipfile.is_zipfile(path)
