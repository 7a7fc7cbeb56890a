"""How a synthetic review is planned and put together, and the rule for its overall label.

A review is planned as an optional verdict (the reviewer's opinion of the purchase as a whole)
plus opinions about 0-3 distinct aspects, then laid out as sentences: perhaps a context sentence
first ("Bought this for my son for Christmas."), the verdict first or last, the aspect clauses,
perhaps a sentence that names an aspect without judging it, perhaps a closing remark. Two
adjacent opinions may share one sentence: "but" when they differ ("great quality, but delivery
was a nightmare"), "and" when they agree. A review is 1-6 sentences.

The overall label follows from the plan by one rule (``overall_polarity``):

- With a verdict, the verdict decides. The generator only pairs a verdict with aspect opinions
  that do not outweigh it: a positive verdict with at most one negative aspect ("Took ages to
  arrive, but I love it" is positive), a negative verdict with at most one positive aspect, a
  lukewarm (neutral) verdict with positive and negative aspects within one of each other.
- Without a verdict, the balance of aspect opinions decides: more positive ones give positive,
  more negative ones negative, as many of each ("great quality, but delivery was a nightmare")
  neutral.
"""

import random
import re
from collections.abc import Sequence
from typing import NamedTuple

from .labels import ASPECTS, LABELS, aspect_label, overall_label

VERDICT_PROBABILITY = 0.75
# How many aspects a review has an opinion about (0-3), with a verdict and without one.
ASPECT_COUNT_WEIGHTS = {True: (0.24, 0.34, 0.26, 0.16), False: (0.0, 0.40, 0.38, 0.22)}
# How likely an aspect opinion agrees with the planned overall polarity.
POSITIVE_ASPECT_ODDS = {"positive": 0.82, "neutral": 0.5, "negative": 0.18}
FILLER_PROBABILITIES = {"filler:context": 0.35, "filler:mention": 0.2, "filler:closing": 0.15}
MAX_SENTENCES = 6
VERDICT_FIRST_PROBABILITY = 0.35
JOIN_PROBABILITY = {True: 0.2, False: 0.4}  # keyed by "the two opinions agree"
CONTRAST_CONNECTORS = (", but ", " but ", ", although ", ", though ", "; however, ", " - but ")
AGREEING_CONNECTORS = (" and ", ", and ", "; ", ", plus ", " - ", ", also ")
_PLAN_ATTEMPTS = 200
_FIRST_PERSON = re.compile(r"I('m|'ve|'d|'ll)?\b")


class Plan(NamedTuple):
    """What a review says: its verdict's polarity (None: no verdict) and aspect opinions."""

    verdict: str | None
    aspects: tuple[tuple[str, str], ...]  # (aspect, "positive" | "negative"), in review order


class Clause(NamedTuple):
    """One filled template, ready to be a sentence or half of one."""

    text: str
    group: str  # the template group, e.g. "delivery:negative", "overall:neutral", "filler:closing"
    joinable: bool  # one clause with no punctuation of its own
    lower_after_connector: bool  # starts with an ordinary word, not a name or "I"


def overall_polarity(verdict: str | None, aspects: Sequence[tuple[str, str]]) -> str | None:
    """The overall polarity of a review with this plan; None for a plan the generator never
    writes (a verdict outweighed by the aspects, or neither verdict nor aspects)."""
    positives = sum(1 for _, polarity in aspects if polarity == "positive")
    negatives = len(aspects) - positives
    if verdict is None:
        if not aspects:
            return None
        if positives == negatives:
            return "neutral"
        return "positive" if positives > negatives else "negative"
    if (verdict == "positive" and negatives > 1) or (verdict == "negative" and positives > 1):
        return None
    if verdict == "neutral" and abs(positives - negatives) > 1:
        return None
    return verdict


