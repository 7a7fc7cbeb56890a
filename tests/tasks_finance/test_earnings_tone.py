"""Document mode of finance.earnings-sentiment: sections, a document's tone, its evidence and
the shift between two transcripts (pure functions, no model)."""

from tasks_finance.earnings_sentiment.tone import (
    PREPARED_REMARKS,
    QA,
    WHOLE,
    Sentence,
    sections_assign,
    tone_report,
    tone_shift,
)


def _prediction(positive: float, negative: float) -> dict:
    scores = {"positive": positive, "negative": negative,
              "neutral": round(1 - positive - negative, 6)}
    return {"label": max(scores, key=scores.get), "score": max(scores.values()),
            "scores": scores}


CALL = [
    "Good morning and welcome to the third quarter call.",
    "Revenue grew 18% to a record 4.2 billion.",
    "Margins expanded by 120 basis points.",
    "We will now begin the question-and-answer session.",
    "Can you talk about freight costs?",
    "Freight costs weighed on gross margin and will stay elevated.",
]


def test_the_qa_starts_at_the_sentence_that_opens_it():
    assert sections_assign(CALL) == [PREPARED_REMARKS] * 3 + [QA] * 3
    assert sections_assign(["Our first question comes from Ana Ruiz with Delta Bank."]) == [QA]
    assert sections_assign(["Operator, please open the line for questions."]) == [QA]
    assert sections_assign(CALL[:3]) == [WHOLE] * 3  # no Q&A marker: one section
    closing = "This concludes our question-and-answer session."
    assert sections_assign([*CALL[:3], closing]) == [WHOLE] * 4
    assert sections_assign([*CALL, closing]) == [PREPARED_REMARKS] * 3 + [QA] * 4


def test_a_documents_tone_is_the_mean_of_its_sentences_with_evidence_either_way():
    sections = sections_assign(CALL)
    sentences = [Sentence(text, f"line {n}", section)
                 for n, (text, section) in enumerate(zip(CALL, sections, strict=True), 1)]
    predictions = [_prediction(0.05, 0.05), _prediction(0.95, 0.01), _prediction(0.7, 0.1),
                   _prediction(0.02, 0.03), _prediction(0.1, 0.2), _prediction(0.02, 0.9)]
    report = tone_report(sentences, predictions)

    tones = [0.0, 0.94, 0.6, -0.01, -0.1, -0.88]
    assert report["score"] == round(sum(tones) / 6, 4)
    assert report["tone"] == "neutral" and report["sentences"] == 6
    assert report["labels"] == {"positive": 2, "negative": 1, "neutral": 3}
    assert report["sections"][PREPARED_REMARKS]["tone"] == "positive"
    assert report["sections"][QA]["tone"] == "negative"
    assert report["sections"][QA]["sentences"] == 3
    assert [e["text"] for e in report["most_positive"]] == [CALL[1], CALL[2]]
    assert report["most_positive"][0] == {"text": CALL[1], "position": "line 2",
                                          "section": PREPARED_REMARKS, "label": "positive",
                                          "tone": 0.94}
    assert [e["text"] for e in report["most_negative"]] == [CALL[5], CALL[4], CALL[3]]


def test_tone_shift_reports_the_move_overall_and_per_shared_section():
    def report(score: float, sections: dict) -> dict:
        return {"tone": "x", "score": score, "sentences": 10,
                "sections": {name: {"score": value} for name, value in sections.items()}}

    earlier = report(0.3, {PREPARED_REMARKS: 0.4, QA: 0.2})
    later = report(0.1, {PREPARED_REMARKS: 0.42, QA: -0.2})
    shift = tone_shift(earlier, later)
    assert (shift["shift"], shift["direction"]) == (-0.2, "more negative")
    assert shift["sections"][PREPARED_REMARKS]["direction"] == "unchanged"
    assert shift["sections"][QA] == {"earlier": 0.2, "later": -0.2, "shift": -0.4,
                                     "direction": "more negative"}
    assert tone_shift(later, earlier)["direction"] == "more positive"
    # A transcript without a Q&A marker has no sections to compare.
    assert tone_shift(earlier, report(0.3, {}))["sections"] == {}
