"""A local causal language model for the chat assistants: SmolLM2-135M-Instruct, loaded from
the directory causal_lm_prepare.py fills and decoded greedily, as streamed text or constrained
to a grammar (json_grammar), each generation's timings and counts in DecodeStats. On a GPU it
runs in bf16; on a CPU that multiplies bf16 in hardware the prompt pass runs in bf16 and each
decoding step through int8 weight-only matmuls (decode_int8.py), since decoding is bound by the
weight bytes read per token (docs/chat-generator.md); elsewhere in fp32."""

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import torch

from slm_platform.ml.decode_int8 import int8_decode_layers, int8_decode_supported
from slm_platform.ml.prompt_lookup import CHECK_MAX_TOKENS, greedy_calls, row_attention_use

logger = logging.getLogger(__name__)

# ChatML, the template SmolLM2-Instruct was tuned with.
IM_START, IM_END = "<|im_start|>", "<|im_end|>"
_SPECIAL_MARKERS = ("<|", "|>")


@dataclass
class DecodeStats:
    """One generation's counts and timings, filled in by CausalLM as it decodes."""

    prompt_tokens: int = 0
    new_tokens: int = 0
    first_token_seconds: float = 0.0
    decode_seconds: float = 0.0
    stop: str = ""  # "end" (the model ended its turn), "length", or "caller"
    compiled: bool = False  # decoded by the compiled step (decode_compiled)
    model_calls: int = 0  # the prompt pass included; fewer than new_tokens with prompt lookup
    drafted: int = 0  # tokens prompt lookup proposed (prompt_lookup.py)
    draft_accepted: int = 0  # of new_tokens, those that came from an accepted draft

    @property
    def tokens_per_second(self) -> float:
        steps = self.new_tokens - 1
        return steps / self.decode_seconds if steps > 0 and self.decode_seconds > 0 else 0.0


