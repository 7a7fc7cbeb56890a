"""Plain text files cut into lines, paragraphs or sentences in one pass with bounded memory.

A paragraph (lines up to a blank one) is held whole, up to the line limit. Sentences are cut
from a window of pending lines that is split whenever it has doubled, keeping the last,
possibly unfinished, sentence for the next round: a file with no blank lines at all is still
read in bounded memory, and each split costs time in proportion to what it emits.
"""

import bisect
import itertools
from collections.abc import Iterator

from slm_platform.ingest.bulk.records import Item
from slm_platform.ingest.bulk.sentences import sentence_spans
from slm_platform.ingest.bulk.textfiles import LineReader

_WINDOW_CHARS = 64 * 1024


def text_items(lines: LineReader, *, unit: str) -> Iterator[Item]:
    """The items of a text file read through `lines`, by "line", "paragraph" or "sentence"."""
    numbered = ((lines.line_number, line.strip()) for line in lines)
    if unit == "line":
        return (Item(lines.file, f"line {number}", text) for number, text in numbered if text)
    if unit == "paragraph":
        return _paragraphs(numbered, lines)
    return _sentences(numbered, lines)


def _paragraphs(numbered: Iterator[tuple[int, str]], lines: LineReader) -> Iterator[Item]:
    pending: list[tuple[int, str]] = []
    size = 0
    for number, text in itertools.chain(numbered, [(0, "")]):  # a blank line closes the last
        if text:
            pending.append((number, text))
            size += len(text) + 1
            if size > lines.max_chars:
                raise lines.error(f"a paragraph longer than {lines.max_chars:,} characters "
                                  "(does the file have blank lines between paragraphs?)")
        elif pending:
            first, last = pending[0][0], pending[-1][0]
            where = f"line {first}" if first == last else f"lines {first}-{last}"
            yield Item(lines.file, where, "\n".join(text for _, text in pending))
            pending, size = [], 0


def _sentences(numbered: Iterator[tuple[int, str]], lines: LineReader) -> Iterator[Item]:
    window = _Window(lines.file, max_chars=lines.max_chars)
    for number, text in numbered:
        if not text:
            yield from window.split(final=True)
        elif window.add(number, text):
            yield from window.split(final=False)
    yield from window.split(final=True)


class _Window:
    """Lines waiting to be cut into sentences, and the count of sentences begun per line."""

    def __init__(self, file: str, *, max_chars: int):
        self.file, self.max_chars = file, max_chars
        self.pending: list[tuple[int, str]] = []
        self.size = 0
        self.threshold = _WINDOW_CHARS
        self.last_line, self.on_last_line = 0, 0

    def add(self, number: int, text: str) -> bool:
        """Add a line; True when the window is due to be split."""
        self.pending.append((number, text))
        self.size += len(text) + 1
        return self.size > self.threshold

    def split(self, *, final: bool) -> Iterator[Item]:
        if not self.pending:
            return
        # A window past the line limit that holds no sentence end goes out whole (as one
        # over-long item) rather than growing without bound.
        final = final or self.size > self.max_chars
        text = " ".join(line for _, line in self.pending)
        starts = [0]
        for _, line in self.pending[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        spans = sentence_spans(text)
        done = spans if final else spans[:-1]
        for start, end in done:
            yield self._item(self.pending[bisect.bisect_right(starts, start) - 1][0],
                             text[start:end])
        self._keep_from(spans[-1][0] if len(done) < len(spans) else None, starts)

    def _keep_from(self, offset: int | None, starts: list[int]) -> None:
        """Keep the pending text from `offset` on (None: keep nothing)."""
        if offset is None:
            self.pending = []
        else:
            index = bisect.bisect_right(starts, offset) - 1
            number, line = self.pending[index]
            self.pending = [(number, line[offset - starts[index]:]),
                            *self.pending[index + 1:]]
        self.size = sum(len(line) + 1 for _, line in self.pending)
        self.threshold = max(_WINDOW_CHARS, 2 * self.size)

    def _item(self, number: int, sentence: str) -> Item:
        self.on_last_line = self.on_last_line + 1 if number == self.last_line else 1
        self.last_line = number
        return Item(self.file, f"line {number}, sentence {self.on_last_line}", sentence)
