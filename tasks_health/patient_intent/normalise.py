"""Message normalisation applied before the model sees a text (training and prediction)."""


def normalise_message(text: str) -> str:
    """Collapse runs of whitespace (including newlines) to one space and trim the ends.

    Case is kept: the tokenizer is uncased anyway, and "CANT BREATHE" is part of the message.
    """
    return " ".join(text.split())
