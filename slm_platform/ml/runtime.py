"""Process-level runtime choices: threads, device, offline mode."""

import os

# Weights never come from a model hub: every load is from a local directory.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Workers log through Celery; progress bars and load reports only add noise there.
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def configure_threads(threads: int) -> None:
    """Pin torch's intra-op pool; one thread per worker process measured steadier on 2 cores."""
    import torch

    torch.set_num_threads(max(1, threads))
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set once in this process; the intra-op setting is what matters


def best_device() -> str:
    """CUDA when present, otherwise CPU: the product must run on both."""
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"
