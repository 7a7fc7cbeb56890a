"""Decoding steps of the chat model through torch.compile, on a preallocated key/value cache.

A decoding step multiplies one token through 30 layers: in eager PyTorch the step is bound by
the Python and dispatch work of a few hundred small operations, and a growing cache copies
every layer's keys and values once per token. A static cache (one buffer of `max_cache_len`
positions, written in place) gives every step the same shapes, so one compiled graph serves
them all, with its operations fused into a few kernels. Measured on an AMX Xeon pinned to 2
cores (SmolLM2-135M, bf16 prompt pass, int8 decoding weights, 330-token prompt, 64 new tokens):
eager with the growing cache 31.1 tokens/s, eager with the static cache 31.7, compiled 45.2.

Compiling takes about two minutes of both cores, so it runs once per process in a background
thread (`start`), with the compiled kernels cached on disk (TORCHINDUCTOR_CACHE_DIR, under the
data directory) for the next start; until it is done the eager path answers. Prompts that do
not fit the cache take the eager path too.
"""

import logging
import os
import threading
import time
from pathlib import Path

import torch

logger = logging.getLogger(__name__)


def inductor_cache(directory: Path) -> None:
    """Keep compiled kernels across restarts (unless the environment already says where)."""
    directory.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TORCHINDUCTOR_CACHE_DIR", str(directory))


class CompiledDecode:
    """The model's decoding step compiled for one static cache of `max_cache_len` positions.
    One generation at a time (`lock`), like the model it wraps."""

    def __init__(self, model: torch.nn.Module, *, max_cache_len: int) -> None:
        from transformers import StaticCache

        self.model = model
        self.max_cache_len = max_cache_len
        self.cache = StaticCache(config=model.config, max_cache_len=max_cache_len)
        self.lock = threading.Lock()
        self.seconds = 0.0
        self.error = ""
        self._step = None
        self._ready = threading.Event()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def fits(self, prompt_tokens: int, new_tokens: int) -> bool:
        return prompt_tokens + new_tokens <= self.max_cache_len

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.compile, name="decode-compile", daemon=True)
        thread.start()
        return thread

    def compile(self) -> None:
        """Compile the step and run it twice on a short dummy prompt (the first call compiles).
        A failure leaves the eager path in charge and is logged, never raised."""
        started = time.perf_counter()
        try:
            step = torch.compile(self.model, dynamic=False)
            with self.lock, torch.inference_mode():
                token = self.prefill(torch.ones(1, 4, dtype=torch.long))
                for position in (4, 5):
                    token = self._call(step, token, position)
        except Exception as error:  # noqa: BLE001 - any compiler failure means: stay eager
            self.error = f"{type(error).__name__}: {error}"[:500]
            logger.warning("compiling the chat model's decoding step failed, decoding stays "
                           "eager: %s", self.error)
            return
        self._step = step
        self.seconds = time.perf_counter() - started
        self._ready.set()
        logger.info("chat model decoding step compiled in %.1f s", self.seconds)

    def prefill(self, ids: torch.Tensor) -> torch.Tensor:
        """The prompt pass (eager: its length varies) into a cleared cache; the next token."""
        self.cache.reset()
        out = self.model(input_ids=ids, past_key_values=self.cache, use_cache=True,
                         cache_position=torch.arange(ids.shape[1]), logits_to_keep=1)
        return out.logits[:, -1].argmax(-1, keepdim=True)

    def step(self, token: torch.Tensor, position: int) -> torch.Tensor:
        """One compiled decoding step: `token` at `position`; the next token."""
        return self._call(self._step, token, position)

    def step_logits(self, token: torch.Tensor, position: int) -> torch.Tensor:
        return self._logits(self._step, token, position)

    def wait(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    def _call(self, step, token: torch.Tensor, position: int) -> torch.Tensor:
        return self._logits(step, token, position).argmax(-1, keepdim=True)

    def _logits(self, step, token: torch.Tensor, position: int) -> torch.Tensor:
        out = step(input_ids=token, past_key_values=self.cache, use_cache=True,
                   cache_position=torch.tensor([position]), logits_to_keep=1)
        return out.logits[:, -1]
