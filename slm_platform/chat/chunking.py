"""Knowledge-base documents cut into passages. Plain Python, no Django (a test holds it to that).

Every kind becomes a document text and passages that point into it by character span:
- Markdown: split at headings (ATX, `#` to `######`; not inside code fences), then by
  paragraphs; a passage never crosses a heading and is titled by its heading path
  ("Billing > Refunds").
- HTML: turned into Markdown-like text (headings kept as `#` lines, script and style dropped)
  with the standard library's html.parser, then cut as Markdown.
- Plain text (and the paragraphs of PDF and Word files, read by slm_platform.ingest): by
  paragraphs.
- CSV of question/answer pairs: one passage per pair, "Q: ...\nA: ...", titled by the question.
Paragraphs are packed into passages of about MIN_WORDS..MAX_WORDS words; a longer paragraph is
cut between sentences (a longer sentence between words).
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from slm_platform.ingest.errors import DocumentError

MIN_WORDS = 60
MAX_WORDS = 180
TEXT_KINDS = ("markdown", "text", "html", "csv")
HEADING_SEPARATOR = " > "

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_BLANK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+")
_WORD = re.compile(r"\S+")

Span = tuple[int, int]


@dataclass(frozen=True)
class Passage:
    title: str  # the heading path, the question of a Q/A pair, a PDF page; "" when none
    text: str
    start: int  # [start, end) in the document text
    end: int


@dataclass(frozen=True)
class ChunkedDocument:
    text: str
    passages: list[Passage]


def chunk_text(text: str, *, kind: str, name: str = "document") -> ChunkedDocument:
    """Passages of a text of `kind` ("markdown", "text", "html" or "csv"); `name` is the file
    named in errors. DocumentError for a CSV that is not question/answer pairs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if kind == "markdown":
        return ChunkedDocument(text, chunk_markdown(text))
    if kind == "html":
        text = html_to_markdown(text)
        return ChunkedDocument(text, chunk_markdown(text))
    if kind == "csv":
        return chunk_qa_csv(text, name=name)
    if kind == "text":
        return ChunkedDocument(text, pack(text, paragraph_spans(text, 0, len(text)), title=""))
    raise ValueError(f"kind must be one of {', '.join(TEXT_KINDS)}, not {kind!r}")


def chunk_paragraphs(sections: list[tuple[str, list[str]]]) -> ChunkedDocument:
    """Passages of (title, paragraphs) sections, such as a PDF's pages: joined by blank lines
    into one document text; a passage never crosses a section."""
    parts, passages, offset = [], [], 0
    for title, paragraphs in sections:
        spans = []
        for paragraph in paragraphs:
            if offset:
                parts.append("\n\n")
                offset += 2
            parts.append(paragraph)
            spans.append((offset, offset + len(paragraph)))
            offset += len(paragraph)
        text = "".join(parts)
        passages += pack(text, spans, title=title)
    return ChunkedDocument("".join(parts), passages)


# Markdown.

def chunk_markdown(text: str) -> list[Passage]:
    passages: list[Passage] = []
    for title, start, end in markdown_sections(text):
        passages += pack(text, paragraph_spans(text, start, end), title=title)
    return passages


def markdown_sections(text: str) -> Iterator[tuple[str, int, int]]:
    """(heading path, start, end) of the text under each heading, and before the first."""
    path: list[tuple[int, str]] = []
    start = offset = 0
    fenced = False
    for line in text.splitlines(keepends=True):
        heading = None if fenced else _HEADING.match(line.rstrip("\n"))
        if _FENCE.match(line):
            fenced = not fenced
        if heading:
            yield _path_title(path), start, offset
            level = len(heading.group(1))
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, heading.group(2).strip()))
            start = offset + len(line)
        offset += len(line)
    yield _path_title(path), start, len(text)


def _path_title(path: list[tuple[int, str]]) -> str:
    return HEADING_SEPARATOR.join(title for _, title in path)


def paragraph_spans(text: str, start: int, end: int) -> list[Span]:
    """Spans of the non-blank paragraphs of text[start:end], whitespace trimmed; blank lines
    inside a code fence do not end a paragraph."""
    spans, cursor, fenced = [], start, False
    for line_start, line in _lines(text, start, end):
        if _FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            spans.append((cursor, line_start))
            cursor = line_start + len(line)
    spans.append((cursor, end))
    return [trimmed for span in spans if (trimmed := _trim(text, *span))]


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    offset = start
    for line in text[start:end].splitlines(keepends=True):
        yield offset, line
        offset += len(line)


