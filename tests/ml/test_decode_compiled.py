"""The compiled decoding step against the eager model it compiles, on a tiny random Llama of
SmolLM2's architecture (compiling it takes seconds, the real one minutes)."""

import pytest
import torch
from transformers import AutoTokenizer, DynamicCache, LlamaConfig, LlamaForCausalLM

from slm_platform.chat.generators import local_model_dir
from slm_platform.ml.causal_lm import CausalLM, DecodeStats
from slm_platform.ml.decode_compiled import CompiledDecode
from slm_platform.ml.runtime import cpu_fast_bf16

TINY = {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
        "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 256,
        "tie_word_embeddings": True}


def tiny_model(vocab_size: int = 512) -> LlamaForCausalLM:
    torch.manual_seed(0)
    return LlamaForCausalLM(LlamaConfig(vocab_size=vocab_size, **TINY)).eval()


def test_compiled_steps_give_the_eager_models_logits():
    model = tiny_model()
    compiled = CompiledDecode(model, max_cache_len=32)
    compiled.compile()
    assert compiled.ready, compiled.error
    prompt = torch.tensor([[5, 17, 42, 7, 99]])
    with torch.inference_mode():
        token = compiled.prefill(prompt)
        cache = DynamicCache()
        eager = model(input_ids=prompt, past_key_values=cache, use_cache=True)
        assert int(eager.logits[0, -1].argmax()) == int(token)
        for position in range(prompt.shape[1], prompt.shape[1] + 6):
            logits = compiled.step_logits(token, position)
            expected = model(input_ids=token, past_key_values=cache, use_cache=True).logits[:, -1]
            torch.testing.assert_close(logits, expected, atol=1e-4, rtol=1e-4)
            token = expected.argmax(-1, keepdim=True)
    assert compiled.fits(20, 12) and not compiled.fits(21, 12)


@pytest.mark.skipif(not cpu_fast_bf16(), reason="int8 decoding (and so compiling) needs a CPU "
                    "with hardware bf16")
def test_the_chat_model_decodes_through_the_compiled_step_once_it_is_ready(tmp_path):
    """CausalLM with the real tokenizer and a tiny model: the first replies may come from the
    eager path; once compiled, replies say so and end as the eager model's do."""
    tokenizer = AutoTokenizer.from_pretrained(local_model_dir())
    tiny_model(len(tokenizer)).save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    eager = CausalLM(tmp_path, device="cpu")
    model = CausalLM(tmp_path, device="cpu", compile_cache_tokens=128)
    assert eager.compiled_decode is None and model.compiled_decode is not None
    assert model.compiled_decode.wait(300), model.compiled_decode.error
    messages = [{"role": "user", "content": "Where is my parcel?"}]
    stats, eager_stats = DecodeStats(), DecodeStats()
    text = "".join(model.stream(messages, max_new_tokens=8, stats=stats))
    eager_text = "".join(eager.stream(messages, max_new_tokens=8, stats=eager_stats))
    assert stats.compiled and not eager_stats.compiled
    assert stats.new_tokens == eager_stats.new_tokens and text and eager_text
    # A prompt with its reply past the cache decodes eagerly.
    long = [{"role": "user", "content": "parcel " * 200}]
    stats = DecodeStats()
    "".join(model.stream(long, max_new_tokens=4, stats=stats))
    assert not stats.compiled and stats.new_tokens + (stats.stop == "end") >= 1
