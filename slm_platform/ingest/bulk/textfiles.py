"""Text files: which encoding, which shape (table, JSON Lines, plain text), and bounded lines.

The encoding is judged once, from the first 64 KiB: a BOM, else UTF-16 by its zero bytes, else
UTF-8 if the bytes decode (or hold UTF-8 characters beside bytes that do not), else the 8-bit
code page charset-normalizer finds (cp1252 when it finds none). Reading then decodes with that
encoding throughout; bytes that do not decode are caught on the line (CSV: the row) that holds
them and refused with a DocumentError, because a file that mixes encodings would otherwise turn
into texts nobody typed.
"""

import codecs
import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator

from slm_platform.ingest.encodings import bom_codec, guess_encoding, has_bom
from slm_platform.ingest.errors import DocumentError

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", "\t", ";", "|")
_HEADER_CELL_CHARS = 200  # longer first-line cells are prose, not column names
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of undecodable bytes
_CONTROLS_ALLOWED = set("\t\n\r\f\v")
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def detect_encoding(sample: bytes, *, complete: bool) -> str | None:
    """The encoding of a text file from its first bytes; None when they are not text.

    `complete` says the sample is the whole file, so a multi-byte character cut at its end is
    an error rather than the sample's edge.
    """
    if has_bom(sample):
        return bom_codec(sample)
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    if b"\x00" in sample:
        return None  # NUL bytes appear in binary files, never in 8-bit or UTF-8 text
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if len(_UTF8_SEQUENCE.findall(sample)) >= 2:
        return "utf-8"  # UTF-8 with some bytes of another encoding: refused at their line
    return guess_encoding(sample) or "cp1252"


def _utf16_without_bom(sample: bytes) -> str | None:
    # Text that is mostly Latin script has a zero in every other byte in UTF-16.
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    if zeros_odd > 0.3 * pairs and zeros_even < 0.05 * pairs:
        return "utf-16-le"
    if zeros_even > 0.3 * pairs and zeros_odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def decode_sample(sample: bytes, encoding: str, *, complete: bool) -> str:
    """The sample as text, cut after its last complete line unless it is the whole file."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=True)
    if complete:
        return text
    return text[:max(text.rfind("\n"), text.rfind("\r")) + 1]


def looks_binary(text: str) -> bool:
    """Whether decoded text holds more control characters than any real text does."""
    controls = sum(1 for char in text if char not in _CONTROLS_ALLOWED
                   and unicodedata.category(char) == "Cc")
    return controls > 0.01 * len(text) or "\ufffd" * 4 in text


def text_shape(text: str) -> tuple[str, str | None]:
    """("jsonl", None), ("delimited", delimiter) or ("text", None), judged from a sample.

    A table is a first line of short cells and rows with as many cells as it, by one of
    DELIMITERS; a file whose first line is just "text" is a one-column table with that header
    (delimiter None: nothing splits its rows). Any other one-column file is plain text.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "text", None
    if _is_json_object(lines[0]):
        return "jsonl", None
    if lines[0].strip().casefold() == "text":
        return "delimited", None
    widths = {delimiter: _consistent_width(lines, delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: widths[delimiter])
    return ("delimited", best) if widths[best] >= 2 else ("text", None)


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than json can read
        return False


def _consistent_width(lines: list[str], delimiter: str) -> int:
    """The header's width if the sample's rows (at least one) mostly match it, else 0."""
    records = [cells for cells in csv.reader(lines[:200], delimiter=delimiter) if cells]
    header, rows = records[0], records[1:]
    if not rows or any(len(cell) > _HEADER_CELL_CHARS for cell in header):
        return 0
    matching = sum(1 for cells in rows if len(cells) == len(header))
    return len(header) if matching >= 0.9 * len(rows) else 0



class LineReader:
    """The lines of a text file, each read whole but none longer than `max_chars`.

    Iterating yields lines with their line endings (CSV needs them). `location` names where a
    problem lies; the CSV reader points it at rows and, with `multiline_records`, calls
    `start_record` at each row, so that a row spread over many lines by an open quote is held
    to `max_chars` too.
    """

    def __init__(self, binary: io.BufferedIOBase, encoding: str, *, file: str, max_chars: int,
                 multiline_records: bool = False):
        # surrogateescape rather than strict: an undecodable byte then surfaces in the line
        # that holds it, which names the right line, instead of up to 8 KiB ahead of it.
        self._text = io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape",
                                      newline="")
        self.encoding, self.file, self.max_chars = encoding, file, max_chars
        self.multiline_records = multiline_records
        self.line_number = 0
        self.location: Callable[[], str] = lambda: f"line {self.line_number}"
        self._record_chars = 0

    def start_record(self) -> None:
        self._record_chars = 0

    def __iter__(self) -> Iterator[str]:
        while line := self._readline():
            self.line_number += 1
            self._record_chars = self._record_chars + len(line) if self.multiline_records else 0
            if len(line.rstrip("\r\n")) > self.max_chars or self._record_chars > self.max_chars:
                raise self.error(self._too_long())
            if _ESCAPED_BYTE.search(line):
                raise self.error(self._undecodable(line))
            if "\x00" in line:  # no database stores it in text, and no text holds it
                raise self.error("a NUL character, which text never holds: binary data?")
            yield line

    def _too_long(self) -> str:
        if self._record_chars > self.max_chars:
            return (f"a row longer than {self.max_chars:,} characters, the most one may hold; "
                    "is a quote left open?")
        return f"longer than {self.max_chars:,} characters, the most one line may hold"

    def _readline(self) -> str:
        try:
            return self._text.readline(self.max_chars + 2)  # room for a "\r\n" after the limit
        except UnicodeDecodeError as exc:
            raise self.error(f"not valid {self.encoding} near here ({exc.reason})") from None

    def _undecodable(self, line: str) -> str:
        raw = line.encode(self.encoding, errors="surrogateescape")
        guess = guess_encoding(raw)
        looks = f", which looks like {guess}" if guess and guess != self.encoding else ""
        return (f"bytes that are not {self.encoding}{looks}; the file mixes encodings: save "
                "it in one, such as UTF-8")

    def error(self, message: str) -> DocumentError:
        return DocumentError(message, file=self.file, location=self.location())
