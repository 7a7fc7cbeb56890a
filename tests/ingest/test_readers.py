"""Reading uploads: format by content, encodings, delimiters, XLSX, JSONL, CoNLL, and errors."""

import io
import json
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from slm_platform.ingest.errors import DatasetError
from slm_platform.ingest.formats import decode_text, detect_format
from slm_platform.ingest.readers import read_classification, read_entities
from slm_platform.ingest.records import Span


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def jsonl_bytes(*objects) -> bytes:
    return "\n".join(json.dumps(item, ensure_ascii=False) for item in objects).encode()


def raised(call, *args, **kwargs) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_the_ingest_package_imports_no_django():
    code = ("import sys; sys.modules['django'] = None; "
            "import slm_platform.ingest.readers, slm_platform.ingest.quality; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "ok"


# Errors.

def test_dataset_error_reads_naturally_and_keeps_its_location():
    error = DatasetError("empty label", file="transactions.csv", row=14, column="label")
    assert str(error) == "transactions.csv, row 14, column 'label': empty label"
    assert error.as_details() == {"file": "transactions.csv", "row": 14, "column": "label"}
    assert DatasetError("no data rows", file="a.csv").as_details() == {"file": "a.csv"}
    assert str(DatasetError("no data rows")) == "no data rows"
    assert isinstance(error, ValueError)


def test_dataset_error_survives_pickling():
    error = pickle.loads(pickle.dumps(DatasetError("bad", file="a.csv", row=3, column="text")))
    assert (error.message, error.file, error.row, error.column) == ("bad", "a.csv", 3, "text")


# Format detection, by content only.

@pytest.mark.parametrize(("data", "expected"), [
    (b"text,label\nhello,greeting\n", "delimited"),
    (b"text\tlabel\nhello\tgreeting\n", "delimited"),
    (b"\n\n{\"text\": \"hi\", \"label\": \"a\"}\n", "jsonl"),
    (b"[1, 2]\n", "delimited"),
    (b"-DOCSTART- -X- O O\n\nEU NNP B-ORG\nrejects VBZ O\n\nPeter B-PER\n", "conll"),
    (b"Acme S-ORG\nsells O\nwidgets E-PRODUCT\n", "conll"),
    (b"", "delimited"),
])
def test_detect_format_by_content(data, expected):
    assert detect_format(data) == expected


def test_detect_format_recognises_xlsx_and_utf16():
    assert detect_format(xlsx_bytes([["text", "label"], ["hi", "a"]])) == "xlsx"
    assert detect_format('{"text": "hi"}\n'.encode("utf-16")) == "jsonl"


def test_a_csv_named_xlsx_is_read_as_csv():
    parsed = read_classification(b"text,label\nhello,greeting\n", filename="upload.xlsx")
    assert parsed.format == "delimited"
    assert parsed.records[0].labels == ("greeting",)


def test_a_zip_that_is_not_a_workbook_and_an_old_xls_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "ZIP archive" in raised(read_classification, buffer.getvalue(), filename="a.zip").message
    old_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)
    assert ".xls" in raised(read_classification, old_xls, filename="a.xls").message


def test_a_damaged_workbook_is_a_dataset_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml")
        archive.writestr("xl/workbook.xml", "not xml either")
    error = raised(read_classification, buffer.getvalue(), filename="broken.xlsx")
    assert error.file == "broken.xlsx"
    assert "not a readable Excel workbook" in error.message


# Encodings.

def test_decode_accepts_utf8_with_and_without_bom_and_utf16_with_bom():
    assert decode_text("café".encode(), filename="a.csv") == ("café", "utf-8")
    assert decode_text(b"\xef\xbb\xbfcaf\xc3\xa9", filename="a.csv") == ("café", "utf-8-sig")
    assert decode_text("café".encode("utf-16"), filename="a.csv") == ("café", "utf-16")
    assert raised(decode_text, "café".encode("utf-16-le"), filename="a.csv").row == 1


