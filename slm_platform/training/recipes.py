"""Recipes: default hyperparameters per recipe, merged with what the caller set."""

from slm_platform.core.catalog import TaskKind, TaskSpec
from slm_platform.ml.types import TrainConfig

RECIPE_DEFAULTS = {
    "full": {"epochs": 6, "learning_rate": 1e-4, "batch_size": 32, "patience": 2},
    "fast": {},
    "spacy": {"epochs": 30, "batch_size": 16, "patience": 4},
}
# Token classification learns from fewer, longer examples: more epochs, smaller batches.
ENTITY_FULL_DEFAULTS = {"epochs": 10, "learning_rate": 1e-4, "batch_size": 16, "patience": 3}


def base_model_for(spec: TaskSpec) -> str:
    return spec.base_model


def recipe_config(*, spec: TaskSpec, recipe: str, hyperparameters: dict) -> dict:
    """The full TrainConfig as a dict: defaults, then the recipe's, then the caller's."""
    config = TrainConfig(base_model=base_model_for(spec), max_length=spec.max_length_tokens,
                         multi_label=spec.kind == TaskKind.MULTI_LABEL).as_dict()
    config |= RECIPE_DEFAULTS[recipe]
    if spec.kind == TaskKind.ENTITIES and recipe == "full":
        config |= ENTITY_FULL_DEFAULTS
    return config | hyperparameters
