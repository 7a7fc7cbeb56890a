"""Word-shape features for the token classifier.

MiniLM is uncased: "Apple", "apple" and "APPLE" reach it as the same ids, yet in noisy user
text capitalisation is much of what marks a name. Each token gets one shape id from the original
text: the shape of the whitespace-delimited word it sits in (URL, @user, #tag, number,
punctuation, lower, Title, UPPER, single capital, mIxEd, alphanumeric) times the case of the
token's own characters. The id's embedding is added to the token's input embedding, so the
encoder sees case in context. Serving computes the ids the same way from the text and the
tokenizer's character offsets.
"""

import re
from collections.abc import Sequence

import torch
from torch import nn
from transformers import BertModel, BertPreTrainedModel
from transformers.modeling_outputs import TokenClassifierOutput

SHAPES_VERSION = "word-case-v1"  # stored in artifact.json: change it if the ids change
WORD_SHAPES = ("special", "url", "mention", "hashtag", "number", "punctuation", "lower", "title",
               "upper", "single-capital", "mixed", "alphanumeric")
TOKEN_CASES = ("special", "no-letters", "lower", "title", "upper", "mixed")
NUM_SHAPES = len(WORD_SHAPES) * len(TOKEN_CASES)
SPECIAL = 0  # special tokens and padding
_URL = re.compile(r"^(https?://|www\.)", re.IGNORECASE)
_WORD = re.compile(r"\S+")


def _letter_case(letters: str) -> str:
    if letters.islower():
        return "lower"
    if letters.isupper():
        return "upper"
    if letters[0].isupper() and (len(letters) == 1 or letters[1:].islower()):
        return "title"
    return "mixed"


def word_shape(word: str) -> int:
    """The shape id of a whitespace-delimited word (leading/trailing punctuation ignored)."""
    if _URL.match(word):
        return WORD_SHAPES.index("url")
    if len(word) > 1 and word[0] == "@":
        return WORD_SHAPES.index("mention")
    if len(word) > 1 and word[0] == "#":
        return WORD_SHAPES.index("hashtag")
    start, end = 0, len(word)
    while start < end and not word[start].isalnum():
        start += 1
    while end > start and not word[end - 1].isalnum():
        end -= 1
    core = word[start:end]
    letters = "".join(c for c in core if c.isalpha())
    if not core:
        return WORD_SHAPES.index("punctuation")
    if not letters:
        return WORD_SHAPES.index("number")
    if any(c.isdigit() for c in core):
        return WORD_SHAPES.index("alphanumeric")
    case = _letter_case(letters)
    if case == "upper" and len(letters) == 1:
        return WORD_SHAPES.index("single-capital")
    return WORD_SHAPES.index(case)


def token_case(piece: str) -> int:
    letters = "".join(c for c in piece if c.isalpha())
    if not letters:
        return TOKEN_CASES.index("no-letters")
    case = _letter_case(letters)
    if case == "upper" and len(letters) == 1:
        case = "title"
    return TOKEN_CASES.index(case)


def shape_ids(text: str, offsets: Sequence[Sequence[int]]) -> list[int]:
    """One shape id per token, from the token's (start, end) character offsets into `text`;
    special tokens and padding, whose offsets are empty, get SPECIAL."""
    shape_at = [SPECIAL] * len(text)
    for match in _WORD.finditer(text):
        shape = word_shape(match.group())
        shape_at[match.start():match.end()] = [shape] * (match.end() - match.start())
    ids = []
    for start, end in offsets:
        if start == end:
            ids.append(SPECIAL)
        else:
            ids.append(shape_at[start] * len(TOKEN_CASES) + token_case(text[start:end]))
    return ids


def padded_shape_ids(texts: Sequence[str], offsets: Sequence[Sequence[Sequence[int]]],
                     width: int) -> torch.Tensor:
    rows = [shape_ids(text, row)[:width] for text, row in zip(texts, offsets, strict=True)]
    return torch.tensor([row + [SPECIAL] * (width - len(row)) for row in rows])


class ShapedTokenClassifier(BertPreTrainedModel):
    """BERT token classification with a shape embedding added to the input embeddings."""

    def __init__(self, config):
        super().__init__(config)
        self.num_labels = config.num_labels
        self.bert = BertModel(config, add_pooling_layer=False)
        self.shape_embeddings = nn.Embedding(NUM_SHAPES, config.hidden_size)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, shape_ids=None,
                labels=None, **_unused) -> TokenClassifierOutput:
        embeds = self.bert.embeddings.word_embeddings(input_ids)
        if shape_ids is not None:
            embeds = embeds + self.shape_embeddings(shape_ids)
        hidden = self.bert(inputs_embeds=embeds, attention_mask=attention_mask,
                           token_type_ids=token_type_ids).last_hidden_state
        logits = self.classifier(self.dropout(hidden))
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(logits.view(-1, self.num_labels),
                                               labels.view(-1), ignore_index=-100)
        return TokenClassifierOutput(loss=loss, logits=logits)
