"""The threshold suggester's arithmetic, plain Python: from each test row's small-model score and
whether the small and the large model were right, the cascade's accuracy and escalation rate at
every threshold that makes a difference, and the least escalation that reaches a target.

An item escalates when its score is below the threshold, so only thresholds at the distinct
scores change anything: threshold 0 escalates nothing, each distinct score s escalates every row
scored below s, and 1.0 escalates every row short of a certain 1.0.
"""

from dataclasses import dataclass

CURVE_POINTS = 101


@dataclass(frozen=True)
class Point:
    threshold: float
    escalation_rate: float
    accuracy: float

    def as_dict(self) -> dict:
        return {"threshold": round(self.threshold, 6),
                "escalation_rate": round(self.escalation_rate, 6),
                "accuracy": round(self.accuracy, 6)}


# Fewer scores than this set no escalation cap: the quantile of a handful of scores would keep
# or escalate items by chance.
MIN_SCORES_FOR_SHARE = 50


def cascade_curve(rows: list[list]) -> list[Point]:
    """Every distinct threshold's point, the lowest threshold first. `rows`: (small score,
    small correct, large correct) per test row."""
    ordered = sorted((float(score), bool(small), bool(large)) for score, small, large in rows)
    total = len(ordered)
    if not total:
        return []
    small_right = sum(small for _, small, _ in ordered)
    points, escalated, gained = [Point(0.0, 0.0, small_right / total)], 0, 0
    thresholds = sorted({score for score, _, _ in ordered if 0.0 < score <= 1.0} | {1.0})
    for threshold in thresholds:
        # The rows scored below this threshold all escalate: the large model answers them.
        while escalated < total and ordered[escalated][0] < threshold:
            _, small, large = ordered[escalated]
            gained += int(large) - int(small)
            escalated += 1
        points.append(Point(threshold, escalated / total, (small_right + gained) / total))
    return points


def least_escalation(points: list[Point], target_accuracy: float) -> Point | None:
    """The point reaching the target with the fewest escalations (the lowest threshold among
    equals); None when no threshold reaches it."""
    reaching = [point for point in points if point.accuracy >= target_accuracy - 1e-12]
    if not reaching:
        return None
    return min(reaching, key=lambda point: (point.escalation_rate, point.threshold))


def most_accurate_within(points: list[Point], escalation_budget: float) -> Point | None:
    """The most accurate point escalating at most `escalation_budget` of the rows (the lowest
    escalation, then the lowest threshold, among equals); None when the budget is negative."""
    within = [point for point in points if point.escalation_rate <= escalation_budget + 1e-12]
    if not within:
        return None
    return min(within, key=lambda point: (-point.accuracy, point.escalation_rate,
                                          point.threshold))


def curve_sample(points: list[Point], *, keep: Point | None = None,
                 most: int = CURVE_POINTS) -> list[Point]:
    """At most `most` points spread evenly over the curve, its ends and `keep` always in."""
    if len(points) <= most:
        return points
    step = (len(points) - 1) / (most - 1)
    chosen = {round(index * step) for index in range(most)}
    sample = [points[index] for index in sorted(chosen)]
    if keep is not None and keep not in sample:
        sample = sorted([*sample, keep], key=lambda point: point.threshold)
    return sample


def share_threshold(scores: list[float], share: float) -> float | None:
    """The score under which at most `share` of `scores` fall (fewer where scores tie): a
    policy's escalation cap (escalate_share) on the traffic those scores came from. None when
    there is no cap: a share of 1 or more, or fewer than MIN_SCORES_FOR_SHARE scores."""
    if share >= 1 or len(scores) < MIN_SCORES_FOR_SHARE:
        return None
    return sorted(scores)[int(share * len(scores))]


def accuracy_of(rows: list[list], column: int) -> float:
    """The share of rows a model got right (column 1: the small model, 2: the large one)."""
    return sum(bool(row[column]) for row in rows) / len(rows) if rows else 0.0
