"""Multiple answer, matching and ordering end to end: authoring forms, the review
screen's API, quizzes, statistics and exports."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from studyapp import class_stats
from studyapp.models import ClassSet, Enrollment, Question, QuizAttempt, ReviewLog
from studyapp.question import Question as QuestionData
from studyapp.study import quiz
from studyapp.study import service as study_service
from studyapp.teach.service import create_class, create_set, export_set, import_file, save_question
from tests.conftest import make_user

MULTI = {"type": "multiple_answer", "prompt": "Which planets have rings?",
         "answer": ["Saturn", "Uranus"], "choices": ["Saturn", "Mars", "Uranus", "Venus"], "topic": "Space"}
MATCH = {"type": "matching", "prompt": "Match each agency to its country.",
         "pairs": [["NASA", "United States"], ["ESA", "Europe"], ["JAXA", "Japan"]], "topic": "Space"}
ORDER = {"type": "ordering", "prompt": "Earliest first.",
         "items": ["Sputnik 1", "Vostok 1", "Apollo 11"], "topic": "Space"}


def login(client, email):
    r = client.post("/login", data={"email": email, "password": "correct-horse-9"})
    assert r.status_code == 302


def new_set(client):
    r = client.post("/teach/sets/new", data={"title": "Space", "description": ""})
    return int(r.headers["Location"].rsplit("/", 1)[1])


def test_instructor_writes_each_new_type_with_its_form(client, db, instructor):
    login(client, "teacher@test.org")
    sid = new_set(client)
    page = client.get(f"/teach/sets/{sid}/questions/new?type=multiple_answer").get_data(as_text=True)
    assert page.count('type="checkbox" name="right"') == 10  # options 1-10
    r = client.post(f"/teach/sets/{sid}/questions/new?type=multiple_answer", data={
        "prompt": MULTI["prompt"], "option_1": "Saturn", "option_2": "Mars", "option_3": "Uranus",
        "right": ["1", "3"]})
    assert r.status_code == 302, r.data
    r = client.post(f"/teach/sets/{sid}/questions/new?type=matching", data={
        "prompt": MATCH["prompt"], **{f"left_{i}": a for i, (a, _) in enumerate(MATCH["pairs"], 1)},
        **{f"right_{i}": b for i, (_, b) in enumerate(MATCH["pairs"], 1)}})
    assert r.status_code == 302, r.data
    r = client.post(f"/teach/sets/{sid}/questions/new?type=ordering", data={
        "prompt": ORDER["prompt"], **{f"item_{i}": v for i, v in enumerate(ORDER["items"], 1)}})
    assert r.status_code == 302, r.data
    rows = list(db.session.scalars(select(Question).where(Question.set_id == sid).order_by(Question.position)))
    data = [QuestionData.from_row(q) for q in rows]
    assert data[0].answer == ("Saturn", "Uranus") and data[0].choices == ("Saturn", "Mars", "Uranus")
    assert data[1].pairs == tuple(tuple(p) for p in MATCH["pairs"])
    assert data[2].items == tuple(ORDER["items"])
    detail = client.get(f"/teach/sets/{sid}").get_data(as_text=True)
    assert "NASA → United States" in detail and "1. Sputnik 1" in detail

    # Editing without touching anything changes nothing and tells no one.
    for q in rows:
        form = client.get(f"/teach/sets/{sid}/questions/{q.id}/edit").get_data(as_text=True)
        fields = dict(re.findall(r'name="((?:option|left|right|item)_\d+)"[^>]*value="([^"]*)"', form))
        fields.update({"prompt": q.prompt, "fact_kind": "other"})
        if q.type == "multiple_answer":
            fields["right"] = re.findall(r'name="right" value="(\d+)" checked', form)
        r = client.post(f"/teach/sets/{sid}/questions/{q.id}/edit", data=fields)
        assert r.status_code == 302, r.data
        db.session.refresh(q)
        assert q.answer_changed_at is None


@pytest.mark.parametrize("qtype, data, message", [
    ("multiple_answer", {"prompt": "Q", "option_1": "a", "option_2": "b"}, "Mark at least one right option"),
    ("multiple_answer", {"prompt": "Q", "option_1": "a", "right": ["1"]}, "Give 2 to 10 options"),
    ("matching", {"prompt": "Q", "left_1": "a", "right_1": "b", "left_2": "c", "right_2": "d"}, "Give 3 to 8 pairs"),
    ("matching", {"prompt": "Q", "left_1": "a", "right_1": "", "left_2": "c", "right_2": "d",
                  "left_3": "e", "right_3": "f"}, "Give every left-hand item its right-hand item"),
    ("ordering", {"prompt": "Q", "item_1": "a", "item_2": "b"}, "Give 3 to 6 items"),
    ("ordering", {"prompt": "Q", "item_1": "a", "item_2": "b", "item_3": "A"}, "must all be different"),
])
def test_forms_refuse_what_the_bank_would(client, instructor, qtype, data, message):
    login(client, "teacher@test.org")
    sid = new_set(client)
    r = client.post(f"/teach/sets/{sid}/questions/new?type={qtype}", data=data)
    assert r.status_code == 400 and message in r.get_data(as_text=True)


def test_numeric_form_keeps_accepted_forms(client, db, instructor):
    login(client, "teacher@test.org")
    sid = new_set(client)
    qset = db.session.get(__import__("studyapp.models", fromlist=["QuestionSet"]).QuestionSet, sid)
    q = save_question(qset, {"type": "numeric", "prompt": "Population of Seoul (millions)?",
                             "answer": "9.7", "accept": ["9.7 million", "9,700,000"]})
    form = client.get(f"/teach/sets/{sid}/questions/{q.id}/edit").get_data(as_text=True)
    assert "9.7 million\n9,700,000" in form
    r = client.post(f"/teach/sets/{sid}/questions/{q.id}/edit", data={
        "prompt": q.prompt, "answer": "9.7", "accept": "9.7 million\n9,700,000", "fact_kind": "other"})
    assert r.status_code == 302
    db.session.refresh(q)
    assert q.accept == ["9.7 million", "9,700,000"] and q.answer_changed_at is None


def _published(db, instructor, *questions):
    qset = create_set(instructor, "Space", status="published", is_public=True)
    rows = [save_question(qset, dict(q)) for q in questions]
    return qset, rows


def test_review_screen_api_grades_with_partial_credit(client, db, instructor, student, auth):
    qset, (multi, match, order) = _published(db, instructor, MULTI, MATCH, ORDER)
    auth.login()
    cards = client.get(f"/api/v1/sets/{qset.id}/next?limit=5").get_json()["cards"]
    by_type = {c["type"]: c for c in cards}
    assert by_type["multiple_answer"]["input"] == "choices" and by_type["multiple_answer"]["choices"]
    m = by_type["matching"]
    assert m["input"] == "match" and m["left"] == ["NASA", "ESA", "JAXA"]
    assert sorted(m["right"]) == ["Europe", "Japan", "United States"] and m["right"] != ["United States", "Europe", "Japan"]
    o = by_type["ordering"]
    assert o["input"] == "order" and o["items"] != ORDER["items"] and sorted(o["items"]) == sorted(ORDER["items"])
    assert "answer" not in str({k: v for k, v in o.items() if k != "answer_changed"}).lower().replace("answer_changed", "")

    def check(q, answer):
        r = client.post("/api/v1/check", json={"question_id": q.id, "answer": answer})
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    half = check(multi, ["Saturn"])
    assert (half["correct"], half["score"], half["suggested_rating"]) == (False, 0.5, 2)
    assert half["key"] == ["Saturn", "Uranus"] and half["expected"] == "Saturn; Uranus"
    assert check(match, {"NASA": "United States", "ESA": "Japan", "JAXA": "Europe"})["score"] == pytest.approx(1 / 3)
    assert check(order, ORDER["items"])["correct"] is True
    bad = client.post("/api/v1/check", json={"question_id": order.id, "answer": ORDER["items"][:2]})
    assert bad.status_code == 400 and "each once" in bad.get_json()["error"]
    assert client.post("/api/v1/check", json={"question_id": match.id, "answer": {"NASA": 3}}).status_code == 400

    r = client.post("/api/v1/reviews", json={"question_id": multi.id, "rating": 2, "answer": ["Saturn", "Venus"],
                                             "review_id": "r1"})
    assert r.status_code == 201
    log = db.session.scalar(select(ReviewLog))
    assert (log.correct, log.score, log.answer_given) == (False, 0.0, "Saturn; Venus")


def test_quiz_takes_structured_answers_and_counts_partial_marks(client, db, instructor, student, auth):
    qset, rows = _published(db, instructor, MULTI, MATCH, ORDER)
    auth.login()
    r = client.post(f"/sets/{qset.id}/quiz", data={"count": "3", "topic": "", "fact_kind": ""})
    attempt_id = int(re.search(r"/quiz/(\d+)", r.headers["Location"]).group(1))
    for _ in range(3):
        html = client.get(f"/quiz/{attempt_id}").get_data(as_text=True)
        q = db.session.get(Question, int(re.search(r'name="question_id" value="(\d+)"', html).group(1)))
        data = {"question_id": q.id}
        if q.type == "multiple_answer":
            assert html.count('type="checkbox" name="answer"') == 4
            data["answer"] = ["Saturn", "Uranus"]  # right
        elif q.type == "matching":
            assert html.count('name="match"') == 3
            data["match"] = ["United States", "Japan", "Europe"]  # one of three right
        else:
            items = re.findall(r'name="item" value="([^"]+)"', html)
            assert sorted(items) == sorted(ORDER["items"])
            # Positions as the right order: Sputnik 1, Vostok 1, Apollo 11.
            data["item"] = items
            data["rank"] = [str(ORDER["items"].index(i) + 1) for i in items]
        assert client.post(f"/quiz/{attempt_id}", data=data).status_code == 302
    attempt = db.session.get(QuizAttempt, attempt_id)
    res = quiz.results(attempt)
    assert res["right"] == pytest.approx(2 + 1 / 3, abs=0.01) and res["percent"] == 78
    page = client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert "partly right (33%)" in page and "NASA → United States" in page


def test_item_analysis_facility_is_the_mean_score(db, instructor):
    qset, (multi,) = _published(db, instructor, MULTI)
    c = create_class(instructor, "Planets")
    db.session.add(ClassSet(class_id=c.id, set_id=qset.id))
    for i, answer in enumerate((["Saturn"], ["Saturn", "Uranus"], ["Mars"])):
        s = make_user(f"p{i}@test.org")
        db.session.add(Enrollment(class_id=c.id, user_id=s.id))
        db.session.commit()
        study_service.submit_review(s, multi.id, 3, answer=answer)
    [item] = class_stats.item_analysis(c)["items"]
    assert item["attempts"] == 3 and item["facility"] == 0.5  # (0.5 + 1 + 0) / 3


@pytest.mark.parametrize("fmt", ["bank", "csv", "gift"])
def test_every_new_type_survives_export_and_import(db, instructor, fmt):
    qset, _ = _published(db, instructor, MULTI, MATCH, ORDER)
    out = export_set(qset, fmt)
    outcome = import_file(instructor, out.data, out.filename, qset=qset)
    assert str(outcome.result) == "0 added, 0 updated, 3 unchanged, 0 retired"
    fresh = import_file(instructor, out.data, out.filename)
    mine = sorted((q.to_bank() for q in map(QuestionData.from_row, fresh.qset.questions)), key=lambda q: q["type"])
    theirs = sorted((q.to_bank() for q in map(QuestionData.from_row, qset.questions)), key=lambda q: q["type"])
    assert mine == theirs
