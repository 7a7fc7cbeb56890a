"""Option checks of the methods that train (distill, prune, low-rank): each returns the value
with its default filled in, or raises ValueError whose message starts with the option's name
(the API turns it into a 400 naming the field). Pure Python: the web process runs these."""

import math
from collections.abc import Sequence

# Options every training method takes, with their defaults (a method may change a default).
# alpha, the weight of the labels against the source's soft targets, measured on CLINC150
# (MiniLM source fine-tuned one epoch; one seed each, GPU; validation / test accuracy):
# 3-layer student alpha 0.9 94.74 / 83.47 against alpha 0.5 94.29 / 82.40 (out-of-scope recall
# 28.9 against 23.8); 4-layer pruned, recovery with labels alone (alpha 1) 93.71 / 82.25
# against alpha 0.5 93.65 / 81.89. A weak source teaches less than its labels do; unlabelled
# texts learn from the soft targets alone, at (1 - alpha) T^2.
TRAINING_DEFAULTS = {"epochs": 3, "max_steps": 0, "learning_rate": 1e-4, "alpha": 0.9,
                     "temperature": 2.0}
TRAINING_OPTION_NAMES = ("max_steps", "learning_rate", "alpha", "temperature")


def check_known(options: dict, known: Sequence[str]) -> None:
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown option; known: {', '.join(sorted(known))}")


def integer(options: dict, name: str, *, default: int, low: int, high: int) -> int:
    value = options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, not {value!r}")
    return value


def number(options: dict, name: str, *, default: float, low: float, high: float,
           low_open: bool = False) -> float:
    value = options.get(name, default)
    valid = (isinstance(value, int | float) and not isinstance(value, bool)
             and math.isfinite(value) and (low < value if low_open else low <= value)
             and value <= high)
    if not valid:
        bound = f"over {low}" if low_open else f"from {low}"
        raise ValueError(f"{name} must be a number {bound} to {high}, not {value!r}")
    return float(value)


def choice(options: dict, name: str, *, default: str, allowed: Sequence[str]) -> str:
    value = options.get(name, default)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def training_options_clean(options: dict, *, epochs_name: str = "epochs",
                           defaults: dict | None = None) -> dict:
    """The training options (epochs under `epochs_name`), defaults filled in."""
    defaults = TRAINING_DEFAULTS | (defaults or {})
    return {
        epochs_name: integer(options, epochs_name, default=defaults["epochs"], low=1, high=50),
        "max_steps": integer(options, "max_steps", default=defaults["max_steps"], low=0,
                             high=1_000_000),
        "learning_rate": number(options, "learning_rate", default=defaults["learning_rate"],
                                low=0.0, high=0.01, low_open=True),
        "alpha": number(options, "alpha", default=defaults["alpha"], low=0.0, high=1.0),
        "temperature": number(options, "temperature", default=defaults["temperature"],
                              low=0.5, high=20.0),
    }
