"""From an upload on disk to the readable files it holds: sniff by content, expand ZIPs safely.

Both are quick (a look at each file's start and, for containers, its directory and XML
prologs), so they can run while the upload request is still open and answer a bad file with a
4xx. Reading the items is left to `iter_items`, in a worker.
"""

import zipfile
from pathlib import Path

from slm_platform.ingest.bulk import containers, documents, tables, textfiles
from slm_platform.ingest.bulk.records import DEFAULT_LIMITS, Limits, SourceFile
from slm_platform.ingest.errors import DocumentError

# Formats people upload by mistake, named so that the error says what the file is.
_OTHER_FORMATS = (
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls or .doc) or a password-protected one; "
                          "save it as .xlsx or .docx without a password"),
    (b"\x1f\x8b", "a gzip archive; upload a ZIP archive instead"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; upload a ZIP archive instead"),
    (b"Rar!", "a RAR archive; upload a ZIP archive instead"),
    (b"\x89PNG", "an image; the platform does not read text in images (OCR)"),
    (b"\xff\xd8\xff", "an image; the platform does not read text in images (OCR)"),
    (b"{\\rtf", "an RTF document; save it as .docx or PDF"),
)


def sniff(path: Path | str, *, name: str | None = None) -> str:
    """The kind of file at `path`, judged by its content and never by its name: "zip", "xlsx",
    "docx", "pdf", "jsonl", "delimited" or "text". An empty or binary file raises DocumentError.
    """
    path = Path(path)
    name = name or path.name
    with path.open("rb") as stream:
        head = stream.read(textfiles.SAMPLE_BYTES)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        with containers.open_zip(path, file=name) as archive:
            return containers.container_kind(archive)
    if head.lstrip(b"\x00\t\n\r\f ").startswith(b"%PDF-"):
        return "pdf"
    return _text_kind(head, complete=len(head) < textfiles.SAMPLE_BYTES, name=name)[0]


def _text_kind(head: bytes, *, complete: bool, name: str) -> tuple[str, str, str | None]:
    """(kind, encoding, delimiter) of a file that should be text."""
    for signature, what in _OTHER_FORMATS:
        if head.startswith(signature):
            raise DocumentError(f"this is {what}", file=name)
    encoding = textfiles.detect_encoding(head, complete=complete)
    text = textfiles.decode_sample(head, encoding, complete=complete) if encoding else ""
    if encoding is None or textfiles.looks_binary(text):
        raise DocumentError("binary data, not a text, CSV, Excel, Word, PDF or ZIP file",
                            file=name)
    if complete and not text.strip():
        raise DocumentError("the file is empty", file=name)
    kind, delimiter = textfiles.text_shape(text)
    return kind, encoding, delimiter


def open_sources(path: Path | str, *, name: str, workdir: Path | str,
                 limits: Limits = DEFAULT_LIMITS) -> list[SourceFile]:
    """The readable files of an upload: itself, or the files of its ZIP archive extracted into
    `workdir`, each sniffed and checked. Nested archives are refused; XLSX and DOCX files
    inside an archive are read. Raises DocumentError naming the file that cannot be read."""
    path = Path(path)
    if sniff(path, name=name) != "zip":
        return [describe(path, name=name, limits=limits)]
    with containers.open_zip(path, file=name) as archive:
        containers.check_members(archive, file=name, limits=limits,
                                 max_member_bytes=limits.max_decompressed_bytes)
        return _expand(archive, name=name, workdir=Path(workdir), limits=limits)


def _expand(archive: zipfile.ZipFile, *, name: str, workdir: Path,
            limits: Limits) -> list[SourceFile]:
    workdir.mkdir(parents=True, exist_ok=True)
    sources, budget = [], limits.max_decompressed_bytes
    for index, member in enumerate(containers.safe_members(archive, file=name)):
        inner_name = f"{name}/{member.filename}"
        # The entry's own name never becomes a path on disk.
        target = workdir / f"entry-{index:05d}"
        budget -= containers.extract(archive, member, target, file=name, limits=limits,
                                     budget=budget)
        if sniff(target, name=inner_name) == "zip":
            raise DocumentError("a ZIP archive inside the ZIP archive; put all the files in "
                                "one archive", file=inner_name)
        sources.append(describe(target, name=inner_name, limits=limits))
    if not sources:
        raise DocumentError("the archive holds no files", file=name)
    return sources


def describe(path: Path, *, name: str, limits: Limits = DEFAULT_LIMITS) -> SourceFile:
    """One file (not an archive) as a SourceFile, after the checks its kind needs."""
    kind = sniff(path, name=name)
    if kind == "zip":
        raise DocumentError("a ZIP archive; expand it with open_sources", file=name)
    if kind in ("xlsx", "docx"):
        _check_container(path, name=name, limits=limits)
    if kind == "xlsx":
        return SourceFile(name, path, kind, columns=tables.xlsx_columns(path, file=name))
    if kind in ("docx", "pdf"):
        documents.check(path, kind=kind, file=name, limits=limits)
        return SourceFile(name, path, kind)
    return _describe_text(path, name=name)


def _check_container(path: Path, *, name: str, limits: Limits) -> None:
    with containers.open_zip(path, file=name) as archive:
        containers.check_members(archive, file=name, limits=limits,
                                 max_member_bytes=limits.max_part_bytes)
        containers.check_xml_parts(archive, file=name)


def _describe_text(path: Path, *, name: str) -> SourceFile:
    with path.open("rb") as stream:
        head = stream.read(textfiles.SAMPLE_BYTES)
    complete = len(head) < textfiles.SAMPLE_BYTES
    kind, encoding, delimiter = _text_kind(head, complete=complete, name=name)
    text = textfiles.decode_sample(head, encoding, complete=complete)
    if kind == "delimited":
        return SourceFile(name, path, kind, encoding=encoding, delimiter=delimiter,
                          columns=tables.delimited_columns(text, delimiter or tables.NO_DELIMITER))
    if kind == "jsonl":
        return SourceFile(name, path, kind, encoding=encoding, columns=tables.jsonl_columns(text))
    return SourceFile(name, path, kind, encoding=encoding)
