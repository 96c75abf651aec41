"""Every teach route, walked as anonymous, a student of the class, another class's student,
the owning instructor and another instructor: each gets exactly what it should, and a
refused write changes nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from studyapp.models import (
    Classroom,
    ClassSet,
    Enrollment,
    Job,
    Question,
    QuestionSet,
    SetOwner,
    User,
)
from studyapp.teach.service import create_class, create_set, save_question
from tests.conftest import PASSWORD, make_user

ROLES = ("anonymous", "student", "other_student", "owner", "other_instructor")


@pytest.fixture
def world(app, db):
    owner = make_user("owner@test.org", "instructor")
    other = make_user("other@test.org", "instructor")
    student = make_user("student@test.org")
    other_student = make_user("otherstudent@test.org")
    qset = create_set(owner, "Owned", status="published")
    q = save_question(qset, {"type": "flashcard", "prompt": "NASA", "answer": "National Aeronautics"})
    save_question(qset, {"type": "flashcard", "prompt": "ESA", "answer": "European Space Agency"})
    c = create_class(owner, "Owner's class")
    db.session.add(ClassSet(class_id=c.id, set_id=qset.id))
    db.session.add(Enrollment(class_id=c.id, user_id=student.id))
    other_class = create_class(other, "Other class")
    db.session.add(Enrollment(class_id=other_class.id, user_id=other_student.id))
    co = make_user("co@test.org", "instructor")
    db.session.add(SetOwner(set_id=qset.id, user_id=co.id))
    db.session.commit()
    job = Job(id="job-perm-test", kind="teach.generate", owner_id=owner.id, title="x.txt",
              state="failed", message="x")
    db.session.add(job)
    db.session.commit()
    yield {"owner": owner, "other": other, "student": student, "other_student": other_student,
           "set": qset.id, "q": q.id, "class": c.id, "code": c.join_code, "job": job.id, "co": co.id}


def snapshot(db) -> dict:
    db.session.expire_all()
    return {
        "sets": sorted((s.id, s.title, s.status, s.is_public, s.owner_id) for s in db.session.scalars(select(QuestionSet))),
        "questions": sorted((q.id, q.prompt, q.answer, q.retired, q.position) for q in db.session.scalars(select(Question))),
        "classes": sorted((c.id, c.name, c.join_code) for c in db.session.scalars(select(Classroom))),
        "enrollments": sorted((e.class_id, e.user_id) for e in db.session.scalars(select(Enrollment))),
        "class_sets": sorted((x.class_id, x.set_id, x.target) for x in db.session.scalars(select(ClassSet))),
        "owners": sorted((o.set_id, o.user_id) for o in db.session.scalars(select(SetOwner))),
        "users": sorted(u.id for u in db.session.scalars(select(User))),
    }


def login_as(client, w, role):
    client.post("/logout")
    email = {"student": "student@test.org", "other_student": "otherstudent@test.org",
             "owner": "owner@test.org", "other_instructor": "other@test.org"}.get(role)
    if email:
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


# Instructor-only reads: (url, status for the owner, status for another instructor).
def instructor_gets(w):
    s, q, c = w["set"], w["q"], w["class"]
    sid = w["student"].id
    return [
        ("/teach/", 200, 200), ("/teach/sets/new", 200, 200), ("/teach/generate", 200, 200),
        ("/teach/import", 200, 200), ("/teach/classes/new", 200, 200),
        (f"/teach/sets/{s}", 200, 404), (f"/teach/sets/{s}/edit", 200, 404),
        (f"/teach/sets/{s}/review", 200, 404), (f"/teach/sets/{s}/questions/new?type=numeric", 200, 404),
        (f"/teach/sets/{s}/questions/{q}/edit", 200, 404),
        *[(f"/teach/sets/{s}/export.{fmt}", 200, 404) for fmt in ("csv", "gift", "bank", "apkg")],
        (f"/teach/classes/{c}", 200, 404), (f"/teach/classes/{c}/stats", 200, 404),
        (f"/teach/classes/{c}/stats.csv", 200, 404), (f"/teach/classes/{c}/stats.json", 200, 404),
        (f"/teach/classes/{c}/items", 200, 404),
        (f"/teach/students/{sid}", 200, 404), (f"/teach/students/{sid}/progress.json", 200, 404),
        (f"/teach/generate/{w['job']}", 200, 404), (f"/teach/generate/{w['job']}.json", 200, 404),
        (f"/teach/jobs/{w['job']}", 200, 404), (f"/teach/jobs/{w['job']}.json", 200, 404),
    ]


def instructor_posts(w):
    s, q, c = w["set"], w["q"], w["class"]
    sid = w["student"].id
    return [
        (f"/teach/sets/{s}/edit", {"title": "Hacked"}),
        (f"/teach/sets/{s}/publish", {}), (f"/teach/sets/{s}/unpublish", {}), (f"/teach/sets/{s}/delete", {}),
        (f"/teach/sets/{s}/owners", {"email": "other@test.org"}),
        (f"/teach/sets/{s}/owners/{w['co']}/remove", {}),
        (f"/teach/sets/{s}/questions/new?type=flashcard", {"prompt": "x", "answer": "y"}),
        (f"/teach/sets/{s}/questions/{q}/edit", {"prompt": "Hacked", "answer": "y"}),
        *[(f"/teach/sets/{s}/questions/{q}/{a}", {}) for a in ("retire", "restore", "drop", "up", "down")],
        (f"/teach/sets/{s}/review/{q}", {"decision": "drop", "i": "0"}),
        (f"/teach/sets/{s}/import", {"file": (io.BytesIO(b"type,prompt,answer\nflashcard,a,b\n"), "x.csv")}),
        (f"/teach/classes/{c}/assign", {"set_id": str(s)}),
        (f"/teach/classes/{c}/sets/{s}/remove", {}),
        (f"/teach/classes/{c}/students/{sid}/remove", {}),
        (f"/teach/classes/{c}/code", {}), (f"/teach/classes/{c}/delete", {}),
    ]


def test_instructor_reads(client, db, world):
    for role in ROLES:
        login_as(client, world, role)
        for url, owner_status, other_status in instructor_gets(world):
            r = client.get(url)
            expected = {"anonymous": 302, "student": 403, "other_student": 403,
                        "owner": owner_status, "other_instructor": other_status}[role]
            assert r.status_code == expected, (role, url, r.status_code)
            if role == "anonymous":
                assert "/login" in r.headers["Location"]


def test_refused_writes_change_nothing(client, db, world):
    before = snapshot(db)
    for role in ("anonymous", "student", "other_student", "other_instructor"):
        login_as(client, world, role)
        for url, data in instructor_posts(world):
            data = {k: ((io.BytesIO(v[0].getvalue()), v[1]) if isinstance(v, tuple) else v) for k, v in data.items()}
            r = client.post(url, data=data, content_type="multipart/form-data")
            expected = {"anonymous": 302, "student": 403, "other_student": 403, "other_instructor": 404}[role]
            assert r.status_code == expected, (role, url, r.status_code)
            if role == "anonymous":
                assert "/login" in r.headers["Location"]
        # Writes outside the instructor's own sets: generation and a new import make new rows
        # owned by the writer only, so they are not part of this walk.
    assert snapshot(db) == before


def test_co_owner_edits_but_cannot_manage_owners_or_delete(client, db, world):
    client.post("/login", data={"email": "co@test.org", "password": PASSWORD})
    s = world["set"]
    assert client.get(f"/teach/sets/{s}").status_code == 200
    before = snapshot(db)
    assert client.post(f"/teach/sets/{s}/owners", data={"email": "other@test.org"}).status_code == 403
    assert client.post(f"/teach/sets/{s}/owners/{world['co']}/remove").status_code == 403
    assert client.post(f"/teach/sets/{s}/delete").status_code == 403
    assert snapshot(db) == before
    assert client.get(f"/teach/classes/{world['class']}").status_code == 404  # classes are not shared


def test_join_routes_and_template(client, db, world):
    code = world["code"]
    assert client.get("/teach/import/template.csv").status_code == 200
    r = client.get(f"/teach/join/{code}")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    r = client.post("/teach/join", data={"code": code})
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert client.get("/teach/join/NOSUCHCODE").status_code == 302
    login_as(client, world, "other_student")
    assert client.get(f"/teach/join/{code}").status_code == 200
    assert client.get("/teach/join/NOSUCHCODE").status_code == 404
    before = snapshot(db)
    r = client.post("/teach/join", data={"code": "NOSUCHCODE"})
    assert r.status_code == 302 and snapshot(db) == before
    r = client.post("/teach/join", data={"code": code})
    assert r.status_code == 302
    assert (world["class"], world["other_student"].id) in snapshot(db)["enrollments"]
    # Having joined, the student is in the owner's class: still no instructor pages.
    assert client.get(f"/teach/classes/{world['class']}/stats").status_code == 403


def test_csrf_is_required_on_teach_forms(app, client, db, world):
    login_as(client, world, "owner")
    app.config["WTF_CSRF_ENABLED"] = True
    before = snapshot(db)
    r = client.post(f"/teach/sets/{world['set']}/publish")
    assert r.status_code == 400
    r = client.post("/teach/classes/new", data={"name": "x"})
    assert r.status_code == 400
    assert snapshot(db) == before
