from slm_platform.training.splits import split_records


def test_many_rare_labels_still_leave_validation_and_test_rows():
    # 60 labels with one row each: a stratified 10% rounds to nothing for every label.
    records = [{"row": i + 2, "text": f"text {i}", "labels": [f"label-{i}"], "split": None}
               for i in range(60)]
    split = split_records(records, seed=13, fraction=0.1)
    counts = split.summary()["counts"]
    assert counts["validation"] > 0 and counts["test"] > 0
    assert sum(counts.values()) == 60
    assert split_records(records, seed=13, fraction=0.1).rows() == split.rows()
