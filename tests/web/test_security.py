"""Nothing let in: CSP and headers on every page, cookies, redirects, limits, escaping, hashing."""

from __future__ import annotations

import os
import re
import socket
import uuid
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, text

from studyapp import create_app
from studyapp.auth.passwords import check_password, hash_password
from studyapp.extensions import db as _db
from studyapp.models import Question, User
from studyapp.study import quiz
from tests.conftest import PASSWORD, _config, make_user


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, handlers, style attributes,
    and any script, style or image from another origin."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"<{tag} {name}=...>")
        if tag == "style":
            self.problems.append("<style> element")
        url = attrs.get("src") or (attrs.get("href") if tag == "link" else None)
        if url and (urlsplit(url).netloc or url.startswith("//")):
            self.problems.append(f"third-party <{tag}> {url}")
        if tag == "script" and not attrs.get("src"):
            self._in_script = True
        for name in ("href", "src", "action", "formaction"):
            if (attrs.get(name) or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in <{tag} {name}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("inline <script>")


def fresh_schema() -> None:
    """An empty database for an app built by the test itself (PostgreSQL's is shared)."""
    _db.create_all()
    if _db.engine.dialect.name == "postgresql":
        tables = ", ".join(t.name for t in reversed(_db.metadata.sorted_tables))
        _db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        _db.session.commit()


def check_csp(response, where: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
    assert directives.get("script-src") == "'self'", (where, csp)
    assert directives.get("default-src") == "'self'", (where, csp)
    assert directives.get("object-src") == "'none'" and directives.get("frame-ancestors") == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp, csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("Referrer-Policy"), where
    if response.mimetype == "text/html":
        finder = InlineFinder()
        finder.feed(response.get_data(as_text=True))
        assert not finder.problems, (where, finder.problems)


def _fill(rule, ids: dict) -> str | None:
    try:
        return rule.rule if not rule.arguments else _build(rule, ids)
    except KeyError:
        return None


def _build(rule, ids):
    path = rule.rule
    for arg in rule.arguments:
        path = re.sub(rf"<(?:[a-z]+:)?{arg}>", str(ids[arg]), path)
    return path


def test_every_page_type_has_a_strict_csp(app, client, auth, bank, student, instructor, db):
    attempt = quiz.start_quiz(student, bank, 2)
    q = db.session.scalar(select(Question).limit(1))
    ids = {"set_id": bank.id, "attempt_id": attempt.id, "question_id": q.id, "user_id": student.id,
           "filename": "app.css"}
    seen = 0
    # Anonymous pages, then every GET route as the student and as the instructor.
    for path in ("/", "/login", "/register", "/healthz", "/no-such-page", "/static/app.css",
                 "/api/v1/sets"):
        check_csp(client.get(path), path)
        seen += 1
    for email in ("student@test.org", "teacher@test.org"):
        auth.login(email)
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in ("auth.logout",):
                continue
            path = _fill(rule, ids)
            if path is None:
                continue
            r = client.get(path)
            assert r.status_code < 500, (email, path)
            check_csp(r, f"{email} {path}")
            seen += 1
        auth.logout()
    assert seen > 20


def test_inline_finder_catches_what_csp_forbids():
    finder = InlineFinder()
    finder.feed('<script>alert(1)</script><a onclick="x()" href="javascript:y()">a</a>'
                '<p style="color:red"></p><script src="https://cdn.example/x.js"></script>')
    assert len(finder.problems) == 5, finder.problems


def test_cookies_are_secure_over_https(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYAPP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("PREFERRED_URL_SCHEME", "https")
    app = create_app(_config(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    with app.app_context():
        fresh_schema()
        make_user("student@test.org")
        r = app.test_client().post("/login", base_url="https://localhost",
                                   data={"email": "student@test.org", "password": PASSWORD,
                                         "remember": "y"})
        cookies = r.headers.getlist("Set-Cookie")
        assert {c.split("=")[0] for c in cookies} >= {"session", "remember_token"}
        for c in cookies:
            assert "; Secure" in c and "; HttpOnly" in c and "SameSite=Lax" in c, c
        _db.session.remove()
        _db.engine.dispose()


def test_plain_http_development_cookies_still_httponly(client, student):
    r = client.post("/login", data={"email": "student@test.org", "password": PASSWORD,
                                    "remember": "y"})
    for c in r.headers.getlist("Set-Cookie"):
        assert "HttpOnly" in c and "Secure" not in c


def test_behind_proxy_trusts_forwarded_proto_and_address(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYAPP_INSTANCE", str(tmp_path / "instance"))
    app = create_app(_config(tmp_path) | {"BEHIND_PROXY": 1, "RATELIMIT_ENABLED": True,
                                          "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        fresh_schema()
        c = app.test_client()
        r = c.get("/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
        assert r.headers.get("Strict-Transport-Security", "").startswith("max-age=")
        # The limiter counts the client the proxy names, not the proxy: two pupils, two counts.
        bad = {"email": "x@test.org", "password": "wrong-password"}
        for _ in range(10):
            assert c.post("/login", data=bad, headers={"X-Forwarded-For": "203.0.113.1"}).status_code != 429
        assert c.post("/login", data=bad, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429
        assert c.post("/login", data=bad, headers={"X-Forwarded-For": "203.0.113.2"}).status_code != 429
        _db.session.remove()
        _db.engine.dispose()
    # Without BEHIND_PROXY the header is not trusted: no HSTS over plain http.
    plain = create_app(_config(tmp_path))
    r = plain.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in r.headers


EVIL_NEXT = [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
    "http:/evil.example", "https:evil.example", "///evil.example", "/\t/evil.example",
    "/\n/evil.example", " //evil.example", "%2F%2Fevil.example", "\\\\evil.example",
    "//evil.example@localhost/", "data:text/html,hi", "/%2F/evil.example", "\x00//evil.example",
    "http://localhost.evil.example/",
]


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_login_next_never_leaves_the_site(client, student, evil):
    r = client.post("/login", query_string={"next": evil},
                    data={"email": "student@test.org", "password": PASSWORD})
    if "\x00" in evil:  # refused outright, like every NUL character in a request
        assert r.status_code == 400 and "Location" not in r.headers
        return
    assert r.status_code == 302
    location = r.headers["Location"]
    # What a browser would make of it: control characters dropped, then resolved.
    cleaned = re.sub(r"[\x00-\x20]", "", location).replace("\\", "/")
    parts = urlsplit(cleaned)
    assert parts.netloc in ("", "localhost"), (evil, location)
    assert not cleaned.startswith("//"), (evil, location)
    assert parts.scheme in ("", "http", "https"), (evil, location)


def test_login_next_keeps_local_paths(client, student):
    r = client.post("/login?next=/progress%3Fx%3D1", data={"email": "student@test.org", "password": PASSWORD})
    assert r.headers["Location"] == "/progress?x=1"


def _limited_app(tmp_path, monkeypatch, **extra):
    monkeypatch.setenv("STUDYAPP_INSTANCE", str(tmp_path / "instance"))
    return create_app(_config(tmp_path) | {"RATELIMIT_ENABLED": True,
                                           "RATELIMIT_STORAGE_URI": "memory://"} | extra)


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_login_limits_stop_spraying_but_let_a_class_log_in(tmp_path, monkeypatch):
    app = _limited_app(tmp_path, monkeypatch)
    school, attacker = _from("198.51.100.7"), _from("203.0.113.66")
    with app.app_context():
        fresh_schema()
        for i in range(40):
            make_user(f"pupil{i}@test.org")
        _db.session.remove()
    # Requests outside that app context: each gets its own, as in production (Flask-Login
    # caches the user in `g`, which a shared app context would carry from one client to the next).
    try:
        # A class of 40 behind one school address logs in at once: right passwords never count.
        for i in range(40):
            r = app.test_client().post("/login", data={"email": f"pupil{i}@test.org",
                                                       "password": PASSWORD}, **school)
            assert r.status_code == 302, i
        # Guessing one account: 10 failures, then 429 for that e-mail (other e-mails still fine).
        c = app.test_client()
        bad = [c.post("/login", data={"email": "pupil0@test.org", "password": "guess-guess"},
                      **attacker).status_code for _ in range(11)]
        assert 429 not in bad[:10] and bad[10] == 429
        r = c.post("/login", data={"email": "pupil0@test.org", "password": "guess-guess"}, **attacker)
        assert r.status_code == 429 and r.mimetype == "text/html" and b"<html" in r.data.lower()
        assert b"Too many requests (limit: 10 per 10 minute)" in r.data
        # Spraying across accounts: 30 failures per address in all, then every e-mail is refused.
        sprayed = [c.post("/login", data={"email": f"pupil{1 + i % 39}@test.org",
                                          "password": "Summer2024!"}, **attacker).status_code
                   for i in range(21)]
        assert 429 not in sprayed[:20] and sprayed[20] == 429
        r = c.post("/login", data={"email": "never-tried@test.org", "password": "x" * 9}, **attacker)
        assert r.status_code == 429 and b"30 per 10 minute" in r.data
        # The school's address is not the attacker's: its pupils still log in.
        assert app.test_client().post("/login", data={"email": "pupil1@test.org",
                                                      "password": PASSWORD}, **school).status_code == 302
        assert c.get("/login", **attacker).status_code == 200  # reading the form is not limited
    finally:
        with app.app_context():
            _db.engine.dispose()


def test_registration_limit_fits_a_class(tmp_path, monkeypatch):
    app = _limited_app(tmp_path, monkeypatch)
    with app.app_context():
        fresh_schema()
        c = app.test_client()
        form = {"email": "", "password": "x", "confirm": "y", "role": "student"}
        statuses = [c.post("/register", data=form).status_code for _ in range(61)]
        assert 429 not in statuses[:60] and statuses[60] == 429
        _db.session.remove()
        _db.engine.dispose()


def test_documented_limits_and_settings_are_the_ones_in_force():
    """docs/deployment.md states each default the code uses (and nothing else)."""
    from pathlib import Path

    from studyapp.config import AUTH_DEFAULTS, GENERATION_DEFAULTS, JOBS_DEFAULTS

    doc = (Path(__file__).parents[2] / "docs" / "deployment.md").read_text()
    for name, default in (AUTH_DEFAULTS | GENERATION_DEFAULTS | JOBS_DEFAULTS).items():
        row = re.search(rf"^\| `{name}` \|(.*)$", doc, re.M)
        assert row, f"{name} is not documented"
        shown = f"`{default}`" if default else "(none)"
        assert shown in row.group(1).split("|")[0], (name, default, row.group(1))


def test_api_limit_is_json_and_per_account(tmp_path, monkeypatch):
    app = _limited_app(tmp_path, monkeypatch, API_RATELIMIT="3 per minute")
    with app.app_context():
        fresh_schema()
        make_user("a@test.org")
        make_user("b@test.org")
        _db.session.remove()
    # Requests outside that app context: each gets its own, as in production (Flask-Login
    # caches the user in `g`, which a shared app context would carry from one client to the next).
    try:
        a, b = app.test_client(), app.test_client()
        a.post("/login", data={"email": "a@test.org", "password": PASSWORD})
        b.post("/login", data={"email": "b@test.org", "password": PASSWORD})
        assert [a.get("/api/v1/sets").status_code for _ in range(3)] == [200] * 3
        r = a.get("/api/v1/sets")
        assert r.status_code == 429
        assert r.get_json() == {"status": 429, "error": "Too many requests (limit: 3 per 1 minute): "
                                                        "slow down and try again in a minute."}
        assert "Retry-After" in r.headers
        # Another account from the same address (a school behind one NAT) is not throttled.
        assert b.get("/api/v1/sets").status_code == 200
    finally:
        with app.app_context():
            _db.engine.dispose()


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up() and not os.environ.get("CI"), reason="no Redis on 127.0.0.1:6379")
def test_limits_are_shared_between_workers_through_redis(tmp_path, monkeypatch):
    """Two app instances (two gunicorn workers) see the same counts in Redis."""
    prefix = f"studyapp-test-{uuid.uuid4().hex[:8]}"
    extra = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "RATELIMIT_KEY_PREFIX": prefix,
             "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": False}
    one = _limited_app(tmp_path, monkeypatch, **extra)
    two = _limited_app(tmp_path, monkeypatch, **extra)
    bad = {"email": "a@test.org", "password": "nope-nope"}
    with one.app_context():
        fresh_schema()
    statuses = []
    for i in range(11):
        app = one if i % 2 else two
        with app.app_context():
            statuses.append(app.test_client().post("/login", data=bad).status_code)
    assert 429 not in statuses[:10] and statuses[10] == 429
    for app in (one, two):
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()


def test_too_large_requests_are_refused_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYAPP_INSTANCE", str(tmp_path / "instance"))
    app = create_app(_config(tmp_path) | {"MAX_CONTENT_LENGTH": 1024 * 1024})
    with app.app_context():
        fresh_schema()
        make_user("a@test.org")
        c = app.test_client()
        big = "x" * (1024 * 1024 + 10)
        r = c.post("/login", data={"email": "a@test.org", "password": big})
        assert r.status_code == 413 and r.mimetype == "text/html"
        assert b"too large (limit 1 MB)" in r.data
        c.post("/login", data={"email": "a@test.org", "password": PASSWORD})
        r = c.post("/api/v1/check", data='{"question_id": 1, "answer": "' + big + '"}',
                   content_type="application/json")
        assert r.status_code == 413
        assert r.get_json() == {"status": 413, "error": "That upload is too large (limit 1 MB)."}
        _db.session.remove()
        _db.engine.dispose()


def test_user_text_is_escaped_everywhere_it_is_shown(client, db, bank):
    evil = "<script>alert(1)</script>"
    r = client.post("/register", data={"name": evil, "email": "evil@test.org", "password": "long-enough-pw",
                                       "confirm": "long-enough-pw", "role": "student"},
                    follow_redirects=True)
    assert r.status_code == 200
    assert db.session.scalar(select(User).where(User.email == "evil@test.org")).display_name == evil
    pages = [r] + [client.get(p) for p in ("/dashboard", "/progress", "/settings",
                                           f"/sets/{bank.id}/study", f"/sets/{bank.id}/quiz")]
    shown = 0
    for page in pages:
        html = page.get_data(as_text=True)
        assert "<script>alert(1)" not in html
        shown += html.count("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert shown >= 1  # the name is shown somewhere, escaped
    # Question text with markup (an instructor's import) is escaped too.
    for q in db.session.scalars(select(Question)):
        q.prompt = '<img src=x onerror="alert(2)"> ' + q.prompt
    db.session.commit()
    attempt = quiz.start_quiz(db.session.scalar(select(User).where(User.email == "evil@test.org")), bank, 3)
    html = client.get(f"/quiz/{attempt.id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=" in html and "<img src=x" not in html


def test_passwords_are_hashed_with_argon2id():
    h = hash_password("correct-horse-9")
    assert h.startswith("$argon2id$v=19$")
    params = dict(p.split("=") for p in h.split("$")[3].split(","))
    assert int(params["m"]) >= 19456 and int(params["t"]) >= 2  # OWASP's Argon2id minimums
    assert h != hash_password("correct-horse-9")  # salted
    assert check_password(h, "correct-horse-9")
    assert not check_password(h, "correct-horse-8")
    assert not check_password("not-a-hash", "correct-horse-9")
    assert not check_password(h, "")
