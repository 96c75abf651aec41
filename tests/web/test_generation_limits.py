"""Untrusted documents cannot hold the server: a PDF bomb ends within the time limit with a
clear message, page and character caps say what they are, and concurrent generation jobs
are capped per instructor and for the whole machine. Messages never show server paths."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from studyapp import jobs
from studyapp.models import QuestionSet
from studyapp.qgen.command import generate
from tests.conftest import DATA, PASSWORD, make_user
from tests.pdfbomb import pdf_bomb


def _login(client, email):
    client.post("/logout")
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def _upload(client, data: bytes, name: str):
    return client.post("/teach/generate", data={"document": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _job_id(response) -> str:
    assert response.status_code == 302, response.data
    return response.headers["Location"].rsplit("/", 1)[1]


def _status(client, job_id):
    return client.get(f"/teach/generate/{job_id}.json").get_json()


def _wait_for(get, predicate, seconds: float = 30):
    import time

    deadline = time.monotonic() + seconds
    while True:
        value = get()
        if predicate(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def _no_server_paths(text: str) -> None:
    assert "/tmp" not in text and "studyapp-upload" not in text, text


def test_pdf_bomb_ends_within_the_time_limit_with_a_clear_message(app, client, db, instructor):
    app.config["GENERATION_SECONDS"] = 2
    _login(client, "teacher@test.org")
    job_id = _job_id(_upload(client, pdf_bomb(4), "treaty.pdf"))
    jobs.wait(job_id, timeout=60)
    status = _status(client, job_id)
    assert status["state"] == "failed", status
    assert "treaty.pdf: reading it and writing questions took longer than 2 seconds" in status["error"]
    _no_server_paths(status["error"])
    assert db.session.scalar(select(func.count()).select_from(QuestionSet)) == 0
    page = client.get(f"/teach/generate/{job_id}").get_data(as_text=True)
    assert "took longer than 2 seconds" in page


def test_page_and_character_caps_are_named(app, client, db, instructor):
    _login(client, "teacher@test.org")
    app.config["GENERATION_MAX_PAGES"] = 3
    job_id = _job_id(_upload(client, pdf_bomb(0.01, pages=5), "long.pdf"))
    jobs.wait(job_id, timeout=60)
    error = _status(client, job_id)["error"]
    assert "long.pdf: has 5 pages, more than the 3 one document may have" in error
    _no_server_paths(error)
    app.config.update(GENERATION_MAX_PAGES=300, GENERATION_MAX_CHARS=50_000)
    job_id = _job_id(_upload(client, pdf_bomb(0.25), "wordy.pdf"))
    jobs.wait(job_id, timeout=60)
    error = _status(client, job_id)["error"]
    assert "wordy.pdf: has more than 50,000 characters of text" in error
    _no_server_paths(error)


def test_generation_errors_show_no_server_paths(client, instructor):
    _login(client, "teacher@test.org")
    job_id = _job_id(_upload(client, b"hello hello", "tiny.txt"))
    jobs.wait(job_id)
    status = _status(client, job_id)
    assert status["state"] == "failed" and "tiny.txt" in status["error"]
    _no_server_paths(status["error"] + " ".join(status["warnings"]))


def test_concurrent_jobs_are_capped_per_instructor_and_for_the_machine(app, client, db, instructor):
    app.config.update(GENERATION_JOBS=1, GENERATION_JOBS_PER_USER=1, GENERATION_SECONDS=3)
    make_user("second@test.org", "instructor")
    _login(client, "teacher@test.org")
    first = _job_id(_upload(client, pdf_bomb(4), "slow.pdf"))
    # The same instructor's second upload is refused, saying why; nothing is started.
    r = _upload(client, (DATA / "import" / "apollo.txt").read_bytes(), "apollo.txt")
    assert r.status_code == 429 and b"already have 1 document being turned into questions" in r.data
    # Another instructor's upload waits for the machine's one slot, then runs.
    _login(client, "second@test.org")
    second = _job_id(_upload(client, (DATA / "import" / "apollo.txt").read_bytes(), "apollo.txt"))
    waiting = _wait_for(lambda: _status(client, second), lambda s: "Waiting for a free slot" in s["message"])
    assert waiting["state"] == "running" and waiting["progress"] < 0.1
    jobs.wait(first, timeout=60)
    jobs.wait(second, timeout=60)
    assert _status(client, second)["state"] == "done"
    _login(client, "teacher@test.org")
    assert _status(client, first)["state"] == "failed"
    # Once done, the first instructor may upload again.
    assert _upload(client, b"hello hello", "again.txt").status_code == 302


def test_command_line_generation_has_the_same_limits(tmp_path):
    from click.testing import CliRunner

    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_bomb(4))
    r = CliRunner().invoke(generate, [str(bomb), "--out", str(tmp_path / "b.json"),
                                      "--time-limit", "2"])
    assert r.exit_code != 0 and "took longer than 2 seconds" in r.output
    r = CliRunner().invoke(generate, [str(bomb), "--explain", "--time-limit", "2"])
    assert "took longer than 2 seconds" in r.output
