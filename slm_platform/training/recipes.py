"""Recipes: default hyperparameters per recipe, merged with what the caller set."""

from slm_platform.core.catalog import TaskSpec
from slm_platform.ml.types import TrainConfig

RECIPE_DEFAULTS = {
    "full": {"epochs": 6, "learning_rate": 1e-4, "batch_size": 32, "patience": 2},
    "fast": {},
}


def base_model_for(spec: TaskSpec) -> str:
    return spec.base_model


def recipe_config(*, spec: TaskSpec, recipe: str, hyperparameters: dict) -> dict:
    """The full TrainConfig as a dict: defaults, then the recipe's, then the caller's."""
    config = TrainConfig(base_model=base_model_for(spec), max_length=spec.max_length_tokens)
    return config.as_dict() | RECIPE_DEFAULTS[recipe] | hyperparameters