def test_a_bom_does_not_end_up_in_the_first_column_name():
    parsed = read_classification("text,label\nhello,greeting\n".encode("utf-8-sig"),
                                 filename="bom.csv")
    assert parsed.columns == ["text", "label"]
    assert parsed.encoding == "utf-8-sig"


def test_utf16_upload_is_read():
    data = "text\tlabel\ncafé au lait\tfood\n".encode("utf-16")
    parsed = read_classification(data, filename="export.txt")
    assert parsed.encoding == "utf-16"
    assert parsed.records[0].text == "café au lait"


def test_cp1252_bytes_are_refused_with_the_line_and_likely_encoding():
    data = b"text,label\nhello,greeting\n" + "Café crème 4,50 €,food\n".encode("cp1252")
    error = raised(read_classification, data, filename="latin.csv")
    assert error.file == "latin.csv"
    assert error.row == 3
    assert error.message == "not UTF-8 (looks like cp1252); save it as UTF-8"


def test_decode_text_names_the_line_of_the_first_bad_byte():
    data = b"line one\nline two\n" + "café".encode("cp1252")
    error = raised(decode_text, data, filename="notes.txt")
    assert (error.file, error.row) == ("notes.txt", 3)
    assert error.message.startswith("not UTF-8")


# Delimited files.

@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_delimiter_is_detected(delimiter):
    data = delimiter.join(["text", "label"]) + "\n" + delimiter.join(["hello there", "hi"]) + "\n"
    parsed = read_classification(data.encode(), filename="data.txt")
    assert parsed.columns == ["text", "label"]
    assert parsed.records[0].text == "hello there"


def test_semicolon_file_whose_texts_hold_commas():
    data = b"text;label\nHello, world;greeting\nBye, for now;farewell\nSo, yes;other\n"
    parsed = read_classification(data, filename="semi.csv")
    assert [record.text for record in parsed.records] == ["Hello, world", "Bye, for now",
                                                          "So, yes"]


def test_quoted_fields_hold_newlines_and_delimiters_and_rows_count_records():
    data = (b'text,label\n"Refund, please\nsecond line",refunds\n'
            b'"She said ""hi""",greeting\n,empty-text\n')
    parsed = read_classification(data, filename="quoted.csv")
    first, second, third = parsed.records
    assert (first.row, first.text) == (2, "Refund, please\nsecond line")
    assert (second.row, second.text) == (3, 'She said "hi"')
    assert (third.row, third.text, third.labels) == (4, "", ("empty-text",))


def test_texts_and_labels_are_stripped_and_empty_ones_kept():
    data = b"text,label,notes\n  spaced out  , food \n,\n   ,  \nlast,\n"
    parsed = read_classification(data, filename="a.csv")
    assert [(r.row, r.text, r.labels) for r in parsed.records] == [
        (2, "spaced out", ("food",)), (5, "last", ())]
    assert parsed.columns == ["text", "label", "notes"]


def test_custom_columns_and_crlf_line_ends():
    data = b"description,category\r\nCoffee,food\r\nRent,housing\r\n"
    parsed = read_classification(data, filename="a.csv", text_column="description",
                                 label_column="category")
    assert [(r.text, r.labels) for r in parsed.records] == [("Coffee", ("food",)),
                                                          ("Rent", ("housing",))]


def test_missing_column_lists_the_columns_found():
    error = raised(read_classification, b"description,category\nCoffee,food\n", filename="a.csv")
    assert (error.file, error.row, error.column) == ("a.csv", 1, "text")
    assert error.message == "no 'text' column; columns found: 'description', 'category'"
    error = raised(read_classification, b"text,category\nCoffee,food\n", filename="a.csv")
    assert error.column == "label"


