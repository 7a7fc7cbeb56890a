"""Cutting knowledge-base documents into passages: pure code, no database."""

import subprocess
import sys
from pathlib import Path

import pytest

from slm_platform.chat.chunking import MAX_WORDS, MIN_WORDS, chunk_text, html_to_markdown
from slm_platform.chat.reading import read_file
from slm_platform.ingest.errors import DocumentError
from tests.ingest.bulk.bulk_builders import pdf_bytes, write_docx


def _words(count: int, stem: str = "word") -> str:
    return " ".join(f"{stem}{i}." if i % 12 == 11 else f"{stem}{i}" for i in range(count))


def _spans_hold(document) -> None:
    for passage in document.passages:
        assert document.text[passage.start:passage.end] == passage.text


def test_the_chat_reading_modules_import_no_django():
    code = ("import sys; sys.modules['django'] = None; "
            "import slm_platform.chat.chunking, slm_platform.chat.reading, "
            "slm_platform.ml.vector_index; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "ok"


# Markdown.

def test_markdown_passages_follow_headings_and_carry_their_path():
    text = ("Welcome to the help centre.\n\n# Billing\n\n## Refunds\nRefunds take 5 to 10 "
            "business days.\n\n## Invoices ##\nInvoices are emailed monthly.\n\n"
            "# Account\nReset your password from the login page.\n")
    document = chunk_text(text, kind="markdown")
    assert [(p.title, p.text) for p in document.passages] == [
        ("", "Welcome to the help centre."),
        ("Billing > Refunds", "Refunds take 5 to 10 business days."),
        ("Billing > Invoices", "Invoices are emailed monthly."),
        ("Account", "Reset your password from the login page."),
    ]
    _spans_hold(document)


def test_a_passage_never_crosses_a_heading_and_paragraphs_pack_to_size():
    paragraphs = "\n\n".join(_words(25, f"p{n}w") for n in range(10))  # 250 words
    text = f"# Long\n\n{paragraphs}\n\n# Short\n\nJust one line.\n"
    document = chunk_text(text, kind="markdown")
    long = [p for p in document.passages if p.title == "Long"]
    assert [len(p.text.split()) for p in long] == [75, 75, 100]
    assert all(MIN_WORDS <= len(p.text.split()) <= MAX_WORDS for p in long)
    assert document.passages[-1].title == "Short"
    assert document.passages[-1].text == "Just one line."
    _spans_hold(document)


def test_an_over_long_paragraph_is_cut_between_sentences():
    document = chunk_text(_words(500), kind="text")
    counts = [len(p.text.split()) for p in document.passages]
    assert sum(counts) == 500 and max(counts) <= MAX_WORDS and len(counts) == 3
    assert all(p.text.endswith(".") for p in document.passages[:-1])
    _spans_hold(document)


def test_a_heading_inside_a_code_fence_is_code():
    text = "# Setup\n\n```bash\n# not a heading\n\nrun it\n```\n"
    document = chunk_text(text, kind="markdown")
    assert [p.title for p in document.passages] == ["Setup"]
    assert "# not a heading" in document.passages[0].text


# Plain text and HTML.

def test_text_is_cut_by_paragraphs():
    document = chunk_text("First paragraph.\n\n\n" + _words(200) + "\r\n\r\nLast one.",
                          kind="text")
    assert document.passages[0].text.startswith("First paragraph.")
    assert document.passages[-1].text.endswith("Last one.")
    assert all(p.title == "" for p in document.passages)
    _spans_hold(document)


def test_html_keeps_headings_and_drops_script_and_style():
    html = ("<html><head><title>t</title><style>.x{color:red}</style></head><body>"
            "<h1>Help</h1><p>Hello   <b>there</b> &amp; welcome.</p>"
            "<script>alert('no')</script><h2>Refunds</h2><ul><li>Five days</li>"
            "<li>Ten at most</li></ul></body></html>")
    assert "alert" not in html_to_markdown(html) and "color" not in html_to_markdown(html)
    document = chunk_text(html, kind="html")
    assert [(p.title, p.text) for p in document.passages] == [
        ("Help", "Hello there & welcome."),
        ("Help > Refunds", "- Five days\n\n- Ten at most"),
    ]
    _spans_hold(document)


# CSV of question/answer pairs.

def test_each_question_answer_row_is_one_passage():
    text = "Question;ANSWER\nHow long do refunds take?;5 to 10 days\n\n\"Where; exactly?\";Here\n"
    document = chunk_text(text, kind="csv", name="faq.csv")
    assert [(p.title, p.text) for p in document.passages] == [
        ("How long do refunds take?", "Q: How long do refunds take?\nA: 5 to 10 days"),
        ("Where; exactly?", "Q: Where; exactly?\nA: Here"),
    ]
    _spans_hold(document)


def test_a_malformed_question_answer_row_is_named():
    with pytest.raises(DocumentError) as caught:
        chunk_text("question,answer\nA?,Yes\nB?,\n", kind="csv", name="faq.csv")
    assert caught.value.location == "row 3"
    assert "answer is empty" in str(caught.value) and "faq.csv" in str(caught.value)


def test_a_csv_without_question_and_answer_columns_is_refused():
    with pytest.raises(DocumentError, match="found: text, label"):
        chunk_text("text,label\nhello,greeting\n", kind="csv", name="data.csv")


# Files: PDF and Word through the ingest readers, refusals.

def test_a_pdf_is_read_page_by_page(tmp_path):
    path = tmp_path / "guide.pdf"
    path.write_bytes(pdf_bytes([["Refunds take five days."], ["Shipping is free."]]))
    kind, document = read_file(path, name="guide.pdf")
    assert kind == "pdf"
    assert [(p.title, p.text) for p in document.passages] == [
        ("page 1", "Refunds take five days."), ("page 2", "Shipping is free.")]
    _spans_hold(document)


def test_a_docx_is_read_by_paragraphs(tmp_path):
    path = write_docx(tmp_path / "guide.docx", ["Refunds take five days.", "Shipping is free."])
    kind, document = read_file(path, name="guide.docx")
    assert kind == "docx"
    assert [p.text for p in document.passages] == [
        "Refunds take five days.\n\nShipping is free."]


def test_a_markdown_file_is_judged_by_its_extension(tmp_path):
    path = tmp_path / "upload"
    path.write_text("# FAQ\n\nAsk us anything.\n", encoding="utf-8")
    kind, document = read_file(path, name="faq.md")
    assert kind == "markdown" and document.passages[0].title == "FAQ"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("garbage.txt", bytes(range(256)) * 8, "binary data"),
    ("empty.md", b"", "empty"),
    ("notes.json", b'{"a": 1}', "unsupported file type .json"),
    ("report.pdf", b"plain words, no PDF here", "named .pdf but holds text"),
])
def test_files_the_knowledge_base_cannot_read_are_refused(tmp_path, name, data, message):
    path = tmp_path / "upload"
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=message) as caught:
        read_file(path, name=name)
    assert caught.value.file == name
