"""Bulk-job tables: CSV, XLSX and JSON Lines rows as items, limits, and streaming memory."""

import json
import time
import tracemalloc
from pathlib import Path

import pytest
from bulk_builders import write_xlsx

from slm_platform.ingest.bulk import (
    DocumentError,
    Limits,
    check_text_column,
    iter_items,
    open_sources,
)

DEFAULTS = Limits()


def source_at(path: Path, *, limits: Limits = DEFAULTS):
    [source] = open_sources(path, name=path.name, workdir=path.parent / "work", limits=limits)
    return source


def csv_source(tmp_path: Path, data: bytes | str, name: str = "rows.csv"):
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return source_at(path)


def error_of(source, **kwargs) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        list(iter_items(source, **kwargs))
    return caught.value


# Columns.

def test_other_columns_are_carried_as_strings_in_header_order(tmp_path):
    source = csv_source(tmp_path, "id,when,review,stars\n7,2024-01-02,Great value,5\n")
    [item] = iter_items(source, text_column="review")
    assert (item.file, item.position, item.text, item.error) == ("rows.csv", "row 2",
                                                                 "Great value", None)
    assert list(item.fields.items()) == [("id", "7"), ("when", "2024-01-02"), ("stars", "5")]


def test_the_text_column_is_chosen_or_checked(tmp_path):
    named_text = csv_source(tmp_path, "id,Text\n1,hi\n2,ho\n", name="a.csv")
    assert check_text_column(named_text, None) == "Text"
    assert check_text_column(named_text, " text ") == "Text"
    one_column = csv_source(tmp_path, "text\nhi\n", name="b.csv")
    assert check_text_column(one_column, None) == "text"


def test_a_missing_text_column_lists_the_columns_found(tmp_path):
    source = csv_source(tmp_path, "id,review,stars\n1,ok,5\n2,bad,1\n")
    error = error_of(source, text_column="comment")
    assert error.file == "rows.csv"
    assert error.message == "no 'comment' column; columns found: 'id', 'review', 'stars'"
    with pytest.raises(DocumentError, match="none is called 'text'; columns found: 'id'"):
        check_text_column(source, None)


def test_blank_and_repeated_header_names_lose_no_values(tmp_path):
    source = csv_source(tmp_path, "text,a,,a\nhi,1,2,3\nho,4,5,6\n")
    assert source.columns == ["text", "a", "column 3", "a (2)"]
    assert next(iter_items(source)).fields == {"a": "1", "column 3": "2", "a (2)": "3"}


# Per-item problems.

def test_empty_and_over_long_texts_are_item_errors_not_file_errors(tmp_path):
    long_text = "word " * 5000
    source = csv_source(tmp_path, f"text,id\n  ,1\n{long_text},2\nfine,3\n")
    items = list(iter_items(source, limits=Limits(max_item_chars=1000)))
    assert [(item.position, item.error) for item in items] == [
        ("row 2", "empty text"),
        ("row 3", "text is 24,999 characters; the limit is 1,000"),
        ("row 4", None)]
    assert items[1].text == long_text.strip()[:1000]


def test_a_row_with_more_cells_than_the_header_is_flagged(tmp_path):
    rows = "".join(f"fine,{number}\n" for number in range(4, 20))
    source = csv_source(tmp_path, "text,id\nok,1\nhello, world,2\n" + rows)
    flagged = [item for item in iter_items(source) if item.error]
    assert [(item.position, item.error) for item in flagged] == [
        ("row 3", "3 values in a row of 2 columns; quote texts that hold the delimiter")]


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path):
    source = csv_source(tmp_path, 'text,id\n"two\nlines",1\n\nafter,2\n')
    assert [(item.position, item.text) for item in iter_items(source)] == [
        ("row 2", "two\nlines"), ("row 4", "after")]


# File errors.

def test_too_many_rows_names_the_first_row_over(tmp_path):
    source = csv_source(tmp_path, "text\n" + "hi\n" * 20)
    error = error_of(source, limits=Limits(max_items=10))
    assert (error.location, error.message) == ("row 12", "more than 10 items; split the file")


def test_a_header_without_rows_is_refused(tmp_path):
    source = source_at(write_xlsx(tmp_path / "sheet.xlsx", [["text", "label"], [None, None]]))
    assert error_of(source).message == "no rows below the header"


