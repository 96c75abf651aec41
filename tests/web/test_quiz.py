import random
import re

from flask import g
from sqlalchemy import func, select

from studyapp.models import Question, QuizAnswer, QuizAttempt, ReviewLog
from studyapp.study import quiz


def start(client, bank, **extra):
    data = {"count": "5", "topic": "", "fact_kind": ""} | extra
    r = client.post(f"/sets/{bank.id}/quiz", data=data)
    assert r.status_code == 302, r.data
    return int(re.search(r"/quiz/(\d+)", r.headers["Location"]).group(1))


def current_question(client, attempt_id, db):
    html = client.get(f"/quiz/{attempt_id}").get_data(as_text=True)
    m = re.search(r'name="question_id" value="(\d+)"', html)
    return db.session.get(Question, int(m.group(1))) if m else None


def right_answer(q):
    return {"true_false": "true" if q.answer == "true" else "false"}.get(q.type, q.answer)


def test_quiz_saves_as_it_goes_resumes_and_shows_results(client, auth, student, bank, db):
    auth.login()
    attempt_id = start(client, bank)
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert len(attempt.question_ids) == 5
    assert all(db.session.get(Question, i).type != "flashcard" for i in attempt.question_ids)

    q1 = current_question(client, attempt_id, db)
    r = client.post(f"/quiz/{attempt_id}", data={"question_id": q1.id, "answer": right_answer(q1), "duration_ms": "3000"})
    assert r.status_code == 302
    # A reload shows the next question; the answer is saved and fed to the scheduler.
    q2 = current_question(client, attempt_id, db)
    assert q2.id != q1.id
    assert db.session.scalar(select(func.count(QuizAnswer.id))) == 1
    log = db.session.scalar(select(ReviewLog))
    assert (log.origin, log.rating, log.correct) == ("quiz", 3, True)
    # The same answer posted again (a retry) is recorded once.
    client.post(f"/quiz/{attempt_id}", data={"question_id": q1.id, "answer": "something else"})
    assert db.session.scalar(select(func.count(QuizAnswer.id))) == 1
    # No answers revealed before the end.
    assert client.get(f"/quiz/{attempt_id}/results").status_code == 302
    # The unfinished quiz is offered for resuming.
    assert f"/quiz/{attempt_id}".encode() in client.get(f"/sets/{bank.id}/quiz").data

    wrong_given = None
    while (q := current_question(client, attempt_id, db)) is not None:
        given = "zzzz wrong" if q.type in ("short_answer", "cloze") else right_answer(q)
        if q.type == "numeric":
            given = "1"
        if given != right_answer(q):
            wrong_given = given
        client.post(f"/quiz/{attempt_id}", data={"question_id": q.id, "answer": given})
    r = client.get(f"/quiz/{attempt_id}", follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "Quiz results" in html
    attempt = db.session.get(QuizAttempt, attempt_id)
    right = sum(a.correct for a in attempt.answers)
    assert f"{right} / 5" in html
    if wrong_given:
        assert "Correct answer:" in html and wrong_given in html
    assert "Apollo 11 landed" in html or "established on 30 December 1991" in html or "president of Kazakhstan" in html
    wrong_logs = db.session.scalars(select(ReviewLog).where(ReviewLog.correct.is_(False))).all()
    assert all(log.rating == 1 for log in wrong_logs)


def test_malformed_answer_is_refused_and_nothing_saved(client, auth, student, bank, db):
    auth.login()
    attempt_id = start(client, bank, count="7", fact_kind="")
    tf = db.session.scalar(select(Question).where(Question.uid == "q-tf-1"))
    r = client.post(f"/quiz/{attempt_id}", data={"question_id": tf.id, "answer": "perhaps"}, follow_redirects=True)
    assert b"is not true or false" in r.data
    r = client.post(f"/quiz/{attempt_id}", data={"question_id": "abc", "answer": "x"}, follow_redirects=True)
    assert b"could not be read" in r.data
    assert db.session.scalar(select(func.count(QuizAnswer.id))) == 0
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 0


def test_question_not_in_quiz_is_refused(client, auth, student, bank, db):
    auth.login()
    attempt_id = start(client, bank, count="1", fact_kind="figure")
    other = db.session.scalar(select(Question).where(Question.uid == "q-sa-1"))
    r = client.post(f"/quiz/{attempt_id}", data={"question_id": other.id, "answer": "x"}, follow_redirects=True)
    assert b"not part of this quiz" in r.data


def test_quiz_filters_by_topic_and_immediate_feedback(client, auth, student, bank, db):
    auth.login()
    attempt_id = start(client, bank, count="10", topic="Central Asia", immediate_feedback="y")
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert {db.session.get(Question, i).topic for i in attempt.question_ids} == {"Central Asia"}
    q = current_question(client, attempt_id, db)
    r = client.post(f"/quiz/{attempt_id}", data={"question_id": q.id, "answer": "wrong answer here"})
    assert r.status_code == 200 and b"Not quite" in r.data and q.answer.encode() in r.data
    assert b"Next question" in r.data
    last = current_question(client, attempt_id, db)
    assert last.id != q.id
    r = client.post(f"/quiz/{attempt_id}", data={"question_id": last.id, "answer": right_answer(last)})
    assert b"Right" in r.data and b"See the results" in r.data


def test_other_students_attempt_is_404(client, auth, bank, db):
    from tests.conftest import make_user

    alice = make_user("alice@test.org")
    make_user("bob@test.org")
    attempt = quiz.start_quiz(alice, bank, 3, rng=random.Random(1))
    auth.login("bob@test.org")
    assert client.get(f"/quiz/{attempt.id}").status_code == 404
    assert client.get(f"/quiz/{attempt.id}/results").status_code == 404
    qid = attempt.question_ids[0]
    assert client.post(f"/quiz/{attempt.id}", data={"question_id": qid, "answer": "x"}).status_code == 404
    assert client.post(f"/quiz/{attempt.id}/finish").status_code == 404
    assert db.session.scalar(select(func.count(QuizAnswer.id))) == 0
    assert db.session.get(QuizAttempt, attempt.id).finished_at is None


def test_empty_filter_gets_clear_message(client, auth, student, bank):
    auth.login()
    r = client.post(f"/sets/{bank.id}/quiz", data={"count": "5", "topic": "Nope"})
    assert r.status_code == 400 and b"Not a valid choice" in r.data


def test_a_quiz_keeps_questions_of_one_fact_apart_while_it_can(app, student, bank, db):
    pool = quiz.eligible_questions(bank)
    for q in pool[:3]:
        q.sibling = "one-fact"
    db.session.commit()
    for seed in range(20):
        drawn = quiz.start_quiz(student, bank, len(pool) - 2, rng=random.Random(seed)).question_ids
        assert sum(db.session.get(Question, qid).sibling == "one-fact" for qid in drawn) == 1
        everything = quiz.start_quiz(student, bank, len(pool), rng=random.Random(seed)).question_ids
        assert sorted(everything) == sorted(q.id for q in pool)


def test_answering_after_the_set_was_unpublished_says_so(client, auth, student, bank, db):
    auth.login()
    attempt_id = start(client, bank, count="3")
    q = current_question(client, attempt_id, db)
    bank.status = "draft"  # its instructor takes it back mid-quiz
    db.session.commit()
    g.pop("_studyable_sets", None)  # the tests share one app context; production requests don't
    r = client.post(f"/quiz/{attempt_id}", data={"question_id": q.id, "answer": right_answer(q)},
                    follow_redirects=True)
    assert r.status_code == 200 and b"no longer available" in r.data
    assert db.session.scalar(select(func.count(QuizAnswer.id))) == 0
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 0
