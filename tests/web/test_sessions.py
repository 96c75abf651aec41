"""Sessions end when they should: a copied cookie is worthless after logout, a password change
or "log out everywhere else"; remember-me only when asked; password change and reset."""

from __future__ import annotations

import re
import socket
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from flask import g

from tests.conftest import PASSWORD

NEW_PASSWORD = "lantern-orchard-mosaic"


@pytest.fixture
def fresh_user_per_request(app):
    """The test app keeps one app context for all requests, and Flask-Login caches the user
    in `g`: forget it before each request, so every request is judged by its own cookies."""

    @app.before_request
    def forget_cached_user():
        g.pop("_login_user", None)


def _stolen_copy(app, victim, names=("session", "remember_token")):
    """Another browser holding copies of the victim's cookies (as an attacker would)."""
    thief = app.test_client()
    for name in names:
        cookie = victim.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def _logged_in(client) -> bool:
    return client.get("/api/v1/progress").status_code == 200


def test_copied_cookies_stop_working_after_logout(app, client, auth, student, fresh_user_per_request):
    auth.login(remember=True)
    session_only = _stolen_copy(app, client, ["session"])
    remember_only = _stolen_copy(app, client, ["remember_token"])
    assert _logged_in(session_only) and _logged_in(remember_only)
    auth.logout()
    assert not _logged_in(client)
    assert not _logged_in(session_only) and not _logged_in(remember_only)
    assert client.get("/dashboard").status_code == 302  # pages send them to the login form


def test_password_change_keeps_this_browser_and_ends_the_others(app, client, auth, student,
                                                              fresh_user_per_request):
    auth.login(remember=True)
    thief = _stolen_copy(app, client)
    r = client.post("/account/password", data={"current": "not-my-password", "password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD})
    assert r.status_code == 400 and b"not your current password" in r.data
    assert _logged_in(thief)  # nothing changed
    r = client.post("/account/password", data={"current": PASSWORD, "password": "12345678",
                                               "confirm": "12345678"})
    assert r.status_code == 400 and b"too common" in r.data
    r = client.post("/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD}, follow_redirects=True)
    assert b"Password changed" in r.data
    assert _logged_in(client) and not _logged_in(thief)
    # This browser stays remembered: its new remember-me cookie logs in on its own.
    assert _logged_in(_stolen_copy(app, client, ["remember_token"]))
    auth.logout()
    assert auth.login(password=PASSWORD).status_code == 200  # the old password is refused
    assert auth.login(password=NEW_PASSWORD).status_code == 302


def test_log_out_everywhere_else(app, client, auth, student, fresh_user_per_request):
    auth.login()
    phone = app.test_client()
    phone.post("/login", data={"email": "student@test.org", "password": PASSWORD, "remember": "y"})
    assert _logged_in(phone)
    r = client.post("/account/sessions/revoke", follow_redirects=True)
    assert b"Logged out everywhere else" in r.data
    assert _logged_in(client) and not _logged_in(phone)


def test_remember_me_only_when_asked(client, auth, student):
    r = auth.login()
    assert not any(c.startswith("remember_token=") for c in r.headers.getlist("Set-Cookie"))
    auth.logout()
    r = auth.login(remember=True)
    [cookie] = [c for c in r.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    expires = re.search(r"Expires=([^;]+)", cookie).group(1)
    days = (time.mktime(time.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT")) - time.time()) / 86400
    assert 29 < days <= 30.1  # REMEMBER_DAYS, not a year
    # Two logins, two different remember-me cookies (the first was revoked by the logout).
    auth.logout()
    r2 = auth.login(remember=True)
    assert [c for c in r2.headers.getlist("Set-Cookie") if c.startswith("remember_token=")] != [cookie]


def test_admin_reset_link_sets_a_new_password_once(app, client, auth, runner, db, student,
                                                  fresh_user_per_request):
    auth.login()
    r = runner.invoke(args=["reset-link", "student@test.org", "--base-url", "https://school.example"])
    assert r.exit_code == 0, r.output
    url = r.output.splitlines()[0]
    assert url.startswith("https://school.example/reset-password/")
    path = url.removeprefix("https://school.example")
    assert runner.invoke(args=["reset-link", "nobody@test.org"]).exit_code != 0
    other = app.test_client()
    assert other.get(path).status_code == 200
    r = other.post(path, data={"password": "student@test.org", "confirm": "student@test.org"})
    assert r.status_code == 400 and b"must not be your e-mail" in r.data
    r = other.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                   follow_redirects=True)
    assert b"Your new password is set" in r.data
    assert not _logged_in(client)  # the reset ended the sessions that were open
    r = other.post(path, data={"password": "another-" + NEW_PASSWORD,
                               "confirm": "another-" + NEW_PASSWORD}, follow_redirects=True)
    assert b"expired or was already used" in r.data
    assert other.get("/reset-password/not-a-token", follow_redirects=True).status_code == 200
    assert other.post("/login", data={"email": "student@test.org",
                                      "password": NEW_PASSWORD}).status_code == 302


def test_without_mail_the_reset_page_points_to_the_administrator(client):
    r = client.get("/reset-password")
    assert b"does not send e-mail" in r.data and b"<form method=\"post\"" not in r.data


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd cannot report one it chose itself)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def test_reset_by_email_same_answer_for_unknown_addresses(app, client, db, student, smtp_server):
    inbox, port = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_STARTTLS=False,
                      PUBLIC_URL="https://school.example")
    known = client.post("/reset-password", data={"email": "student@test.org"}, follow_redirects=True)
    unknown = client.post("/reset-password", data={"email": "nobody@test.org"}, follow_redirects=True)
    assert known.data == unknown.data and b"If an account uses that address" in known.data
    deadline = time.monotonic() + 10
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # a second message (there must not be one) would have arrived by now
    [msg] = inbox.messages
    assert msg["To"] == "student@test.org"
    link = re.search(r"https://school\.example(/reset-password/\S+)", msg.get_content()).group(1)
    r = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/login"
    assert client.post("/login", data={"email": "student@test.org",
                                       "password": NEW_PASSWORD}).status_code == 302
