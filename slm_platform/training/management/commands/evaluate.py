import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from slm_platform.core.task_selectors import task_resolve
from slm_platform.ingest.errors import DatasetError
from slm_platform.ingest.readers import read_classification
from slm_platform.registry.models import ModelVersion
from slm_platform.registry.storage import artifact_local_dir
from slm_platform.training.management.commands._common import (
    add_column_arguments,
    parse_options,
)


class Command(BaseCommand):
    help = "Evaluate model version V on a labelled FILE and print its metrics."

    def add_arguments(self, parser):
        # `--version` names the model version here, replacing Django's own version flag
        # (argparse checks conflicts in the group the option lands in).
        parser.conflict_handler = parser._optionals.conflict_handler = "resolve"
        parser.add_argument("--version", required=True, type=int, help="model version id")
        parser.add_argument("--data", required=True, type=Path)
        parser.add_argument("--json", action="store_true", help="print the full report as JSON")
        add_column_arguments(parser)

    def handle(self, *args, **options):
        from slm_platform.ml.artifacts import load_predictor

        version = ModelVersion.objects.filter(pk=options["version"]).first()
        if version is None or not version.artifact_path:
            raise CommandError(f"no trained model version {options['version']}")
        path: Path = options["data"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        columns = parse_options(options)
        try:
            parsed = read_classification(
                path.read_bytes(), filename=path.name, text_column=columns.text_column,
                label_column=columns.label_column, split_column=columns.split_column,
            )
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        spec = task_resolve(organization=version.organization_id, slug=version.task_slug)
        rows = [r for r in parsed.records if r.text and r.labels]
        classifier = load_predictor(artifact_local_dir(name=version.artifact_path))
        report = classifier.evaluate([spec.preprocess(r.text) for r in rows],
                                     [r.labels[0] for r in rows])
        self._print(version, report, as_json=options["json"])

    def _print(self, version, report: dict, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report, indent=2))
            return
        self.stdout.write(f"{version.name} on {report['examples']} examples: accuracy "
                          f"{report['accuracy']:.4f}, macro-F1 {report['macro_f1']:.4f}, "
                          f"ECE {report['calibration']['calibrated']['ece']:.4f}")
        self.stdout.write(f"{'label':30} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
        for label, row in report["per_label"].items():
            self.stdout.write(f"{label[:30]:30} {row['precision']:9.3f} {row['recall']:7.3f} "
                              f"{row['f1']:6.3f} {row['support']:8d}")
