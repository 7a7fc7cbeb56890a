"""Review normalisation applied before the model sees a text (training and prediction)."""


def normalise_review(text: str) -> str:
    """Collapse runs of whitespace (including the line breaks of a paragraph) to one space and
    trim the ends.

    Case and punctuation are kept: the tokenizer is uncased anyway, and "!!!" or "NEVER AGAIN"
    are part of what a reviewer says.
    """
    return " ".join(text.split())
