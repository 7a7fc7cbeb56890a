"""The generation half of bench/chat_eval.py: each answerable question's reply written by the
local chat model from its retrieved passages and validated as the assistants do it
(chat.answering.answer_generate), then judged as a whole — grounded (every fact of the final
reply in the passages given) and correct (it holds the expected strings) — with the decoding
speed the targets are stated in, and the CPU facts those figures depend on. Where prompt-lookup
decoding is on (CHAT_PROMPT_LOOKUP_TOKENS), each reply is also written with it off, just
before, so that both speeds are measured under the same load (and the replies compared).

Imported by chat_eval.py after django.setup(); it is no script of its own.
"""

import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

# A prompt of about this many tokens, and this many new ones, for the direct decode timing.
DECODE_PROMPT_TOKENS = 300
DECODE_NEW_TOKENS = 64
DECODE_REPEATS = 3
EXAMPLES = 3


def generator_load():
    """The local generator as the realtime worker builds it (one CausalLM, loaded once)."""
    from django.conf import settings

    from slm_platform.chat.generators import LocalGenerator
    from slm_platform.ml.causal_lm import CausalLM

    path = Path(settings.CHAT_GENERATOR_DIR)
    if not (path / "config.json").exists():
        sys.exit(
            f"no chat model in {path}: run `manage.py prepare_chat_model` first, or pass "
            f"--no-generate"
        )
    return StatsKeeping(
        LocalGenerator(CausalLM(path, prompt_lookup_tokens=settings.CHAT_PROMPT_LOOKUP_TOKENS))
    )


class StatsKeeping:
    """The local generator, keeping the decoding figures of its last reply (answer_generate
    reports only some of them)."""

    def __init__(self, generator) -> None:
        self.generator, self.name, self.model = generator, generator.name, generator.model
        self.stats = None

    def stream(self, messages: list[dict], *, max_new_tokens: int, stats):
        self.stats = stats
        yield from self.generator.stream(messages, max_new_tokens=max_new_tokens, stats=stats)


def generation_passages(hits: list[dict]) -> list[dict]:
    """The hits the worker's prompt gets: those within the margin of the best one."""
    from slm_platform.chat.assistant_services import GENERATION_SCORE_MARGIN

    best = hits[0]["score"]
    return [
        {"title": hit["title"], "text": hit["text"]}
        for hit in hits
        if hit["score"] >= best - GENERATION_SCORE_MARGIN
    ]


def answer_case(generator, assistant_name: str, question: dict, hits: list[dict]) -> dict:
    """One question answered as message_reply answers it: the validated generated text, else
    the best passage as written; then the final reply checked whole."""
    from django.conf import settings

    from slm_platform.chat import grounding
    from slm_platform.chat.answering import answer_generate

    passages = generation_passages(hits)
    generated = answer_generate(
        generator=generator,
        assistant_name=assistant_name,
        question=question["question"],
        passages=passages,
        max_new_tokens=settings.CHAT_GENERATION_MAX_TOKENS,
    )
    reply = generated.text or passages[0]["text"]
    # Of the user's message only the names and identifiers may be echoed, as answering.py
    # allows them: an amount or a date the user wrote is no evidence.
    echoes = [
        fact.text for fact in grounding.reply_facts(question["question"]) if fact.kind == "entity"
    ]
    check = grounding.facts_check(
        reply, [f"{p['title']}\n{p['text']}" for p in passages], also_allowed=echoes
    )
    expected = question.get("answer_contains") or []
    return {
        "question": question["question"],
        "source": "generated" if generated.text else "extractive",
        "outcome": generated.outcome,
        "reply": reply,
        "passages": len(passages),
        "grounded": check.grounded,
        "unsupported": [fact.text for fact in check.unsupported],
        "correct": all(text.lower() in reply.lower() for text in expected),
        "rejected": generated.rejected,
        "rejected_unsupported": [fact["text"] for fact in generated.unsupported],
        "prompt_tokens": generated.prompt_tokens,
        "new_tokens": generated.new_tokens,
        "first_token_seconds": generated.first_token_seconds,
        "first_sentence_seconds": generated.first_sentence_seconds,
        "tokens_per_second": generated.tokens_per_second,
        "model_calls": generator.stats.model_calls,
        "draft_accepted": generator.stats.draft_accepted,
    }


