"""Fake quantization of a BERT classifier as ONNX Runtime's int8 graphs compute it, for
quantization-aware fine-tuning (qat.py). Values are rounded onto the int8/uint8 grid in the
forward pass and gradients pass straight through the rounding (torch.fake_quantize_*: the
straight-through estimator, zero outside the clamped range).

What each int8 method does to each piece, read from ONNX Runtime 1.31's quantizer and the
graphs the int8 methods write (quantize.py, static_int8.py):

    every Linear (the Q/K/V projections fused into Attention, the attention output, both
    feed-forward projections, the pooler and the classifier head, which the quantizer turns
    from Gemm into MatMul):
        weights   int8, symmetric, one scale per output channel, grid [-127, 127]
                  (QuantType.QInt8, per_channel=True, reduce_range off)
        input     uint8, asymmetric, one scale and zero point per tensor from that tensor's
                  min and max (0 included), every run: DynamicQuantizeLinear
    int8-static, in addition (STATIC_RECIPE):
        the attention output and feed-forward input projections: input and pre-bias output
                  uint8 with ranges calibrated once, MinMax over the calibration rows fed one
                  unpadded row at a time, the graph in fp32 meanwhile (QLinearMatMul)
        the word, position and token-type embeddings and the embedding LayerNorm's weight and
                  bias: uint8, asymmetric, one scale per tensor (QEmbedLayerNormalization)

A factorized (low-rank) layer's two Linears follow their layer's rule. The static ranges are
calibrated before the fine-tune and held there: a short fine-tune at a small learning rate
barely moves them, and the export recalibrates on the final weights anyway.
"""

from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

WEIGHT_QMIN, WEIGHT_QMAX = -127, 127
ACTIVATION_QMAX = 255
# The Linears int8-static quantizes with calibrated ranges (static_int8.STATIC_RECIPE).
STATIC_LINEARS = ("attention.output.dense", "intermediate.dense")
EMBEDDING_TABLES = ("word_embeddings", "position_embeddings", "token_type_embeddings")
_TINY = torch.finfo(torch.float32).tiny


def fake_quant_weight(weight: torch.Tensor) -> torch.Tensor:
    """`weight` ([out, in]) on the symmetric int8 grid, one scale per output channel (row)."""
    absmax = weight.detach().float().abs().amax(dim=1)
    scale = torch.where(absmax > _TINY, absmax / WEIGHT_QMAX, torch.ones_like(absmax))
    zero = torch.zeros_like(scale, dtype=torch.int32)
    return torch.fake_quantize_per_channel_affine(
        weight.float(), scale, zero, 0, WEIGHT_QMIN, WEIGHT_QMAX
    ).to(weight.dtype)


def fake_quant_uint8(x: torch.Tensor, low: torch.Tensor, high: torch.Tensor) -> torch.Tensor:
    """`x` on the uint8 grid spanning [low, high] widened to include 0, as QuantizeLinear
    with ONNX Runtime's scale and zero point (a range of width 0 leaves zeros exact)."""
    low, high = low.float().clamp(max=0), high.float().clamp(min=0)
    scale = (high - low) / ACTIVATION_QMAX
    scale = torch.where(scale > _TINY, scale, torch.ones_like(scale))
    zero = torch.round(-low / scale).clamp(0, ACTIVATION_QMAX).to(torch.int32)
    return torch.fake_quantize_per_tensor_affine(x.float(), scale, zero, 0, ACTIVATION_QMAX).to(
        x.dtype
    )


def fake_quant_tensor(x: torch.Tensor) -> torch.Tensor:
    """`x` on the uint8 grid of its own range (a quantized initializer: embeddings, norms)."""
    detached = x.detach()
    return fake_quant_uint8(x, detached.min(), detached.max())


@dataclass
class _State:
    # While calibrating nothing is quantized: static ranges are measured on the fp32 graph.
    calibrating: bool = False


class ActivationQuant(nn.Module):
    """uint8 fake quantization of an activation: the range of each tensor (dynamic), or a
    range measured while calibrating and then held (static)."""

    def __init__(self, state: _State, *, static: bool):
        super().__init__()
        self.state = state
        self.static = static
        self.register_buffer("low", torch.tensor(float("inf")))
        self.register_buffer("high", torch.tensor(float("-inf")))

    @property
    def calibrated(self) -> bool:
        return bool(torch.isfinite(self.low) and torch.isfinite(self.high))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.state.calibrating:
            if self.static:
                self.low.copy_(torch.minimum(self.low, x.detach().min()))
                self.high.copy_(torch.maximum(self.high, x.detach().max()))
            return x
        if not self.static:
            return fake_quant_tensor(x)
        return fake_quant_uint8(x, self.low, self.high)


