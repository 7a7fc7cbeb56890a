"""The architecture's boundaries, checked: ML code has no Django, web has no torch, core code
names no industry, and the catalog holds the industry apps' tasks."""

import re
import subprocess
import sys
from pathlib import Path

from slm_platform.core.catalog import TaskKind, catalog

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def test_ml_core_imports_no_django():
    # With Django made unimportable, the whole ML core must still import and train/predict code
    # must load (kombu, under the package's Celery app, treats Django as optional).
    code = ("import sys; sys.modules['django'] = None; "
            "import slm_platform.ml.classifier, slm_platform.ml.cache, slm_platform.ml.metrics; "
            "print('ok')")
    assert _run(code) == "ok"


def test_web_process_imports_no_torch():
    code = (
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'slm_platform.settings'; "
        "import django; django.setup(); "
        "from django.urls import get_resolver; from django.test import Client; "
        "get_resolver().url_patterns; import slm_platform.wsgi; "
        "Client().get('/api/schema/'); print('torch' in sys.modules)"
    )
    assert _run(code) == "False"


def test_core_code_names_no_industry():
    pattern = re.compile(r"\b(finance|retail|health)\b", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "slm_platform").rglob("*.py")
        if path.name != "settings.py" and "migrations" not in path.parts
        and pattern.search(path.read_text())
    ]
    assert offenders == []


def test_transaction_category_is_in_the_catalog():
    spec = catalog.get("finance.transaction-category")
    assert spec.kind == TaskKind.CLASSIFICATION
    assert len(spec.labels) == 15
    assert spec.industry == "finance"
    assert spec.starter_data is not None
    assert spec.preprocess("POS 4411 SHELL OIL 5744") == "pos shell oil"
