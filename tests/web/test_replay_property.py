"""A card's stored state is always exactly what replaying its review log gives."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from studyapp.models import Card, Question, ReviewLog
from studyapp.study import service

steps = st.lists(
    st.one_of(
        st.tuples(st.just("review"), st.integers(1, 4), st.integers(0, 60 * 24 * 20)),
        st.tuples(st.just("undo"), st.just(0), st.just(0)),
        st.tuples(st.just("retention"), st.sampled_from([0.75, 0.9, 0.95]), st.just(0)),
    ),
    min_size=1, max_size=20)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seq=steps)
def test_stored_state_equals_replay(app, db, student, bank, seq):
    db.session.execute(delete(ReviewLog))
    db.session.execute(delete(Card))
    db.session.commit()
    qid = db.session.scalar(select(Question.id).where(Question.uid == "q-fc-1"))
    now = service.now_utc()
    history = []  # states after each review still in the log
    for action, value, gap in seq:
        if action == "review":
            now = now + timedelta(minutes=gap)
            service.submit_review(student, qid, value, now=now)
            history.append(service.card_state(db.session.scalar(select(Card))))
        elif action == "undo":
            undone = service.undo_last(student)
            assert (undone is None) == (not history)
            if history:
                history.pop()
        else:
            student.desired_retention = value
            db.session.commit()
        db.session.expire_all()
        card = db.session.scalar(select(Card).where(Card.question_id == qid))
        if not history:
            assert card is None
            continue
        assert service.card_state(card) == service.replay_card(card) == history[-1]
