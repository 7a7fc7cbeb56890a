"""The chat model's decoding steps through int8 weight-only matmuls, on a CPU that multiplies
bf16 in hardware: each linear layer keeps its bf16 weight for the prompt pass and a per-row int8
copy for decoding steps and prompt-lookup draft checks. Decoding is bound by the weight bytes
read per token, and the int8 copy halves them (docs/chat-generator.md)."""

import torch
from torch import nn
from torch.nn import functional

from slm_platform.ml.prompt_lookup import CHECK_MAX_TOKENS


class PrefillBf16DecodeInt8(nn.Module):
    """A linear layer that multiplies many tokens (the prompt) with its bf16 weight and a few
    (a decoding step, or a step checking a prompt-lookup draft) with a per-row int8 copy, which
    halves the bytes read per step. A draft is checked with the same int8 weights as a single
    step, so that speculative decoding writes exactly what step-by-step decoding writes."""

    # At most this many tokens go through the int8 weights (a draft and the step's token).
    INT8_MAX_ROWS = CHECK_MAX_TOKENS

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        weight = linear.weight.detach()
        self.weight = weight
        self.bias = linear.bias
        scales = weight.float().abs().amax(dim=1).clamp(min=1e-8) / 127
        self.qweight = torch.round(weight.float() / scales[:, None]).clamp(-127, 127).to(
            torch.int8)
        self.scales = scales.to(weight.dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.shape[:-1].numel()
        if rows > self.INT8_MAX_ROWS:
            return functional.linear(x, self.weight, self.bias)
        out = torch._weight_int8pack_mm(x.reshape(rows, -1), self.qweight, self.scales)
        if self.bias is not None:
            out = out + self.bias
        return out.reshape(*x.shape[:-1], -1)


def int8_decode_supported() -> bool:
    """Whether this torch build has the int8 weight-only matmul on CPU."""
    try:
        x = torch.ones(1, 32, dtype=torch.bfloat16)
        torch._weight_int8pack_mm(x, torch.ones(8, 32, dtype=torch.int8),
                                  torch.ones(8, dtype=torch.bfloat16))
        return True
    except (AttributeError, RuntimeError, NotImplementedError):
        return False


def int8_decode_layers(model: nn.Module) -> int:
    """Replace every plain linear layer of the model with PrefillBf16DecodeInt8, in place;
    how many were replaced."""
    replaced = 0
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if type(child) is nn.Linear:
                setattr(parent, name, PrefillBf16DecodeInt8(child))
                replaced += 1
    return replaced
