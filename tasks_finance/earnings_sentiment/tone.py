"""Document mode of finance.earnings-sentiment: a transcript's tone from its sentences' scores.

Each sentence's tone is P(positive) - P(negative), in [-1, 1]. A document (and each of its
sections) gets the mean of its sentences' tones, called positive or negative beyond
NEUTRAL_BAND, the count of sentences per predicted label, and as evidence the sentences that
pulled hardest either way. Earnings calls read as two parts, management's prepared remarks and
the analysts' Q&A; the Q&A starts at the first sentence that announces it (the operator's
"we will now begin the question-and-answer session", "our first question comes from ..."), and
a transcript with no such sentence is one section. Pure functions: no Django, no model.
"""

import re
from dataclasses import dataclass

POSITIVE, NEGATIVE = "positive", "negative"
PREPARED_REMARKS, QA, WHOLE = "prepared_remarks", "qa", "document"
# Mean tone beyond this is called positive or negative; within it, neutral.
NEUTRAL_BAND = 0.1
# A tone shift smaller than this between two documents is "unchanged".
SHIFT_BAND = 0.05
EVIDENCE = 3

_QA_START = re.compile(
    r"question[- ]and[- ]answer|\bq\s*&\s*a\b|\bq and a\b"
    r"|open (?:up )?the (?:call|line|lines|floor) (?:up )?(?:to|for) (?:your )?questions"
    r"|(?:first|next) question (?:comes|is) from|turn (?:it|the call) over for questions",
    re.IGNORECASE)
# "This concludes our question-and-answer session" names the Q&A at its end, not its start.
_QA_END = re.compile(r"conclud|\bend of\b|\bclos(?:e|es|ing)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    text: str
    position: str  # where it came from: "line 12", "page 3", "sentence 40"
    section: str = WHOLE


def sections_assign(texts: list[str]) -> list[str]:
    """The section of each sentence: prepared remarks up to the first sentence that opens the
    Q&A, Q&A from there on; one section for the whole document if none does."""
    for index, text in enumerate(texts):
        if _QA_START.search(text) and not _QA_END.search(text):
            return [PREPARED_REMARKS] * index + [QA] * (len(texts) - index)
    return [WHOLE] * len(texts)


def sentence_tone(prediction: dict) -> float:
    scores = prediction.get("scores") or {}
    return float(scores.get(POSITIVE, 0.0)) - float(scores.get(NEGATIVE, 0.0))


def tone_label(score: float) -> str:
    if score > NEUTRAL_BAND:
        return POSITIVE
    if score < -NEUTRAL_BAND:
        return NEGATIVE
    return "neutral"


def tone_report(sentences: list[Sentence], predictions: list[dict]) -> dict:
    """The document's tone, per section when it has sections, with evidence."""
    scored = [(sentence, prediction, sentence_tone(prediction))
              for sentence, prediction in zip(sentences, predictions, strict=True)]
    sections = sorted({sentence.section for sentence in sentences},
                      key=[PREPARED_REMARKS, QA, WHOLE].index)
    report = _summary(scored)
    report["sections"] = ({name: _summary([row for row in scored if row[0].section == name])
                           for name in sections} if sections != [WHOLE] else {})
    ranked = sorted(scored, key=lambda row: row[2])
    report["most_positive"] = [_evidence(row) for row in reversed(ranked[-EVIDENCE:])
                               if row[2] > 0]
    report["most_negative"] = [_evidence(row) for row in ranked[:EVIDENCE] if row[2] < 0]
    return report


def tone_shift(earlier: dict, later: dict) -> dict:
    """How the tone moved from one document's report (tone_report) to the next one's, overall
    and for each section both documents have."""
    shift = {"earlier": _headline(earlier), "later": _headline(later),
             **_movement(earlier["score"], later["score"])}
    shared = [name for name in (PREPARED_REMARKS, QA)
              if name in earlier["sections"] and name in later["sections"]]
    shift["sections"] = {
        name: {"earlier": earlier["sections"][name]["score"],
               "later": later["sections"][name]["score"],
               **_movement(earlier["sections"][name]["score"],
                           later["sections"][name]["score"])}
        for name in shared}
    return shift


def _summary(scored: list) -> dict:
    counts = {POSITIVE: 0, NEGATIVE: 0, "neutral": 0}
    for _, prediction, _ in scored:
        counts[prediction.get("label", "neutral")] = counts.get(
            prediction.get("label", "neutral"), 0) + 1
    score = sum(tone for _, _, tone in scored) / len(scored) if scored else 0.0
    return {"tone": tone_label(score), "score": round(score, 4), "sentences": len(scored),
            "labels": counts}


def _evidence(row) -> dict:
    sentence, prediction, tone = row
    return {"text": sentence.text, "position": sentence.position, "section": sentence.section,
            "label": prediction.get("label"), "tone": round(tone, 4)}


def _headline(report: dict) -> dict:
    return {"tone": report["tone"], "score": report["score"], "sentences": report["sentences"]}


def _movement(before: float, after: float) -> dict:
    change = round(after - before, 4)
    if change > SHIFT_BAND:
        direction = "more positive"
    elif change < -SHIFT_BAND:
        direction = "more negative"
    else:
        direction = "unchanged"
    return {"shift": change, "direction": direction}
