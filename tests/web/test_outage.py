"""A database outage gets a 503 "temporarily unavailable" page (with Retry-After) that needs
no database, and the API a JSON 503, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from studyapp import create_app
from studyapp.extensions import db as _db
from tests.conftest import TEST_DB_URL, _config


def _unreachable_url(tmp_path) -> str:
    if TEST_DB_URL:  # the same server, at a port where nothing listens
        return make_url(TEST_DB_URL).set(port=1).render_as_string(hide_password=False)
    return f"sqlite:///{tmp_path / 'no-such-dir' / 'gone.db'}"


def test_pages_and_api_say_temporarily_unavailable(tmp_path, monkeypatch, client, auth, student):
    auth.login()
    cookie = client.get_cookie("session").value
    monkeypatch.setenv("STUDYAPP_INSTANCE", str(tmp_path / "down"))
    down = create_app(_config(tmp_path) | {"SQLALCHEMY_DATABASE_URI": _unreachable_url(tmp_path)})
    c = down.test_client()
    c.set_cookie("session", cookie)
    try:
        for path in ("/dashboard", "/settings", "/progress"):
            r = c.get(path)
            assert r.status_code == 503, path
            assert r.headers["Retry-After"] == "30" and r.mimetype == "text/html"
            assert b"Temporarily unavailable" in r.data and b"Nothing you had saved is lost" in r.data
        r = c.get("/api/v1/progress")
        assert r.status_code == 503 and r.headers["Retry-After"] == "30"
        assert r.get_json()["error"].startswith("Temporarily unavailable")
        r = down.test_client().post("/login", data={"email": "student@test.org", "password": "x" * 9})
        assert r.status_code == 503 and b"Temporarily unavailable" in r.data
        assert down.test_client().get("/healthz").status_code == 503
    finally:
        with down.app_context():
            _db.engine.dispose()
