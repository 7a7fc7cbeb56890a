"""`manage.py check --deploy` is clean with production settings, and production turns on the
HTTPS-only protections."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_ENV = {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "DEBUG",
                "DJANGO_ENV", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "TRUSTED_PROXY_COUNT"}


def _production(tmp_path, *command: str, **extra: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_ENV}
    env |= {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        # Checks do not connect: any well-formed PostgreSQL URL will do.
        "DATABASE_URL": "postgres://slm:password@127.0.0.1:5432/slm",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "slm.example.com",
        "DATA_DIR": str(tmp_path),
    } | extra
    return subprocess.run([sys.executable, *command], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_check_deploy_is_clean_in_production(tmp_path):
    result = _production(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_catch_a_weakened_setting(tmp_path):
    result = _production(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING",
                         SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_production_settings_turn_on_https_protections(tmp_path):
    script = ("import slm_platform.settings as s; print(s.SECURE_SSL_REDIRECT, "
              "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
              "getattr(s, 'SECURE_PROXY_SSL_HEADER', None))")
    assert _production(tmp_path, "-c", script).stdout.split() == [
        "True", "31536000", "True", "True", "None"]
    behind_proxy = _production(tmp_path, "-c", script, TRUSTED_PROXY_COUNT="1")
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in behind_proxy.stdout


def test_a_mistyped_rate_limit_stops_the_check(tmp_path):
    result = _production(tmp_path, "manage.py", "check", RATE_LIMIT_UPLOAD_PER_KEY="lots")
    assert result.returncode != 0
    assert "RATE_LIMITS['upload_key']: a rate looks like '600/min', not 'lots'" in result.stderr