def test_values_beyond_the_header_are_an_error_but_trailing_empty_cells_are_not():
    assert len(read_classification(b"text,label\nhi,a,,\n", filename="a.csv").records) == 1
    error = raised(read_classification, b"text,label\nhi,a\nhello, world,b\n", filename="a.csv")
    assert (error.row, error.column) == (3, None)
    assert "quote texts" in error.message


@pytest.mark.parametrize("data", [b"", b"\n\n", b"text,label\n", b"text,label\n,\n"])
def test_a_file_without_data_rows_is_an_error(data):
    error = raised(read_classification, data, filename="empty.csv")
    assert (error.file, error.message) == ("empty.csv", "no data rows")


def test_too_many_rows():
    data = b"text,label\n" + b"".join(b"row %d,a\n" % i for i in range(4))
    assert len(read_classification(data, filename="a.csv", max_rows=4).records) == 4
    error = raised(read_classification, data + b"one more,a\n", filename="a.csv", max_rows=4)
    assert (error.file, error.row) == ("a.csv", 6)
    assert error.message.startswith("more than 4 rows")


def test_split_values_are_normalised():
    data = (b"text,label,split\na,x,Train\nb,x, VAL \nc,x,dev\nd,x,validation\ne,x,TEST\n")
    parsed = read_classification(data, filename="a.csv", split_column="split")
    assert [r.split for r in parsed.records] == ["train", "validation", "validation",
                                                 "validation", "test"]


@pytest.mark.parametrize("value", ["holdout", ""])
def test_an_unknown_split_names_row_and_column(value):
    data = f"text,label,split\na,x,train\nb,x,{value}\n".encode()
    error = raised(read_classification, data, filename="a.csv", split_column="split")
    assert (error.row, error.column) == (3, "split")
    assert "train, validation, test" in error.message


def test_a_missing_split_column_is_an_error():
    error = raised(read_classification, b"text,label\na,x\n", filename="a.csv",
                   split_column="fold")
    assert (error.row, error.column) == (1, "fold")


def test_multi_label_cells_are_split_stripped_and_deduplicated():
    data = b"text,label\nrent and food, rent | food |rent\nnothing,\n"
    parsed = read_classification(data, filename="a.csv", multi_label=True)
    assert [r.labels for r in parsed.records] == [("rent", "food"), ()]
    single = read_classification(data, filename="a.csv")
    assert single.records[0].labels == ("rent | food |rent",)


# XLSX.

def test_xlsx_first_sheet_with_numbers_blank_rows_and_splits():
    data = xlsx_bytes([
        ["text", "label", "split", None],
        ["Coffee", "food", "train"],
        [None, None, None],
        [42.0, 7, "Test"],
        ["Rate", 3.5, "dev"],
        ["  padded  ", None, "val"],
    ])
    parsed = read_classification(data, filename="book.xlsx", split_column="split")
    assert parsed.format == "xlsx"
    assert parsed.columns == ["text", "label", "split"]
    assert [(r.row, r.text, r.labels, r.split) for r in parsed.records] == [
        (2, "Coffee", ("food",), "train"),
        (4, "42", ("7",), "test"),
        (5, "Rate", ("3.5",), "validation"),
        (6, "padded", (), "validation"),
    ]


def test_xlsx_errors_name_rows_and_columns():
    error = raised(read_classification, xlsx_bytes([["text", "category"], ["a", "b"]]),
                   filename="book.xlsx")
    assert (error.file, error.row, error.column) == ("book.xlsx", 1, "label")
    assert "'text', 'category'" in error.message
    error = raised(read_classification, xlsx_bytes([["text", "label"]]), filename="book.xlsx")
    assert error.message == "no data rows"
    data = xlsx_bytes([["text", "label", "split"], ["a", "b", "train"], ["c", "d", "later"]])
    error = raised(read_classification, data, filename="book.xlsx", split_column="split")
    assert (error.row, error.column) == (3, "split")


# JSONL classification.