class FakeQuantLinear(nn.Module):
    """A Linear computed as its int8 MatMul: quantized input and weight, for a static layer
    the pre-bias output too, then the fp32 bias."""

    def __init__(self, linear: nn.Linear, state: _State, *, static: bool):
        super().__init__()
        self.linear = linear
        self.state = state
        self.input_quant = ActivationQuant(state, static=static)
        self.output_quant = ActivationQuant(state, static=True) if static else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = self.linear.weight
        out = F.linear(
            self.input_quant(x), weight if self.state.calibrating else fake_quant_weight(weight)
        )
        if self.output_quant is not None:
            out = self.output_quant(out)
        return out if self.linear.bias is None else out + self.linear.bias


def is_static_linear(name: str) -> bool:
    """Whether int8-static gives the Linear `name` (or a factorized half of it) calibrated
    ranges."""
    return any(name.endswith(suffix) or f"{suffix}." in name for suffix in STATIC_LINEARS)


@contextmanager
def fake_quantized(model: nn.Module, *, static: bool):
    """`model` with every Linear computed as FakeQuantLinear and, for `static`, its embedding
    tables and embedding LayerNorm on the uint8 grid; as it was on leaving (the Linears
    themselves, trained meanwhile, are put back). Yields the FakeQuantLinears by name."""
    state = _State()
    originals = {
        name: module for name, module in model.named_modules() if isinstance(module, nn.Linear)
    }
    wrappers = {}
    for name, linear in originals.items():
        wrappers[name] = FakeQuantLinear(linear, state, static=static and is_static_linear(name))
        model.set_submodule(name, wrappers[name])
    handles = _embedding_hooks(model, state) if static else []
    try:
        yield wrappers
    finally:
        for handle in handles:
            handle.remove()
        for name, linear in originals.items():
            model.set_submodule(name, linear)


def _embedding_hooks(model: nn.Module, state: _State) -> list:
    """Forward hooks (the modules stay in place, so get_input_embeddings still answers the
    Embedding): a looked-up row quantized with its table's range is the quantized table's row."""

    def table(module, args, output):
        return (
            output
            if state.calibrating
            else fake_quant_uint8(
                output, module.weight.detach().min(), module.weight.detach().max()
            )
        )

    def norm(module, args, output):
        if state.calibrating:
            return output
        return F.layer_norm(
            args[0],
            module.normalized_shape,
            fake_quant_tensor(module.weight),
            fake_quant_tensor(module.bias),
            module.eps,
        )

    handles = []
    for name, module in model.named_modules():
        if ".embeddings" not in f".{name}":
            continue
        if isinstance(module, nn.Embedding) and name.rsplit(".", 1)[-1] in EMBEDDING_TABLES:
            handles.append(module.register_forward_hook(table))
        elif isinstance(module, nn.LayerNorm) and name.endswith("embeddings.LayerNorm"):
            handles.append(module.register_forward_hook(norm))
    return handles


def calibrate(
    model: nn.Module, tokenizer, texts: Sequence[str], *, max_length: int, device: str
) -> None:
    """Measure the static ranges on `texts` as ONNX Runtime's calibrator does: one unpadded
    row at a time (truncated at max_length), nothing quantized meanwhile."""
    quantizers = [
        module
        for module in model.modules()
        if isinstance(module, ActivationQuant) and module.static
    ]
    if not quantizers:
        return
    state = quantizers[0].state
    model.eval()
    state.calibrating = True
    try:
        with torch.no_grad():  # not inference_mode: the ranges are used in training after
            for text in texts:
                encoded = tokenizer(
                    [text], truncation=True, max_length=max_length, return_tensors="pt"
                )
                model(**{key: value.to(device) for key, value in encoded.items()})
    finally:
        state.calibrating = False
    if not all(quantizer.calibrated for quantizer in quantizers):
        raise ValueError("texts: no calibration rows reached the static layers")
