"""The suggester's arithmetic on a constructed validation set whose answer is worked by hand."""

from slm_platform.routing import suggest
from slm_platform.routing.http_route import label_parse

# (small score, small right, large right). Sorted by score:
#   0.20 wrong/right, 0.40 wrong/right, 0.40 right/wrong, 0.60 right/right, 0.90 right/right,
#   0.95 wrong/wrong. Small alone: 3/6 right; large alone: 4/6.
ROWS = [[0.90, True, True], [0.40, False, True], [0.20, False, True], [0.60, True, True],
        [0.40, True, False], [0.95, False, False]]


def test_the_curve_has_a_point_per_distinct_threshold_worked_by_hand():
    points = [point.as_dict() for point in suggest.cascade_curve(ROWS)]
    assert points == [
        # threshold 0: nothing escalates, the small model's 3 of 6
        {"threshold": 0.0, "escalation_rate": 0.0, "accuracy": 0.5},
        # below 0.2: nothing yet
        {"threshold": 0.2, "escalation_rate": 0.0, "accuracy": 0.5},
        # below 0.4: the 0.20 row, which the large model gets right: 4/6
        {"threshold": 0.4, "escalation_rate": round(1 / 6, 6), "accuracy": round(4 / 6, 6)},
        # below 0.6: both 0.40 rows too, one gained and one lost: still 4/6
        {"threshold": 0.6, "escalation_rate": 0.5, "accuracy": round(4 / 6, 6)},
        {"threshold": 0.9, "escalation_rate": round(4 / 6, 6), "accuracy": round(4 / 6, 6)},
        {"threshold": 0.95, "escalation_rate": round(5 / 6, 6), "accuracy": round(4 / 6, 6)},
        # below 1.0: every row, the large model's 4/6
        {"threshold": 1.0, "escalation_rate": 1.0, "accuracy": round(4 / 6, 6)},
    ]


def test_the_least_escalation_reaching_the_target_wins():
    points = suggest.cascade_curve(ROWS)
    best = suggest.least_escalation(points, 0.6)
    assert (best.threshold, best.escalation_rate) == (0.4, 1 / 6)
    assert suggest.least_escalation(points, 0.5).threshold == 0.0
    assert suggest.least_escalation(points, 0.7) is None
    assert suggest.accuracy_of(ROWS, 1) == 0.5 and suggest.accuracy_of(ROWS, 2) == 4 / 6


def test_the_most_accurate_point_within_an_escalation_budget_wins():
    points = suggest.cascade_curve(ROWS)
    # Escalating 1/6 (the 0.20 row) already gives 4/6; more escalation gains nothing.
    best = suggest.most_accurate_within(points, 0.5)
    assert (best.threshold, best.escalation_rate, best.accuracy) == (0.4, 1 / 6, 4 / 6)
    # A budget under 1/6 leaves the small model alone (threshold 0, not the equal 0.2).
    assert suggest.most_accurate_within(points, 0.1).threshold == 0.0
    assert suggest.most_accurate_within(points, -0.1) is None


def test_a_long_curve_is_sampled_with_its_ends_and_the_suggestion_kept():
    rows = [[index / 1000, index % 2 == 0, True] for index in range(1, 1000)]
    points = suggest.cascade_curve(rows)
    assert len(points) == 1001
    keep = points[537]
    sample = suggest.curve_sample(points, keep=keep)
    assert sample[0] == points[0] and sample[-1] == points[-1] and keep in sample
    assert len(sample) <= suggest.CURVE_POINTS + 1
    assert [p.threshold for p in sample] == sorted(p.threshold for p in sample)


def test_an_endpoint_answer_counts_only_when_it_is_exactly_one_label():
    labels = ["groceries", "dining", "fuel"]
    assert label_parse("groceries", labels) == "groceries"
    assert label_parse(' "Dining". ', labels) == "dining"
    assert label_parse("Label: fuel", labels) == "fuel"
    assert label_parse("groceries or dining", labels) is None
    assert label_parse("I think it is fuel", labels) is None
    assert label_parse("", labels) is None


def test_the_share_cap_lets_at_most_that_share_of_the_scores_under_it():
    scores = [index / 100 for index in range(100)][::-1]
    assert suggest.share_threshold(scores, 0.2) == 0.2  # 0.00-0.19 are under it: 20 of 100
    assert sum(score < suggest.share_threshold(scores, 0.255) for score in scores) == 25
    # Ties: fewer escalate, never more.
    tied = [0.5] * 60 + [0.9] * 40
    assert sum(score < suggest.share_threshold(tied, 0.3) for score in tied) == 0
    assert suggest.share_threshold(scores, 1.0) is None
    assert suggest.share_threshold(scores[:suggest.MIN_SCORES_FOR_SHARE - 1], 0.2) is None
