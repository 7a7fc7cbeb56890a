"""The data-quality report: each finding, blocking or warning, with the rows it names."""

import json
import re

from slm_platform.ingest.quality import (
    Finding,
    classification_report,
    entity_report,
    normalise_text,
)
from slm_platform.ingest.records import AnnotatedText, LabelledText, Span

LABELS = {"food", "rent", "travel"}


def row(number: int, text: str, *labels: str, split: str | None = None) -> LabelledText:
    return LabelledText(row=number, text=text, labels=labels, split=split)


def report(records, *, known_labels=None, labels_fixed=False, multi_label=False, max_chars=500,
           min_examples_per_label=1):
    return classification_report(records, known_labels=known_labels, labels_fixed=labels_fixed,
                                 multi_label=multi_label, max_chars=max_chars,
                                 min_examples_per_label=min_examples_per_label)


def clean_rows() -> list[LabelledText]:
    return [row(2, "Coffee at the corner", "food"), row(3, "Monthly rent", "rent")]


def finding(findings: list[Finding], code: str) -> Finding:
    matches = [item for item in findings if item.code == code]
    assert len(matches) == 1, f"expected one {code} in {findings}"
    return matches[0]


def codes(findings: list[Finding]) -> list[str]:
    return [item.code for item in findings]


def test_clean_data_is_ok_and_as_dict_is_json_ready():
    result = report(clean_rows() + [row(4, "Train to Paris", "travel", split=None)])
    assert result.ok
    assert result.as_dict() == {
        "ok": True,
        "row_count": 3,
        "label_distribution": {"food": 1, "rent": 1, "travel": 1},
        "split_counts": {},
        "blocking": [],
        "warnings": [],
    }


def test_as_dict_holds_findings_and_round_trips_through_json():
    result = report(clean_rows() + [row(4, "", "food")])
    data = json.loads(json.dumps(result.as_dict()))
    assert data["ok"] is False
    assert data["blocking"] == [{"code": "empty_text", "message": "Empty text in 1 row",
                                 "rows": [4], "count": 1}]


def test_label_distribution_and_split_counts_are_ordered():
    records = [row(2, "a", "rent", split="test"), row(3, "b", "food", split="train"),
               row(4, "c", "rent", split="train"), row(5, "d", "travel", split="validation")]
    result = report(records)
    assert list(result.label_distribution.items()) == [("rent", 2), ("food", 1), ("travel", 1)]
    assert list(result.split_counts.items()) == [("train", 2), ("validation", 1), ("test", 1)]


def test_empty_text_blocks():
    result = report(clean_rows() + [row(4, "   ", "food"), row(5, "", "rent")])
    assert not result.ok
    assert finding(result.blocking, "empty_text").rows == [4, 5]


def test_empty_label_blocks_single_label_only():
    records = clean_rows() + [row(4, "Bus ticket")]
    assert finding(report(records).blocking, "empty_label").rows == [4]
    assert report(records, multi_label=True).ok


def test_unknown_label_blocks_when_labels_are_fixed():
    records = clean_rows() + [row(4, "Cinema", "fun"), row(5, "Museum", "culture", "fun")]
    result = report(records, known_labels=LABELS, labels_fixed=True, multi_label=True)
    unknown = finding(result.blocking, "unknown_label")
    assert (unknown.rows, unknown.count) == ([4, 5], 2)
    assert unknown.message.endswith(": fun, culture")
    assert "unknown_label" not in codes(result.warnings)


def test_unknown_label_names_at_most_ten_labels():
    records = clean_rows() + [row(n, f"text {n}", f"label{n:02d}") for n in range(4, 16)]
    unknown = finding(report(records, known_labels=LABELS, labels_fixed=True).blocking,
                      "unknown_label")
    assert unknown.message.endswith("label04, label05, label06, label07, label08, label09, "
                                    "label10, label11, label12, label13 and 2 more")