def test_mixed_encodings_are_refused_at_the_row_that_changes(tmp_path):
    rows = "".join(f"{number},customer paid by card at the corner shop\n"
                   for number in range(2, 5000))
    data = ("id,text\n" + rows).encode() + "5000,Café crème\n".encode("cp1252") + b"5001,ok\n"
    source = csv_source(tmp_path, data)
    assert source.encoding == "utf-8"
    error = error_of(source)
    assert (error.file, error.location) == ("rows.csv", "row 5000")
    assert "not utf-8, which looks like cp1252; the file mixes encodings" in error.message


def test_a_10_mb_line_is_refused_naming_it_without_reading_it_whole(tmp_path):
    path = tmp_path / "notes.txt"
    with path.open("wb") as out:
        out.write(b"first line\n")
        for _ in range(10):
            out.write(b"x" * 1_000_000)
        out.write(b"\nlast line\n")
    source = source_at(path)
    tracemalloc.start()
    try:
        error = error_of(source, unit="line")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (error.location, error.file) == ("line 2", "notes.txt")
    assert error.message == "longer than 1,000,000 characters, the most one line may hold"
    assert peak < 16 * 1024 * 1024  # the 10 MB line would cost 10-40 MB as a str


def test_an_unclosed_quote_is_refused_at_its_row_not_read_to_the_end(tmp_path):
    good = "".join(f"{number},an ordinary row of text\n" for number in range(2, 4000))
    source = csv_source(tmp_path, "id,text\n" + good + '4000,"never closed\n'
                        + "4001,more text\n" * 100_000)
    error = error_of(source, limits=Limits(max_line_chars=100_000))
    assert error.location == "row 4000"
    assert error.message == ("a row longer than 100,000 characters, the most one may hold; "
                             "is a quote left open?")


# XLSX and JSON Lines.

def test_xlsx_rows_become_items_with_their_fields(tmp_path):
    path = write_xlsx(tmp_path / "sheet.xlsx", [
        ["id", "text", "amount"], [1, "Coffee beans", 12.5], [None, None, None],
        [2, None, 3.0], [3, "Tea", 4]])
    items = list(iter_items(source_at(path)))
    assert [(item.position, item.text, item.fields, item.error) for item in items] == [
        ("row 2", "Coffee beans", {"id": "1", "amount": "12.5"}, None),
        ("row 4", "", {"id": "2", "amount": "3"}, "empty text"),
        ("row 5", "Tea", {"id": "3", "amount": "4"}, None)]


def test_an_xlsx_of_50k_rows_streams(tmp_path):
    rows = [["id", "text", "label"]]
    rows += [[number, f"transaction number {number} at store", "x"]
             for number in range(1, 50_001)]
    source = source_at(write_xlsx(tmp_path / "big.xlsx", rows))
    count, last = 0, None
    for item in iter_items(source):
        count, last = count + 1, item
    assert count == 50_000
    assert (last.position, last.text) == ("row 50001", "transaction number 50000 at store")


def test_jsonl_lines_become_items_and_bad_lines_are_flagged(tmp_path):
    lines = [json.dumps({"text": "hello", "id": 1, "tags": ["a", "b"], "ok": True}),
             "not json", json.dumps({"id": 3}), "", json.dumps({"text": "bye", "id": None})]
    source = csv_source(tmp_path, "\n".join(lines) + "\n", name="rows.jsonl")
    assert (source.kind, source.columns) == ("jsonl", ["text", "id", "tags", "ok"])
    items = list(iter_items(source))
    assert [(item.position, item.text, item.fields, item.error) for item in items] == [
        ("line 1", "hello", {"id": "1", "tags": '["a", "b"]', "ok": "true"}, None),
        ("line 2", "", {}, "not valid JSON: Expecting value at character 1"),
        ("line 3", "", {"id": "3"}, "no 'text' key"),
        ("line 5", "bye", {"id": ""}, None)]


# Memory.

def test_a_100_mb_csv_streams_in_bounded_memory(tmp_path):
    path = tmp_path / "big.csv"
    review = "the delivery was late but the product itself works well, " * 7
    block = "".join(f'{number},"{review}",positive\n' for number in range(5_000)).encode()
    with path.open("wb") as out:
        out.write(b"id,text,label\n")
        while out.tell() < 100 * 1024 * 1024:
            out.write(block)
    source = source_at(path)
    started = time.monotonic()
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_items(source))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == path.stat().st_size // len(block) * 5_000
    assert peak < 8 * 1024 * 1024, f"peak {peak:,} bytes"
    assert time.monotonic() - started < 60
