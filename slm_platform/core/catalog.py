"""The task catalog: every built-in task, registered by an industry app's AppConfig.ready().

Core code asks the catalog for a task by slug and never names an industry. A task spec carries
everything the platform needs to train and serve it: labels, base model, input limits, the
pre-processing hook applied to every text (training and prediction alike) and its starter data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class TaskKind(StrEnum):
    CLASSIFICATION = "classification"
    MULTI_LABEL = "multi_label"
    ENTITIES = "entities"
    CHAT = "chat"


def _unchanged(text: str) -> str:
    return text


def _prediction_unchanged(text: str, prediction: dict) -> dict:
    return prediction


@dataclass(frozen=True)
class StarterData:
    """Labelled rows an industry app writes itself, with a held-out split for honest figures."""

    # (text, label) rows; the label is a list of labels for multi-label tasks, and a list of
    # (start, end, type) character spans for entity tasks.
    train: list[tuple[str, object]]
    test: list[tuple[str, object]]
    # Named parts of the test set reported on their own, e.g. examples unlike anything in train.
    test_slices: dict[str, list[tuple[str, object]]] = field(default_factory=dict)
    # Rows for early stopping, calibration and threshold choices, cut as the test is; None: the
    # starter recipe carves them at random from `train`. A task whose test holds out whole
    # groups (merchants, say) gives its own: a random carve holds none of them out, and a model
    # that separates it perfectly leaves those choices nothing to go on.
    validation: list[tuple[str, object]] | None = None


@dataclass(frozen=True)
class TaskSpec:
    slug: str
    kind: TaskKind
    title: str
    description: str
    labels: tuple[str, ...]
    label_descriptions: dict[str, str] = field(default_factory=dict)
    base_model: str = "all-MiniLM-L6-v2"
    max_input_chars: int = 512
    max_length_tokens: int = 64
    # Applied to every text before the model sees it, in training and prediction alike.
    preprocess: Callable[[str], str] = _unchanged
    # Applied to each prediction with its original text (e.g. attach normalised fields).
    postprocess: Callable[[str, dict], dict] = _prediction_unchanged
    starter_data: Callable[[], StarterData] | None = None
    examples: tuple[str, ...] = ()
    # One prediction of `examples[0]` as served, for the API documentation (the OpenAPI schema
    # shows it for the task); None derives a plain one from the kind and labels.
    output_example: dict | None = None
    # Built-in tasks have a fixed label set; a custom task's may still grow with its first data.
    labels_fixed: bool = True
    custom: bool = False
    # How a bulk job splits TXT/PDF/DOCX text into items: "line", "paragraph" or "sentence";
    # None lets the platform choose by kind (lines for entities, sentences otherwise).
    document_unit: str | None = None
    # Keys of the served prediction a bulk job's CSV and XLSX results show as columns of their
    # own, after the kind's (JSONL results carry the whole prediction anyway).
    result_fields: tuple[str, ...] = ()
    # How an entity task's starter model is trained: "minilm" (token classifier) or "spacy"
    # (spaCy's NER), chosen per task by held-out F1 (bench/starter_models.py).
    entity_backend: str = "minilm"

    @property
    def industry(self) -> str:
        return "custom" if self.custom else self.slug.split(".", 1)[0]


class TaskCatalog:
    def __init__(self) -> None:
        self._specs: dict[str, TaskSpec] = {}

    def register(self, spec: TaskSpec) -> None:
        existing = self._specs.get(spec.slug)
        if existing is not None and existing is not spec:
            raise ValueError(f"task {spec.slug!r} is already registered")
        self._specs[spec.slug] = spec

    def get(self, slug: str) -> TaskSpec | None:
        return self._specs.get(slug)

    def all(self) -> list[TaskSpec]:
        return sorted(self._specs.values(), key=lambda spec: spec.slug)

    def in_registration_order(self) -> list[TaskSpec]:
        """Apps' tasks in INSTALLED_APPS order, each app's in the order it lists them: the
        order starter models are trained in, so an app puts its first task first."""
        return list(self._specs.values())


catalog = TaskCatalog()


def output_example(spec: TaskSpec) -> dict:
    """A prediction of the task's shape, for documentation."""
    if spec.output_example is not None:
        return spec.output_example
    if spec.kind == TaskKind.ENTITIES:
        label = spec.labels[0] if spec.labels else "ENTITY"
        return {"entities": [{"start": 0, "end": 5, "label": label, "text": "Acme ",
                              "score": 0.94}]}
    labels = list(spec.labels[:3]) or ["label"]
    scores = dict(zip(labels, (0.91, 0.06, 0.03), strict=False))
    example = {"label": labels[0], "score": scores[labels[0]], "scores": scores}
    if spec.kind == TaskKind.MULTI_LABEL:
        example["labels"] = labels[:1]
    return example
