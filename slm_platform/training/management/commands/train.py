import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from slm_platform.audit.services import Actor
from slm_platform.core.errors import ApplicationError
from slm_platform.datasets.services import dataset_upload
from slm_platform.ml.runtime import configure_threads
from slm_platform.training.management.commands._common import (
    add_column_arguments,
    organization_option,
    parse_options,
)
from slm_platform.training.runner import execute_run
from slm_platform.training.services import training_run_create


class Command(BaseCommand):
    help = ("Upload FILE as a dataset of TASK and fine-tune on it here, with a progress bar. "
            "The result is registered like any training run (not activated).")

    def add_arguments(self, parser):
        parser.add_argument("--task", required=True)
        parser.add_argument("--data", required=True, type=Path, help="CSV, TSV, JSONL or XLSX")
        parser.add_argument("--organization", default=None, help="organization slug")
        parser.add_argument("--recipe", default=None, choices=["full", "fast"])
        parser.add_argument("--hyperparameters", default=None,
                            help='JSON, e.g. \'{"epochs": 3}\'')
        parser.add_argument("--threads", type=int, default=None,
                            help="torch threads (default: all cores)")
        add_column_arguments(parser)

    def handle(self, *args, **options):
        organization = organization_option(options["organization"])
        path: Path = options["data"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        actor = Actor(label="cli")
        try:
            uploaded = dataset_upload(
                organization=organization, task_slug=options["task"], name=path.name,
                filename=path.name, data=path.read_bytes(), options=parse_options(options),
                actor=actor,
            )
            hyperparameters = json.loads(options["hyperparameters"] or "{}")
            run = training_run_create(
                organization=organization, task_slug=options["task"],
                dataset_version_id=uploaded.version.pk, recipe=options["recipe"],
                hyperparameters=hyperparameters, actor=actor, enqueue=False,
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} {exc.details or ''}".strip()) from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"--hyperparameters is not JSON: {exc}") from exc
        self._report_quality(uploaded.version.quality)
        configure_threads(options["threads"] or os.cpu_count() or 1)
        run = self._run_with_bar(run.pk)
        self._report(run)

    def _report_quality(self, quality: dict) -> None:
        self.stdout.write(f"dataset: {quality['row_count']} rows, "
                          f"{len(quality['label_distribution'])} labels")
        for finding in quality["warnings"]:
            self.stdout.write(self.style.WARNING(f"  warning: {finding['message']}"))

    def _run_with_bar(self, run_id: int):
        bar = tqdm(total=None, unit="step", desc="training")

        def echo(state: dict) -> None:
            bar.total = state["total_steps"]
            bar.n = state["step"]
            bar.set_postfix(epoch=state["epoch"], loss=f"{state['loss']:.3f}")
            bar.refresh()

        try:
            return execute_run(run_id=run_id, echo=echo)
        finally:
            bar.close()

    def _report(self, run) -> None:
        if run.status != "succeeded":
            raise CommandError(f"run {run.pk} {run.status}: {run.error[-2000:]}")
        version = run.model_version
        test = version.metrics["test"]
        self.stdout.write(self.style.SUCCESS(
            f"{version.name} ready (id {version.pk}): test accuracy {test['accuracy']:.4f}, "
            f"macro-F1 {test['macro_f1']:.4f} on {test['examples']} examples"))
