"""Who may become an instructor: students register freely; an instructor account needs an
invitation code or an administrator's approval, unless the install is open."""

from __future__ import annotations

import re

from sqlalchemy import select

from studyapp.models import User

PW = "lantern-orchard-mosaic"


def _register(client, email, role="instructor", invite="", query=""):
    return client.post("/register" + query, data={"name": "Tess", "email": email, "password": PW,
                                                 "confirm": PW, "role": role, "invite": invite})


def _user(db, email):
    return db.session.scalar(select(User).where(User.email == email))


def test_students_register_freely(client, db):
    assert _register(client, "pupil@test.org", role="student").status_code == 302
    assert _user(db, "pupil@test.org").role == "student"


def test_by_default_an_instructor_waits_for_approval(client, db, runner):
    r = _register(client, "tess@test.org")
    assert r.status_code == 302
    user = _user(db, "tess@test.org")
    assert user.role == "student" and user.instructor_requested_at is not None
    assert "will confirm you as an instructor" in client.get("/dashboard").get_data(as_text=True)
    assert client.get("/teach/").status_code == 403
    r = runner.invoke(args=["instructor-requests"])
    assert "tess@test.org" in r.output
    r = runner.invoke(args=["approve-instructor", "tess@test.org"])
    assert r.exit_code == 0, r.output
    db.session.refresh(user)
    assert user.role == "instructor" and user.instructor_requested_at is None
    assert runner.invoke(args=["instructor-requests"]).output.strip() == "no requests"
    assert client.get("/teach/").status_code == 200


def test_an_invitation_makes_an_instructor_at_once_for_its_address_only(app, client, db, runner):
    app.config["INSTRUCTOR_SIGNUP"] = "invite"
    r = runner.invoke(args=["invite-instructor", "tess@test.org", "--base-url", "https://school.example"])
    assert r.exit_code == 0, r.output
    code, link = r.output.splitlines()[:2]
    assert link == f"link: https://school.example/register?invite={code}"
    # Without a code: refused, saying what is needed; with another address's code: refused.
    r = _register(client, "tess@test.org")
    assert r.status_code == 400 and b"need an invitation code" in r.data
    r = _register(client, "mallory@test.org", invite=code)
    assert r.status_code == 400 and b"not valid for this e-mail address" in r.data
    assert _user(db, "mallory@test.org") is None
    # The link fills in the code and the role.
    page = client.get(f"/register?invite={code}").get_data(as_text=True)
    assert f'value="{code}"' in page
    assert re.search(r'<input checked[^>]*value="instructor"', page)
    assert _register(client, "Tess@test.org", invite=code).status_code == 302
    assert _user(db, "tess@test.org").role == "instructor"


def test_an_open_install_lets_anyone_be_an_instructor(app, client, db):
    app.config["INSTRUCTOR_SIGNUP"] = "open"
    assert b"Invitation code" not in client.get("/register").data
    assert _register(client, "solo@test.org").status_code == 302
    assert _user(db, "solo@test.org").role == "instructor"