def generation_run(generator, assistant_name: str, cases: list[tuple[dict, list]]) -> dict:
    rows = [
        answer_compared(generator, assistant_name, question, hits) for question, hits in cases
    ]
    return {**generation_summary(rows), "replies": rows}


def answer_compared(generator, assistant_name: str, question: dict, hits: list[dict]) -> dict:
    """The question answered as configured and, where prompt lookup is on, first with it off:
    its speed and whether it wrote the same reply (it must: lookup only saves model calls)."""
    model = generator.model
    draft_tokens = model.prompt_lookup_tokens
    if not draft_tokens:
        return answer_case(generator, assistant_name, question, hits)
    model.prompt_lookup_tokens = 0
    try:
        plain = answer_case(generator, assistant_name, question, hits)
    finally:
        model.prompt_lookup_tokens = draft_tokens
    row = answer_case(generator, assistant_name, question, hits)
    row["tokens_per_second_lookup_off"] = plain["tokens_per_second"]
    row["same_as_lookup_off"] = plain["reply"] == row["reply"]
    return row


def _share(rows: list[dict], key: str) -> float | None:
    return round(sum(row[key] for row in rows) / len(rows), 3) if rows else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def _p90(values: list[float]) -> float | None:
    if len(values) < 2:
        return _median(values)
    return round(statistics.quantiles(values, n=10, method="inclusive")[-1], 3)


def generation_summary(rows: list[dict]) -> dict:
    generated = [row for row in rows if row["source"] == "generated"]
    extractive = [row for row in rows if row["source"] == "extractive"]
    first_tokens = [row["first_token_seconds"] for row in rows if row["first_token_seconds"]]
    return {
        "answers": len(rows),
        "generated": len(generated),
        "extractive": len(extractive),
        "generated_share": round(len(generated) / len(rows), 3) if rows else None,
        "outcomes": dict(Counter(row["outcome"] for row in rows).most_common()),
        "answer_grounded_rate": _share(rows, "grounded"),
        "ungrounded_facts": sum(len(row["unsupported"]) for row in rows),
        "answer_correct_rate": _share(rows, "correct"),
        "answer_correct_generated": _share(generated, "correct"),
        "answer_correct_extractive": _share(extractive, "correct"),
        "first_token_seconds_median": _median(first_tokens),
        "first_token_seconds_p90": _p90(first_tokens),
        "tokens_per_second_median": _median(
            [row["tokens_per_second"] for row in rows if row["tokens_per_second"]]
        ),
        "first_sentence_seconds_median": _median(
            [row["first_sentence_seconds"] for row in generated]
        ),
        "prompt_tokens_median": _median([row["prompt_tokens"] for row in rows]),
        **lookup_summary(rows),
    }


def lookup_summary(rows: list[dict]) -> dict:
    """Prompt lookup's figures: the share of new tokens that came from accepted drafts, new
    tokens per decoding call (1.0 without lookup), and where each reply was also written with
    lookup off, that median speed and how many replies came out the same."""
    new_tokens = sum(row["new_tokens"] for row in rows)
    decode_calls = sum(max(row["model_calls"] - 1, 0) for row in rows)
    decoded = sum(max(row["new_tokens"] - 1, 0) for row in rows)
    figures = {
        "draft_accepted_share": (
            round(sum(row["draft_accepted"] for row in rows) / new_tokens, 3)
            if new_tokens
            else None
        ),
        "tokens_per_decode_call": round(decoded / decode_calls, 2) if decode_calls else None,
    }
    compared = [row for row in rows if "tokens_per_second_lookup_off" in row]
    if compared:
        figures["tokens_per_second_median_lookup_off"] = _median(
            [row["tokens_per_second_lookup_off"] for row in compared if row["tokens_per_second"]]
        )
        figures["same_replies_lookup_off"] = sum(row["same_as_lookup_off"] for row in compared)
        figures["compared_replies"] = len(compared)
    return figures


