"""Upload files made on the spot: PDFs written byte by byte, workbooks, Word files, archives."""

import zipfile
from pathlib import Path

from docx import Document
from openpyxl import Workbook


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A valid PDF whose pages hold the given lines in Helvetica; an empty list is a blank
    page, as a scan without a text layer looks to a text extractor."""
    page_ids = [4 + 2 * index for index in range(len(pages))]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
            b" ".join(b"%d 0 R" % page_id for page_id in page_ids), len(pages)),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for page_id, lines in zip(page_ids, pages, strict=True):
        text_ops = b"".join(b"BT /F1 12 Tf 72 %d Td (%s) Tj ET\n" % (720 - 16 * number,
                                                                     _pdf_string(line))
                            for number, line in enumerate(lines))
        objects[page_id] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
                            % (page_id + 1))
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text_ops),
                                                                          text_ops)
    return _pdf_file(objects)


def _pdf_string(line: str) -> bytes:
    return line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")",
                                                                                      b"\\)")


def _pdf_file(objects: dict[int, bytes]) -> bytes:
    out, offsets = bytearray(b"%PDF-1.4\n"), {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[number] for number in sorted(objects))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for cells, row in zip(table, grid.rows, strict=True):
            for value, cell in zip(cells, row.cells, strict=True):
                cell.text = value
    document.save(path)
    return path


def write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def rewrite_zip_part(path: Path, part: str, data: bytes) -> Path:
    """The same Office file with one XML part replaced (for XML bombs and damage)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part] = data
    return write_zip(path, parts)
