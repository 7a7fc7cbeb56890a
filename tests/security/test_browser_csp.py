"""The Content-Security-Policy in a real browser (Debian's Chromium): the dashboard's pages, the
two-factor page, the API docs and the admin site load and work with nothing blocked."""

import re

import pytest

from tests.dashboard.browser import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)
PAGES = ["/", "/tasks/", "/try/", "/jobs/", "/review/", "/chat/", "/chat/inbox/",
         "/datasets/", "/audit/", "/settings/", "/accounts/two-factor/", "/admin/"]

# Registered before any page script runs (through the DevTools protocol, so the policy does
# not apply to it): every violation the browser reports lands in window.cspViolations.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def _violations(page) -> list[str]:
    return page.evaluate("window.cspViolations")


def _screenshot(page, name: str) -> None:
    """What the window shows (the docs pages run to tens of thousands of pixels)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_pages_load_with_nothing_blocked(page, live_server, admin_membership):
    admin_membership.user.is_staff = admin_membership.user.is_superuser = True
    admin_membership.user.save()
    page.add_init_script(RECORD_VIOLATIONS)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and
            console_errors.append(f"{page.url}: {message.text}"))
    seen = {}
    for path in PAGES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        seen[path] = _violations(page)
    assert seen == {path: [] for path in PAGES}
    assert [error for error in console_errors if "Content Security Policy" in error] == []

    # Two-factor enrolment: the QR code is a data: image, which the policy allows.
    page.goto(live_server.url + "/accounts/two-factor/")
    page.get_by_role("button", name="Set up").click()
    qr = page.get_by_role("img", name="QR code of the authenticator setup link")
    qr.wait_for()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    _screenshot(page, "two-factor-setup")
    assert _violations(page) == []

    # The interactive API docs render from local files, and so does Redoc.
    page.goto(live_server.url + "/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "SLM Platform API" in page.locator(".swagger-ui .info .title").inner_text()
    _screenshot(page, "api-docs")
    assert _violations(page) == []
    page.goto(live_server.url + "/api/redoc/")
    page.get_by_role("heading", name="SLM Platform API").first.wait_for()
    page.get_by_placeholder("Search...").fill("predict")  # the search worker runs
    page.get_by_role("menuitem", name=re.compile("Predict with the task")).first.wait_for()
    _screenshot(page, "api-redoc")
    # Redoc's sidebar links its vendor's logo on a CDN: refused, and nothing else is.
    assert _violations(page) == ["img-src blocked https://cdn.redoc.ly/redoc/logo-mini.svg"]