def cpu_facts(model) -> dict:
    """What the speed targets depend on: without AVX-512 BF16 or AMX the model runs in fp32
    and decodes without the int8 weight copy."""
    import torch
    from django.conf import settings

    from slm_platform.ml.runtime import cpu_fast_bf16

    return {
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "cpu_fast_bf16": cpu_fast_bf16(),
        "cores": os.cpu_count(),
        "threads": settings.CHAT_GENERATION_THREADS,
        "device": model.device,
        "dtype": str(model.dtype).removeprefix("torch."),
        "int8_decode": model.int8_decode,
        "prompt_lookup_tokens": model.prompt_lookup_tokens,
        "torch": torch.__version__,
    }


def decode_prompt(model, cases: list[tuple[str, dict, list]]) -> tuple[int, list[dict]]:
    """A real prompt: of the answerable questions' prompts, the one whose length is closest to
    DECODE_PROMPT_TOKENS, with its length in tokens."""
    from slm_platform.chat.answering import prompt_messages

    prompts = []
    for assistant_name, question, hits in cases:
        messages = prompt_messages(
            assistant_name=assistant_name,
            question=question["question"],
            passages=generation_passages(hits),
        )
        prompts.append((model.count_tokens(model.chat_prompt(messages)), messages))
    return min(prompts, key=lambda prompt: abs(prompt[0] - DECODE_PROMPT_TOKENS))


def decode_speed(model, messages: list[dict]) -> dict:
    """The model alone, greedy, DECODE_NEW_TOKENS new tokens whatever it writes (the stream
    stops at the end of the model's turn): the prompt pass and the decoding rate, median of
    DECODE_REPEATS runs with the generation threads."""
    import torch
    from django.conf import settings

    from slm_platform.ml.runtime import torch_threads

    ids = model.tokenizer(
        model.chat_prompt(messages), return_tensors="pt", add_special_tokens=False
    ).input_ids.to(model.device)
    with torch_threads(settings.CHAT_GENERATION_THREADS), torch.inference_mode():
        runs = [_greedy_timed(model, ids) for _ in range(DECODE_REPEATS)]
    return {
        "prompt_tokens": ids.shape[1],
        "new_tokens": DECODE_NEW_TOKENS,
        "repeats": DECODE_REPEATS,
        "prompt_pass_seconds": round(statistics.median(run[0] for run in runs), 3),
        "tokens_per_second": round(statistics.median(run[1] for run in runs), 2),
    }


def _greedy_timed(model, ids) -> tuple[float, float]:
    from transformers import DynamicCache

    cache = DynamicCache()
    started = time.perf_counter()
    out = model.model(input_ids=ids, past_key_values=cache, use_cache=True, logits_to_keep=1)
    token = out.logits[:, -1:].argmax(-1)
    prompt_pass = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(DECODE_NEW_TOKENS - 1):
        out = model.model(input_ids=token, past_key_values=cache, use_cache=True, logits_to_keep=1)
        token = out.logits[:, -1:].argmax(-1)
    return prompt_pass, (DECODE_NEW_TOKENS - 1) / (time.perf_counter() - started)


