"""The database goes away under a running web server: requests get 503 with the API's error
shape and Retry-After at once, not a 500 or a hang, and once it is back the same server
answers again by itself. The web server is a real gunicorn process; the database it talks to
sits behind a TCP proxy the test cuts, so the shared database server is never stopped."""

import time

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.faults.processes import TcpProxy, free_port, process_env, web_server

pytestmark = pytest.mark.django_db(transaction=True)
OUTAGE_SECONDS = 3.0
# A client gives up after this: a request still unanswered then is a hang.
CLIENT_TIMEOUT = 20


@pytest.fixture
def callers(admin_client, admin_membership) -> dict:
    """An API key and a dashboard session of the organization's admin, in the test database."""
    browser = Client()
    browser.force_login(admin_membership.user)
    return {"headers": {"Authorization": f"Bearer {admin_client.issued_key.key}"},
            "cookies": {"sessionid": browser.cookies["sessionid"].value}}


def _api(base: str, callers: dict) -> requests.Response:
    return requests.get(f"{base}/api/v1/jobs", headers=callers["headers"],
                        timeout=CLIENT_TIMEOUT)


def _page(base: str, callers: dict) -> requests.Response:
    return requests.get(f"{base}/jobs/", cookies=callers["cookies"], allow_redirects=False,
                        timeout=CLIENT_TIMEOUT)


def _assert_database_unavailable(api: requests.Response, page: requests.Response) -> None:
    assert api.status_code == 503, api.text[:500]
    error = api.json()["error"]
    assert error["code"] == "database_unavailable" and "database" in error["message"]
    assert api.headers["Retry-After"] == str(settings.RETRY_AFTER_SECONDS)
    assert page.status_code == 503, page.text[:500]
    assert page.headers["Content-Type"].startswith("text/html")
    assert "database cannot be reached" in page.text
    assert page.headers["Retry-After"] == str(settings.RETRY_AFTER_SECONDS)


def test_an_unreachable_database_is_a_503_not_a_500(tmp_path, callers):
    """On any test database: this web server's database is a PostgreSQL address where
    nothing listens, so connecting is refused."""
    nowhere = f"postgres://postgres@127.0.0.1:{free_port()}/slm_platform"
    web, base = web_server(process_env(DATABASE_URL=nowhere), tmp_path / "web.log")
    try:
        _assert_database_unavailable(_api(base, callers), _page(base, callers))
        assert "Traceback" not in web.log.read_text()
    finally:
        web.stop()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs the suite on PostgreSQL (DATABASE_URL set, as in CI): the "
                           "SQLite file used without it has no server that could go away")
def test_the_database_goes_away_and_comes_back(tmp_path, callers):
    db = connection.settings_dict
    proxy = TcpProxy((db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)))
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{user}{password}@127.0.0.1:{proxy.port}/{db['NAME']}"
    web, base = web_server(process_env(DATABASE_URL=url), tmp_path / "web.log")
    try:
        assert _api(base, callers).status_code == 200  # persistent connections now open
        assert _page(base, callers).status_code == 200
        proxy.cut()
        cut_at = time.monotonic()
        during = []
        while time.monotonic() - cut_at < OUTAGE_SECONDS:
            during.append((_api(base, callers), _page(base, callers),
                           time.monotonic() - cut_at))
        for api, page, _ in during:
            _assert_database_unavailable(api, page)
        proxy.restore()
        restored_at = time.monotonic()
        after = [(_api(base, callers), _page(base, callers)) for _ in range(3)]
        recovered_in = time.monotonic() - restored_at
        assert [(api.status_code, page.status_code) for api, page in after] == [(200, 200)] * 3
        assert web.process.poll() is None  # the same server, not restarted
        slowest = max(max(api.elapsed.total_seconds(), page.elapsed.total_seconds())
                      for api, page, _ in during)
        print(f"database away {OUTAGE_SECONDS:g} s: first 503 {during[0][2]:.3f} s after the "
              f"cut, {len(during)} API+page pairs all 503, slowest {slowest:.3f} s; "
              f"3 pairs all 200 within {recovered_in:.3f} s of its return")
    finally:
        web.stop()
        proxy.cut()
