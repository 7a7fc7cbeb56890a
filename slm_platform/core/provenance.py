"""Facts recorded with every trained model: which code, on which machine."""

import functools
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def code_version() -> str:
    """The package version, plus the git commit when running from a checkout."""
    version = metadata.version("slm-platform")
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True, timeout=5, check=True)
        return f"{version}+{commit.stdout.strip()}"
    except (OSError, subprocess.SubprocessError):
        return version


def hardware() -> dict:
    import torch

    facts = {"machine": platform.machine(), "cpu_count": os.cpu_count(),
             "torch_threads": torch.get_num_threads(), "torch": torch.__version__,
             "device": "cpu"}
    if torch.cuda.is_available():
        facts |= {"device": "cuda", "gpu": torch.cuda.get_device_name(0)}
    return facts
