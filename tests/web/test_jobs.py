"""The job queue on its in-process backend (no Redis: the default install): the owner
cancels, failures say why, other instructors cannot see or cancel a job, big imports and
exports run as jobs, and a job whose process died is taken up again and done once."""

from __future__ import annotations

import csv
import io
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from studyapp import jobs
from studyapp.jobs import backends, runner, store
from studyapp.models import Job, Question, QuestionSet, utcnow
from studyapp.teach.service import create_set, save_question
from tests.conftest import DATA, PASSWORD, TEST_DB_URL, make_user
from tests.pdfbomb import pdf_bomb

APOLLO = (DATA / "import" / "apollo.txt").read_bytes()


def _login(client, email="teacher@test.org"):
    client.post("/logout")
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def _generate(client, data: bytes, name: str) -> str:
    r = client.post("/teach/generate", data={"document": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")
    assert r.status_code == 302, r.data
    return r.headers["Location"].rsplit("/", 1)[1]


def _status(client, job_id) -> dict:
    r = client.get(f"/teach/jobs/{job_id}.json")
    assert r.status_code == 200
    return r.get_json()


def _until(get, predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        value = get()
        if predicate(value):
            return value
        assert time.monotonic() < deadline, value
        time.sleep(0.05)


def _sets(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(QuestionSet))


def _big_csv(n: int, bad_rows=()) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["type", "prompt", "answer", "explanation"])
    for i in range(n):
        kind = "nonsense" if i in bad_rows else "short_answer"
        w.writerow([kind, f"What is glossary term number {i}?", f"Definition {i}",
                    f"Term {i} means definition {i}."])
    return buf.getvalue().encode()


def test_the_owner_cancels_a_running_generation_and_nothing_is_saved(app, client, db, instructor):
    app.config["GENERATION_SECONDS"] = 120  # the bomb would take far longer than the test waits
    _login(client)
    job_id = _generate(client, pdf_bomb(8), "slow.pdf")
    _until(lambda: _status(client, job_id), lambda s: "Reading slow.pdf" in s["message"])
    page = client.get(f"/teach/jobs/{job_id}?wait=1").get_data(as_text=True)
    assert f'action="/teach/jobs/{job_id}/cancel"' in page
    r = client.post(f"/teach/jobs/{job_id}/cancel", follow_redirects=True)
    assert b"Cancelling" in r.data or b"Cancelled" in r.data
    status = _until(lambda: _status(client, job_id), lambda s: s["done"], seconds=20)
    assert status["state"] == "cancelled" and status["message"] == "Cancelled: nothing was saved."
    assert "cancel_url" not in status and _sets(db) == 0
    assert b"Cancelled" in client.get(f"/teach/jobs/{job_id}").data
    # Cancelling again changes nothing, and says so.
    r = client.post(f"/teach/jobs/{job_id}/cancel", follow_redirects=True)
    assert b"Too late to cancel: the job is cancelled already" in r.data


def test_a_queued_job_is_cancelled_before_it_starts(app, client, db, instructor):
    _login(client)
    job, _ = store.create("teach.generate", owner_id=instructor.id, title="later.txt",
                          params={}, max_attempts=3)  # queued, not yet handed to a worker
    client.post(f"/teach/jobs/{job.id}/cancel")
    assert _status(client, job.id)["state"] == "cancelled"
    assert runner.execute(app, job.id) is None  # a worker that gets it now does nothing
    assert _status(client, job.id)["state"] == "cancelled"


def test_another_instructors_job_is_not_found_and_cannot_be_cancelled(app, client, db, instructor):
    make_user("other@test.org", "instructor")
    _login(client, "other@test.org")
    job, _ = store.create("teach.generate", owner_id=instructor.id, title="mine.txt",
                          params={}, max_attempts=3)  # queued, not handed to a worker
    for url in (f"/teach/jobs/{job.id}", f"/teach/jobs/{job.id}.json", f"/teach/generate/{job.id}",
                f"/teach/jobs/{job.id}/download"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/teach/jobs/{job.id}/cancel").status_code == 404
    db.session.expire_all()
    assert db.session.get(Job, job.id).state == "queued"
    assert not db.session.get(Job, job.id).cancel_requested
    make_user("pupil@test.org")
    _login(client, "pupil@test.org")
    assert client.get(f"/teach/jobs/{job.id}.json").status_code == 403


def test_failures_say_what_went_wrong(app, client, db, instructor):
    _login(client)
    job_id = _generate(client, b"hello hello", "tiny.txt")
    jobs.wait(job_id)
    status = _status(client, job_id)
    assert status["state"] == "failed" and status["error"].startswith("No questions could be made")
    assert "tiny.txt" in status["error"] and "cancel_url" not in status
    page = client.get(f"/teach/jobs/{job_id}").get_data(as_text=True)
    assert "Generation failed" in page and "tiny.txt" in page and "Try another document" in page


def test_a_big_import_runs_as_a_job_and_its_problems_are_listed(app, client, db, instructor):
    app.config["IMPORT_INLINE_MAX_KB"] = 1
    _login(client)
    data = _big_csv(60, bad_rows={3, 40})
    r = client.post("/teach/import", data={"file": (io.BytesIO(data), "glossary.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 302 and "/teach/jobs/" in r.headers["Location"]
    job_id = r.headers["Location"].rsplit("/", 1)[1]
    jobs.wait(job_id)
    status = _status(client, job_id)
    assert status["state"] == "failed"
    assert status["message"].startswith("glossary.csv was not imported: nothing was changed")
    assert len(status["details"]) == 2 and all("glossary.csv: line" in d for d in status["details"])
    assert "line 5" in status["details"][0] and "line 42" in status["details"][1]
    assert "line 42" in client.get(f"/teach/jobs/{job_id}").get_data(as_text=True)
    assert _sets(db) == 0
    # Asked to import the others: the two bad lines are left out and listed.
    r = client.post("/teach/import", data={"file": (io.BytesIO(data), "glossary.csv"),
                                           "partial": "y"}, content_type="multipart/form-data")
    status = _status(client, jobs.wait(r.headers["Location"].rsplit("/", 1)[1]).id)
    assert status["state"] == "done" and "2 questions with problems were left out" in status["message"]
    assert len(status["details"]) == 2 and "line 42" in status["details"][1]
    assert len(db.session.get(QuestionSet, status["set_id"]).questions) == 58
    # The same file without the bad lines: imported, and the status page opens the set.
    r = client.post("/teach/import", data={"file": (io.BytesIO(_big_csv(60)), "glossary.csv")},
                    content_type="multipart/form-data")
    job_id = r.headers["Location"].rsplit("/", 1)[1]
    jobs.wait(job_id)
    status = _status(client, job_id)
    assert status["state"] == "done", status
    qset = db.session.get(QuestionSet, status["set_id"])
    assert qset.origin == "import" and len(qset.questions) == 60 and _sets(db) == 2
    r = client.get(f"/teach/jobs/{job_id}")
    assert r.status_code == 302 and r.headers["Location"] == f"/teach/sets/{qset.id}"
    # Small files are still imported at once, with the problems on the form.
    app.config["IMPORT_INLINE_MAX_KB"] = 100
    r = client.post("/teach/import", data={"file": (io.BytesIO(_big_csv(5, {1})), "small.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and b"small.csv: line 3" in r.data


def test_a_big_export_runs_as_a_job_and_is_downloaded(app, client, db, instructor):
    app.config["EXPORT_INLINE_MAX_QUESTIONS"] = 2
    qset = create_set(instructor, "Glossary")
    for i in range(3):
        save_question(qset, {"type": "flashcard", "prompt": f"Term {i}", "answer": f"Def {i}"})
    _login(client)
    page = client.get(f"/teach/sets/{qset.id}").get_data(as_text=True)
    assert f'action="/teach/sets/{qset.id}/export.csv"' in page  # a button that starts a job
    r = client.post(f"/teach/sets/{qset.id}/export.csv")
    assert r.status_code == 302
    job_id = r.headers["Location"].rsplit("/", 1)[1]
    jobs.wait(job_id)
    status = _status(client, job_id)
    assert status["state"] == "done" and status["questions"] == 3
    assert status["result_url"] == f"/teach/jobs/{job_id}/download"
    page = client.get(f"/teach/jobs/{job_id}").get_data(as_text=True)  # no redirect: a link
    assert "Download glossary.csv" in page
    download = client.get(status["result_url"])
    assert download.status_code == 200 and "glossary.csv" in download.headers["Content-Disposition"]
    assert download.data == client.get(f"/teach/sets/{qset.id}/export.csv").data


def _stale_running_job(db, owner_id, data: bytes, attempts: int) -> str:
    """What a process that died mid-generation leaves: a running job whose heartbeat stopped."""
    job, _ = store.create("teach.generate", owner_id=owner_id, title="apollo.txt",
                          params={"title": "Apollo"}, max_attempts=3,
                          files=[("input", "apollo.txt", "text/plain", data)])
    old = utcnow() - timedelta(minutes=5)
    job.state, job.attempts, job.started_at, job.heartbeat_at = "running", attempts, old, old
    db.session.commit()
    return job.id


def test_a_job_whose_process_died_is_run_again_once(app, client, db, instructor):
    app.config["JOBS_LEASE_SECONDS"] = 1
    job_id = _stale_running_job(db, instructor.id, APOLLO, attempts=1)
    _login(client)  # a restarted web process: its first request starts the job threads
    job = jobs.wait(job_id, timeout=60)
    assert (job.state, job.attempts) == ("done", 2), job.message
    assert _sets(db) == 1 and db.session.get(QuestionSet, job.result["set_id"]).title == "Apollo"
    assert runner.execute(app, job_id) is None  # delivered twice: the second does nothing
    assert _sets(db) == 1


def test_a_job_that_kills_its_worker_every_time_fails_after_its_attempts(app, client, db,
                                                                         instructor):
    app.config["JOBS_LEASE_SECONDS"] = 1
    job_id = _stale_running_job(db, instructor.id, APOLLO, attempts=3)
    backends.Maintenance(app).run()
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.state == "failed" and "stopped 3 times" in job.error
    assert _sets(db) == 0


def test_a_worker_that_shuts_down_hands_its_job_back(app, client, db, instructor):
    app.config["GENERATION_SECONDS"] = 120
    _login(client)
    job_id = _generate(client, pdf_bomb(8), "slow.pdf")
    _until(lambda: _status(client, job_id), lambda s: "Reading slow.pdf" in s["message"])
    jobs.backend(app).stop()
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert (job.state, job.attempts) == ("queued", 0) and "Waiting to start again" in job.message


def test_one_unfinished_job_per_key(app, db, instructor):
    first = store.create("teach.export", owner_id=None, title="a", params={}, max_attempts=3,
                         key="refresh:1")
    second = store.create("teach.export", owner_id=None, title="b", params={}, max_attempts=3,
                          key="refresh:1")
    assert first[1] and not second[1] and second[0].id == first[0].id
    store.end(first[0].id, None, "cancelled", "x")
    third = store.create("teach.export", owner_id=None, title="c", params={}, max_attempts=3,
                         key="refresh:1")
    assert third[1] and third[0].id != first[0].id


def test_the_backend_follows_the_configuration(app):
    assert backends.backend_name({}) == "inprocess"
    assert backends.backend_name({"REDIS_URL": "redis://127.0.0.1:6379/0"}) == "rq"
    assert backends.backend_name({"REDIS_URL": "redis://x", "JOBS_BACKEND": "inprocess"}) == "inprocess"
    with pytest.raises(ValueError, match="JOBS_BACKEND=rq needs REDIS_URL"):
        backends.backend_name({"JOBS_BACKEND": "rq"})
    with pytest.raises(ValueError, match="use rq or inprocess"):
        backends.backend_name({"JOBS_BACKEND": "celery"})


@pytest.mark.skipif(not TEST_DB_URL, reason="SQLite serialises writers: there a cancel waits "
                    "until the draft is committed, and then finds the job done")
def test_no_questions_left_behind_by_a_cancelled_save(app, db, instructor):
    """A cancel that arrives while a generation is saving rolls the draft back with it."""
    job, _ = store.create("teach.generate", owner_id=instructor.id, title="apollo.txt",
                          params={}, max_attempts=3,
                          files=[("input", "apollo.txt", "text/plain", APOLLO)])
    from studyapp.teach import service

    real = service.save_generated

    def save_then_cancel(*args, **kwargs):
        qset = real(*args, **kwargs)
        with app.app_context():  # the owner presses Cancel while the draft is being written
            store.request_cancel(db.session.get(Job, job.id))
        return qset

    service.save_generated = save_then_cancel
    try:
        assert runner.execute(app, job.id) == "cancelled"
    finally:
        service.save_generated = real
    assert _sets(db) == 0 and db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_a_job_of_a_kind_this_version_does_not_know_fails_saying_so(app, db, instructor):
    job, _ = store.create("stats.gone", owner_id=instructor.id, title="old", params={},
                          max_attempts=3)
    assert runner.execute(app, job.id) == "failed"
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.state == "failed" and "no job type 'stats.gone'" in job.error
    assert "JOB_MODULES" in job.error
