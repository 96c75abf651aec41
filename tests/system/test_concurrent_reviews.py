"""Two tabs (or six) reviewing the same card at once: every review kept, no lost update.

Runs on the configured database (SQLite file, or PostgreSQL with TEST_DATABASE_URL);
tests/postgres has the same check with more threads on PostgreSQL only.
"""

from sqlalchemy import select

from studyapp.models import Question
from tests.system.concurrent import assert_no_lost_update, hammer_one_card


def test_concurrent_reviews_of_one_new_card(app, db, bank, student):
    q = db.session.scalar(select(Question).where(Question.uid == "q-fc-1"))
    statuses = hammer_one_card(app, db, student, q.id, threads=4, per_thread=3)
    assert statuses == [201] * 12
    assert_no_lost_update(db, student, q.id, 12)
