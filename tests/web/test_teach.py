"""Instructor pages: sets and questions through forms, draft review, imports, exports, classes."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from studyapp.models import Classroom, ClassSet, Enrollment, Question, QuestionSet, SetOwner
from studyapp.study import service as study_service
from tests.conftest import DATA, make_user

IMPORT = DATA / "import"


def _login(client, email):
    r = client.post("/login", data={"email": email, "password": "correct-horse-9"})
    assert r.status_code == 302, r.data


def new_set(client, title="Space", **extra):
    r = client.post("/teach/sets/new", data={"title": title, "description": "d", **extra})
    assert r.status_code == 302, r.data
    return int(r.headers["Location"].rsplit("/", 1)[1])


def add_question(client, set_id, qtype, **fields):
    return client.post(f"/teach/sets/{set_id}/questions/new?type={qtype}", data=fields)


def questions(db, set_id):
    return list(db.session.scalars(select(Question).where(Question.set_id == set_id)
                                   .order_by(Question.position, Question.id)))


def test_instructor_home_lists_sets_and_classes(client, instructor):
    _login(client, "teacher@test.org")
    r = client.get("/teach/")
    assert r.status_code == 200 and b"Question sets" in r.data
    assert b'href="/teach/"' in client.get("/dashboard").data  # nav link for instructors


def test_create_set_and_every_question_type(client, instructor, db):
    _login(client, "teacher@test.org")
    sid = new_set(client)
    qset = db.session.get(QuestionSet, sid)
    assert qset.status == "draft" and qset.owner_id == instructor.id and qset.origin == "manual"
    ok = [
        add_question(client, sid, "multiple_choice", prompt="Apollo 11 year?", option_1="1967",
                     option_2="1969", option_3="1971", correct="2", topic="Space", fact_kind="date",
                     tags="apollo, moon"),
        add_question(client, sid, "true_false", prompt="Gagarin flew first.", answer="true"),
        add_question(client, sid, "short_answer", prompt="First on the Moon?", answer="Neil Armstrong",
                     accept="Armstrong\nN. Armstrong"),
        add_question(client, sid, "numeric", prompt="Moonwalkers?", answer="12", tolerance="5%"),
        add_question(client, sid, "cloze", prompt="Apollo 11 landed in ____.", answer="1969"),
        add_question(client, sid, "flashcard", prompt="NASA", answer="National Aeronautics and Space Administration"),
    ]
    assert [r.status_code for r in ok] == [302] * 6
    qs = questions(db, sid)
    assert [q.type for q in qs] == ["multiple_choice", "true_false", "short_answer", "numeric", "cloze", "flashcard"]
    mc = qs[0]
    assert mc.choices == ["1967", "1969", "1971"] and mc.answer == "1969" and mc.tags == ["apollo", "moon"]
    assert qs[2].accept == ["Armstrong", "N. Armstrong"]
    assert qs[3].tolerance == "5%"
    assert [q.position for q in qs] == list(range(6))
    page = client.get(f"/teach/sets/{sid}").data
    assert b"Apollo 11 year?" in page and b"Moonwalkers?" in page


def test_question_form_validation(client, instructor, db):
    _login(client, "teacher@test.org")
    sid = new_set(client)
    cases = [
        ("multiple_choice", {"prompt": "Q", "option_1": "a", "correct": "1"}, b"Give 2 to 10 options"),
        ("multiple_choice", {"prompt": "Q", "option_1": "a", "option_2": "A", "option_3": "c", "correct": "1"},
         b"must all be different"),
        ("multiple_choice", {"prompt": "Q", "option_1": "a", "option_2": "b", "option_3": "c"}, b"Mark the right option"),
        ("multiple_choice", {"prompt": "Q", "option_1": "a", "option_2": "b", "option_3": "c", "correct": "5"},
         b"The right option is empty"),
        ("numeric", {"prompt": "Q", "answer": "lots"}, b"is not a number"),
        ("numeric", {"prompt": "Q", "answer": "3", "tolerance": "-2"}, b"non-negative number"),
        ("cloze", {"prompt": "No blank here", "answer": "x"}, b"needs a blank"),
        ("short_answer", {"prompt": "", "answer": "x"}, b"This field is required"),
    ]
    for qtype, data, message in cases:
        r = add_question(client, sid, qtype, **data)
        assert r.status_code == 400, (qtype, data)
        assert message in r.data, (qtype, data, r.data[-2000:])
    assert questions(db, sid) == []
    assert client.get(f"/teach/sets/{sid}/questions/new?type=essay").status_code == 404


def test_edit_keeps_history_and_flags_changed_answer(client, auth, instructor, db):
    _login(client, "teacher@test.org")
    sid = new_set(client)
    add_question(client, sid, "short_answer", prompt="First on the Moon?", answer="Buzz Aldrin")
    client.post(f"/teach/sets/{sid}/publish")
    q = questions(db, sid)[0]
    db.session.get(QuestionSet, sid).is_public = True
    db.session.commit()
    student = make_user("s1@test.org")
    log, card, _ = study_service.submit_review(student, q.id, 1, answer="Aldrin")
    # A wording-only edit does not flag the answer.
    r = client.post(f"/teach/sets/{sid}/questions/{q.id}/edit",
                    data={"prompt": "Who first walked on the Moon?", "answer": "Buzz Aldrin", "fact_kind": "person"})
    assert r.status_code == 302
    db.session.expire_all()
    q = db.session.get(Question, q.id)
    assert q.prompt == "Who first walked on the Moon?" and q.answer_changed_at is None
    r = client.post(f"/teach/sets/{sid}/questions/{q.id}/edit",
                    data={"prompt": "Who first walked on the Moon?", "answer": "Neil Armstrong", "fact_kind": "person"},
                    follow_redirects=True)
    assert b"told the answer changed" in r.data
    db.session.expire_all()
    q = db.session.get(Question, q.id)
    assert q.answer == "Neil Armstrong" and q.answer_changed_at is not None
    assert db.session.scalar(select(func.count()).select_from(Question)) == 1  # same row
    payload = study_service.card_payload(q, db.session.get(type(card), card.id), student, study_service.now_utc())
    assert payload["answer_changed"] is True
    # Once the student has reviewed the card again, the notice has done its job.
    study_service.submit_review(student, q.id, 3)
    card = db.session.get(type(card), card.id)
    assert study_service.card_payload(q, card, student, study_service.now_utc())["answer_changed"] is False
    # Dropping a studied question retires it instead of deleting it.
    client.post(f"/teach/sets/{sid}/questions/{q.id}/drop")
    db.session.expire_all()
    assert db.session.get(Question, q.id).retired is True
    client.post(f"/teach/sets/{sid}/questions/{q.id}/restore")
    db.session.expire_all()
    assert db.session.get(Question, q.id).retired is False


def test_reorder_retire_and_delete_unstudied(client, instructor, db):
    _login(client, "teacher@test.org")
    sid = new_set(client)
    for p in ("one", "two", "three"):
        add_question(client, sid, "flashcard", prompt=p, answer=p.upper())
    one, two, three = questions(db, sid)
    client.post(f"/teach/sets/{sid}/questions/{three.id}/up")
    db.session.expire_all()
    assert [q.prompt for q in questions(db, sid)] == ["one", "three", "two"]
    client.post(f"/teach/sets/{sid}/questions/{one.id}/up")  # already first: no change
    db.session.expire_all()
    assert [q.prompt for q in questions(db, sid)] == ["one", "three", "two"]
    client.post(f"/teach/sets/{sid}/questions/{two.id}/drop")
    db.session.expire_all()
    assert [q.prompt for q in questions(db, sid)] == ["one", "three"]


def test_publish_needs_questions_and_drafts_stay_hidden(client, instructor, db):
    _login(client, "teacher@test.org")
    sid = new_set(client, is_public="y")
    r = client.post(f"/teach/sets/{sid}/publish", follow_redirects=True)
    assert b"at least one question" in r.data
    add_question(client, sid, "flashcard", prompt="ISS", answer="International Space Station")
    student = make_user("s1@test.org")
    from studyapp.access import visible_sets
    assert sid not in [s.id for s in visible_sets(student)]
    client.post(f"/teach/sets/{sid}/publish")
    db.session.expire_all()
    assert db.session.get(QuestionSet, sid).status == "published"
    assert sid in [s.id for s in visible_sets(student)]


def test_co_owner_can_edit_and_others_cannot(client, instructor, db):
    other = make_user("other@test.org", "instructor")
    co = make_user("co@test.org", "instructor")
    _login(client, "teacher@test.org")
    sid = new_set(client)
    r = client.post(f"/teach/sets/{sid}/owners", data={"email": "s@nowhere.org"}, follow_redirects=True)
    assert b"no instructor account" in r.data
    client.post(f"/teach/sets/{sid}/owners", data={"email": "co@test.org"})
    assert db.session.get(SetOwner, (sid, co.id)) is not None
    client.post("/logout")
    _login(client, "co@test.org")
    assert client.get(f"/teach/sets/{sid}").status_code == 200
    assert add_question(client, sid, "flashcard", prompt="a", answer="b").status_code == 302
    assert client.post(f"/teach/sets/{sid}/owners", data={"email": "other@test.org"}).status_code == 403
    client.post("/logout")
    _login(client, "other@test.org")
    assert client.get(f"/teach/sets/{sid}").status_code == 404
    assert other.id not in [o.user_id for o in db.session.scalars(select(SetOwner))]


# --- generation -----------------------------------------------------------------------------

def test_generate_from_document_makes_a_draft_for_review(client, instructor, db):
    from studyapp import jobs

    _login(client, "teacher@test.org")
    data = (IMPORT / "apollo.txt").read_bytes()
    r = client.post("/teach/generate", data={"document": (io.BytesIO(data), "apollo.txt"), "title": "Apollo"},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    job_id = r.headers["Location"].rsplit("/", 1)[1]
    jobs.wait(job_id)
    status = client.get(f"/teach/generate/{job_id}.json").get_json()
    assert status["state"] == "done", status
    qset = db.session.get(QuestionSet, status["set_id"])
    assert (qset.status, qset.origin, qset.owner_id, qset.title) == ("draft", "generated", instructor.id, "Apollo")
    qs = questions(db, qset.id)
    assert len(qs) >= 3 and all((q.source or {}).get("quote") for q in qs)
    # Nothing reaches students before publishing.
    from studyapp.access import visible_sets
    assert visible_sets(make_user("s1@test.org")) == []
    # The status page sends the instructor to the review.
    r = client.get(f"/teach/generate/{job_id}")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/teach/sets/{qset.id}/review")
    page = client.get(f"/teach/sets/{qset.id}/review?i=0")
    assert page.status_code == 200 and qs[0].source["quote"].encode() in page.data.replace(b"&#39;", b"'")
    r = client.post(f"/teach/sets/{qset.id}/review/{qs[0].id}", data={"decision": "drop", "i": "0"})
    assert r.headers["Location"].endswith("i=1")
    client.post(f"/teach/sets/{qset.id}/review/{qs[1].id}", data={"decision": "keep", "i": "1"})
    end = client.get(f"/teach/sets/{qset.id}/review?i={len(qs)}")
    assert b"All" in end.data and b"Publish" in end.data
    client.post(f"/teach/sets/{qset.id}/publish")
    db.session.expire_all()
    assert db.session.get(QuestionSet, qset.id).status == "published"
    assert db.session.get(Question, qs[0].id).retired is True


def test_generate_rejects_other_file_types_and_big_files(client, instructor, monkeypatch, db):
    from studyapp.teach import views

    _login(client, "teacher@test.org")
    r = client.post("/teach/generate", data={"document": (io.BytesIO(b"x,y"), "data.docx")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and b"only .txt, .md and .pdf" in r.data
    monkeypatch.setattr(views, "MAX_DOCUMENT_BYTES", 10)
    r = client.post("/teach/generate", data={"document": (io.BytesIO(b"x" * 11), "big.txt")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and b"larger than" in r.data
    assert db.session.scalar(select(func.count()).select_from(QuestionSet)) == 0


def test_generate_failure_is_shown(client, instructor, db):
    from studyapp import jobs

    _login(client, "teacher@test.org")
    r = client.post("/teach/generate", data={"document": (io.BytesIO(b"hello hello"), "tiny.txt")},
                    content_type="multipart/form-data")
    job_id = r.headers["Location"].rsplit("/", 1)[1]
    jobs.wait(job_id)
    status = client.get(f"/teach/generate/{job_id}.json").get_json()
    assert status["state"] == "failed" and "tiny.txt" in status["error"]
    assert b"Generation failed" in client.get(f"/teach/generate/{job_id}").data
    assert db.session.scalar(select(func.count()).select_from(QuestionSet)) == 0


# --- import / export through the web --------------------------------------------------------------

def _upload(client, url, path_or_bytes, name, **extra):
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    return client.post(url, data={"file": (io.BytesIO(data), name), **extra},
                       content_type="multipart/form-data", follow_redirects=True)


def test_import_csv_new_set_then_reimport_does_not_duplicate(client, instructor, db):
    _login(client, "teacher@test.org")
    r = _upload(client, "/teach/import", IMPORT / "good.csv", "good.csv", title="Imported")
    assert r.status_code == 200 and b"6 added" in r.data
    qset = db.session.scalar(select(QuestionSet).where(QuestionSet.title == "Imported"))
    assert qset.origin == "import" and qset.status == "draft"
    r = _upload(client, f"/teach/sets/{qset.id}/import", IMPORT / "good.csv", "good.csv")
    assert b"0 added, 0 updated, 6 unchanged" in r.data
    assert len(questions(db, qset.id)) == 6
    r = _upload(client, f"/teach/sets/{qset.id}/import", IMPORT / "good.gift", "good.gift")
    # Two of the GIFT file's five questions ask exactly what two CSV rows ask: not duplicated.
    assert b"3 added" in r.data
    assert len(questions(db, qset.id)) == 9


def test_bad_import_lists_every_problem_and_writes_nothing(client, instructor, db):
    _login(client, "teacher@test.org")
    r = _upload(client, "/teach/import", IMPORT / "bad.csv", "bad.csv")
    assert r.status_code == 400
    text = r.data.decode()
    for expected in ("line 2, field &#39;choices&#39;", "line 3, field &#39;answer&#39;",
                     "line 4, field &#39;answer&#39;", "line 5, field &#39;prompt&#39;",
                     "line 6, field &#39;fact_kind&#39;", "nothing was changed"):
        assert expected in text, expected
    r = _upload(client, "/teach/import", IMPORT / "bad.gift", "bad.gift")
    text = r.data.decode()
    for expected in ("line 1, field &#39;choices&#39;", "line 3, field &#39;pairs&#39;: needs 3-8 pairs",
                     "line 5, field &#39;answer&#39;", "line 7, field &#39;answer&#39;"):
        assert expected in text, expected
    r = _upload(client, "/teach/import", b"%PDF-1.4", "slides.pdf")
    assert b"cannot tell the format" in r.data
    assert db.session.scalar(select(func.count()).select_from(QuestionSet)) == 0
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_import_template_and_exports(client, instructor, db):
    r = client.get("/teach/import/template.csv")
    assert r.status_code == 200 and r.data.startswith(b"id,name,type,prompt,answer")
    _login(client, "teacher@test.org")
    _upload(client, "/teach/import", r.data, "template.csv", title="Template")
    qset = db.session.scalar(select(QuestionSet).where(QuestionSet.title == "Template"))
    assert len(questions(db, qset.id)) == 9  # one of every type
    for fmt, start in (("csv", b"id,name,type"), ("gift", b"// Template"), ("bank", b"{"), ("apkg", b"PK"),
                       ("moodlexml", b"<?xml"), ("list", b"#separator:tab")):
        r = client.get(f"/teach/sets/{qset.id}/export.{fmt}")
        assert r.status_code == 200 and r.data.startswith(start), fmt
        assert "attachment" in r.headers["Content-Disposition"]
    assert client.get(f"/teach/sets/{qset.id}/export.pdf").status_code == 404


# --- classes ------------------------------------------------------------------------------

def _published_set(client, db):
    sid = new_set(client, "Apollo")
    add_question(client, sid, "flashcard", prompt="ISS", answer="International Space Station")
    client.post(f"/teach/sets/{sid}/publish")
    return sid


def test_class_join_assign_and_remove(client, instructor, db):
    _login(client, "teacher@test.org")
    sid = _published_set(client, db)
    r = client.post("/teach/classes/new", data={"name": "History 101"})
    cid = int(r.headers["Location"].rsplit("/", 1)[1])
    c = db.session.get(Classroom, cid)
    page = client.get(f"/teach/classes/{cid}").data.decode()
    assert c.join_code in page and f"/teach/join/{c.join_code}" in page
    r = client.post(f"/teach/classes/{cid}/assign", data={"set_id": str(sid), "due_date": "2030-01-31",
                                                          "target": "all_reviewed"})
    cs = db.session.get(ClassSet, (cid, sid))
    assert cs.target == "all_reviewed" and cs.due_date.date().isoformat() == "2030-01-31"
    client.post("/logout")

    student = make_user("s1@test.org")
    _login(client, "s1@test.org")
    assert b"set-title\">Apollo" not in client.get("/dashboard").data
    r = client.post("/teach/join", data={"code": "nope"}, follow_redirects=True)
    assert b"No class has the code" in r.data
    r = client.get(f"/teach/join/{c.join_code.lower()}")
    assert r.status_code == 200 and b"History 101" in r.data
    r = client.post("/teach/join", data={"code": " " + c.join_code.lower() + " "}, follow_redirects=True)
    assert b"You joined History 101" in r.data and b"set-title\">Apollo" in r.data
    r = client.post("/teach/join", data={"code": c.join_code}, follow_redirects=True)
    assert b"already in History 101" in r.data
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1
    client.post("/logout")

    _login(client, "teacher@test.org")
    assert b"s1@test.org" in client.get(f"/teach/classes/{cid}").data
    client.post(f"/teach/classes/{cid}/students/{student.id}/remove")
    assert db.session.get(Enrollment, (cid, student.id)) is None
    old = c.join_code
    client.post(f"/teach/classes/{cid}/code")
    db.session.expire_all()
    assert db.session.get(Classroom, cid).join_code != old
    client.post(f"/teach/classes/{cid}/sets/{sid}/remove")
    assert db.session.get(ClassSet, (cid, sid)) is None


def test_cannot_assign_drafts_or_others_sets(client, instructor, db):
    other = make_user("other@test.org", "instructor")
    from studyapp.teach.service import create_set
    theirs = create_set(other, "Theirs", status="published")
    db.session.commit()
    _login(client, "teacher@test.org")
    draft = new_set(client, "Draft")
    cid = int(client.post("/teach/classes/new", data={"name": "C"}).headers["Location"].rsplit("/", 1)[1])
    for sid in (draft, theirs.id):
        r = client.post(f"/teach/classes/{cid}/assign", data={"set_id": str(sid)}, follow_redirects=True)
        assert b"Not assigned" in r.data
    assert db.session.scalar(select(func.count()).select_from(ClassSet)) == 0


def test_instructor_cannot_join_own_class(client, instructor, db):
    _login(client, "teacher@test.org")
    cid = int(client.post("/teach/classes/new", data={"name": "C"}).headers["Location"].rsplit("/", 1)[1])
    code = db.session.get(Classroom, cid).join_code
    r = client.post("/teach/join", data={"code": code}, follow_redirects=True)
    assert b"You teach this class" in r.data


def test_cli_import_and_export(runner, instructor, db, tmp_path):
    r = runner.invoke(args=["import", str(IMPORT / "good.csv"), "--set", "CLI set", "--owner", "teacher@test.org"])
    assert r.exit_code == 0, r.output
    assert "6 added" in r.output
    r = runner.invoke(args=["import", str(IMPORT / "good.csv"), "--set", "CLI set", "--owner", "teacher@test.org"])
    assert "6 unchanged" in r.output
    r = runner.invoke(args=["import", str(IMPORT / "bad.csv"), "--set", "CLI set"])
    assert r.exit_code != 0 and "line 2, field 'choices'" in r.output and "nothing imported" in r.output
    qset = db.session.scalar(select(QuestionSet).where(QuestionSet.title == "CLI set"))
    assert qset.status == "published" and len(questions(db, qset.id)) == 6
    for fmt in ("csv", "gift", "bank", "apkg"):
        out = tmp_path / f"out.{fmt}"
        r = runner.invoke(args=["export", "--set", "CLI set", "--format", fmt, "--out", str(out)])
        assert r.exit_code == 0, r.output
        assert out.stat().st_size > 100
    r = runner.invoke(args=["export", "--set", "Nope", "--format", "csv", "--out", str(tmp_path / "x")])
    assert r.exit_code != 0 and "no set is titled" in r.output


def test_every_registered_format_is_offered_by_the_pages_the_cli_and_the_api(client, instructor, db, runner):
    from studyapp.interchange import FORMATS, IMPORTABLE

    _login(client, "teacher@test.org")
    page = client.get("/teach/import").get_data(as_text=True)
    assert all(f'value="{f.name}"' in page and f.label in page for f in IMPORTABLE)
    cli_help = runner.invoke(args=["export", "--help"]).output
    assert all(name in cli_help for name in FORMATS)
    sid = new_set(client, "Apollo")
    add_question(client, sid, "flashcard", prompt="ISS", answer="International Space Station")
    for f in FORMATS.values():
        page = client.get(f"/teach/sets/{sid}/export.{f.name}")
        api = client.get(f"/api/v1/sets/{sid}/export/{f.name}")
        assert page.status_code == api.status_code == 200
        assert page.mimetype == api.mimetype == f.media_type
        assert api.headers["Content-Disposition"].endswith(f"apollo.{f.extension}")
        if f.name != "apkg":  # an Anki package is a zip with a creation time inside
            assert page.data == api.data
    assert client.get(f"/api/v1/sets/{sid}/export/pdf").status_code == 404
    client.post("/logout")
    make_user("other@test.org", "instructor")
    _login(client, "other@test.org")
    r = client.get(f"/api/v1/sets/{sid}/export/csv")
    assert r.status_code == 404 and r.get_json()["status"] == 404
