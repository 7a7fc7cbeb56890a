"""Pure ML code: encoders, fine-tuning, prediction, metrics.

Nothing below this package imports Django (a ruff rule enforces it); workers call it with plain
paths and lists and get dataclasses back.
"""
