from sqlalchemy import select

from studyapp.models import User
from tests.conftest import PASSWORD


def test_register_logs_in_and_hashes_password(client, db):
    r = client.post("/register", data={"name": "Ada", "email": "Ada@Example.org", "password": "long-enough-pw",
                                       "confirm": "long-enough-pw", "role": "student"}, follow_redirects=True)
    assert r.status_code == 200
    assert b"Your account is ready" in r.data
    user = db.session.scalar(select(User).where(User.email == "ada@example.org"))
    assert user is not None and user.role == "student"
    assert user.password_hash.startswith("$argon2id$")
    assert "long-enough-pw" not in user.password_hash


def test_register_taken_email_is_refused(client, student, db):
    r = client.post("/register", data={"email": "student@test.org", "password": "another-pw-1",
                                       "confirm": "another-pw-1", "role": "student"})
    assert r.status_code == 400
    assert b"cannot be used to register" in r.data
    assert db.session.scalar(select(User).where(User.email == "student@test.org")).password_hash


def test_register_validation_messages(client):
    r = client.post("/register", data={"email": "not-an-email", "password": "short", "confirm": "x", "role": "student"})
    assert r.status_code == 400
    assert b"not valid" in r.data
    assert b"at least 8 characters" in r.data
    assert b"passwords differ" in r.data


def test_login_wrong_password_and_unknown_email_get_the_same_answer(client, student):
    wrong = client.post("/login", data={"email": "student@test.org", "password": "wrong-password"})
    unknown = client.post("/login", data={"email": "nobody@test.org", "password": PASSWORD})
    assert b"Wrong e-mail address or password." in wrong.data
    assert wrong.status_code == unknown.status_code
    assert wrong.get_data(as_text=True).replace("student@test.org", "X") == \
        unknown.get_data(as_text=True).replace("nobody@test.org", "X")


def test_unknown_email_still_costs_one_password_hash(client, student, monkeypatch):
    """No shortcut for accounts that do not exist: their timing is the same hash's (bench/auth.py
    measures both)."""
    from argon2 import PasswordHasher

    verified = []
    real = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify",
                        lambda self, h, p: verified.append(h) or real(self, h, p))
    client.post("/login", data={"email": "nobody@test.org", "password": PASSWORD})
    client.post("/login", data={"email": "student@test.org", "password": "wrong-password"})
    assert len(verified) == 2 and all(h.startswith("$argon2id$") for h in verified)
    # Registering a taken address hashes the password too, as creating an account would.
    hashed = []
    real_hash = PasswordHasher.hash
    monkeypatch.setattr(PasswordHasher, "hash",
                        lambda self, p, **kw: hashed.append(p) or real_hash(self, p, **kw))
    client.post("/register", data={"email": "student@test.org", "password": "another-pw-1",
                                   "confirm": "another-pw-1", "role": "student"})
    assert hashed == ["another-pw-1"]


def test_login_logout(client, auth, student):
    assert client.get("/dashboard").status_code == 302
    r = auth.login(remember=True)
    assert r.status_code == 302 and r.headers["Location"].endswith("/dashboard")
    assert client.get("/dashboard").status_code == 200
    r = auth.logout()
    # The remember-me cookie goes too, or it would log the user straight back in.
    assert any(c.startswith("remember_token=;") for c in r.headers.getlist("Set-Cookie"))
    assert client.get("/dashboard").status_code == 302


def test_login_next_is_never_an_open_redirect(client, student):
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        r = client.post(f"/login?next={evil}", data={"email": "student@test.org", "password": PASSWORD})
        assert r.headers["Location"].endswith("/dashboard"), evil
        client.post("/logout")
    r = client.post("/login?next=/progress", data={"email": "student@test.org", "password": PASSWORD})
    assert r.headers["Location"].endswith("/progress")


def test_session_cookie_flags(client, student):
    r = client.post("/login", data={"email": "student@test.org", "password": PASSWORD})
    cookies = r.headers.getlist("Set-Cookie")
    session = [c for c in cookies if c.startswith("session=")][0]
    assert "HttpOnly" in session and "SameSite=Lax" in session


def test_create_user_command(runner, db):
    r = runner.invoke(args=["create-user", "t@x.org", "--role", "instructor", "--password", "pw-river-lantern-7"])
    assert r.exit_code == 0, r.output
    assert db.session.scalar(select(User).where(User.email == "t@x.org")).role == "instructor"
    r = runner.invoke(args=["create-user", "t@x.org", "--password", "pw-river-lantern-7"])
    assert r.exit_code != 0 and "already exists" in r.output
    r = runner.invoke(args=["create-user", "bad", "--password", "pw-river-lantern-7"])
    assert r.exit_code != 0 and "not valid" in r.output
    r = runner.invoke(args=["create-user", "u@x.org", "--password", "password1"])
    assert r.exit_code != 0 and "too common or easy to guess" in r.output


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_json()["database"]["state"] == "ok"
