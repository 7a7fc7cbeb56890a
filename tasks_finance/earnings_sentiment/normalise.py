"""Sentence normalisation applied before the model sees a text (training and prediction)."""


def normalise_sentence(text: str) -> str:
    """Collapse runs of whitespace (including newlines) to one space and trim the ends.

    Case is kept: "EPS" and "eps" are the same to an uncased tokenizer, and a cased one may use
    the capitals of tickers, segment names and headlines.
    """
    return " ".join(text.split())
