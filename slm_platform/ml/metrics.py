"""Classification metrics computed the same way for validation, test and later comparisons."""

from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    hamming_loss,
    precision_recall_fscore_support,
)
from sklearn.preprocessing import MultiLabelBinarizer


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


def multilabel_report(true: list[list[str]], predicted: list[list[str]], labels: list[str]) -> dict:
    """Subset accuracy, micro/macro F1, Hamming loss and per-label P/R/F1 for label sets."""
    binarizer = MultiLabelBinarizer(classes=labels)
    y_true = binarizer.fit_transform(true)
    y_pred = binarizer.transform(predicted)
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred,
                                                                     zero_division=0)
    micro = precision_recall_fscore_support(y_true, y_pred, average="micro", zero_division=0)
    present = [i for i, count in enumerate(support) if count > 0]
    return {
        "examples": len(true),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),  # exact label-set match
        "macro_f1": round(sum(float(f1[i]) for i in present) / max(1, len(present)), 4),
        "micro_f1": round(float(micro[2]), 4),
        "hamming_loss": round(float(hamming_loss(y_true, y_pred)), 4),
        "per_label": {
            label: {"precision": round(float(precision[i]), 4),
                    "recall": round(float(recall[i]), 4), "f1": round(float(f1[i]), 4),
                    "support": int(support[i])}
            for i, label in enumerate(labels)
        },
    }
