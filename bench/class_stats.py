"""Class statistics at scale: 200 students, 2,000 questions, ~40,000 reviews.

Seeds a fresh SQLite database (or DATABASE_URL) with bulk inserts, then times the class
overview and item analysis pages against /healthz in the same run, and prints the ratios.

    .venv/bin/python bench/class_stats.py [--students 200] [--questions 2000] [--reviews 200]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from studyapp import create_app  # noqa: E402
from studyapp.auth.passwords import hash_password  # noqa: E402
from studyapp.extensions import db  # noqa: E402
from studyapp.models import (  # noqa: E402
    Card,
    Classroom,
    ClassSet,
    Enrollment,
    Question,
    QuestionSet,
    ReviewLog,
    User,
)

PASSWORD = "bench-password-1"


def seed(n_students: int, n_questions: int, reviews_per_student: int, rng: random.Random) -> int:
    now = datetime.now(UTC)
    pw = hash_password(PASSWORD)
    db.session.execute(insert(User), [{"email": "teacher@bench.org", "password_hash": pw, "role": "instructor",
                                       "display_name": "Teacher", "created_at": now}]
                       + [{"email": f"s{i}@bench.org", "password_hash": pw, "role": "student",
                           "display_name": f"Student {i}", "created_at": now} for i in range(n_students)])
    teacher_id = 1
    n_sets = 4
    db.session.execute(insert(QuestionSet), [
        {"key": f"set:bench{s}", "title": f"Bench set {s}", "owner_id": teacher_id, "status": "published",
         "origin": "manual", "is_public": False, "sources": [], "description": "",
         "created_at": now, "updated_at": now} for s in range(n_sets)])
    kinds = ["date", "person", "place", "figure", "organisation", "other"]
    rows = []
    for i in range(n_questions):
        mc = i % 3 == 0
        rows.append({"set_id": 1 + i % n_sets, "uid": f"q{i}", "type": "multiple_choice" if mc else "short_answer",
                     "prompt": f"Question {i}?", "answer": f"answer {i}", "accept": [],
                     "choices": [f"answer {i}", f"wrong {i}a", f"wrong {i}b"] if mc else None,
                     "explanation": "", "fact_kind": kinds[i % len(kinds)], "topic": f"Topic {i % 25}",
                     "tags": [], "position": i, "retired": False, "created_at": now, "updated_at": now})
    db.session.execute(insert(Question), rows)
    db.session.execute(insert(Classroom), [{"name": "Bench class", "owner_id": teacher_id,
                                            "join_code": "BENCH234", "created_at": now}])
    db.session.execute(insert(ClassSet), [{"class_id": 1, "set_id": s + 1, "target": "all_reviewed"}
                                          for s in range(n_sets)])
    db.session.execute(insert(Enrollment), [{"class_id": 1, "user_id": 2 + i, "joined_at": now}
                                            for i in range(n_students)])
    cards, logs = [], []
    card_id = 0
    for s in range(n_students):
        uid = 2 + s
        ability = rng.random()
        for qi in rng.sample(range(n_questions), reviews_per_student // 2):
            card_id += 1
            qid = qi + 1
            due = now + timedelta(days=rng.randint(-5, 20))
            cards.append({"id": card_id, "user_id": uid, "question_id": qid, "set_id": 1 + qi % n_sets,
                          "state": rng.choice([1, 2, 2, 3]), "stability": rng.uniform(0.5, 40),
                          "difficulty": 5.0, "due": due, "last_review": now - timedelta(days=1),
                          "reps": 2, "lapses": 0, "created_at": now - timedelta(days=40)})
            for _ in range(2):
                right = rng.random() < 0.3 + 0.6 * ability
                logs.append({"card_id": card_id, "user_id": uid, "question_id": qid,
                             "rating": rng.choice([2, 3, 4]) if right else 1,
                             "reviewed_at": now - timedelta(days=rng.uniform(0, 40)),
                             "duration_ms": rng.randint(1500, 20000),
                             "answer_given": f"answer {qi}" if right else f"wrong {qi}a",
                             "correct": right, "retention": 0.9, "origin": "study"})
    for table, data in ((Card, cards), (ReviewLog, logs)):
        for i in range(0, len(data), 5000):
            db.session.execute(insert(table), data[i:i + 5000])
    db.session.commit()
    return len(logs)


def timed(client, url: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(url)
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200, (url, r.status_code)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=200)
    ap.add_argument("--questions", type=int, default=2000)
    ap.add_argument("--reviews", type=int, default=200, help="reviews per student")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="studyapp-bench-")
    os.environ.setdefault("STUDYAPP_INSTANCE", tmp)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        t0 = time.perf_counter()
        n_logs = seed(args.students, args.questions, args.reviews, random.Random(7))
        print(f"seeded {args.students} students, {args.questions} questions, {n_logs} reviews "
              f"in {time.perf_counter() - t0:.1f} s ({db.engine.dialect.name})")
        client = app.test_client()
        assert client.post("/login", data={"email": "teacher@bench.org", "password": PASSWORD}).status_code == 302
        for u in ("/healthz", "/teach/classes/1/stats", "/teach/classes/1/items"):
            client.get(u)  # warm up templates and caches
        base = timed(client, "/healthz", args.repeat)
        print(f"{'page':<32}{'median ms':>10}{'x /healthz':>12}")
        print(f"{'/healthz':<32}{base * 1000:>10.1f}{1:>12.1f}")
        for u in ("/teach/classes/1/stats", "/teach/classes/1/stats.csv", "/teach/classes/1/stats.json",
                  "/teach/classes/1/items"):
            t = timed(client, u, args.repeat)
            print(f"{u:<32}{t * 1000:>10.1f}{t / base:>12.1f}")
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