def test_unknown_label_only_warns_when_labels_may_grow_and_is_skipped_without_a_set():
    records = clean_rows() + [row(4, "Cinema", "fun")]
    result = report(records, known_labels=LABELS, labels_fixed=False)
    assert result.ok
    assert finding(result.warnings, "unknown_label").rows == [4]
    assert "unknown_label" not in codes(report(records).warnings)


def test_single_label_blocks_single_label_tasks():
    records = [row(2, "Coffee", "food"), row(3, "Lunch", "food")]
    single = finding(report(records).blocking, "single_label")
    assert (single.rows, single.count) == ([], 2)
    assert "'food'" in single.message
    assert "single_label" not in codes(report(records, multi_label=True).blocking)
    nothing = finding(report([row(2, "Coffee")]).blocking, "single_label")
    assert "(none)" in nothing.message


def test_too_long_warns():
    result = report(clean_rows() + [row(4, "x" * 21, "food")], max_chars=20)
    assert result.ok
    too_long = finding(result.warnings, "too_long")
    assert too_long.rows == [4]
    assert "20 characters" in too_long.message


def test_exact_duplicate_reports_the_later_rows():
    records = clean_rows() + [row(4, "Monthly rent", "rent"), row(5, "Monthly rent", "rent"),
                              row(6, "Monthly rent", "food")]
    duplicate = finding(report(records).warnings, "exact_duplicate")
    assert (duplicate.rows, duplicate.count) == ([4, 5], 2)


def test_multi_label_duplicates_ignore_label_order():
    records = [row(2, "Hotel and dinner", "travel", "food"),
               row(3, "Hotel and dinner", "food", "travel")]
    result = report(records, multi_label=True)
    assert finding(result.warnings, "exact_duplicate").rows == [3]
    assert "conflicting_labels" not in codes(result.warnings)


def test_near_duplicate_ignores_case_digits_punctuation_width_and_spacing():
    records = clean_rows() + [
        row(4, "Card payment 1234 at SHELL", "travel"),
        row(5, "card  payment 9876 at shell!", "travel"),
        row(6, "Card payment 1234 at SHELL", "travel"),
        row(7, "ｃａｒｄ payment 5555 at Shell.", "travel"),
    ]
    result = report(records)
    near = finding(result.warnings, "near_duplicate")
    assert near.rows == [5, 7]
    assert finding(result.warnings, "exact_duplicate").rows == [6]


def test_normalise_text():
    assert normalise_text("  Ｐａｙｍｅｎｔ №42 — to ACME, Inc.\n") == "payment no00 to acme inc"
    assert normalise_text("Straße") == normalise_text("STRASSE")
    assert normalise_text("!!!") == ""


def test_conflicting_labels_lists_every_row_of_the_group():
    records = clean_rows() + [row(4, "Uber to airport", "travel"),
                              row(5, "uber to airport!", "food"),
                              row(6, "UBER TO AIRPORT", "travel")]
    conflict = finding(report(records).warnings, "conflicting_labels")
    assert conflict.rows == [4, 5, 6]


def test_rare_label_names_labels_with_counts():
    records = [row(n, f"coffee {chr(96 + n)}", "food") for n in range(2, 8)]
    records += [row(8, "rent a", "rent"), row(9, "rent b", "rent"), row(10, "flight", "travel")]
    rare = finding(report(records, min_examples_per_label=5).warnings, "rare_label")
    assert rare.rows == [8, 9, 10]
    assert rare.message == "Fewer than 5 examples for 2 label(s): travel (1), rent (2)"


def test_train_test_overlap_reports_test_rows():
    records = [row(2, "Coffee", "food", split="train"), row(3, "Rent", "rent", split="train"),
               row(4, "coffee!", "food", split="test"), row(5, "Taxi", "travel", split="test"),
               row(6, "Rent", "rent", split="validation")]
    overlap = finding(report(records).warnings, "train_test_overlap")
    assert overlap.rows == [4]
    assert "train_test_overlap" not in codes(report(clean_rows() + clean_rows()).warnings)