def plan_labels(plan: Plan) -> tuple[str, ...]:
    """The plan's labels in the task's label order: one overall label and one per aspect."""
    chosen = {overall_label(overall_polarity(plan.verdict, plan.aspects))}
    chosen |= {aspect_label(aspect, polarity) for aspect, polarity in plan.aspects}
    return tuple(label for label in LABELS if label in chosen)


def plan_review(rng: random.Random, overall: str) -> Plan:
    """A random plan whose overall polarity is ``overall``."""
    for _ in range(_PLAN_ATTEMPTS):
        has_verdict = rng.random() < VERDICT_PROBABILITY
        count = rng.choices(range(4), weights=ASPECT_COUNT_WEIGHTS[has_verdict])[0]
        aspects = tuple(
            (aspect, "positive" if rng.random() < POSITIVE_ASPECT_ODDS[overall] else "negative")
            for aspect in rng.sample(ASPECTS, count)
        )
        plan = Plan(overall if has_verdict else None, aspects)
        if overall_polarity(plan.verdict, plan.aspects) == overall:
            return plan
    raise RuntimeError(f"no plan for an overall {overall} review")  # odds far below 1e-30


def layout(rng: random.Random, plan: Plan) -> list[str]:
    """The template groups of a review's sentences, in order."""
    opinions = [f"{aspect}:{polarity}" for aspect, polarity in plan.aspects]
    fillers = [group for group, odds in FILLER_PROBABILITIES.items() if rng.random() < odds]
    while len(opinions) + (plan.verdict is not None) + len(fillers) > MAX_SENTENCES:
        fillers.pop()
    if "filler:mention" in fillers:
        opinions.insert(rng.randint(0, len(opinions)), "filler:mention")
    if plan.verdict is not None:
        verdict = f"overall:{plan.verdict}"
        first = rng.random() < VERDICT_FIRST_PROBABILITY
        opinions = [verdict, *opinions] if first else [*opinions, verdict]
    head = ["filler:context"] if "filler:context" in fillers else []
    tail = ["filler:closing"] if "filler:closing" in fillers else []
    return head + opinions + tail


def clause_from_template(template: str, text: str, group: str) -> Clause:
    """A clause for ``text``, the filled ``template``: whether it can be joined to another and
    lower-cased after a connector is read from the template, before names went in."""
    plain = re.sub(r"\{[^{}]*\}", "", template)
    # A clause with a comma of its own ("Not cheap, but worth it") stays a sentence alone:
    # joined to another it reads as a run-on.
    joinable = group.split(":")[0] != "filler" and not re.search(r"[.!?,;:]", plain)
    lower = not template.startswith("{") and not _FIRST_PERSON.match(template)
    return Clause(text, group, joinable, lower)


def join_clauses(rng: random.Random, clauses: Sequence[Clause]) -> list[str]:
    """Sentences from clauses: adjacent opinions sometimes share one, each ends punctuated."""
    sentences, index = [], 0
    while index < len(clauses):
        clause = clauses[index]
        following = clauses[index + 1] if index + 1 < len(clauses) else None
        if following is not None and _joins(rng, clause, following):
            agree = _polarity(clause) == _polarity(following)
            connector = rng.choice(AGREEING_CONNECTORS if agree else CONTRAST_CONNECTORS)
            second = following.text
            if following.lower_after_connector:
                second = second[0].lower() + second[1:]
            sentences.append(_end(clause.text + connector + second))
            index += 2
        else:
            sentences.append(_end(clause.text))
            index += 1
    return sentences


def _joins(rng: random.Random, first: Clause, second: Clause) -> bool:
    if not (first.joinable and second.joinable):
        return False
    return rng.random() < JOIN_PROBABILITY[_polarity(first) == _polarity(second)]


def _polarity(clause: Clause) -> str:
    return clause.group.split(":")[1]


def _end(sentence: str) -> str:
    """Capitalised (a slot may open it: "a solid 3, ...") and ending in punctuation."""
    sentence = sentence[0].upper() + sentence[1:]
    return sentence if sentence[-1] in ".!?" else sentence + "."
