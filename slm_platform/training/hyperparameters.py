"""The hyperparameters a caller may set, with types and bounds; everything else is refused."""

from slm_platform.core.errors import ValidationFailed

# full: fine-tune the encoder (classifiers, or the token classifier for entities);
# fast: frozen sentence embeddings + logistic regression; spacy: spaCy's NER for entities.
RECIPES = ("full", "fast", "spacy")
DEFAULT_RECIPE = "full"

# name: (type, minimum, maximum)
BOUNDS: dict[str, tuple[type, float, float]] = {
    "epochs": (int, 1, 50),
    "target_steps": (int, 0, 1_000_000),
    "learning_rate": (float, 0.0, 1.0),
    "batch_size": (int, 1, 512),
    "max_length": (int, 8, 512),
    "patience": (int, 1, 50),
    "seed": (int, 0, 2**31 - 1),
    "warmup_ratio": (float, 0.0, 0.5),
    "weight_decay": (float, 0.0, 1.0),
    "validation_fraction": (float, 0.01, 0.5),
    "bf16": (bool, 0, 1),
    "freeze_word_embeddings": (bool, 0, 1),
    "head_lr_multiplier": (float, 0.1, 1000.0),
    "label_smoothing": (float, 0.0, 0.5),
    "layer_lr_decay": (float, 0.1, 1.0),
    "average_horizon": (float, 0.0, 10.0),
    "shape_features": (bool, 0, 1),
    "train_on_validation": (bool, 0, 1),
    "anchor_weight": (float, 0.0, 10.0),
    "threshold": (float, 0.01, 0.99),
    "pooling": (str, 0, 0),
}


CHOICES = {"pooling": ("cls", "mean")}


def _check(name: str, value: object) -> object:
    kind, low, high = BOUNDS[name]
    field = f"hyperparameters.{name}"
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise ValidationFailed(f"{field} must be a {kind.__name__}", details={"field": field})
    if kind is str:
        if value not in CHOICES[name]:
            raise ValidationFailed(f"{field} must be one of {', '.join(CHOICES[name])}",
                                   details={"field": field})
        return value
    if kind is not bool and not low <= value <= high:
        raise ValidationFailed(f"{field} must be between {low:g} and {high:g}",
                               details={"field": field})
    return value


def hyperparameters_validate(values: object) -> dict:
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ValidationFailed("hyperparameters must be an object",
                               details={"field": "hyperparameters"})
    unknown = sorted(set(values) - set(BOUNDS))
    if unknown:
        raise ValidationFailed(f"unknown hyperparameters: {', '.join(unknown)}; known: "
                               f"{', '.join(BOUNDS)}", details={"field": "hyperparameters"})
    return {name: _check(name, value) for name, value in values.items()}


def recipe_validate(recipe: object) -> str:
    recipe = recipe or DEFAULT_RECIPE
    if recipe not in RECIPES:
        raise ValidationFailed(f"recipe must be one of {', '.join(RECIPES)}",
                               details={"field": "recipe"})
    return recipe
