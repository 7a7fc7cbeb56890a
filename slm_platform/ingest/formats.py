"""An upload's format, judged from its bytes, and its text decoded.

The format is judged from the bytes, never from the file name: people rename files freely, and
a CSV saved as "data.xlsx" is still the CSV it is. Text files must be UTF-8 (with or without a
BOM) or UTF-16 with a BOM, so that texts and labels arrive exactly as typed. A workbook is
checked for ZIP and XML bombs before anything inflates it.
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass

from slm_platform.ingest.bulk import containers
from slm_platform.ingest.bulk.records import DEFAULT_LIMITS
from slm_platform.ingest.conll import looks_like_conll
from slm_platform.ingest.encodings import bom_codec, guess_encoding
from slm_platform.ingest.errors import DatasetError, DocumentError

_SAMPLE_CHARS = 64 * 1024
_FIRST_NONBLANK_LINE = re.compile(r"^.*\S.*$", re.MULTILINE)
_OTHER_BINARIES = {
    b"PK\x03\x04": "a ZIP archive, not an Excel .xlsx workbook or a text file",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook; save it as .xlsx or as CSV UTF-8",
}


def detect_format(data: bytes) -> str:
    """Return "xlsx", "jsonl", "conll" or "delimited" (CSV, TSV, ...), judged by content."""
    if _is_xlsx(data):
        return "xlsx"
    return _text_format(data.decode(bom_codec(data), errors="replace"))


def decode_text(data: bytes, *, filename: str) -> tuple[str, str]:
    """Return (text, encoding) for UTF-8 ("utf-8"), UTF-8 with BOM ("utf-8-sig") or UTF-16 with
    BOM ("utf-16"); anything else raises a DatasetError naming the line of the first bad byte
    and the likely encoding, and so does a NUL character (binary data, never text)."""
    codec = bom_codec(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(codec, errors="replace").count("\n") + 1
        guess = guess_encoding(data[max(0, exc.start - 4096):exc.start + 65536])
        looks = f" (looks like {guess})" if guess else ""
        raise DatasetError(f"not UTF-8{looks}; save it as UTF-8", file=filename,
                           row=line) from None
    if "\x00" in text:  # no database stores it in text, and no text holds it
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DatasetError("a NUL character, which text never holds: binary data?",
                           file=filename, row=line)
    return text, codec


@dataclass(frozen=True)
class Source:
    """An upload with its format known and, for the text formats, its text decoded."""

    format: str
    encoding: str
    data: bytes
    text: str = ""


def load_source(data: bytes, filename: str) -> Source:
    """The upload as a Source; a binary that is not a workbook, or text that is not UTF-8 or
    UTF-16 with a BOM, raises a DatasetError."""
    if _is_xlsx(data):
        _check_workbook(data, filename)
        # The workbook's parts are XML that Excel writes as UTF-8.
        return Source(format="xlsx", encoding="utf-8", data=data)
    for signature, what in _OTHER_BINARIES.items():
        if data.startswith(signature):
            raise DatasetError(f"this is {what}", file=filename)
    text, encoding = decode_text(data, filename=filename)
    return Source(format=_text_format(text), encoding=encoding, data=data, text=text)


def sniff_delimiter(text: str) -> str:
    """The delimiter of a delimited text (comma, tab, semicolon or bar); a comma when unsure."""
    try:
        return csv.Sniffer().sniff(_sample(text), delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def _check_workbook(data: bytes, filename: str) -> None:
    """The bulk readers' checks before openpyxl inflates anything: sizes and compression
    ratios of the parts (a ZIP bomb), and no DTD in any XML part (an entity bomb)."""
    limits = DEFAULT_LIMITS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            containers.check_members(archive, file=filename, limits=limits,
                                     max_member_bytes=limits.max_part_bytes)
            containers.check_xml_parts(archive, file=filename)
    except DocumentError as exc:
        part = f"{exc.location}: " if exc.location else ""
        raise DatasetError(f"not a readable Excel workbook ({part}{exc.message})",
                           file=filename) from None


def _is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names)


def _text_format(text: str) -> str:
    first_line = _FIRST_NONBLANK_LINE.search(text)
    if first_line and _is_json_object(first_line.group()):
        return "jsonl"
    if looks_like_conll(_sample(text)):
        return "conll"
    return "delimited"


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than json can read
        return False


def _sample(text: str) -> str:
    """The start of the text, cut after its last complete line."""
    if len(text) <= _SAMPLE_CHARS:
        return text
    sample = text[:_SAMPLE_CHARS]
    return sample[:sample.rfind("\n") + 1]
