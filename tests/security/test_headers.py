"""Security headers on every response: a Content-Security-Policy with no inline exceptions,
frame, referrer, opener and content-type policies, hardened cookies; and the templates keep
to the policy (no inline scripts, no style attributes)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.dashboard.browser import logged_in

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
    "img-src": "'self' data:", "object-src": "'none'", "base-uri": "'none'",
    "frame-ancestors": "'none'", "form-action": "'self'",
}
DASHBOARD_PAGES = ["/", "/tasks/", "/try/", "/jobs/", "/review/", "/chat/", "/chat/inbox/",
                   "/datasets/", "/audit/", "/settings/", "/accounts/two-factor/"]


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split(" ", 1) for part in header.split(";"))
    return {name: sources for name, sources in directives}


def _assert_secure_headers(response) -> None:
    policy = _policy(response)
    for directive, sources in POLICY.items():
        assert policy[directive] == sources, (directive, policy)
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", DASHBOARD_PAGES)
def test_every_dashboard_page_carries_the_policy(admin_membership, path):
    response = logged_in(admin_membership).get(path)
    assert response.status_code == 200
    _assert_secure_headers(response)


def test_the_login_page_api_and_errors_carry_it_too(admin_client):
    _assert_secure_headers(Client().get("/accounts/login/"))
    _assert_secure_headers(admin_client.get("/api/v1/tasks"))
    _assert_secure_headers(Client().get("/api/v1/tasks"))  # 401
    _assert_secure_headers(Client().get("/api/v1/no-such-thing"))  # 404


def test_the_api_docs_need_no_inline_exception():
    for path in ("/api/docs/", "/api/redoc/"):
        response = Client().get(path)
        assert response.status_code == 200
        policy = _policy(response)
        assert policy["script-src"] == "'self'"
        assert "unsafe" not in response["Content-Security-Policy"]
        page = response.content.decode()
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page), path  # no inline code
        # Nothing from outside the machine: no CDN, no web fonts.
        assert not re.search(r'(src|href)="https?://', page), path
    # Redoc's run-time styles carry the response's nonce, named for styles alone (with the
    # hashes of the two style elements its bundle inserts before it is handed the nonce).
    redoc = Client().get("/api/redoc/")
    nonce = re.search(r'<meta name="csp-style-nonce" content="([^"]+)">',
                      redoc.content.decode()).group(1)
    style_sources = _policy(redoc)["style-src"].split()
    assert style_sources[0] == "'self'" and style_sources[-1] == f"'nonce-{nonce}'"
    assert all(source.startswith("'sha256-") for source in style_sources[1:-1])
    assert _policy(redoc)["worker-src"] == "blob:"
    assert Client().get("/api/redoc/")["Content-Security-Policy"].count(nonce) == 0
    # Pages that ask for no nonce get none.
    assert "nonce" not in Client().get("/api/docs/")["Content-Security-Policy"]
    assert "nonce" not in Client().get("/accounts/login/")["Content-Security-Policy"]


def test_session_and_csrf_cookies_are_hardened(admin_membership):
    browser = Client()
    browser.get("/accounts/login/")
    response = browser.post("/accounts/login/", {"username": "alice",
                                                 "password": "a-long-test-password"})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert int(session["max-age"]) == 8 * 3600
    csrf = browser.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"


def _templates() -> list[Path]:
    folders = [ROOT / "slm_platform", ROOT / "tasks_finance", ROOT / "tasks_retail",
               ROOT / "tasks_health"]
    return [path for folder in folders for path in folder.rglob("templates/**/*.html")]


def test_templates_have_no_inline_scripts_or_styles():
    templates = _templates()
    assert len(templates) > 20
    offenders = []
    for path in templates:
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path.relative_to(ROOT)}: inline {tag}")
        if re.search(r"<style\b", text):
            offenders.append(f"{path.relative_to(ROOT)}: <style> element")
        if re.search(r"\sstyle=", text):
            offenders.append(f"{path.relative_to(ROOT)}: style= attribute")
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path.relative_to(ROOT)}: inline event handler")
    assert offenders == []
