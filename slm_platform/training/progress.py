"""Progress and cancellation of a running training run, through its database row.

Writes and reads are throttled: a training step takes tens of milliseconds, and the row only
needs to be fresh enough for a progress bar and a cancel button.
"""

import time

from slm_platform.training.models import TrainingRun

WRITE_EVERY_SECONDS = 1.0
CHECK_CANCEL_EVERY_SECONDS = 1.0
MAX_CURVE_POINTS = 400


class RunProgress:
    def __init__(self, run_id: int, *, echo=None):
        self.run_id = run_id
        self.echo = echo  # optional callable for terminals (manage.py train)
        self.curve: list[list[float]] = []
        self.state: dict = {}
        self._last_write = self._last_check = 0.0
        self._cancelled = False

    def phase(self, name: str, **extra) -> None:
        """A new stage (splitting, training, evaluating, storing); the step figures stay."""
        self._write({**self.state, "phase": name, **extra}, force=True)

    def on_step(self, progress: dict) -> None:
        """Called by the training loop after every optimizer step."""
        step, total, elapsed = progress["step"], progress["total_steps"], progress["elapsed"]
        if not self.curve or step - self.curve[-1][0] >= max(1, total // MAX_CURVE_POINTS):
            self.curve.append([step, round(progress["loss"], 5)])
        eta = elapsed / step * (total - step) if step else None
        state = {"phase": "training", "epoch": progress["epoch"], "step": step,
                 "total_steps": total, "loss": round(progress["loss"], 5),
                 "elapsed_seconds": round(elapsed, 1),
                 "eta_seconds": round(eta, 1) if eta is not None else None,
                 "loss_curve": self.curve}
        if self.echo:
            self.echo(state)
        self._write(state, force=step == total)

    def should_stop(self) -> bool:
        now = time.monotonic()
        if not self._cancelled and now - self._last_check >= CHECK_CANCEL_EVERY_SECONDS:
            self._last_check = now
            self._cancelled = TrainingRun.objects.filter(
                pk=self.run_id, cancel_requested=True
            ).exists()
        return self._cancelled

    def _write(self, state: dict, *, force: bool) -> None:
        self.state = state
        now = time.monotonic()
        if force or now - self._last_write >= WRITE_EVERY_SECONDS:
            self._last_write = now
            TrainingRun.objects.filter(pk=self.run_id).update(progress=state)
