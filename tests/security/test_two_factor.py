"""Two-factor login through the real pages: enrolment with a code computed by pyotp from the
secret the page shows, login with a code, replays refused, recovery codes once each, wrong
codes toward the lockout, and enrolment forced on admins when the setting asks for it."""

import re
import time
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
from django.test import Client, override_settings

from slm_platform.accounts.models import RecoveryCode, TotpDevice
from slm_platform.audit.models import AuditEvent
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def _secret_from_page(html: str) -> str:
    uri = re.search(r'id="totp-uri"[^>]*value="([^"]+)"', html).group(1).replace("&amp;", "&")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    query = parse_qs(parsed.query)
    assert query["issuer"] == ["SLM Platform"]
    return query["secret"][0]


def _enrol(browser: Client) -> tuple[str, list[str], str]:
    """Turn two-factor on from the page; returns (secret, recovery codes, the code used)."""
    page = browser.post("/accounts/two-factor/", {"action": "start"}).content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code, drawn locally
    secret = _secret_from_page(page)
    code = pyotp.TOTP(secret).now()
    page = browser.post("/accounts/two-factor/", {"action": "confirm", "code": code})
    assert page.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page.content.decode())
    return secret, codes, code


def _password_step(browser: Client, username: str = "alice"):
    return browser.post("/accounts/login/", {"username": username, "password": PASSWORD})


def _logged_in(browser: Client) -> bool:
    return "_auth_user_id" in browser.session


def test_enrol_then_log_in_with_a_code(admin_membership, client_ip):
    browser = Client(REMOTE_ADDR=client_ip)
    browser.force_login(admin_membership.user)
    secret, codes, enrolment_code = _enrol(browser)
    assert len(codes) == 10 and len(set(codes)) == 10
    # Only hashes are kept.
    device = TotpDevice.objects.get(user=admin_membership.user)
    stored = set(RecoveryCode.objects.filter(device=device).values_list("code_hash", flat=True))
    assert not {code for code in codes if code in stored}
    assert AuditEvent.objects.filter(action="auth.totp_enable").count() == 1
    browser.post("/accounts/logout/")

    # The password alone does not log in: it leads to the code step.
    response = _password_step(browser)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/verify/"
    assert not _logged_in(browser)
    assert browser.get("/").status_code == 302  # still the login page

    response = browser.post("/accounts/login/verify/", {"code": "000000"})
    assert response.status_code == 400 and not _logged_in(browser)
    failed = AuditEvent.objects.filter(action="auth.login_failed").latest("pk")
    assert failed.data["step"] == "two_factor"

    # The code used at enrolment is spent; the next 30-second step's code logs in.
    assert browser.post("/accounts/login/verify/", {"code": enrolment_code}).status_code == 400
    time.sleep(30 - time.time() % 30 + 0.5)
    response = browser.post("/accounts/login/verify/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"] == "/"
    assert _logged_in(browser)
    login = AuditEvent.objects.filter(action="auth.login").latest("pk")
    assert login.data["method"] == "password+totp"


def test_a_recovery_code_works_once(admin_membership, client_ip):
    browser = Client(REMOTE_ADDR=client_ip)
    browser.force_login(admin_membership.user)
    _, codes, _ = _enrol(browser)
    browser.post("/accounts/logout/")

    _password_step(browser)
    response = browser.post("/accounts/login/verify/", {"code": codes[3].upper()})
    assert response.status_code == 302 and _logged_in(browser)
    used = AuditEvent.objects.get(action="auth.recovery_code_used")
    assert used.data == {"recovery_codes_left": 9}
    browser.post("/accounts/logout/")

    _password_step(browser)
    assert browser.post("/accounts/login/verify/", {"code": codes[3]}).status_code == 400
    assert not _logged_in(browser)


def test_wrong_codes_count_toward_the_lockout(admin_membership, client_ip):
    browser = Client(REMOTE_ADDR=client_ip)
    browser.force_login(admin_membership.user)
    _enrol(browser)
    browser.post("/accounts/logout/")
    _password_step(browser)
    for _ in range(4):
        assert browser.post("/accounts/login/verify/", {"code": "123456"}).status_code == 400
    response = browser.post("/accounts/login/verify/", {"code": "123456"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    # Locked out: the password step is refused too, and the pending login is gone.
    assert _password_step(browser).status_code == 429
    assert browser.get("/accounts/login/verify/")["Location"] == "/accounts/login/"
    assert AuditEvent.objects.filter(action="auth.lockout").count() == 1


def test_turning_it_off_takes_a_code(admin_membership, client_ip):
    browser = Client(REMOTE_ADDR=client_ip)
    browser.force_login(admin_membership.user)
    _, codes, _ = _enrol(browser)
    refused = browser.post("/accounts/two-factor/", {"action": "disable", "code": "111111"})
    assert refused.status_code == 400 and TotpDevice.objects.exists()
    browser.post("/accounts/two-factor/", {"action": "disable", "code": codes[0]})
    assert not TotpDevice.objects.exists()
    assert AuditEvent.objects.filter(action="auth.totp_disable").count() == 1
    browser.post("/accounts/logout/")
    assert _password_step(browser)["Location"] == "/"  # a password alone again


def test_api_keys_are_not_affected(admin_membership, client_ip):
    browser = Client(REMOTE_ADDR=client_ip)
    browser.force_login(admin_membership.user)
    _enrol(browser)
    assert client_for(admin_membership).get("/api/v1/tasks").status_code == 200


@override_settings(TOTP_REQUIRED_FOR_ADMINS=True)
def test_admins_must_enrol_before_they_are_logged_in(admin_membership, member_membership,
                                                     client_ip):
    browser = Client(REMOTE_ADDR=client_ip)
    response = _password_step(browser)
    assert response["Location"] == "/accounts/two-factor/"
    assert not _logged_in(browser)
    assert browser.get("/").status_code == 302
    page = browser.post("/accounts/two-factor/", {"action": "start"}).content.decode()
    secret = _secret_from_page(page)
    page = browser.post("/accounts/two-factor/", {"action": "confirm",
                                                  "code": pyotp.TOTP(secret).now()})
    assert _logged_in(browser)
    assert 'href="/"' in page.content.decode()  # continue to where the login was going
    assert browser.get("/").status_code == 200

    # A member (not an admin) still logs in with a password alone.
    assert _password_step(Client(REMOTE_ADDR=client_ip), "bob")["Location"] == "/"


def test_the_operator_can_reset_a_lost_authenticator(admin_membership, client_ip):
    from django.core.management import call_command

    browser = Client(REMOTE_ADDR=client_ip)
    browser.force_login(admin_membership.user)
    _enrol(browser)
    call_command("totp_reset", user="alice")
    assert not TotpDevice.objects.exists()
    reset = AuditEvent.objects.get(action="auth.totp_reset")
    assert reset.actor_label == "system:manage.py totp_reset"
