"""Prompt-lookup decoding: the draft lookup on its own, and the real SmolLM2 writing with it
exactly what it writes without it (greedy), the token budget and the end of the turn kept."""

import pytest
import torch
from torch import nn

from slm_platform.chat.generators import local_model_dir
from slm_platform.ml.causal_lm import CausalLM, DecodeStats
from slm_platform.ml.decode_int8 import PrefillBf16DecodeInt8, int8_decode_supported
from slm_platform.ml.prompt_lookup import PromptLookup, accepted_length


def test_a_draft_is_what_followed_the_latest_earlier_occurrence_of_the_last_three_tokens():
    lookup = PromptLookup([1, 2, 3, 10, 11, 1, 2, 3, 20, 21, 22, 5, 1, 2, 3])
    assert lookup.draft(2) == [20, 21]
    assert lookup.draft(10) == [20, 21, 22, 5, 1, 2, 3]


def test_two_tokens_are_matched_when_three_never_occurred_before():
    lookup = PromptLookup([4, 5, 6, 9, 8, 5, 6])
    assert lookup.draft(3) == [9, 8, 5]  # (8, 5, 6) never occurred; (5, 6) did
    assert PromptLookup([4, 5, 6, 9, 8, 5, 6], sizes=(3,)).draft(3) == []


def test_no_draft_without_an_earlier_occurrence_and_the_end_never_matches_itself():
    assert PromptLookup([1, 2, 3, 4]).draft(5) == []
    assert PromptLookup([1, 2, 3]).draft(5) == []
    assert PromptLookup([]).draft(5) == []
    assert PromptLookup([1, 2, 3, 9, 1, 2, 3]).draft(0) == []


def test_extending_the_sequence_finds_the_reply_s_own_repeats():
    lookup = PromptLookup([1, 2, 3])
    lookup.extend([4, 1, 2])
    assert lookup.draft(4) == [3, 4, 1, 2]
    lookup.extend([3])
    assert lookup.draft(4) == [4, 1, 2, 3]


def test_accepted_length_is_the_prefix_the_model_would_have_written():
    assert accepted_length([5, 6, 7], [5, 6, 9, 1]) == 2
    assert accepted_length([5, 6, 7], [5, 6, 7, 1]) == 3
    assert accepted_length([5], [4, 5]) == 0
    assert accepted_length([], [3]) == 0


@pytest.mark.skipif(not int8_decode_supported(), reason="no int8 weight-only matmul")
def test_a_few_rows_go_through_the_int8_weights_each_as_a_single_row_would():
    torch.manual_seed(0)
    layer = PrefillBf16DecodeInt8(nn.Linear(64, 96, dtype=torch.bfloat16))
    rows = torch.randn(1, PrefillBf16DecodeInt8.INT8_MAX_ROWS, 64, dtype=torch.bfloat16)
    together = layer(rows)
    one_by_one = torch.cat([layer(rows[:, i:i + 1]) for i in range(rows.shape[1])], dim=1)
    assert torch.equal(together, one_by_one)
    prompt = torch.randn(1, PrefillBf16DecodeInt8.INT8_MAX_ROWS + 1, 64, dtype=torch.bfloat16)
    assert torch.equal(layer(prompt), nn.functional.linear(prompt, layer.weight, layer.bias))


PASSAGES = (
    "Standard delivery costs £3.95 and takes 3 to 5 working days. Express delivery costs "
    "£6.95 and arrives the next working day if you order before 1pm. You can return an item "
    "within 30 days of delivery for a full refund. Sale items can be returned within 14 days.")
QUESTIONS = ["How much is express delivery and when does it arrive?",
             "How long do I have to return a sale item?",
             "What does standard delivery cost?"]


def messages(question: str) -> list[dict]:
    return [{"role": "system", "content": "You are a customer support assistant. Answer in "
             "one or two sentences using only facts from the passage.\n\nPassage:\n" + PASSAGES},
            {"role": "user", "content": question}]


@pytest.fixture(scope="module")
def models():
    if not (local_model_dir() / "config.json").exists():
        pytest.skip("the chat model is not prepared (manage.py prepare_chat_model)")
    plain = CausalLM(local_model_dir(), device="cpu")
    lookup = CausalLM(local_model_dir(), device="cpu", prompt_lookup_tokens=6)
    return plain, lookup


def written(model: CausalLM, conversation: list[dict], max_new_tokens: int):
    stats = DecodeStats()
    text = "".join(model.stream(conversation, max_new_tokens=max_new_tokens, stats=stats))
    return text, stats


def test_replies_with_prompt_lookup_are_those_of_plain_greedy_decoding(models):
    plain, lookup = models
    assert plain.prompt_lookup_tokens == 0 and lookup.prompt_lookup_tokens == 6
    for question in QUESTIONS:
        expected, plain_stats = written(plain, messages(question), 60)
        text, stats = written(lookup, messages(question), 60)
        assert text == expected, question
        assert (stats.new_tokens, stats.stop) == (plain_stats.new_tokens, plain_stats.stop)
        assert plain_stats.draft_accepted == 0 and plain_stats.model_calls == (
            plain_stats.new_tokens + (plain_stats.stop == "end"))
        assert stats.draft_accepted > 0, question  # the passage's words were copied
        assert stats.model_calls < plain_stats.model_calls
        assert stats.draft_accepted <= stats.drafted


def test_the_token_budget_is_kept_exactly_even_inside_an_accepted_draft(models):
    plain, lookup = models
    question = messages(QUESTIONS[0])
    for budget in range(1, 16):
        expected, plain_stats = written(plain, question, budget)
        text, stats = written(lookup, question, budget)
        assert (text, stats.new_tokens, stats.stop) == (
            expected, plain_stats.new_tokens, plain_stats.stop), budget
        assert stats.new_tokens <= budget


def test_the_turn_ends_where_the_model_ends_it_even_inside_an_accepted_draft(models,
                                                                            monkeypatch):
    """The earlier answer, its end-of-turn marker and the next turn's start are in the prompt:
    a draft copying them holds the marker, and nothing after it is written."""
    plain, lookup = models
    drafts = []

    class Recorded(PromptLookup):
        def draft(self, max_tokens: int) -> list[int]:
            drafts.append(super().draft(max_tokens))
            return drafts[-1]

    monkeypatch.setattr("slm_platform.ml.prompt_lookup.PromptLookup", Recorded)
    answer = "Standard delivery costs £3.95."
    conversation = [*messages(QUESTIONS[2]), {"role": "assistant", "content": answer},
                    {"role": "user", "content": QUESTIONS[2]}]
    expected, plain_stats = written(plain, conversation, 40)
    text, stats = written(lookup, conversation, 40)
    assert plain_stats.stop == "end" and expected == answer
    assert (text, stats.new_tokens, stats.stop) == (expected, plain_stats.new_tokens, "end")
    assert set(drafts[-1]) & lookup.stop_ids  # the last call checked the marker
