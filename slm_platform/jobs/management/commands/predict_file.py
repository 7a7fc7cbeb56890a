import os
import shutil
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from slm_platform.audit.services import Actor
from slm_platform.core.errors import ApplicationError
from slm_platform.core.task_selectors import task_resolve
from slm_platform.jobs import results
from slm_platform.jobs.chunks import job_run_here
from slm_platform.jobs.services import JobRequest, Upload, job_create
from slm_platform.ml.runtime import configure_threads
from slm_platform.training.management.commands._common import organization_option


class Command(BaseCommand):
    help = ("Predict every item of FILE (CSV/TSV/XLSX/JSONL/TXT/PDF/DOCX or a ZIP of them) with "
            "TASK's active model, here, with a progress bar: the same steps as a bulk job, "
            "recorded as one. Results go to --out (CSV, JSONL or XLSX by its extension).")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--task", required=True)
        parser.add_argument("--out", type=Path, default=None,
                            help="default: FILE's name + .results.csv beside it")
        parser.add_argument("--text-column", default=None)
        parser.add_argument("--unit", choices=["line", "paragraph", "sentence"], default=None)
        parser.add_argument("--model-version", type=int, default=None)
        parser.add_argument("--organization", default=None, help="organization slug")
        parser.add_argument("--threads", type=int, default=None,
                            help="torch threads (default: all cores)")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        out = options["out"] or path.with_name(path.name + ".results.csv")
        export = out.suffix.lstrip(".").lower()
        if export not in results.FORMATS:
            raise CommandError(f"--out must end in .csv, .jsonl or .xlsx, not {out.suffix!r}")
        organization = organization_option(options["organization"])
        configure_threads(options["threads"] or os.cpu_count() or 1)
        job = self._create(path, organization, options)
        bar = tqdm(total=None, unit="item", desc="predicting")

        def echo(current) -> None:
            bar.total = current.total
            bar.n = current.done + current.failed
            bar.refresh()

        try:
            job = job_run_here(job_id=job.pk, on_progress=echo)
        finally:
            bar.close()
        self._write(job, out, export)
        self.stdout.write(f"job {job.pk}: {job.status}; {job.done} predicted, {job.failed} "
                          f"failed, of {job.total}; results in {out}")
        for job_file in job.files.filter(status="failed"):
            where = f", {job_file.error_location}" if job_file.error_location else ""
            self.stderr.write(f"{job_file.name}{where}: {job_file.error}")

    def _create(self, path: Path, organization, options):
        # job_create takes ownership of the file it is given: hand it a copy.
        staging = Path(tempfile.mkdtemp(prefix="predict-file-"))
        copy = staging / path.name
        shutil.copyfile(path, copy)
        try:
            return job_create(
                organization=organization, actor=Actor.system(),
                request=JobRequest(task_slug=options["task"], text_column=options["text_column"],
                                   unit=options["unit"],
                                   model_version_id=options["model_version"]),
                uploads=[Upload(name=path.name, path=copy)], enqueue_job=False).job
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _write(self, job, out: Path, export: str) -> None:
        spec = task_resolve(organization=job.organization_id, slug=job.task_slug)
        shape = results.Shape.of(spec)
        if export == "xlsx":
            with results.xlsx_file(job, shape) as workbook, out.open("wb") as target:
                shutil.copyfileobj(workbook, target)
            return
        stream = results.csv_stream(job, shape) if export == "csv" else \
            results.jsonl_stream(job, shape)
        with out.open("w", encoding="utf-8", newline="") as target:
            target.writelines(stream)
