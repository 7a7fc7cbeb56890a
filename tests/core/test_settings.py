"""Production refuses to start without its required values; development has safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import slm_platform.settings as s; print(s.DEBUG)"],
        cwd=ROOT, env=clean | env, capture_output=True, text=True,
    )


def test_production_without_secret_key_stops_with_a_clear_error():
    result = _load_settings(DJANGO_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DJANGO_ENV=production" in result.stderr


def test_production_without_database_url_stops():
    result = _load_settings(DJANGO_ENV="production", SECRET_KEY="x" * 50,
                            REDIS_URL="redis://127.0.0.1:6379/0", ALLOWED_HOSTS="slm.example")
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_debug_is_off_unless_asked():
    assert _load_settings().stdout.strip() == "False"
    assert _load_settings(DEBUG="true").stdout.strip() == "True"
