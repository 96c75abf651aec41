"""A process killed with SIGKILL in the middle of a write leaves no half-written state.

A gunicorn worker (or a `studyapp load-banks` process) is made to pause inside its
transaction, right after the first write (STUDYAPP_TEST_PAUSE_IN, a test-only hook in
studyapp/ops.py), then killed. The database must hold all of that write or none of it,
and the same request retried afterwards is recorded exactly once.
Runs on a temporary SQLite file, and on a fresh PostgreSQL database when TEST_DATABASE_URL
points at one.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from studyapp import create_app
from studyapp.bank import load_banks
from studyapp.extensions import db
from studyapp.models import Card, Question, QuestionSet, ReviewLog
from studyapp.study import service
from tests.conftest import MINI_BANK, PASSWORD, make_user
from tests.system.pgutil import IS_PG, fresh_pg_database

BIN = Path(sys.executable).parent


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.db'}"
    elif not IS_PG:
        pytest.skip("needs TEST_DATABASE_URL=postgresql://...")
    else:
        with fresh_pg_database() as url:
            yield url


@contextlib.contextmanager
def app_on(url: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "x"})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def env_for(url: str, tmp_path: Path, pause: str | None) -> dict:
    env = dict(os.environ, DATABASE_URL=url, STUDYAPP_INSTANCE=str(tmp_path / "instance"),
               SECRET_KEY="crash-test", RATELIMIT_ENABLED="0", STUDYAPP_TEST_PAUSE_SECONDS="60",
               STUDYAPP_TEST_PAUSE_FILE=str(tmp_path / "paused"))
    env.pop("STUDYAPP_TEST_PAUSE_IN", None)
    if pause:
        env["STUDYAPP_TEST_PAUSE_IN"] = pause
    return env


def wait_for(predicate, seconds: float = 30, what: str = "condition"):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict, tmp_path: Path):
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115  (closed below)
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}", "--timeout", "120",
         "studyapp:create_app()"], env=env, stdout=log, stderr=subprocess.STDOUT,
        cwd=Path(__file__).parents[2])
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return requests.get(base + "/healthz", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_for(up, 30, "gunicorn to serve")
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def login(base: str) -> tuple[requests.Session, str]:
    s = requests.Session()
    page = s.get(base + "/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = s.post(base + "/login", data={"csrf_token": token, "email": "student@test.org",
                                      "password": PASSWORD}, timeout=10, allow_redirects=False)
    assert r.status_code == 302, r.text
    meta = re.search(r'name="csrf-token" content="([^"]+)"', s.get(base + "/dashboard", timeout=10).text)
    return s, meta.group(1)


def test_worker_killed_mid_review_leaves_all_or_nothing(db_url, tmp_path):
    with app_on(db_url):
        db.create_all()
        load_banks([MINI_BANK])
        make_user("student@test.org")
        qid = db.session.scalar(select(Question.id).where(Question.uid == "q-sa-1"))
    marker = tmp_path / "paused"
    with gunicorn(env_for(db_url, tmp_path, "review"), tmp_path) as base:
        session, csrf = login(base)
        body = {"question_id": qid, "rating": 3, "answer": "Nazarbayev", "review_id": "crash-1"}
        outcome = {}

        def submit():
            try:
                outcome["status"] = session.post(base + "/api/v1/reviews", json=body, timeout=90,
                                                 headers={"X-CSRFToken": csrf}).status_code
            except requests.RequestException as exc:
                outcome["error"] = exc

        t = threading.Thread(target=submit)
        t.start()
        worker = int(wait_for(lambda: marker.exists() and marker.read_text(), 30, "the pause"))
        os.kill(worker, signal.SIGKILL)
        t.join(30)
        assert "status" not in outcome or outcome["status"] >= 500, outcome

        with app_on(db_url):
            logs = db.session.scalar(select(func.count(ReviewLog.id)))
            cards = list(db.session.scalars(select(Card)))
            # The kill came before the commit: nothing of the review may remain.
            assert logs == 0 and cards == [], (logs, cards)

        # The client retries the same review on the respawned worker: recorded once.
        r = wait_for(lambda: _post_ok(session, base, body, csrf), 30, "a worker to come back")
        assert r.status_code == 201 and r.json()["created"] is True
        r = session.post(base + "/api/v1/reviews", json=body, headers={"X-CSRFToken": csrf}, timeout=10)
        assert r.status_code == 200 and r.json()["created"] is False
    with app_on(db_url):
        assert db.session.scalar(select(func.count(ReviewLog.id))) == 1
        card = db.session.scalar(select(Card))
        assert card.reps == 1 and service.card_state(card) == service.replay_card(card)


def _post_ok(session, base, body, csrf):
    try:
        r = session.post(base + "/api/v1/reviews", json=body, headers={"X-CSRFToken": csrf}, timeout=10)
    except requests.RequestException:
        return None
    return r if r.status_code < 500 else None


def test_import_killed_midway_loads_nothing_and_retries_cleanly(db_url, tmp_path):
    with app_on(db_url):
        db.create_all()
    env = env_for(db_url, tmp_path, "import")
    cmd = [str(BIN / "studyapp"), "load-banks", str(MINI_BANK)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    marker = tmp_path / "paused"
    try:
        pid = int(wait_for(lambda: marker.exists() and marker.read_text(), 60, "the pause"))
        assert pid == proc.pid
        os.kill(pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    with app_on(db_url):
        assert db.session.scalar(select(func.count(QuestionSet.id))) == 0
        assert db.session.scalar(select(func.count(Question.id))) == 0
    # Run again (the marker now exists, so no pause), then once more: the retry is idempotent.
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "7 added" in first.stdout
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "0 added, 0 updated, 7 unchanged" in again.stdout
    with app_on(db_url):
        assert db.session.scalar(select(func.count(Question.id))) == 7
        assert db.session.scalar(select(func.count(QuestionSet.id))) == 1
