"""On PostgreSQL, concurrent reviews of one card (the first ones racing to create it)
are serialised by ON CONFLICT DO NOTHING + SELECT ... FOR UPDATE."""

from sqlalchemy import select

from studyapp.models import Question
from tests.system.concurrent import assert_no_lost_update, hammer_one_card


def test_many_threads_review_one_card(app, db, bank, student):
    assert db.engine.dialect.name == "postgresql"
    q = db.session.scalar(select(Question).where(Question.uid == "q-mc-1"))
    statuses = hammer_one_card(app, db, student, q.id, threads=8, per_thread=5)
    assert statuses == [201] * 40
    assert_no_lost_update(db, student, q.id, 40)


def test_retried_review_ids_under_concurrency_are_recorded_once(app, db, bank, student):
    """The same review id sent by several threads at once (a retry storm) is stored once."""
    import threading

    from tests.system.concurrent import logged_in_client

    q = db.session.scalar(select(Question).where(Question.uid == "q-fc-2"))
    user_id, question_id = student.get_id(), q.id
    barrier = threading.Barrier(6)
    statuses = []

    def run():
        client = logged_in_client(app, user_id)
        barrier.wait()
        r = client.post("/api/v1/reviews", json={"question_id": question_id, "rating": 3, "review_id": "same"})
        statuses.append(r.status_code)

    ts = [threading.Thread(target=run) for _ in range(6)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(30)
    assert sorted(statuses) == [200] * 5 + [201]
    assert_no_lost_update(db, student, q.id, 1)


def test_two_undos_at_once_undo_one_review(app, db, bank, student):
    """Ctrl+Z in two tabs at the same moment removes the last review once, never a 500."""
    import threading

    from studyapp.study import service
    from tests.system.concurrent import logged_in_client

    q = db.session.scalar(select(Question).where(Question.uid == "q-fc-1"))
    for i in range(3):
        service.submit_review(student, q.id, 3, client_review_id=f"u{i}")
    user_id = student.get_id()
    barrier = threading.Barrier(4)
    statuses = []

    def run():
        client = logged_in_client(app, user_id)
        barrier.wait()
        statuses.append(client.post("/api/v1/reviews/undo", json={"review_id": "u2"}).status_code)

    ts = [threading.Thread(target=run) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(30)
    assert sorted(statuses) == [200] + [409] * 3
    assert_no_lost_update(db, student, q.id, 2)
