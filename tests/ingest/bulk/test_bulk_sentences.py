"""The rule-based sentence splitter."""

import pytest

from slm_platform.ingest.bulk import split_sentences


@pytest.mark.parametrize(("text", "sentences"), [
    ("Dr. Smith paid $3.50 for it. Then he left!",
     ["Dr. Smith paid $3.50 for it.", "Then he left!"]),
    ("We sell fruit, e.g. apples and pears. The U.S. Army buys them.",
     ["We sell fruit, e.g. apples and pears.", "The U.S. Army buys them."]),
    ("Wait... Then it rained... or did it?", ["Wait...", "Then it rained... or did it?"]),
    ('He said "Stop." Then he ran? Yes.', ['He said "Stop."', "Then he ran?", "Yes."]),
    ("Rates rose 3.5 per cent. Prices fell.", ["Rates rose 3.5 per cent.", "Prices fell."]),
    ("Meet at 5 p.m. tomorrow. Bring apples, pears, etc. and plums.",
     ["Meet at 5 p.m. tomorrow.", "Bring apples, pears, etc. and plums."]),
    ("We ship to Acme Inc. They pay. J. K. Rowling wrote it. See Fig. 3 for more.",
     ["We ship to Acme Inc.", "They pay.", "J. K. Rowling wrote it.", "See Fig. 3 for more."]),
    ("great product. would buy again", ["great product.", "would buy again"]),
    ("1. First item\n2. Second item", ["1. First item\n2. Second item"]),
    ("它很好。我喜欢！", ["它很好。", "我喜欢！"]),
    ("  No end mark  ", ["No end mark"]),
    ("", []),
    ("   \n ", []),
])
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences
