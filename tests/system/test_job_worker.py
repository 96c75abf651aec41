"""A real RQ job worker (`studyapp worker`, a separate process) against the machine's Redis,
killed with SIGKILL in the middle of a generation job, then started again: the job is run
again and completes, with one draft set. Any web process serves the job's status page.

The worker pauses inside the transaction that writes the draft's questions (the test-only
hook STUDYAPP_TEST_PAUSE_IN=import of studyapp/ops.py), and the test kills its whole process
group there (the worker and the sandbox processes it started), as a crash or a power cut
would. Redis: TEST_REDIS_URL, else database 9 of 127.0.0.1:6379, with a queue name of its
own, so other test runs and the other helpers' data are left alone.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from studyapp import create_app
from studyapp.extensions import db
from studyapp.models import Job, Question, QuestionSet
from tests.conftest import DATA, PASSWORD, make_user
from tests.system.pgutil import IS_PG, fresh_pg_database
from tests.system.test_sigkill import BIN, wait_for

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
ROOT = Path(__file__).parents[2]


def _redis_or_skip():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisDown:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not answering at {REDIS_URL} (.ci/run starts it)")
        pytest.skip(f"Redis is not answering at {REDIS_URL}")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jobs.db'}"
    elif not IS_PG:
        pytest.skip("needs TEST_DATABASE_URL=postgresql://...")
    else:
        with fresh_pg_database() as url:
            yield url


@pytest.fixture
def queue_name():
    """A queue of this test's own; its keys (and its jobs' records) are deleted afterwards."""
    from redis import Redis

    _redis_or_skip()
    name = f"studyapp-test-{uuid.uuid4().hex[:8]}"
    yield name
    redis = Redis.from_url(REDIS_URL)
    for key in redis.scan_iter(f"*{name}*"):
        redis.delete(key)
    for key in redis.scan_iter("rq:job:*"):
        if redis.type(key) == b"hash" and redis.hget(key, "origin") == name.encode():
            job_id = key.decode().split(":", 2)[2]
            redis.delete(key, f"rq:executions:{job_id}", *redis.keys(f"rq:execution:{job_id}:*"))
    redis.close()


def _settings(db_url: str, tmp_path: Path, queue: str) -> dict:
    return {"DATABASE_URL": db_url, "REDIS_URL": REDIS_URL, "JOBS_QUEUE": queue,
            "JOBS_LEASE_SECONDS": "2", "SECRET_KEY": "job-worker-test", "RATELIMIT_ENABLED": "0",
            "STUDYAPP_INSTANCE": str(tmp_path / "instance")}


@contextlib.contextmanager
def web_app(settings: dict):
    """A web process's app (the test client stands for its requests)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": settings["DATABASE_URL"], "TESTING": True,
                      "SECRET_KEY": settings["SECRET_KEY"], "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "REDIS_URL": settings["REDIS_URL"],
                      "JOBS_QUEUE": settings["JOBS_QUEUE"], "JOBS_BACKEND": "rq"})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@contextlib.contextmanager
def job_worker(env: dict, log: Path):
    """`studyapp worker` in a process group of its own, which SIGKILL takes down whole."""
    out = open(log, "a")  # noqa: SIM115  (closed below)
    proc = subprocess.Popen([str(BIN / "studyapp"), "worker", "--processes", "1"], env=env,
                            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        out.close()


def _client(app):
    client = app.test_client()
    r = client.post("/login", data={"email": "teacher@test.org", "password": PASSWORD})
    assert r.status_code == 302
    return client


def test_a_generation_survives_its_worker_being_killed_mid_job(db_url, queue_name, tmp_path,
                                                               monkeypatch):
    settings = _settings(db_url, tmp_path, queue_name)
    monkeypatch.setenv("STUDYAPP_INSTANCE", settings["STUDYAPP_INSTANCE"])
    marker = tmp_path / "paused"
    env = {**os.environ, **settings, "STUDYAPP_TEST_PAUSE_IN": "import",
           "STUDYAPP_TEST_PAUSE_FILE": str(marker), "STUDYAPP_TEST_PAUSE_SECONDS": "120"}
    log = tmp_path / "worker.log"
    with web_app(settings) as app:
        db.create_all()
        make_user("teacher@test.org", "instructor")
        client = _client(app)
        r = client.post("/teach/generate", content_type="multipart/form-data", data={
            "document": (io.BytesIO((DATA / "import" / "apollo.txt").read_bytes()), "apollo.txt"),
            "title": "Apollo"})
        assert r.status_code == 302
        job_id = r.headers["Location"].rsplit("/", 1)[1]
        status = lambda: client.get(f"/teach/jobs/{job_id}.json").get_json()  # noqa: E731
        assert status()["state"] == "queued"  # no worker yet: it waits in Redis

        with job_worker(env, log) as first:
            # Paused inside the transaction that writes the draft: kill everything there.
            wait_for(marker.exists, 90, "the worker to reach the draft's questions")
            running = status()
            assert running["state"] == "running" and running["attempts"] == 1, running
            assert "Saving" in running["message"]
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(30)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(QuestionSet)) == 0

        with job_worker(env, log):  # the marker exists now: this run does not pause
            done = wait_for(lambda: status()["done"] and status(), 90, "the job to finish")
        assert done["state"] == "done", (done, log.read_text()[-3000:])
        assert done["attempts"] == 2 and done["review_url"] == f"/teach/sets/{done['set_id']}/review"
        db.session.rollback()
        sets = list(db.session.scalars(select(QuestionSet)))
        assert [(s.id, s.title, s.status) for s in sets] == [(done["set_id"], "Apollo", "draft")]
        questions = db.session.scalar(select(func.count()).select_from(Question))
        assert questions == done["questions"] > 0
        assert db.session.get(Job, job_id).worker != ""

    # Another web process (its own app) serves the same job's status page.
    with web_app(settings) as other:
        assert _client(other).get(f"/teach/jobs/{job_id}.json").get_json()["state"] == "done"
