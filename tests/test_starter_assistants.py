"""The starter assistants' knowledge bases and held-out evaluation questions (written for the
project): every question points at a section that exists and holds the facts its answer must
contain, and the health set's emergencies are exactly the messages the red-flag rules catch."""

import csv
import json
import re
from pathlib import Path

import pytest

from tasks_health.patient_intent.red_flags import red_flag

ROOT = Path(__file__).resolve().parent.parent
ASSISTANTS = [ROOT / "tasks_retail" / "assistant", ROOT / "tasks_health" / "assistant"]


def _sections(path: Path) -> dict[str, str]:
    """Section title -> text: Markdown "## " headings, or a CSV's question/answer rows."""
    if path.suffix == ".csv":
        with path.open(newline="") as handle:
            return {row["question"]: row["answer"] for row in csv.DictReader(handle)}
    sections, title = {}, None
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            title = line[3:].strip()
            sections[title] = ""
        elif title is not None:
            sections[title] += line + "\n"
    return sections


def _evaluation(assistant: Path) -> list[dict]:
    return [json.loads(line) for line in (assistant / "evaluation.jsonl").read_text().splitlines()
            if line.strip()]


@pytest.mark.parametrize("assistant", ASSISTANTS, ids=lambda path: path.parent.name)
def test_every_question_points_at_a_section_holding_its_facts(assistant):
    knowledge = {path.name: _sections(path) for path in (assistant / "knowledge").iterdir()}
    questions = _evaluation(assistant)
    assert len(questions) >= 25
    answered = [q for q in questions if q["expect"] == "answer"]
    assert len({(q["document"], q["section"]) for q in answered}) >= 15  # spread over the KB
    for question in answered:
        section = knowledge[question["document"]][question["section"]]
        for fact in question["answer_contains"]:
            assert fact in section, (question["question"], fact)
    assert {q["expect"] for q in questions} >= {"answer", "handoff"}


@pytest.mark.parametrize("assistant", ASSISTANTS, ids=lambda path: path.parent.name)
def test_phone_numbers_are_from_the_ranges_kept_for_fiction(assistant):
    """UK numbers in the knowledge bases come from Ofcom's drama ranges (01xx 496 0xxx), so no
    real business is ever called because of a demo."""
    for path in (assistant / "knowledge").iterdir():
        for number in re.findall(r"\b0\d{3} \d{3} \d{4}\b", path.read_text()):
            assert re.fullmatch(r"01\d\d 496 0\d{3}", number), (path.name, number)


def test_the_health_sets_emergencies_are_what_the_red_flag_rules_catch():
    questions = _evaluation(ASSISTANTS[1])
    emergencies = [q["question"] for q in questions if q["expect"] == "emergency"]
    assert len(emergencies) >= 5
    assert all(red_flag(text) is not None for text in emergencies)
    assert not [q["question"] for q in questions
                if q["expect"] != "emergency" and red_flag(q["question"]) is not None]
