"""With CSRF protection on (as in production), forged forms and API writes are refused."""

import re

import pytest
from sqlalchemy import func, select

from studyapp.models import Question, ReviewLog, User
from tests.conftest import PASSWORD


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def token(client, path="/login"):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_forged_register_and_login_are_refused(csrf_client, db):
    r = csrf_client.post("/register", data={"email": "x@test.org", "password": "long-enough", "confirm": "long-enough"})
    assert r.status_code == 400
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_login_with_token_works_and_api_write_needs_header(csrf_client, student, bank, db):
    t = token(csrf_client)
    r = csrf_client.post("/login", data={"email": "student@test.org", "password": PASSWORD, "csrf_token": t})
    assert r.status_code == 302
    qid = db.session.scalar(select(Question.id).where(Question.uid == "q-fc-1"))
    r = csrf_client.post("/api/v1/reviews", json={"question_id": qid, "rating": 3})
    assert r.status_code == 400 and "security token" in r.get_json()["error"]
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 0
    t = token(csrf_client, "/dashboard")
    r = csrf_client.post("/api/v1/reviews", json={"question_id": qid, "rating": 3}, headers={"X-CSRFToken": t})
    assert r.status_code == 201


def test_forged_logout_and_settings_are_refused(csrf_client, student, db):
    t = token(csrf_client)
    csrf_client.post("/login", data={"email": "student@test.org", "password": PASSWORD, "csrf_token": t})
    r = csrf_client.post("/settings", data={"daily_new_limit": "1", "desired_retention": "0.8"})
    assert r.status_code == 400
    db.session.refresh(student)
    assert student.daily_new_limit == 20
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.get("/dashboard").status_code == 200  # still logged in
