"""Class statistics: overview per student, item analysis, one student's page, no N+1."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from studyapp import class_stats
from studyapp.models import Classroom, ClassSet, Enrollment, Question, QuizAnswer, QuizAttempt
from studyapp.study import service as study_service
from studyapp.teach.service import create_class, create_set, save_question
from tests.conftest import make_user

MC = {"type": "multiple_choice", "prompt": "Apollo 11 year?", "answer": "1969",
      "choices": ["1967", "1969", "1971"], "topic": "Space", "fact_kind": "date"}
SA = {"type": "short_answer", "prompt": "First on the Moon?", "answer": "Neil Armstrong",
      "topic": "People", "fact_kind": "person"}
FC = {"type": "flashcard", "prompt": "NASA", "answer": "National Aeronautics and Space Administration",
      "topic": "Space", "fact_kind": "organisation"}


def build_class(db, instructor, n_students=3, target="all_reviewed"):
    qset = create_set(instructor, "Apollo", status="published")
    qs = [save_question(qset, d) for d in (MC, SA, FC)]
    c = create_class(instructor, "Space 101")
    db.session.add(ClassSet(class_id=c.id, set_id=qset.id, target=target))
    students = []
    for i in range(n_students):
        s = make_user(f"s{i}@test.org")
        db.session.add(Enrollment(class_id=c.id, user_id=s.id))
        students.append(s)
    db.session.commit()
    return c, qset, qs, students


def login(client, email="teacher@test.org"):
    client.post("/login", data={"email": email, "password": "correct-horse-9"})


def test_overview_numbers_sort_and_csv(client, db, instructor):
    c, qset, (mc, sa, fc), (s0, s1, s2) = build_class(db, instructor)
    now = study_service.now_utc()
    study_service.submit_review(s0, mc.id, 3, answer="1969", duration_ms=4000)
    study_service.submit_review(s0, sa.id, 1, answer="Buzz Aldrin", duration_ms=8000)
    study_service.submit_review(s0, fc.id, 3)
    study_service.submit_review(s1, mc.id, 1, answer="1971", now=now - timedelta(days=10))
    ov = class_stats.class_overview(c, sort="-reviews_30d")
    rows = {r["email"]: r for r in ov["students"]}
    assert [r["email"] for r in ov["students"]][0] == "s0@test.org"
    r0 = rows["s0@test.org"]
    assert (r0["reviews_7d"], r0["reviews_30d"], r0["retention"]) == (3, 3, round(2 / 3, 3))
    assert r0["progress"][qset.id] == {"done": 3, "total": 3, "share": 1.0, "met": True}
    r1 = rows["s1@test.org"]
    assert (r1["reviews_7d"], r1["reviews_30d"], r1["retention"]) == (0, 1, 0.0)
    assert r1["due"] == 1 and r1["overdue"] == 1  # rated Again ten days ago
    assert rows["s2@test.org"]["last_activity"] is None and rows["s2@test.org"]["retention"] is None

    login(client)
    page = client.get(f"/teach/classes/{c.id}/stats?sort=-reviews_7d")
    assert page.status_code == 200
    text = page.data.decode()
    assert text.index("s0@test.org") < text.index("s1@test.org")
    assert client.get(f"/teach/classes/{c.id}/stats?sort=bogus").status_code == 200
    r = client.get(f"/teach/classes/{c.id}/stats.csv")
    table = list(csv.DictReader(io.StringIO(r.data.decode())))
    assert {row["email"]: row["reviews_7d"] for row in table} == {"s0@test.org": "3", "s1@test.org": "0", "s2@test.org": "0"}
    assert table[0]["progress: Apollo"] in ("3/3", "1/3", "0/3")
    data = client.get(f"/teach/classes/{c.id}/stats.json").get_json()
    assert len(data["days"]) == 30 and data["days"][-1]["reviews"] == 3


def test_item_analysis(client, db, instructor):
    c, qset, (mc, sa, fc), students = build_class(db, instructor, n_students=12)
    # The MC question: most students choose 1971 (a broken key?); one strong student is right.
    for i, s in enumerate(students):
        study_service.submit_review(s, mc.id, 3 if i == 0 else 1, answer="1969" if i == 0 else "1971",
                                    duration_ms=2000)
        study_service.submit_review(s, sa.id, 3 if i < 6 else 1,
                                    answer="Neil Armstrong" if i < 6 else "Buzz Aldrin", duration_ms=6000)
    # A quiz answer counts as an attempt too.
    attempt = QuizAttempt(user_id=students[1].id, set_id=qset.id, question_ids=[mc.id])
    db.session.add(attempt)
    db.session.flush()
    db.session.add(QuizAnswer(attempt_id=attempt.id, question_id=mc.id, position=0, given="1967",
                              correct=False, duration_ms=1000))
    db.session.commit()
    ia = class_stats.item_analysis(c)
    items = {i["id"]: i for i in ia["items"]}
    m = items[mc.id]
    assert m["attempts"] == 13 and m["facility"] == round(1 / 13, 3)
    assert m["top_wrong"] == "1971" and m["top_wrong_count"] == 11
    assert m["mean_time_s"] == round((12 * 2000 + 1000) / 13 / 1000, 1)
    assert any("facility below" in f for f in m["flags"])
    s = items[sa.id]
    assert s["facility"] == 0.5 and s["top_wrong"] == "Buzz Aldrin" and s["discrimination"] is not None
    assert items[fc.id]["attempts"] == 0 and items[fc.id]["facility"] is None and not items[fc.id]["flags"]
    assert ia["items"][0]["id"] == mc.id  # flagged first
    topics = {t["name"]: t for t in ia["mastery"]["topics"]}
    assert topics["Space"]["questions"] == 2 and ia["mastery"]["students"] == 12

    login(client)
    page = client.get(f"/teach/classes/{c.id}/items")
    assert page.status_code == 200 and b"1971" in page.data and b"facility below" in page.data
    for sort in ("facility", "discrimination", "attempts", "time", "position", "nonsense"):
        assert client.get(f"/teach/classes/{c.id}/items?sort={sort}").status_code == 200


def test_negative_discrimination_is_flagged(db, instructor):
    c, qset, (mc, sa, fc), students = build_class(db, instructor, n_students=6)
    for i, s in enumerate(students):
        strong = i < 3
        study_service.submit_review(s, sa.id, 3 if strong else 1, answer="Neil Armstrong" if strong else "x")
        study_service.submit_review(s, fc.id, 3 if strong else 1)
        # Strong students get the MC wrong, weak ones right.
        study_service.submit_review(s, mc.id, 1 if strong else 3, answer="1967" if strong else "1969")
    items = {i["id"]: i for i in class_stats.item_analysis(c)["items"]}
    assert items[mc.id]["discrimination"] < 0
    assert any("negative discrimination" in f for f in items[mc.id]["flags"])


def test_student_page_reuses_progress_charts(client, db, instructor):
    c, qset, (mc, sa, fc), (s0, s1, s2) = build_class(db, instructor)
    outsider = make_user("outsider@test.org")
    study_service.submit_review(s0, fc.id, 3)
    login(client)
    r = client.get(f"/teach/students/{s0.id}")
    assert r.status_code == 200 and b"Progress of S0" in r.data
    assert f'data-url="/teach/students/{s0.id}/progress.json"'.encode() in r.data
    data = client.get(f"/teach/students/{s0.id}/progress.json").get_json()
    assert data["total_reviews"] == 1
    assert client.get(f"/teach/students/{outsider.id}").status_code == 404
    assert client.get(f"/teach/students/{outsider.id}/progress.json").status_code == 404
    assert client.get("/teach/students/999999").status_code == 404


@contextmanager
def count_queries(db):
    statements = []

    def listener(conn, cursor, statement, params, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def _add_students(db, c, qs, start, n):
    for i in range(start, start + n):
        s = make_user(f"extra{i}@test.org")
        db.session.add(Enrollment(class_id=c.id, user_id=s.id))
        db.session.commit()
        for q in qs:
            wrong = (q.choices or ["wrong"])[0] if q.choices else "wrong"
            given = None if q.type == "flashcard" else (q.answer if i % 2 else wrong)
            study_service.submit_review(s, q.id, 3 if i % 2 else 1, answer=given, duration_ms=1000)


def test_statistics_pages_query_count_does_not_grow_with_students(client, db, instructor):
    c, qset, qs, _ = build_class(db, instructor, n_students=0)
    login(client)
    urls = [f"/teach/classes/{c.id}/stats", f"/teach/classes/{c.id}/items",
            f"/teach/classes/{c.id}/stats.csv", f"/teach/classes/{c.id}/stats.json", "/teach/"]
    _add_students(db, c, qs, 0, 2)
    counts_small = {}
    for url in urls:
        with count_queries(db) as st:
            assert client.get(url).status_code == 200
        counts_small[url] = len(st)
    _add_students(db, c, qs, 2, 8)
    for url in urls:
        with count_queries(db) as st:
            assert client.get(url).status_code == 200
        assert len(st) == counts_small[url], (url, counts_small[url], len(st))
    assert db.session.query(Classroom).count() == 1 and db.session.query(Question).count() == 3


def test_student_page_shows_only_this_instructors_assigned_sets(client, db, instructor):
    """A student shared with another instructor: that instructor's private set (its title,
    quiz score, topics and reviews) stays out of this instructor's view of the student."""
    from studyapp.study import quiz

    c, qset, (mc, sa, fc), (s0, _s1, _s2) = build_class(db, instructor)
    other = make_user("other-teacher@test.org", "instructor")
    private = create_set(other, "Secret syllabus", status="published")
    secret = save_question(private, {**SA, "prompt": "Codename?", "answer": "Bluebird",
                                     "topic": "Classified"})
    oc = create_class(other, "Other class")
    db.session.add(ClassSet(class_id=oc.id, set_id=private.id))
    db.session.add(Enrollment(class_id=oc.id, user_id=s0.id))
    db.session.commit()
    study_service.submit_review(s0, fc.id, 3)
    attempt = quiz.start_quiz(s0, private, 1)
    quiz.record_answer(attempt, secret.id, "Bluebird")
    db.session.commit()
    login(client)
    data = client.get(f"/teach/students/{s0.id}/progress.json").get_json()
    text = str(data)
    assert "Secret syllabus" not in text and "Classified" not in text
    assert data["quizzes"] == [] and data["total_reviews"] == 1
    assert {t["name"] for t in data["topics"]} == {"Space", "People"}
    # The student's own page still shows everything.
    client.post("/logout")
    client.post("/login", data={"email": "s0@test.org", "password": "correct-horse-9"})
    own = client.get("/api/v1/progress").get_json()
    assert own["quizzes"][0]["set"] == "Secret syllabus" and own["total_reviews"] == 2