def test_jsonl_classification_with_list_and_joined_labels():
    data = jsonl_bytes({"text": " Coffee ", "label": "food", "id": 1},
                       {"text": "Rent", "label": ["housing", " bills "], "note": "x"},
                       {"text": "Both", "label": "a|b"}) + b"\n\n"
    parsed = read_classification(data, filename="data.jsonl", multi_label=True)
    assert parsed.format == "jsonl"
    assert parsed.columns == ["text", "label", "id", "note"]
    assert [(r.row, r.text, r.labels) for r in parsed.records] == [
        (1, "Coffee", ("food",)), (2, "Rent", ("housing", "bills")), (3, "Both", ("a", "b"))]


def test_jsonl_line_that_is_not_json_or_not_an_object():
    good = b'{"text": "a", "label": "x"}\n'
    error = raised(read_classification, good + b'{"text": "b", "label": }\n', filename="d.jsonl")
    assert (error.file, error.row) == ("d.jsonl", 2)
    assert error.message.startswith("not valid JSON")
    error = raised(read_classification, good + b"\n[1, 2]\n", filename="d.jsonl")
    assert (error.row, error.message) == (3, "expected a JSON object, got a list")


def test_jsonl_missing_key_and_wrong_value_types():
    data = jsonl_bytes({"text": "a", "label": "x"}, {"text": "b", "category": "y"})
    error = raised(read_classification, data, filename="d.jsonl")
    assert (error.row, error.column) == (2, "label")
    assert "keys found: text, category" in error.message
    data = jsonl_bytes({"text": "a", "label": ["x", "y"]})
    error = raised(read_classification, data, filename="d.jsonl")
    assert (error.row, error.column) == (1, "label")
    data = jsonl_bytes({"text": {"nested": 1}, "label": "x"})
    assert raised(read_classification, data, filename="d.jsonl").column == "text"


def test_a_conll_file_is_refused_for_classification():
    error = raised(read_classification, b"Acme B-ORG\nsells O\n", filename="tags.csv")
    assert error.file == "tags.csv"
    assert "token/tag" in error.message


# Entities from JSONL.

def test_jsonl_entities_as_objects_triples_and_spans_alias():
    data = jsonl_bytes(
        {"text": "Acme Corp hired Jane", "entities": [{"start": 16, "end": 20, "label": "PER"},
                                                     {"start": 0, "end": 9, "label": "ORG"}]},
        {"text": "Jane left", "spans": [[0, 4, " PER "]], "split": "test"},
        {"text": "nothing here"},
    )
    parsed = read_entities(data, filename="ents.jsonl")
    assert parsed.format == "jsonl"
    first, second, third = parsed.records
    assert first.spans == (Span(0, 9, "ORG"), Span(16, 20, "PER"))
    assert second.spans == (Span(0, 4, "PER"),)
    assert (third.row, third.spans) == (3, ())
    with_split = read_entities(jsonl_bytes({"text": "Jane", "spans": [], "split": "dev"}),
                               filename="e.jsonl", split_column="split")
    assert with_split.records[0].split == "validation"


@pytest.mark.parametrize(("entity", "words"), [
    ({"start": 0, "end": 99, "label": "ORG"}, "outside the text"),
    ({"start": -1, "end": 3, "label": "ORG"}, "outside the text"),
    ({"start": 4, "end": 4, "label": "ORG"}, "start must be before end"),
    ({"start": 5, "end": 2, "label": "ORG"}, "start must be before end"),
    ({"start": 0.0, "end": 4, "label": "ORG"}, "whole numbers"),
    ({"start": "0", "end": 4, "label": "ORG"}, "whole numbers"),
    ({"start": True, "end": 4, "label": "ORG"}, "whole numbers"),
    ({"start": 0, "end": 4}, "no label"),
    ([0, 4], "must be"),
])
def test_bad_entities_name_the_row(entity, words):
    data = jsonl_bytes({"text": "Acme Corp", "entities": []},
                       {"text": "Acme Corp", "entities": [entity]})
    error = raised(read_entities, data, filename="ents.jsonl")
    assert (error.file, error.row, error.column) == ("ents.jsonl", 2, "entities")
    assert words in error.message