class CausalLM:
    """A chat model loaded from a prepared directory. Not thread-safe: one generation at a
    time per instance (a worker process runs one task at a time)."""

    def __init__(self, path: Path, *, device: str | None = None,
                 compile_cache_tokens: int = 0, prompt_lookup_tokens: int = 0) -> None:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from slm_platform.ml.runtime import best_device, cpu_fast_bf16

        started = time.perf_counter()
        self.device = device or best_device()
        # bf16 on a GPU or a CPU that multiplies bf16 in hardware (then int8 decoding steps
        # too); fp32 elsewhere, where emulated bf16 is several times slower.
        fast_bf16 = self.device != "cpu" or cpu_fast_bf16()
        self.dtype = torch.bfloat16 if fast_bf16 else torch.float32
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModelForCausalLM.from_pretrained(path, dtype=self.dtype)
        self.model.to(self.device).eval()
        self.int8_decode = self.device == "cpu" and fast_bf16 and int8_decode_supported()
        if self.int8_decode:
            int8_decode_layers(self.model)
        self.stop_ids = {i for i in (self.tokenizer.convert_tokens_to_ids(IM_END),
                                     self.tokenizer.eos_token_id) if i is not None}
        self.max_positions = getattr(self.model.config, "max_position_embeddings", 2048)
        self._token_index = None
        # Draft length of prompt-lookup decoding on the eager path (0: one token per call).
        self.prompt_lookup_tokens = min(max(0, prompt_lookup_tokens), CHECK_MAX_TOKENS - 1)
        if self.prompt_lookup_tokens:
            row_attention_use(self.model)
        # The decoding step compiled in the background where int8 decoding runs (a CPU with
        # hardware bf16), for prompts and replies within compile_cache_tokens (0: never).
        self.compiled_decode = None
        if compile_cache_tokens > 0 and self.int8_decode:
            from slm_platform.ml.decode_compiled import CompiledDecode

            self.compiled_decode = CompiledDecode(self.model, max_cache_len=compile_cache_tokens)
            self.compiled_decode.start()
        logger.info("chat model loaded from %s on %s in %.1f s (%s, int8 decode: %s)", path,
                    self.device, time.perf_counter() - started, self.dtype, self.int8_decode)

    def chat_prompt(self, messages: list[dict]) -> str:
        """ChatML, each turn's text freed of the template's markers: a user cannot close the
        system turn or open a new one by typing them."""
        turns = [f"{IM_START}{m['role']}\n{neutralise(m['content'])}{IM_END}\n"
                 for m in messages]
        return "".join(turns) + f"{IM_START}assistant\n"

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False).input_ids)

    @torch.inference_mode()
    def stream(self, messages: list[dict], *, max_new_tokens: int,
               stats: DecodeStats | None = None) -> Iterator[str]:
        """Greedy decoding, yielding text as it becomes whole characters. Stops at the end of
        the assistant's turn or after max_new_tokens; a caller may stop early by closing."""
        stats = stats if stats is not None else DecodeStats()
        ids = self.tokenizer(self.chat_prompt(messages), return_tensors="pt",
                             add_special_tokens=False).input_ids
        budget = max(0, min(max_new_tokens, self.max_positions - ids.shape[1]))
        ids = ids.to(self.device)
        stats.prompt_tokens = ids.shape[1]
        compiled = self.compiled_decode
        if compiled is not None and compiled.ready and compiled.fits(ids.shape[1], budget) \
                and compiled.lock.acquire(blocking=False):
            stats.compiled = True
            calls = self._compiled_calls(compiled, ids, budget)
        else:
            compiled, calls = None, greedy_calls(self.model, ids, budget=budget,
                                                 draft_tokens=self.prompt_lookup_tokens)
        generated: list[int] = []
        shown = ""
        started = time.perf_counter()
        stats.stop = "length"
        try:
            for tokens, drafted, accepted in calls:
                if stats.model_calls == 0:
                    stats.first_token_seconds = time.perf_counter() - started
                    decode_started = time.perf_counter()
                else:
                    stats.decode_seconds = time.perf_counter() - decode_started
                stats.model_calls += 1
                stats.drafted += drafted
                written = self._before_stop(tokens)
                kept = written[:budget - len(generated)]
                generated += kept
                stats.new_tokens += len(kept)
                stats.draft_accepted += min(accepted, len(kept))
                text = self.tokenizer.decode(generated, skip_special_tokens=True)
                if not text.endswith("\ufffd") and len(text) > len(shown):
                    yield text[len(shown):]
                    shown = text
                if len(written) < len(tokens):
                    stats.stop = "end"
                    break
        except GeneratorExit:
            stats.stop = "caller"
            raise
        finally:
            calls.close()
            if compiled is not None:
                compiled.lock.release()

    def _before_stop(self, tokens: list[int]) -> list[int]:
        """A call's tokens up to the first that ends the turn (a draft may hold one)."""
        for position, token in enumerate(tokens):
            if token in self.stop_ids:
                return tokens[:position]
        return tokens

    def _compiled_calls(self, compiled, ids: torch.Tensor,
                        budget: int) -> Iterator[tuple[list[int], int, int]]:
        """One token per call: the prompt pass, then compiled steps, each previous token sitting
        right after the prompt's and the earlier ones."""
        prompt_tokens = ids.shape[1]
        for step in range(budget):
            if step == 0:
                token = int(compiled.prefill(ids))
            else:
                token = int(compiled.step(ids, prompt_tokens + step - 1))
            yield [token], 0, 0
            ids = torch.tensor([[token]], device=self.device)

    def token_index(self):
        """The vocabulary as text for constrained decoding (json_grammar), built on first use
        (about a second)."""
        from slm_platform.ml.json_grammar import TokenIndex

        if self._token_index is None:
            special = set(self.tokenizer.all_special_ids)
            self._token_index = TokenIndex([
                "" if token_id in special else self.tokenizer.decode([token_id])
                for token_id in range(len(self.tokenizer))])
        return self._token_index

    @torch.inference_mode()
    def generate_constrained(self, messages: list[dict], automaton, *, max_new_tokens: int,
                             stats: DecodeStats | None = None) -> str:
        """Greedy decoding where each step may only pick a token that keeps the text a prefix
        the automaton (json_grammar.Automaton) accepts; ends when the text is whole and
        nothing may follow, or the model ends its turn on a whole text. "" when the budget
        runs out first."""
        from transformers import DynamicCache

        stats = stats if stats is not None else DecodeStats()
        index = self.token_index()
        ids = self.tokenizer(self.chat_prompt(messages), return_tensors="pt",
                             add_special_tokens=False).input_ids
        stats.prompt_tokens = ids.shape[1]
        budget = max(0, min(max_new_tokens, self.max_positions - ids.shape[1]))
        cache, states, text = DynamicCache(), automaton.start, ""
        started = time.perf_counter()
        stats.stop = "length"
        while stats.new_tokens < budget:
            forced = automaton.forced(states)
            if forced:  # what must come next is written at once: one model call for all of it
                forced_ids = self.tokenizer(forced, return_tensors="pt",
                                            add_special_tokens=False).input_ids
                ids, stats.new_tokens = torch.cat([ids, forced_ids], 1), (
                    stats.new_tokens + forced_ids.shape[1])
                text, states = text + forced, automaton.walk(states, forced)
            if automaton.accepting(states) and not automaton.next_chars(states):
                stats.stop = "end"
                break
            logits = self.model(input_ids=ids.to(self.device), past_key_values=cache,
                                use_cache=True, logits_to_keep=1).logits[0, -1]
            options = index.allowed(automaton, states)
            if automaton.accepting(states):
                options = options + [(stop, states) for stop in self.stop_ids]
            if not options:
                break
            candidates = torch.tensor([token for token, _ in options], device=logits.device)
            token, states = options[int(logits[candidates].argmax())]
            if not stats.first_token_seconds:
                stats.first_token_seconds = time.perf_counter() - started
            stats.decode_seconds = time.perf_counter() - started - stats.first_token_seconds
            if token in self.stop_ids:
                stats.stop = "end"
                break
            text, ids = text + index.texts[token], torch.tensor([[token]])
            stats.new_tokens += 1
        return text if automaton.accepting(states) else ""


def neutralise(text: str) -> str:
    """Text with the chat template's special markers broken apart, so it stays plain text."""
    for marker in _SPECIAL_MARKERS:
        text = text.replace(marker, " ".join(marker))
    return text
