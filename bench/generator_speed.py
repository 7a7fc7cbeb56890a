"""The chat generator's speed in each precision the platform can run it in, in one run: time to
first token for a prompt of the assistants' size and decoding tokens/s (greedy, batch 1, the
model never stopping early), medians of 3. Prints the CPU's capabilities, since the platform
picks bf16 + int8 decoding only where the CPU multiplies bf16 in hardware.

    .venv/bin/python bench/generator_speed.py [--threads 2] [--device cpu|cuda]
        [--model DIR] [--random-weights] [--json out.json]

--random-weights builds the same architecture from DIR's config.json with random weights (speed
does not depend on the weights): how it runs on a machine the model cannot be copied to.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=Path(sys.prefix) / "share" /
                        "slm_platform" / "smollm2-135m-instruct")
    parser.add_argument("--random-weights", action="store_true")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--prompt-tokens", type=int, default=330)
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--modes", default="fp32,bf16,bf16-int8,bf16-int8-compiled")
    parser.add_argument("--json", type=Path)
    return parser.parse_args()


def load(args, dtype):
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    if args.random_weights:
        torch.manual_seed(0)
        config = AutoConfig.from_pretrained(args.model)
        model = AutoModelForCausalLM.from_config(config, dtype=dtype)
    else:
        model = AutoModelForCausalLM.from_pretrained(args.model, dtype=dtype)
    return model.to(args.device).eval()


def measure(model, args) -> dict:
    import torch
    from transformers import DynamicCache

    vocab = model.config.vocab_size
    generator = torch.Generator().manual_seed(1)
    prompt = torch.randint(100, vocab, (1, args.prompt_tokens), generator=generator)
    first, rates = [], []
    with torch.inference_mode():
        for _ in range(4):  # the first round warms up and is not counted
            cache = DynamicCache()
            synchronise(args.device)
            started = time.perf_counter()
            out = model(input_ids=prompt.to(args.device), past_key_values=cache,
                        use_cache=True, logits_to_keep=1)
            token = out.logits[:, -1].argmax(-1, keepdim=True)
            synchronise(args.device)
            first.append(time.perf_counter() - started)
            started = time.perf_counter()
            for _ in range(args.new_tokens):
                out = model(input_ids=token, past_key_values=cache, use_cache=True,
                            logits_to_keep=1)
                token = out.logits[:, -1].argmax(-1, keepdim=True)
            synchronise(args.device)
            rates.append(args.new_tokens / (time.perf_counter() - started))
    return {"first_token_s": round(statistics.median(first[1:]), 3),
            "tokens_per_s": round(statistics.median(rates[1:]), 1)}


def measure_compiled(model, args, compiled_decode) -> dict:
    """As the platform decodes once its worker has compiled the step: the prompt pass eager
    into a static cache, each decoding step through the compiled graph. Compile time apart."""
    import torch

    compiled = compiled_decode(model, max_cache_len=args.prompt_tokens + args.new_tokens + 8)
    compiled.compile()
    if not compiled.ready:
        raise SystemExit(f"compiling failed: {compiled.error}")
    vocab = model.config.vocab_size
    prompt = torch.randint(100, vocab, (1, args.prompt_tokens),
                           generator=torch.Generator().manual_seed(1))
    first, rates = [], []
    with torch.inference_mode():
        for _ in range(4):  # the first round warms up and is not counted
            started = time.perf_counter()
            token = compiled.prefill(prompt)
            first.append(time.perf_counter() - started)
            started = time.perf_counter()
            for position in range(args.prompt_tokens, args.prompt_tokens + args.new_tokens):
                token = compiled.step(token, position)
            rates.append(args.new_tokens / (time.perf_counter() - started))
    return {"first_token_s": round(statistics.median(first[1:]), 3),
            "tokens_per_s": round(statistics.median(rates[1:]), 1),
            "compile_s": round(compiled.seconds, 1)}


def _module(relative: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(Path(relative).stem, ROOT / relative)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # torch.compile imports a module's classes by its name
    spec.loader.exec_module(module)
    return module


def synchronise(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def main() -> int:
    args = parse_args()
    import torch

    # By path: the package's __init__ starts Celery, which a bare GPU machine does not have.
    decode_int8 = _module("slm_platform/ml/decode_int8.py")
    cpu_fast_bf16 = _module("slm_platform/ml/runtime.py").cpu_fast_bf16

    torch.set_num_threads(args.threads)
    facts = {"torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability(),
             "cpu_fast_bf16": cpu_fast_bf16(), "threads": args.threads, "device": args.device,
             "prompt_tokens": args.prompt_tokens, "new_tokens": args.new_tokens,
             "random_weights": args.random_weights}
    if args.device.startswith("cuda"):
        facts["gpu"] = torch.cuda.get_device_name()
    print(json.dumps(facts))
    results = {}
    for mode in args.modes.split(","):
        dtype = torch.float32 if mode == "fp32" else torch.bfloat16
        model = load(args, dtype)
        if mode.startswith("bf16-int8"):
            if args.device != "cpu" or not decode_int8.int8_decode_supported():
                continue
            decode_int8.int8_decode_layers(model)
        if mode == "bf16-int8-compiled":
            results[mode] = measure_compiled(model, args, _module(
                "slm_platform/ml/decode_compiled.py").CompiledDecode)
        else:
            results[mode] = measure(model, args)
        print(f"{mode:>18}: first token {results[mode]['first_token_s']:.3f} s, "
              f"{results[mode]['tokens_per_s']:.1f} tokens/s", flush=True)
        del model
    if args.json:
        args.json.write_text(json.dumps({"facts": facts, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
