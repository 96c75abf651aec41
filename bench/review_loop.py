"""Review-loop latency and due-queue scaling.

Prints, in one run:
  * median and p99 latency of "submit a review + fetch the next card" for a student
    with 10,000 cards, next to a trivial endpoint's (/healthz), as a ratio;
  * the due-queue query's time with 10,000 vs 1,000,000 cards in the table.

    python bench/review_loop.py [--db URL] [--rounds 300] [--big 1000000]

Default database: a temporary SQLite file. Targets: round trip within 3x the trivial
endpoint; due query growing at most 1.5x from 10k to 1M cards.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select, text  # noqa: E402

from studyapp import create_app  # noqa: E402
from studyapp.auth.accounts import create_account  # noqa: E402
from studyapp.extensions import db  # noqa: E402
from studyapp.models import Card, Question, QuestionSet, User  # noqa: E402
from studyapp.study import service  # noqa: E402

PASSWORD = "bench-password-1"


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def seed_set(n_questions: int) -> QuestionSet:
    qset = QuestionSet(key="bench:set", title="Bench set", is_public=True, status="published", origin="bank")
    db.session.add(qset)
    db.session.flush()
    db.session.execute(insert(Question), [
        {"set_id": qset.id, "uid": f"b{i}", "type": "flashcard", "prompt": f"Prompt {i}",
         "answer": f"Answer {i}", "accept": [], "tags": [], "explanation": "", "fact_kind": "other",
         "topic": f"T{i % 20}", "position": i, "retired": False}
        for i in range(n_questions)])
    db.session.commit()
    return qset


def seed_cards(user_ids: list[int], qset: QuestionSet, per_user: int, now: datetime, batch: int = 50_000):
    """Bulk cards: every user gets `per_user` cards, a tenth of them due now."""
    qids = list(db.session.scalars(select(Question.id).where(Question.set_id == qset.id)
                                   .order_by(Question.id).limit(per_user)))
    rows = []
    for uid in user_ids:
        for i, qid in enumerate(qids):
            due = now - timedelta(hours=i % 50) if i % 10 == 0 else now + timedelta(days=1 + i % 300)
            rows.append({"user_id": uid, "question_id": qid, "set_id": qset.id, "state": 2, "step": None,
                         "stability": 10.0 + i % 40, "difficulty": 5.0, "due": due,
                         "last_review": now - timedelta(days=3), "reps": 3, "lapses": 0,
                         "created_at": now - timedelta(days=30)})
            if len(rows) >= batch:
                db.session.execute(insert(Card), rows)
                rows = []
    if rows:
        db.session.execute(insert(Card), rows)
    db.session.commit()


def analyze() -> None:
    """Planner statistics, as a live database has them (autovacuum; SQLite's ANALYZE)."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def time_due_query(user: User, qset: QuestionSet, repeat: int = 200) -> float:
    now = service.now_utc()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        service.next_cards(user, qset, limit=5, now=now)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def latency(app, student_email: str, qset_id: int, rounds: int) -> tuple[list[float], list[float]]:
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    client.post("/login", data={"email": student_email, "password": PASSWORD, "csrf_token": token})
    headers = {"X-CSRFToken": token}
    trivial, loop = [], []
    nxt = client.get(f"/api/v1/sets/{qset_id}/next?limit=1").get_json()["cards"]
    for i in range(rounds):
        t = time.perf_counter()
        client.get("/healthz")
        trivial.append(time.perf_counter() - t)
        card = nxt[0]
        t = time.perf_counter()
        # What the review page does: one POST that records the review and returns the next card.
        r = client.post("/api/v1/reviews", json={"question_id": card["question_id"], "rating": 3,
                                                 "review_id": f"bench-{i}", "next_set_id": qset_id},
                        headers=headers)
        loop.append(time.perf_counter() - t)
        assert r.status_code == 201, r.get_data(as_text=True)
        nxt = r.get_json()["next"]["cards"]
        assert nxt, "ran out of cards"
    return trivial, loop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--big", type=int, default=1_000_000, help="cards in the table for the scaling figure")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="studyapp-bench-")
    os.environ.setdefault("STUDYAPP_INSTANCE", tmp)
    url = args.db or f"sqlite:///{tmp}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        now = datetime.now(UTC)
        qset = seed_set(10_000)
        student = create_account("bench@example.com", PASSWORD, "student")
        student.daily_new_limit = 0
        db.session.commit()
        seed_cards([student.id], qset, 10_000, now)
        analyze()
        print(f"database: {db.engine.dialect.name}; student has 10,000 cards")

        trivial, loop = latency(app, "bench@example.com", qset.id, args.rounds)
        t50, t99 = statistics.median(trivial) * 1e3, percentile(trivial, 99) * 1e3
        l50, l99 = statistics.median(loop) * 1e3, percentile(loop, 99) * 1e3
        print(f"trivial endpoint (/healthz):         median {t50:7.2f} ms   p99 {t99:7.2f} ms")
        print(f"review + next card (10,000 cards):   median {l50:7.2f} ms   p99 {l99:7.2f} ms")
        print(f"ratio review round trip / trivial:   median {l50 / t50:5.2f}x  p99 {l99 / t99:5.2f}x  (target <= 3x)")

        small = time_due_query(student, qset)
        # Fill the table up to --big cards with other students' cards (1,000 cards each).
        others = args.big // 1000 - 10
        users = [{"email": f"other{i}@example.com", "password_hash": "x", "role": "student",
                  "display_name": "", "daily_new_limit": 20, "desired_retention": 0.9, "created_at": now}
                 for i in range(others)]
        db.session.execute(insert(User), users)
        db.session.commit()
        other_ids = list(db.session.scalars(select(User.id).where(User.email.like("other%"))))
        t = time.perf_counter()
        seed_cards(other_ids, qset, 1000, now)
        total = db.session.scalar(select(db.func.count(Card.id)))
        analyze()
        print(f"(seeded {total:,} cards in {time.perf_counter() - t:.0f} s)")
        big = time_due_query(student, qset)
        print(f"due-queue query, {10_000:>9,} cards in table: {small * 1e3:7.3f} ms")
        print(f"due-queue query, {total:>9,} cards in table: {big * 1e3:7.3f} ms")
        print(f"growth 10k -> {total // 1000}k cards: {big / small:5.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
