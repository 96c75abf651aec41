"""The migrations build exactly the schema the models declare, on SQLite and (when
TEST_DATABASE_URL says so) PostgreSQL, and fill new columns for existing rows."""

import contextlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from studyapp import create_app
from studyapp.extensions import db
from studyapp.question import sibling_from_explanation
from tests.system.pgutil import IS_PG, fresh_pg_database

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not IS_PG, reason="needs TEST_DATABASE_URL=postgresql://..."))]


@contextlib.contextmanager
def migrating_app(backend, tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYAPP_INSTANCE", str(tmp_path / "inst"))
    with contextlib.ExitStack() as stack:
        url = (f"sqlite:///{tmp_path / 'm.db'}" if backend == "sqlite"
               else stack.enter_context(fresh_pg_database()))
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_matches_models_and_downgrade_works(backend, tmp_path, monkeypatch):
    with migrating_app(backend, tmp_path, monkeypatch):
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == []
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert db.inspect(conn).get_table_names() == ["alembic_version"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_sibling_groups_are_filled_from_explanations(backend, tmp_path, monkeypatch):
    with migrating_app(backend, tmp_path, monkeypatch):
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO question_sets (id, key, title, description, status, "
                              "is_public, origin, sources, created_at, updated_at) VALUES (1, 'k', 'T', "
                              "'', 'published', true, 'bank', '[]', :t, :t)"), {"t": "2026-01-01"})
            for i, expl in enumerate(["Seoul is the capital.", "Seoul is the capital.",
                                      "Busan is a port.", ""], start=1):
                conn.execute(text(
                    "INSERT INTO questions (id, set_id, uid, type, prompt, answer, accept, explanation,"
                    " fact_kind, topic, tags, position, retired, created_at, updated_at) VALUES "
                    "(:i, 1, :uid, 'short_answer', 'P', 'A', '[]', :e, 'other', '', '[]', :i, false,"
                    " :t, :t)"), {"i": i, "uid": f"q{i}", "e": expl, "t": "2026-01-01"})
        upgrade()
        with db.engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT uid, sibling FROM questions")).all())
        assert rows["q1"] == rows["q2"] == sibling_from_explanation("Seoul is the capital.")
        assert rows["q3"] == sibling_from_explanation("Busan is a port.") != rows["q1"]
        assert rows["q4"] is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_existing_accounts_get_their_own_session_token(backend, tmp_path, monkeypatch):
    with migrating_app(backend, tmp_path, monkeypatch):
        upgrade(revision="0002")
        with db.engine.begin() as conn:
            for email in ("old@test.org", "older@test.org"):
                conn.execute(text(
                    "INSERT INTO users (email, password_hash, role, display_name, daily_new_limit,"
                    " desired_retention, created_at) VALUES (:e, 'h', 'student', '', 20, 0.9,"
                    " CURRENT_TIMESTAMP)"), {"e": email})
        upgrade()
        with db.engine.connect() as conn:
            tokens = conn.execute(text("SELECT session_token FROM users")).scalars().all()
        assert len(tokens) == 2 and len(set(tokens)) == 2 and all(len(t) >= 20 for t in tokens)
        with db.engine.connect() as conn:  # nobody is waiting to become an instructor
            assert conn.execute(text("SELECT count(*) FROM users "
                                     "WHERE instructor_requested_at IS NOT NULL")).scalar() == 0
