"""Documents (plain text, PDF, DOCX) cut into items by line, paragraph or sentence.

Positions say where a person finds the item: in a text file by line number ("line 7",
"lines 7-9" for a paragraph, "line 7, sentence 2" for the second sentence that starts on line
7); in a PDF by page ("page 3, line 5", "page 3, paragraph 2", "page 3, sentence 2"); in a Word
file by paragraph, counting those with text ("paragraph 4", "paragraph 4, sentence 2"), and by
table row ("table 1, row 3", its cells joined by tabs). A paragraph keeps its line breaks; a
sentence joins the lines it spans with spaces. Paragraphs of a text file are separated by blank
lines; those of a PDF page by a vertical gap wider than the lines' own spacing. Word headers,
footers, footnotes and text boxes are not read; a sentence is never carried across a PDF page.
"""

import itertools
from collections.abc import Iterator

import docx
import pdfplumber
from docx.table import Table
from pdfminer.pdfpage import PDFPage

from slm_platform.ingest.bulk.pdfstreams import StreamTooLarge, bound_inflation
from slm_platform.ingest.bulk.records import Item, Limits, SourceFile
from slm_platform.ingest.bulk.sentences import split_sentences
from slm_platform.ingest.bulk.textfiles import LineReader
from slm_platform.ingest.bulk.textlines import text_items
from slm_platform.ingest.errors import DocumentError

NO_TEXT_LAYER = ("no text layer on any page; scanned PDFs need OCR, which the platform does "
                 "not do")
_PARAGRAPH_GAP = 0.6  # a gap between lines wider than this share of a line's height

bound_inflation()


def check(path, *, kind: str, file: str, limits: Limits) -> None:
    """Open a PDF or DOCX far enough to know it can be read and holds text."""
    if kind == "docx":
        if not any(lines for _, lines in _docx_blocks(_open_docx(path, file=file))):
            raise DocumentError("no text in the document", file=file)
        return
    with _open_pdf(path, file=file, limits=limits) as pdf:
        if not any(paragraphs for _, paragraphs in _pdf_pages(pdf, file=file)):
            raise DocumentError(NO_TEXT_LAYER, file=file)


def document_items(source: SourceFile, *, unit: str, limits: Limits) -> Iterator[Item]:
    """The items of a text, PDF or Word file, cut by `unit` ("line", "paragraph", "sentence")."""
    if source.kind == "text":
        with source.path.open("rb") as binary:
            lines = LineReader(binary, source.encoding or "utf-8", file=source.name,
                               max_chars=limits.max_line_chars)
            yield from text_items(lines, unit=unit)
    elif source.kind == "pdf":
        yield from _pdf_items(source, unit=unit, limits=limits)
    else:
        yield from _docx_items(source, unit=unit)


def _pieces(lines: list[str], unit: str) -> list[str]:
    if unit == "line":
        return lines
    if unit == "paragraph":
        return ["\n".join(lines)]
    return split_sentences(" ".join(lines))


# PDF.

def _open_pdf(path, *, file: str, limits: Limits) -> pdfplumber.PDF:
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer fails in many ways on damaged files
        raise _pdf_error(exc, file=file) from None
    try:
        pages = sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc),
                                                limits.max_pdf_pages + 1))
    except Exception as exc:
        pdf.close()
        raise _pdf_error(exc, file=file) from None
    if pages > limits.max_pdf_pages:
        pdf.close()
        raise DocumentError(f"more than {limits.max_pdf_pages:,} pages; split the PDF",
                            file=file)
    return pdf


def _pdf_error(exc: Exception, *, file: str, page: int | None = None) -> DocumentError:
    location = f"page {page}" if page else None
    too_large = _stream_too_large(exc)
    if too_large is not None:
        return DocumentError(str(too_large), file=file, location=location)
    # pdfplumber wraps pdfminer's errors, so the kind is in the text, not the class.
    described = f"{type(exc).__name__} {exc!r}".lower()
    if "password" in described or "encrypt" in described:
        return DocumentError("password-protected; upload it without a password", file=file,
                             location=location)
    return DocumentError(f"not a readable PDF ({type(exc).__name__}: {exc})", file=file,
                         location=location)


def _stream_too_large(exc: BaseException | None) -> StreamTooLarge | None:
    """The StreamTooLarge behind `exc`, which pdfplumber wraps in exceptions of its own."""
    while exc is not None and not isinstance(exc, StreamTooLarge):
        exc = exc.__context__
    return exc


def _pdf_pages(pdf: pdfplumber.PDF, *, file: str) -> Iterator[tuple[int, list[list[str]]]]:
    """(page number, the page's paragraphs as lists of lines), a page at a time."""
    number = 0
    try:
        for number, page in enumerate(pdf.pages, start=1):
            lines = page.extract_text_lines(return_chars=False)
            page.close()  # pdfplumber caches a page's objects until told otherwise
            yield number, _pdf_paragraphs(lines)
    except Exception as exc:  # pdf.pages lists every page at once: a page's reading failed
        raise _pdf_error(exc, file=file, page=max(number, 1)) from None


def _pdf_paragraphs(lines: list[dict]) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    bottom = None
    for line in lines:
        if not line["text"].strip():
            continue
        height = line["bottom"] - line["top"]
        if bottom is None or line["top"] - bottom > _PARAGRAPH_GAP * height:
            paragraphs.append([])
        paragraphs[-1].append(line["text"].strip())
        bottom = line["bottom"]
    return paragraphs


def _pdf_items(source: SourceFile, *, unit: str, limits: Limits) -> Iterator[Item]:
    with _open_pdf(source.path, file=source.name, limits=limits) as pdf:
        any_text = False
        for number, paragraphs in _pdf_pages(pdf, file=source.name):
            if not paragraphs:
                yield Item(source.name, f"page {number}", "", error="no text layer on this "
                           "page; scanned pages need OCR, which the platform does not do")
                continue
            any_text = True
            pieces = [piece for lines in paragraphs for piece in _pieces(lines, unit)]
            for index, text in enumerate(pieces, start=1):
                yield Item(source.name, f"page {number}, {unit} {index}", text)
        if not any_text:
            raise DocumentError(NO_TEXT_LAYER, file=source.name)


# DOCX.

def _open_docx(path, *, file: str):
    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx fails in many ways on damaged files
        raise DocumentError(f"not a readable Word document ({type(exc).__name__}: {exc})",
                            file=file) from None


def _docx_blocks(document) -> Iterator[tuple[str, list[str]]]:
    """(where, lines) for each paragraph with text and each table row, in document order."""
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            for row_number, row in enumerate(block.rows, start=1):
                text = "\t".join(_distinct_cell_texts(row))
                if text.strip():
                    yield f"table {tables}, row {row_number}", [text]
        elif block.text.strip():
            paragraphs += 1
            lines = [line.strip() for line in block.text.splitlines() if line.strip()]
            yield f"paragraph {paragraphs}", lines


def _distinct_cell_texts(row) -> list[str]:
    # python-docx repeats a merged cell once per grid column it spans.
    cells = []
    for cell in row.cells:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return [" ".join(cell.text.split()) for cell in cells]


def _docx_items(source: SourceFile, *, unit: str) -> Iterator[Item]:
    for where, lines in _docx_blocks(_open_docx(source.path, file=source.name)):
        pieces = _pieces(lines, unit)
        if len(pieces) == 1 and unit != "sentence":
            yield Item(source.name, where, pieces[0])
            continue
        for index, text in enumerate(pieces, start=1):
            yield Item(source.name, f"{where}, {unit} {index}", text)
