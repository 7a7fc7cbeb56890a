"""Low-rank factorization: encoder linear layers replaced by two thinner ones (truncated SVD).

Each selected linear layer of the transformer layers (`modules`: the feed-forward
intermediate/output by default, or the attention query/key/value/output, or all), W (out x
in), is factorized as W ~ U_r S_r V_r^T with the smallest rank r whose singular values keep
`energy` of the sum of squared singular values, and only where that stores fewer weights
(r (in + out) < in out). It becomes Linear(in, r, no bias) followed by Linear(r, out, with W's
bias), the square root of S_r folded into each side. A recovery fine-tune (the distillation
mix, the source as teacher) follows.

The artifact keeps the factorized weights and records the structure in low_rank.json (module
name -> rank); `load_pretrained` rebuilds it when an artifact is loaded (TextClassifier and the
ONNX export load through it), and `densify` multiplies it back into plain layers.
"""

import json
from collections.abc import Callable
from pathlib import Path

from slm_platform.ml.compression import options as checks
from slm_platform.ml.compression import training

LOW_RANK_FILE = "low_rank.json"
WEIGHTS_FILE = "model.safetensors"
# Which linear layers of each transformer layer may be factorized, by `modules` option.
MODULE_KINDS = {
    "attention": ("attention.self.query", "attention.self.key", "attention.self.value",
                  "attention.output.dense"),
    "ffn": ("intermediate.dense", "output.dense"),
}
MODULE_CHOICES = ("all", "attention", "ffn")
# Feed-forward layers only by default: factorized query/key/value no longer match the pattern
# of ONNX Runtime's BERT fusions, and the exported graph loses its fused Attention and
# EmbedLayerNormalization ops (seen in the fused graph; FFN-only keeps Attention and BiasGelu).
# Measured on CLINC150 MiniLM with "all" at energy 0.9 (35 of 36 layers factorized, 9% fewer
# parameters): accuracy +0.5 points after 2 recovery epochs, but speed no better than the source
# (throughput 0.98x / 1.20x, batch-1 latency 1.13x / 0.72x in two rounds, 1 thread).
DEFAULTS = {"energy": 0.9, "modules": "ffn", "recovery_epochs": 2}


def low_rank_options_clean(options: dict) -> dict:
    checks.check_known(options, ("energy", "modules", "recovery_epochs",
                                 *checks.TRAINING_OPTION_NAMES))
    return {
        "energy": checks.number(options, "energy", default=DEFAULTS["energy"], low=0.0,
                                high=1.0, low_open=True),
        "modules": checks.choice(options, "modules", default=DEFAULTS["modules"],
                                 allowed=MODULE_CHOICES),
        **checks.training_options_clean(options, epochs_name="recovery_epochs",
                                        defaults={"epochs": DEFAULTS["recovery_epochs"]}),
    }


def candidate_modules(model, modules: str = "all") -> list[str]:
    """Names of the linear layers `modules` selects, in every transformer layer."""
    kinds = [kind for name, kinds in MODULE_KINDS.items() if modules in ("all", name)
             for kind in kinds]
    prefix = f"{model.base_model_prefix}.encoder.layer"
    return [f"{prefix}.{index}.{kind}" for index in range(model.config.num_hidden_layers)
            for kind in kinds]


def rank_for_energy(singular_values, energy: float) -> int:
    """The smallest rank whose squared singular values reach `energy` of their sum."""
    import torch

    squared = singular_values.double() ** 2
    kept = torch.cumsum(squared, 0) / squared.sum()
    return min(int(torch.searchsorted(kept, torch.tensor(energy, dtype=kept.dtype))) + 1,
               len(singular_values))


def _factorized(in_features: int, out_features: int, rank: int):
    from torch import nn

    return nn.Sequential(nn.Linear(in_features, rank, bias=False),
                         nn.Linear(rank, out_features))


def factorize(model, *, energy: float, modules: str = "all") -> dict:
    """Factorize `model`'s selected linear layers in place where it saves weights; returns per
    layer name its shape, the rank energy asked for and whether it was factorized."""
    import torch

    layers = {}
    for name in candidate_modules(model, modules):
        linear = model.get_submodule(name)
        weight = linear.weight.detach().double()
        u, s, vh = torch.linalg.svd(weight, full_matrices=False)
        rank = rank_for_energy(s, energy)
        out_features, in_features = weight.shape
        saves = rank * (in_features + out_features) < in_features * out_features
        layers[name] = {"shape": [out_features, in_features], "rank": rank,
                        "factorized": saves}
        if not saves:
            continue
        root = s[:rank].sqrt()
        replacement = _factorized(in_features, out_features, rank)
        with torch.no_grad():
            replacement[0].weight.copy_((root[:, None] * vh[:rank]).float())
            replacement[1].weight.copy_((u[:, :rank] * root[None, :]).float())
            replacement[1].bias.copy_(linear.bias)
        model.set_submodule(name, replacement.to(linear.weight.device))
    return layers


