"""An uploaded knowledge-base file to its kind and passages. Plain Python, no Django.

The kind is judged by content first (PDF and Word files are what their bytes say, whatever
their name; archives and spreadsheets are refused), then, for text, by the file's extension or
the `kind` the uploader named. PDF and Word files are read by slm_platform.ingest's readers.
"""

from collections import defaultdict
from pathlib import Path

from slm_platform.chat.chunking import TEXT_KINDS, ChunkedDocument, chunk_paragraphs, chunk_text
from slm_platform.ingest.bulk import Limits, describe, iter_items, sniff
from slm_platform.ingest.bulk.records import DEFAULT_LIMITS
from slm_platform.ingest.bulk.textfiles import detect_encoding
from slm_platform.ingest.errors import DocumentError

FILE_KINDS = (*TEXT_KINDS, "pdf", "docx")
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
              ".html": "html", ".htm": "html", ".csv": "csv", ".pdf": "pdf", ".docx": "docx"}
SUPPORTED = "Markdown, TXT, HTML, a question/answer CSV, PDF or DOCX"


def read_file(path: Path, *, name: str, kind: str | None = None,
              limits: Limits = DEFAULT_LIMITS) -> tuple[str, ChunkedDocument]:
    """(kind, passages) of the file at `path`; DocumentError naming the file otherwise."""
    if sniff(path, name=name) in ("zip", "xlsx"):
        raise DocumentError(f"an archive or spreadsheet; send {SUPPORTED}", file=name)
    source = describe(path, name=name, limits=limits)
    if source.kind in ("pdf", "docx"):
        if kind not in (None, source.kind):
            raise DocumentError(f"the file is a {source.kind.upper()}, not {kind}", file=name)
        return source.kind, _read_paragraphs(source, limits=limits)
    kind = _text_kind(name, kind)
    return kind, chunk_text(_decode(path, name=name), kind=kind, name=name)


def _text_kind(name: str, kind: str | None) -> str:
    if kind is not None:
        if kind not in TEXT_KINDS:
            raise DocumentError(f"the file holds text, not {kind}", file=name)
        return kind
    suffix = Path(name).suffix.lower()
    if not suffix:
        return "text"
    found = EXTENSIONS.get(suffix)
    if found is None:
        raise DocumentError(f"unsupported file type {suffix}; send {SUPPORTED}", file=name)
    if found not in TEXT_KINDS:
        raise DocumentError(f"the file is named {suffix} but holds text", file=name)
    return found


def _decode(path: Path, *, name: str) -> str:
    data = path.read_bytes()
    encoding = detect_encoding(data, complete=True) or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DocumentError(f"bytes that are not {encoding} text at byte {exc.start:,}",
                            file=name) from None
    if "\x00" in text:  # PostgreSQL cannot store it, and text holds none: a binary file
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DocumentError("a NUL byte, which text files do not hold (binary data?)",
                            file=name, location=f"line {line}")
    return text


def _read_paragraphs(source, *, limits: Limits) -> ChunkedDocument:
    """A PDF's paragraphs, sectioned by page ("page 3"); a Word file's paragraphs and table
    rows, in one section."""
    sections: dict[str, list[str]] = defaultdict(list)
    for item in iter_items(source, unit="paragraph", limits=limits):
        if item.error:
            continue
        page = item.position.split(",")[0] if source.kind == "pdf" else ""
        sections[page].append(item.text)
    return chunk_paragraphs(list(sections.items()))
