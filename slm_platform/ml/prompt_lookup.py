"""Greedy decoding with prompt-lookup drafts (speculative decoding without a draft model): the
assistants' replies copy spans of the knowledge-base passages in their prompt, so the tokens
that followed the latest earlier occurrence of the text's last few tokens are a good guess at
what comes next. The model checks a whole draft in one call and keeps only what it would have
written itself, plus its own next token, so the reply is the one step-by-step greedy decoding
writes, in fewer model calls (each reading the weights once for several tokens)."""

from collections.abc import Iterator
from contextvars import ContextVar

import torch

# The n-gram sizes tried, longest first: a 3-token match is a much better guess than a 2-token
# one, and a single token repeats too often to predict what follows it.
NGRAM_SIZES = (3, 2)
# A draft and the token before it are checked as at most this many new tokens in one call.
CHECK_MAX_TOKENS = 16
# The name the model's attention is registered under once it checks drafts (row_attention).
ROW_ATTENTION = "sdpa_draft_rows"
# Set while the model checks a draft (checked_call), for row_attention.
_checking_draft: ContextVar[bool] = ContextVar("checking_draft", default=False)


class PromptLookup:
    """The prompt and the reply so far as one token sequence, with the latest position that
    followed each of its n-grams, so that a draft is found in constant time per token."""

    def __init__(self, tokens: list[int], *, sizes: tuple[int, ...] = NGRAM_SIZES) -> None:
        self.tokens: list[int] = []
        self.sizes = sizes
        # n-gram -> where the token after its latest occurrence stands. An n-gram enters only
        # once a token follows it, so the sequence's own last n-gram never matches itself.
        self._follows: dict[tuple[int, ...], int] = {}
        self.extend(tokens)

    def extend(self, tokens: list[int]) -> None:
        for token in tokens:
            end = len(self.tokens)
            for size in self.sizes:
                if end >= size:
                    self._follows[tuple(self.tokens[end - size:end])] = end
            self.tokens.append(token)

    def draft(self, max_tokens: int) -> list[int]:
        """Up to max_tokens tokens that followed the latest earlier occurrence of the last
        n tokens (the longest n that occurred before); [] when none did."""
        if max_tokens <= 0:
            return []
        for size in self.sizes:
            if len(self.tokens) < size:
                continue
            follows = self._follows.get(tuple(self.tokens[-size:]))
            if follows is not None:
                return self.tokens[follows:follows + max_tokens]
        return []


def accepted_length(draft: list[int], predicted: list[int]) -> int:
    """How many draft tokens the model would have written itself: predicted[i] is its greedy
    choice after the draft's first i tokens."""
    accepted = 0
    while accepted < len(draft) and predicted[accepted] == draft[accepted]:
        accepted += 1
    return accepted


def row_attention(module, query, key, value, attention_mask, **kwargs):
    """Transformers' sdpa attention, except in a call checking a draft (checked_call): there
    each new token attends on its own, exactly as a single decoding step does (no mask; keys
    up to its own position). Queries attending together run another kernel, whose rounding
    differs in the last bits and can flip a near tie in the greedy choice: the checked draft
    would then not always be what step-by-step decoding writes."""
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    if not _checking_draft.get():
        return sdpa_attention_forward(module, query, key, value, attention_mask, **kwargs)
    cached = key.shape[2] - query.shape[2]  # a DynamicCache's keys end with the new tokens'
    rows = [sdpa_attention_forward(module, query[:, :, row:row + 1],
                                   key[:, :, :cached + row + 1], value[:, :, :cached + row + 1],
                                   None, **kwargs)[0]
            for row in range(query.shape[2])]
    return torch.cat(rows, dim=1), None


def row_attention_use(model) -> None:
    """Run the model with row_attention (and sdpa's masks, which a checking call ignores)."""
    from transformers import AttentionInterface
    from transformers.masking_utils import AttentionMaskInterface, sdpa_mask

    AttentionInterface.register(ROW_ATTENTION, row_attention)
    AttentionMaskInterface.register(ROW_ATTENTION, sdpa_mask)
    model.set_attn_implementation(ROW_ATTENTION)


def checked_call(model, ids: torch.Tensor, cache, *, draft: list[int]) -> list[int]:
    """The model's greedy choice after each of `ids` (the previous token) and the draft's
    tokens, the draft's keys and values added to the cache."""
    ids = torch.cat([ids, torch.tensor([draft], device=ids.device)], dim=1)
    checking = _checking_draft.set(True)
    try:
        logits = model(input_ids=ids, past_key_values=cache, use_cache=True,
                       logits_to_keep=len(draft) + 1).logits[0]
    finally:
        _checking_draft.reset(checking)
    return logits.argmax(-1).tolist()


def greedy_calls(model, ids: torch.Tensor, *, budget: int,
                 draft_tokens: int) -> Iterator[tuple[list[int], int, int]]:
    """Each model call's greedy tokens with the length of the draft it checked and how many of
    the first tokens came from that draft: the prompt pass, then a step per token or, where a
    draft is found (draft_tokens > 0), a call that checks the draft, whose rejected tokens'
    keys and values then leave the cache. Never more than `budget` tokens in all."""
    from transformers import DynamicCache

    cache, produced = DynamicCache(), 0
    lookup = PromptLookup(ids[0].tolist()) if draft_tokens > 0 else None
    while produced < budget:
        draft = []
        if lookup is not None and produced:  # after the prompt pass
            draft = lookup.draft(min(draft_tokens, budget - produced - 1))
        if draft:
            predicted = checked_call(model, ids, cache, draft=draft)
        else:
            predicted = [int(model(input_ids=ids, past_key_values=cache, use_cache=True,
                                   logits_to_keep=1).logits[0, -1].argmax())]
        accepted = accepted_length(draft, predicted)
        if accepted < len(draft):
            cache.crop(accepted - len(draft))
        tokens = predicted[:accepted + 1]
        produced += len(tokens)
        if lookup is not None:
            lookup.extend(tokens)
        yield tokens, len(draft), accepted
        ids = torch.tensor([tokens[-1:]], device=ids.device)
