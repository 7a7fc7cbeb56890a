"""Classification metrics computed the same way for validation, test and later comparisons."""

from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support


def classification_report(true: list[str], predicted: list[str], labels: list[str]) -> dict:
    """Accuracy, macro-F1, per-label precision/recall/F1/support and the confusion matrix."""
    precision, recall, f1, support = precision_recall_fscore_support(
        true, predicted, labels=labels, zero_division=0
    )
    per_label = {
        label: {
            "precision": round(float(precision[i]), 4),
            "recall": round(float(recall[i]), 4),
            "f1": round(float(f1[i]), 4),
            "support": int(support[i]),
        }
        for i, label in enumerate(labels)
    }
    present = [i for i, count in enumerate(support) if count > 0]
    macro_f1 = sum(float(f1[i]) for i in present) / len(present) if present else 0.0
    # Micro-F1 over the labels present in the truth: equals accuracy unless some predicted
    # labels are outside them (e.g. an "out of scope" class left out of the label list).
    micro = precision_recall_fscore_support(true, predicted, labels=[labels[i] for i in present],
                                            average="micro", zero_division=0)
    return {
        "examples": len(true),
        "accuracy": round(float(accuracy_score(true, predicted)), 4),
        "macro_f1": round(macro_f1, 4),
        "micro_f1": round(float(micro[2]), 4),
        "per_label": per_label,
        "confusion_matrix": {
            "labels": labels,
            "matrix": confusion_matrix(true, predicted, labels=labels).tolist(),
        },
    }