def ranks_of(layers: dict) -> dict[str, int]:
    return {name: layer["rank"] for name, layer in layers.items() if layer["factorized"]}


def load_pretrained(model_class, artifact_dir: Path, **kwargs):
    """`model_class.from_pretrained(artifact_dir, **kwargs)` for any classifier artifact: a
    factorized one (low_rank.json) is built from its config, its low-rank layers rebuilt, and
    its weights loaded into that structure."""
    artifact_dir = Path(artifact_dir)
    if not (artifact_dir / LOW_RANK_FILE).exists():
        return model_class.from_pretrained(str(artifact_dir), local_files_only=True, **kwargs)
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(str(artifact_dir), local_files_only=True)
    # Auto classes build through from_config, model classes through _from_config; both apply
    # kwargs such as attn_implementation the way from_pretrained does.
    build = getattr(model_class, "from_config", None) or model_class._from_config
    return apply_low_rank_structure(build(config, **kwargs), artifact_dir)


def apply_low_rank_structure(model, artifact_dir: Path):
    """Rebuild in `model` the factorized layers low_rank.json lists and load the artifact's
    weights into it (strictly: every weight in its place); a model whose artifact has no such
    file is returned as it is."""
    path = Path(artifact_dir) / LOW_RANK_FILE
    if not path.exists():
        return model
    from safetensors.torch import load_file

    for name, rank in json.loads(path.read_text())["ranks"].items():
        linear = model.get_submodule(name)
        model.set_submodule(name, _factorized(linear.in_features, linear.out_features, rank))
    state = load_file(str(Path(artifact_dir) / WEIGHTS_FILE))
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ValueError(f"{artifact_dir}: weights do not match {LOW_RANK_FILE} "
                         f"(missing {missing[:3]}, unexpected {unexpected[:3]})")
    return model.eval()


def densify(model, artifact_dir: Path):
    """The model with each factorized layer of low_rank.json multiplied back into one Linear."""
    path = Path(artifact_dir) / LOW_RANK_FILE
    if not path.exists():
        return model
    import torch
    from torch import nn

    for name in json.loads(path.read_text())["ranks"]:
        down, up = model.get_submodule(name)
        dense = nn.Linear(down.in_features, up.out_features)
        with torch.no_grad():
            dense.weight.copy_(up.weight @ down.weight)
            dense.bias.copy_(up.bias)
        model.set_submodule(name, dense)
    return model


def low_rank(*, source_dir: Path, output_dir: Path, data, options: dict,
             on_progress: Callable[[dict], None] | None = None,
             should_stop: Callable[[], bool] | None = None) -> dict:
    """Factorize the source by retained energy, recover, and save the factorized artifact;
    the report's details: rank per layer, parameters and weight-file size before/after."""
    options = low_rank_options_clean(options)
    source = training.load_source(source_dir)
    model = training.copy_model(source.model)
    before = training.parameter_counts(source.model)
    layers = factorize(model, energy=options["energy"], modules=options["modules"])
    ranks = ranks_of(layers)
    if not ranks:
        raise ValueError(f"energy: at {options['energy']} no layer has a rank that stores "
                         "fewer weights than the dense layer; lower it")
    config, result, summary = training.train_student(
        model, source, data, options=options, epochs=options["recovery_epochs"],
        on_progress=on_progress, should_stop=should_stop)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / LOW_RANK_FILE).write_text(json.dumps({"energy": options["energy"],
                                                        "ranks": ranks}, indent=2))
    temperature = training.save_compressed(model, source, config, result, output_dir, data)
    return {
        "layers": layers, "factorized_layers": len(ranks), "candidate_layers": len(layers),
        "parameters": training.parameter_change(before, training.parameter_counts(model)),
        "weights_bytes": {"before": _weights_bytes(source.directory),
                          "after": _weights_bytes(output_dir)},
        "training": summary, "temperature": round(temperature, 4),
    }


def _weights_bytes(artifact_dir: Path) -> int | None:
    path = Path(artifact_dir) / WEIGHTS_FILE
    return path.stat().st_size if path.exists() else None
