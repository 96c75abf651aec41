"""Fixtures in the style of Flask's tutorial: a fresh database per test, on SQLite always
and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from studyapp import create_app, jobs
from studyapp.auth.accounts import create_account
from studyapp.config import normalise_db_url
from studyapp.extensions import db as _db

DATA = Path(__file__).parent / "data"
MINI_BANK = DATA / "banks" / "history_mini.json"
TEST_DB_URL = os.environ.get("TEST_DATABASE_URL")
PASSWORD = "correct-horse-9"


def _config(tmp_path: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": TEST_DB_URL or f"sqlite:///{tmp_path / 'test.db'}",
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,  # on in tests/web/test_csrf.py, which checks the rejections
        "BANKS_DIR": str(DATA / "banks"),
        "JOBS_BACKEND": "inprocess",  # whatever REDIS_URL the environment has (tests/system: RQ)
    }


@pytest.fixture(scope="session")
def _pg_schema_rebuilt():
    """The PostgreSQL test database kept tables from earlier runs; once per run they are
    dropped, so a column added since (create_all adds no columns) is there."""
    if TEST_DB_URL:
        engine = create_engine(normalise_db_url(TEST_DB_URL))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


@pytest.fixture
def app(tmp_path, monkeypatch, _pg_schema_rebuilt):
    monkeypatch.setenv("STUDYAPP_INSTANCE", str(tmp_path / "instance"))
    app = create_app(_config(tmp_path))
    with app.app_context():
        if TEST_DB_URL:
            _db.create_all()
            tables = ", ".join(t.name for t in reversed(_db.metadata.sorted_tables))
            _db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            _db.session.commit()
        else:
            _db.create_all()
        yield app
        jobs.backend(app).stop()  # in-process job threads end with their app
        _db.session.remove()
        if not TEST_DB_URL:
            _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def bank(app):
    """The mini bank loaded as a public set; returns the QuestionSet."""
    from studyapp.bank import load_banks

    [(_, qset, _)] = load_banks([MINI_BANK])
    return qset


def make_user(email: str = "student@test.org", role: str = "student"):
    return create_account(email, PASSWORD, role, display_name=email.split("@")[0].title())


@pytest.fixture
def student(app):
    return make_user("student@test.org", "student")


@pytest.fixture
def instructor(app):
    return make_user("teacher@test.org", "instructor")


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str = "student@test.org", password: str = PASSWORD, remember=False):
        data = {"email": email, "password": password} | ({"remember": "y"} if remember else {})
        return self._client.post("/login", data=data)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)
