"""Drive the API from several threads at once, each with its own test client (own session)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from studyapp.models import Card, ReviewLog
from studyapp.study import service


def logged_in_client(app, cookie_id: str):
    """A client whose session says it is logged in as the user with this `User.get_id()`."""
    client = app.test_client()
    with client.session_transaction() as s:  # no Argon2 per thread: the login is not under test
        s["_user_id"] = cookie_id
        s["_fresh"] = True
    return client


def hammer_one_card(app, db, user, question_id: int, threads: int = 6, per_thread: int = 4):
    """Every thread reviews the same (new) card; returns the HTTP statuses seen."""
    user_id = user.get_id()  # read here: the threads have no app context to load it in
    barrier = threading.Barrier(threads)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            client = logged_in_client(app, user_id)
            barrier.wait()
            for i in range(per_thread):
                r = client.post("/api/v1/reviews", json={
                    "question_id": question_id, "rating": 1 + (n + i) % 4,
                    "review_id": f"t{n}-{i}"})
                statuses.append(r.status_code)
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert not errors, errors
    return statuses


def assert_no_lost_update(db, user, question_id: int, submitted: int) -> None:
    db.session.expire_all()
    logs = db.session.scalar(select(func.count(ReviewLog.id)).where(ReviewLog.user_id == user.id))
    assert logs == submitted
    cards = list(db.session.scalars(select(Card).where(Card.user_id == user.id)))
    assert len(cards) == 1 and cards[0].question_id == question_id
    card = cards[0]
    assert card.reps == submitted
    assert service.card_state(card) == service.replay_card(card)
    # Logged in time order, as replay needs.
    times = list(db.session.scalars(select(ReviewLog.reviewed_at).where(ReviewLog.card_id == card.id)
                                    .order_by(ReviewLog.id)))
    assert times == sorted(times)
