"""Bulk-job files: an uploaded file on disk to a stream of text items, in bounded memory.

Plain Python with no Django import. The Django side calls, at upload time (quick: a look at
each file's start, and at a ZIP's directory):

    open_sources(path, *, name, workdir, limits=Limits()) -> list[SourceFile]
        The readable files of an upload: itself, or each file of its ZIP archive, extracted
        into `workdir` under generated names. Raises DocumentError for a file that cannot be read.
    check_text_column(source, text_column) -> str | None
        The column holding the texts: `text_column` (exact, else ignoring case and spaces), else
        the only column, else one called "text"; None for documents. DocumentError listing the
        columns found otherwise.

and in a worker, for each source:

    iter_items(source, *, text_column=None, unit="row", limits=Limits()) -> Iterator[Item]
        One streaming pass. Tables: one item per row, other columns in `fields`. Documents: cut
        by unit, "line" | "paragraph" | "sentence". Per-item problems set `Item.error`; a file
        that cannot be read on raises DocumentError part-way.

with sniff(path, *, name=None) -> str ("zip" | "xlsx" | "docx" | "pdf" | "jsonl" | "delimited" |
"text", by content, never by name) and split_sentences(text) -> list[str] besides.

What is an item error and what a file error (DocumentError, with `file`, `location`,
`as_details()`; it pickles):
- Item errors, the item yielded with `error` set: empty text ("empty text"); text over
  `max_item_chars` ("text is 10,000,000 characters; the limit is 20,000", text cut to the
  limit); a CSV row with more cells than the header; a JSON line that is not an object, lacks
  the text key or is nested too deeply to parse; a PDF page with no text when other pages have
  some.
- File errors: empty file; binary data; missing text column (lists the columns found); more
  than `max_items` items, or none; a line, CSV record or text paragraph over `max_line_chars`
  (a 10 MB single line is refused naming its line, read no further than the limit); bytes that
  do not decode in the encoding judged from the file's first 64 KiB (a UTF-8 file with Latin-1
  bytes at row 5000 is refused naming row 5000: the file mixes encodings); a NUL character
  in a text file (binary data; no database stores it in text); damaged or truncated
  XLSX/DOCX/PDF/ZIP; password protection; a PDF with no text layer on any page; more than
  `max_pdf_pages` pages; a PDF stream that inflates past the ZIP limits (a compression bomb).
- ZIP archives: entries with absolute paths, "..", or symbolic links are refused; so are more
  than `max_zip_entries` entries, a declared or actual inflated size over
  `max_decompressed_bytes`, a ratio over `max_compression_ratio` (members over 1 MiB), and
  compression other than deflate. A ZIP inside the ZIP is refused (one level only); XLSX and
  DOCX files inside are read. Folders and macOS/Windows clutter (__MACOSX/, ._*, .DS_Store)
  are skipped.
- XLSX and DOCX: every XML part must have no DTD (so no entity bombs or external entities),
  checked with defusedxml before openpyxl or python-docx see it; each part is held to
  `max_part_bytes` and the whole to `max_decompressed_bytes`. Only an XLSX's first sheet is read.
"""

from slm_platform.ingest.bulk.reading import iter_items
from slm_platform.ingest.bulk.records import (
    DOCUMENT_KINDS,
    TABLE_KINDS,
    UNITS,
    Item,
    Limits,
    SourceFile,
)
from slm_platform.ingest.bulk.sentences import split_sentences
from slm_platform.ingest.bulk.sources import describe, open_sources, sniff
from slm_platform.ingest.bulk.tables import check_text_column
from slm_platform.ingest.errors import DocumentError

__all__ = [
    "DOCUMENT_KINDS", "TABLE_KINDS", "UNITS", "DocumentError", "Item", "Limits", "SourceFile",
    "check_text_column", "describe", "iter_items", "open_sources", "sniff", "split_sentences",
]