def generation_report(assistant_cases: dict[str, tuple[str, list]], *, limit: int | None) -> dict:
    """Generate for each assistant's answerable questions (the first `limit` of each), print
    the figures, and return them: {"assistants": {name: figures}, "cpu", "decode", "targets"}.
    assistant_cases: name -> (the assistant's name as its prompt says it, [(question, hits)])."""
    load_before = os.getloadavg()[0]
    generator = generator_load()
    chosen = {
        name: (assistant_name, cases[:limit])
        for name, (assistant_name, cases) in assistant_cases.items()
    }
    warm_name, warm_cases = next(iter(chosen.values()))
    answer_case(generator, warm_name, *warm_cases[0])  # untimed: first calls allocate
    figures = {
        name: generation_run(generator, assistant_name, cases)
        for name, (assistant_name, cases) in chosen.items()
    }
    facts = cpu_facts(generator.model)
    _, messages = decode_prompt(
        generator.model,
        [
            (assistant_name, question, hits)
            for assistant_name, cases in assistant_cases.values()
            for question, hits in cases
        ],
    )
    decode = decode_speed(generator.model, messages)
    # Every timing here is slower when other processes share the cores: the load says so.
    facts["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    rows = [row for result in figures.values() for row in result["replies"]]
    for name, result in figures.items():
        print_generation(name, result)
    print_examples(rows)
    print_speed(generator.name, facts, decode)
    targets = target_figures(rows, decode)
    print_targets(targets)
    return {"assistants": figures, "cpu": facts, "decode": decode, "targets": targets}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _correct(rows: list[dict]) -> str:
    right = sum(row["correct"] for row in rows)
    return f"{right}/{len(rows)}" + (f" ({right / len(rows):.0%})" if rows else "")


def print_generation(name: str, figures: dict) -> None:
    rows = figures["replies"]
    outcomes = ", ".join(f"{outcome} {count}" for outcome, count in figures["outcomes"].items())
    print(
        f"{name} generation, {figures['answers']} answerable questions: "
        f"{figures['generated']} generated ({_pct(figures['generated_share'])}), "
        f"{figures['extractive']} extractive fallback; outcomes: {outcomes}"
    )
    print(
        f"  answer-grounded {_pct(figures['answer_grounded_rate'])} "
        f"({figures['ungrounded_facts']} ungrounded facts in the final replies, expected 0); "
        f"answer-correct {_correct(rows)}: generated "
        f"{_correct([r for r in rows if r['source'] == 'generated'])}, extractive "
        f"{_correct([r for r in rows if r['source'] == 'extractive'])}"
    )
    print(
        f"  time to first token median {_seconds(figures['first_token_seconds_median'])}, "
        f"p90 {_seconds(figures['first_token_seconds_p90'])}; "
        f"{figures['tokens_per_second_median']} tokens/s median; first accepted sentence "
        f"median {_seconds(figures['first_sentence_seconds_median'])}; prompt "
        f"{figures['prompt_tokens_median']:.0f} tokens median"
    )
    print_lookup(figures)
    for row in rows:
        if row["unsupported"]:
            print(f"  UNGROUNDED reply to {row['question']!r}: {row['unsupported']}")
        if not row["correct"]:
            print(f"  incorrect ({row['source']}): {row['question']!r} -> {row['reply'][:160]!r}")


def print_lookup(figures: dict) -> None:
    line = (
        f"  prompt lookup: {_pct(figures['draft_accepted_share'])} of new tokens from accepted "
        f"drafts, {figures['tokens_per_decode_call']} new tokens per decoding call"
    )
    if "compared_replies" in figures:
        line += (
            f"; {figures['tokens_per_second_median']} tokens/s median against "
            f"{figures['tokens_per_second_median_lookup_off']} with lookup off (each reply "
            f"timed just before; {figures['same_replies_lookup_off']}/"
            f"{figures['compared_replies']} replies identical)"
        )
    print(line)


def _spread(rows: list[dict]) -> list[dict]:
    return rows[:: max(1, len(rows) // EXAMPLES)][:EXAMPLES]


def print_examples(rows: list[dict]) -> None:
    print("example generated replies:")
    for row in _spread([row for row in rows if row["source"] == "generated"]):
        print(f"  {row['question']!r}\n    -> {row['reply']!r}")
    rejected = [row for row in rows if row["rejected"]]
    print("example rejected sentences (never shown to the user):")
    for row in _spread([row for row in rejected if row["rejected_unsupported"]] or rejected):
        print(
            f"  {row['question']!r}\n    rejected ({row['outcome']}): {row['rejected']!r}, "
            f"unsupported: {', '.join(map(repr, row['rejected_unsupported'])) or '-'}"
        )


def print_speed(generator_name: str, facts: dict, decode: dict) -> None:
    print(
        f"generator {generator_name} on {facts['device']}: {facts['dtype']}, int8 decode "
        f"{'on' if facts['int8_decode'] else 'off'}, prompt lookup "
        f"{facts['prompt_lookup_tokens'] or 'off'}; CPU capability {facts['cpu_capability']}, "
        f"hardware bf16 (AVX-512 BF16/AMX) {'yes' if facts['cpu_fast_bf16'] else 'no'}; "
        f"{facts['threads']} generation threads on {facts['cores']} cores; "
        f"torch {facts['torch']}; 1-minute load average {facts['load_average_1min'][0]} "
        f"before generating, {facts['load_average_1min'][1]} after"
    )
    print(
        f"decode, model alone (a real prompt of {decode['prompt_tokens']} tokens, "
        f"{decode['new_tokens']} new tokens without stopping, median of {decode['repeats']}): "
        f"prompt pass {_seconds(decode['prompt_pass_seconds'])}, "
        f"{decode['tokens_per_second']} tokens/s"
    )


def target_figures(rows: list[dict], decode: dict) -> dict:
    """The issue's targets against both assistants' replies: time to first token <= 0.5 s and
    >= 30 tokens/s (on 2 cores), no ungrounded fact in a final reply."""
    summary = generation_summary(rows)
    first_token = summary["first_token_seconds_median"]
    rate = summary["tokens_per_second_median"]
    return {
        "first_token_seconds_median": first_token,
        "first_token_seconds_p90": summary["first_token_seconds_p90"],
        "first_token_met": first_token is not None and first_token <= 0.5,
        "tokens_per_second_median": rate,
        "tokens_per_second_model_alone": decode["tokens_per_second"],
        "tokens_per_second_median_lookup_off": summary.get("tokens_per_second_median_lookup_off"),
        "draft_accepted_share": summary["draft_accepted_share"],
        "tokens_per_second_met": rate is not None and rate >= 30,
        "ungrounded_facts": summary["ungrounded_facts"],
        "ungrounded_met": summary["ungrounded_facts"] == 0,
        "cores": os.cpu_count(),
    }


def _lookup(targets: dict) -> str:
    if targets["tokens_per_second_median_lookup_off"] is None:
        return ""
    return (
        f"{targets['tokens_per_second_median_lookup_off']} with prompt lookup off, "
        f"{_pct(targets['draft_accepted_share'])} of tokens from its drafts; "
    )


def print_targets(targets: dict) -> None:
    def met(ok: bool) -> str:
        return "met" if ok else "NOT MET"

    print(
        f"targets ({targets['cores']} cores; timings are noisy when another process shares "
        f"the cores): time to first token <= 0.5 s: median "
        f"{_seconds(targets['first_token_seconds_median'])} (p90 "
        f"{_seconds(targets['first_token_seconds_p90'])}) {met(targets['first_token_met'])}; "
        f">= 30 tokens/s: median {targets['tokens_per_second_median']} ({_lookup(targets)}model "
        f"alone {targets['tokens_per_second_model_alone']}) "
        f"{met(targets['tokens_per_second_met'])}; "
        f"0 ungrounded facts: "
        f"{targets['ungrounded_facts']} {met(targets['ungrounded_met'])}"
    )