def test_rows_listed_are_capped_at_twenty_but_counted_in_full():
    records = clean_rows() + [row(n, "", "food") for n in range(4, 54)]
    empty = finding(report(records).blocking, "empty_text")
    assert (empty.rows, empty.count) == (list(range(4, 24)), 50)
    assert empty.message == "Empty text in 50 rows"


def test_findings_keep_a_fixed_order():
    records = [row(2, "", "x"), row(3, "b" * 30, "x"), row(4, "b" * 30, "x")]
    result = report(records, known_labels=LABELS, labels_fixed=True, max_chars=10)
    assert codes(result.blocking) == ["empty_text", "unknown_label", "single_label"]
    assert codes(result.warnings) == ["too_long", "exact_duplicate"]


def test_near_duplicate_checks_run_on_fifty_thousand_rows():
    records = [row(n + 2, f"Card payment #{n:05d} at store", ("food", "rent", "travel")[n % 3])
               for n in range(50_000)]
    result = report(records, min_examples_per_label=5)
    assert finding(result.warnings, "near_duplicate").count == 49_999
    assert finding(result.warnings, "conflicting_labels").count == 50_000
    assert "exact_duplicate" not in codes(result.warnings)


# Entities.

def words(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(r"\w+|[^\w\s]", text)]


def annotated(number: int, text: str, *spans: tuple[int, int, str],
              split: str | None = None) -> AnnotatedText:
    return AnnotatedText(row=number, text=text, spans=tuple(Span(*span) for span in spans),
                         split=split)


def entities(records, *, known_labels=None, labels_fixed=False, max_chars=500):
    return entity_report(records, token_spans=words, known_labels=known_labels,
                         labels_fixed=labels_fixed, max_chars=max_chars)


def test_entity_report_counts_spans_per_label():
    records = [annotated(1, "Acme hired Jane and Bob", (0, 4, "ORG"), (11, 15, "PER"),
                         (20, 23, "PER")),
               annotated(2, "Jane left Acme", (0, 4, "PER"), (10, 14, "ORG"), split="train")]
    result = entities(records)
    assert result.ok
    assert result.label_distribution == {"PER": 3, "ORG": 2}
    assert result.split_counts == {"train": 1}
    assert result.warnings == []


def test_misaligned_span_blocks_and_shows_the_span():
    records = [annotated(1, "Acme Corp hired Jane", (0, 8, "ORG")),
               annotated(2, "Jane left", (0, 4, "PER")),
               annotated(3, "Bob met Ann", (1, 3, "PER"), (8, 11, "PER"))]
    misaligned = finding(entities(records).blocking, "misaligned_span")
    assert misaligned.rows == [1, 3]
    assert "row 1: 'Acme Cor' (ORG)" in misaligned.message


def test_entity_findings():
    records = [annotated(1, "  ", split="train"),
               annotated(2, "Jane left Acme", (0, 4, "PER"), split="train"),
               annotated(3, "Jane left Acme", (0, 4, "PER"), split="test"),
               annotated(4, "Nobody here", split="test"),
               annotated(5, "Acme Incorporated", (0, 4, "COMPANY"), split="train")]
    result = entities(records, known_labels={"PER", "ORG"}, labels_fixed=True, max_chars=15)
    assert codes(result.blocking) == ["empty_text", "unknown_label"]
    assert finding(result.blocking, "empty_text").rows == [1]
    assert finding(result.blocking, "unknown_label").rows == [5]
    no_entities = finding(result.warnings, "no_entities")
    assert (no_entities.rows, no_entities.count) == ([], 2)
    assert finding(result.warnings, "too_long").rows == [5]
    assert finding(result.warnings, "exact_duplicate").rows == [3]
    assert finding(result.warnings, "train_test_overlap").rows == [3]


def test_entity_unknown_labels_only_warn_when_labels_may_grow():
    records = [annotated(1, "Jane left Acme", (0, 4, "PERSON"))]
    result = entities(records, known_labels={"PER"}, labels_fixed=False)
    assert result.ok
    assert finding(result.warnings, "unknown_label").message.startswith("New labels in 1 row")