def _trim(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    first = start + len(piece) - len(piece.lstrip())
    return first, first + len(stripped)


# Packing paragraphs into passages.

def pack(text: str, spans: list[Span], *, title: str) -> list[Passage]:
    """Consecutive spans joined into passages of MIN_WORDS..MAX_WORDS words where they allow;
    a short remainder joins the passage before it when both fit in MAX_WORDS."""
    groups: list[list[Span]] = []
    words: list[int] = []
    for piece in (fitted for span in spans for fitted in _fit(text, span)):
        count = _count(text, piece)
        if groups and words[-1] < MIN_WORDS and words[-1] + count <= MAX_WORDS:
            groups[-1].append(piece)
            words[-1] += count
        else:
            groups.append([piece])
            words.append(count)
    if len(groups) > 1 and words[-1] < MIN_WORDS and words[-2] + words[-1] <= MAX_WORDS:
        last = groups.pop()
        groups[-1] += last
    return [Passage(title, text[group[0][0]:group[-1][1]], group[0][0], group[-1][1])
            for group in groups]


def _count(text: str, span: Span) -> int:
    return len(text[span[0]:span[1]].split())


def _fit(text: str, span: Span) -> list[Span]:
    """The span, or its sentences (its words, for an over-long sentence) grouped into pieces
    of at most MAX_WORDS words."""
    if _count(text, span) <= MAX_WORDS:
        return [span]
    pieces: list[Span] = []
    for sentence in _sentences(text, span):
        if _count(text, sentence) > MAX_WORDS:
            pieces += _word_windows(text, sentence)
        elif pieces and _count(text, (pieces[-1][0], sentence[1])) <= MAX_WORDS:
            pieces[-1] = (pieces[-1][0], sentence[1])
        else:
            pieces.append(sentence)
    return pieces


def _sentences(text: str, span: Span) -> list[Span]:
    start, end = span
    cuts = [start] + [match.end() for match in _SENTENCE_END.finditer(text, start, end)]
    bounds = list(zip(cuts, [*cuts[1:], end], strict=True))
    return [trimmed for bound in bounds if (trimmed := _trim(text, *bound))]


def _word_windows(text: str, span: Span) -> list[Span]:
    words = list(_WORD.finditer(text, span[0], span[1]))
    return [(words[i].start(), words[min(i + MAX_WORDS, len(words)) - 1].end())
            for i in range(0, len(words), MAX_WORDS)]


# HTML.

_SKIPPED = {"script", "style", "noscript", "template", "head", "svg"}
_BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "ul",
           "ol", "li", "table", "tr", "blockquote", "pre", "dl", "dt", "dd", "figure", "form",
           "hr", "body", "html"}
_HEADINGS = {f"h{level}": level for level in range(1, 7)}


class _HtmlText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.preformatted = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _HEADINGS:
            self.parts.append("\n\n" + "#" * _HEADINGS[tag] + " ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n- " if tag == "li" else "\n\n")
            self.preformatted += tag == "pre"
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _HEADINGS or tag in _BLOCKS:
            self.parts.append("\n\n")
            if tag == "pre":
                self.preformatted = max(0, self.preformatted - 1)

    def handle_data(self, data):
        if self.skipping:
            return
        if self.preformatted:
            self.parts.append(data.replace("\n\n", "\n"))
        else:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> str:
    """The visible text of an HTML page, headings as `#` lines, blocks separated by blank lines."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", "".join(parser.parts))
    text = re.sub(r"(?m)^(#{1,6}) *$\n?", "", text)  # headings with no text
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# CSV of question/answer pairs.

def chunk_qa_csv(text: str, *, name: str) -> ChunkedDocument:
    """One passage per row of a CSV with `question` and `answer` columns (any case)."""
    rows = csv.reader(io.StringIO(text), dialect=_dialect(text))
    header = next(rows, None)
    columns = [cell.strip().lower() for cell in header or []]
    if "question" not in columns or "answer" not in columns:
        found = ", ".join(cell.strip() for cell in header or []) or "none"
        raise DocumentError(f"a question/answer CSV needs the columns question and answer; "
                            f"found: {found}", file=name, location="row 1")
    question_at, answer_at = columns.index("question"), columns.index("answer")
    parts, passages, offset = [], [], 0
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        question, answer = (_cell(cells, at, column, number, name)
                            for at, column in ((question_at, "question"), (answer_at, "answer")))
        block = f"Q: {question}\nA: {answer}"
        offset += 2 if parts else 0
        passages.append(Passage(question, block, offset, offset + len(block)))
        parts.append(block)
        offset += len(block)
    if not passages:
        raise DocumentError("no question/answer rows below the header", file=name)
    return ChunkedDocument("\n\n".join(parts), passages)


def _dialect(text: str):
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _cell(cells: list[str], at: int, column: str, row: int, name: str) -> str:
    value = cells[at].strip() if at < len(cells) else ""
    if not value:
        raise DocumentError(f"row {row}: the {column} is empty", file=name, location=f"row {row}")
    return value