def test_overlapping_entities_name_the_row():
    data = jsonl_bytes({"text": "Acme Corp", "spans": [[0, 9, "ORG"], [5, 9, "ORG"]]})
    error = raised(read_entities, data, filename="ents.jsonl")
    assert (error.row, error.column) == (1, "spans")
    assert error.message == "entities overlap: 'Acme Corp' (ORG) and 'Corp' (ORG)"


def test_entities_need_jsonl_or_conll():
    error = raised(read_entities, b"text,label\na,b\n", filename="a.csv")
    assert "not a delimited table" in error.message
    error = raised(read_entities, jsonl_bytes({"entities": []}), filename="e.jsonl")
    assert (error.row, error.column) == (1, "text")


# Entities from CoNLL.

def test_conll_tags_become_character_spans():
    data = (b"-DOCSTART- -X- O O\n\n"
            b"EU NNP B-ORG\nrejects VBZ O\nGerman JJ B-MISC\ncall NN O\n\n\n"
            b"Peter NNP B-PER\nBlackburn NNP I-PER\n")
    parsed = read_entities(data, filename="train.conll")
    assert (parsed.format, parsed.columns) == ("conll", ["token", "tag"])
    first, second = parsed.records
    assert (first.row, first.text) == (3, "EU rejects German call")
    assert first.spans == (Span(0, 2, "ORG"), Span(11, 17, "MISC"))
    assert (second.row, second.text, second.spans) == (9, "Peter Blackburn",
                                                       (Span(0, 15, "PER"),))


def test_conll_i_tag_without_b_starts_an_entity_as_seqeval_does():
    data = b"Acme I-ORG\nCorp I-ORG\nand O\nJane I-PER\nSmith I-ORG\nB B-LOC\nC B-LOC\n"
    record = read_entities(data, filename="t.txt").records[0]
    assert record.text == "Acme Corp and Jane Smith B C"
    assert [(record.text[s.start:s.end], s.label) for s in record.spans] == [
        ("Acme Corp", "ORG"), ("Jane", "PER"), ("Smith", "ORG"), ("B", "LOC"), ("C", "LOC")]


def test_conll_iobes_tags():
    data = b"Acme S-ORG\nsells O\nNew B-LOC\nYork E-LOC\nParis S-LOC\nLondon S-LOC\n"
    record = read_entities(data, filename="t.txt").records[0]
    assert [(record.text[s.start:s.end], s.label) for s in record.spans] == [
        ("Acme", "ORG"), ("New York", "LOC"), ("Paris", "LOC"), ("London", "LOC")]


def test_conll_bad_line_and_split_column_are_errors():
    data = b"Acme B-ORG\nsells O\n\nJane B-PER\nleft\n"
    error = raised(read_entities, data, filename="t.conll")
    assert (error.file, error.row) == ("t.conll", 5)
    data = b"Acme B-ORG\nsells O\n\nJane B-PER\nleft X-PER\n"
    assert raised(read_entities, data, filename="t.conll").row == 5
    error = raised(read_entities, b"Acme B-ORG\n", filename="t.conll", split_column="split")
    assert error.column == "split"


def test_conll_sentences_count_towards_max_rows():
    data = b"A B-X\n\nB B-X\n\nC B-X\n"
    error = raised(read_entities, data, filename="t.conll", max_rows=2)
    assert error.row == 5


def test_conll_treats_a_stray_byte_order_mark_line_as_a_sentence_break():
    # Seen in real data (WNUT-17's dev set): a BOM on its own line between sentences.
    data = "Paris\tB-location\n!\tO\n\ufeff\nAcme\tB-corporation\nrocks\tO\n".encode()
    parsed = read_entities(data, filename="dev.conll")
    assert [record.text for record in parsed.records] == ["Paris !", "Acme rocks"]
