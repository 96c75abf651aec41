"""Load test: N students reviewing at once against gunicorn + PostgreSQL (+ Redis limits).

    python bench/load.py [--seconds 60] [--students 50] [--workers 5] [--no-redis]

Creates (drops first) the database studyapp_bench on the PostgreSQL at PGURL
(default postgresql://postgres@127.0.0.1:5432), migrates it, seeds the shipped banks (or the
test bank) and N student accounts, starts gunicorn, and runs N threads for the duration:
each fetches its first card, then loops POST /api/v1/reviews (a fresh review id, and
next_set_id so the reply carries the next card), as the review page does.
In the same run, N other threads hit /healthz (a trivial endpoint with one SELECT 1) for
comparison. Prints requests/s, p50/p99 latency, errors, and reviews submitted vs stored.

Requests carry X-Forwarded-For as if behind a reverse proxy (BEHIND_PROXY=1), one address
per pupil. Rate limits stay on, kept in Redis (as in production) when one answers on 127.0.0.1:6379;
the API limit is raised for the bench (API_RATELIMIT), since each simulated student sends
far more than a real one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "bench-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def recreate_database(server: str, name: str) -> str:
    admin = create_engine(f"{server}/postgres".replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server}/{name}"


def seed(env: dict, students: int) -> None:
    """Migrate, load banks, create the accounts (one process: Argon2 hashes made once)."""
    run = lambda *a: subprocess.run([str(BIN / "studyapp"), *a], env=env, check=True,  # noqa: E731
                                    cwd=ROOT, stdout=subprocess.DEVNULL)
    run("db", "upgrade")
    # A bank big enough that no simulated student runs out of new cards within the run
    # (the shipped banks hold ~70 questions, and siblings are buried for the day).
    bank = Path(env["STUDYAPP_INSTANCE"]) / "bench-bank.json"
    bank.parent.mkdir(parents=True, exist_ok=True)
    bank.write_text(json.dumps({
        "format": "studyapp-bank/1", "title": "Bench bank", "questions": [
            {"id": f"b{i}", "type": "flashcard", "prompt": f"Term {i}", "answer": f"Definition {i}",
             "explanation": f"Term {i} means definition {i}.", "fact_kind": "other", "topic": f"T{i % 10}"}
            for i in range(5000)]}))
    run("load-banks", str(bank))
    code = f"""
from studyapp import create_app
from studyapp.auth.accounts import create_account
from studyapp.auth.passwords import hash_password
from studyapp.extensions import db
from studyapp.models import User
app = create_app()
with app.app_context():
    h = hash_password({PASSWORD!r})
    db.session.add_all([User(email=f"s{{i}}@bench.test", password_hash=h, role="student")
                        for i in range({students})])
    db.session.commit()
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.error_samples: list[str] = []

    def add(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.error_samples) < 5:
                    self.error_samples.append(f"{kind}: {detail}")


def login(base: str, email: str, client_ip: str) -> tuple[requests.Session, str]:
    s = requests.Session()
    # As if behind the school's reverse proxy (BEHIND_PROXY=1): each pupil has an address,
    # so the per-address login limit (10/min) applies per pupil, not to the whole bench.
    s.headers["X-Forwarded-For"] = client_ip
    page = s.get(base + "/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = s.post(base + "/login", data={"csrf_token": token, "email": email, "password": PASSWORD},
               timeout=30, allow_redirects=False)
    r.raise_for_status()
    meta = re.search(r'name="csrf-token" content="([^"]+)"', s.get(base + "/dashboard", timeout=30).text)
    return s, meta.group(1)


def timed(stats: Stats, kind: str, fn):
    t = time.perf_counter()
    try:
        r = fn()
        ok = r.status_code < 400
        detail = f"{r.status_code} {r.text[:120]}"
    except requests.RequestException as exc:
        r, ok, detail = None, False, repr(exc)
    stats.add(kind, time.perf_counter() - t, ok, detail)
    return r if ok else None


def student_loop(base, session, csrf, set_id, stop, stats, submitted, think):
    """What the review page does: fetch the first card, then each answer is one POST that
    records the review and brings the next card back."""
    # Students do not all click at the same millisecond: each starts within one think time.
    if stop.wait(random.uniform(0, think)):
        return
    r = timed(stats, "next", lambda: session.get(f"{base}/api/v1/sets/{set_id}/next?limit=1", timeout=30))
    cards = r.json()["cards"] if r is not None else []
    while cards and not stop.wait(think):
        body = {"question_id": cards[0]["question_id"], "rating": 3, "review_id": uuid.uuid4().hex,
                "duration_ms": 1500, "next_set_id": set_id}
        r = timed(stats, "review", lambda b=body: session.post(
            f"{base}/api/v1/reviews", json=b, headers={"X-CSRFToken": csrf}, timeout=30))
        if r is None:
            continue  # the same card again, with a new review id
        reply = r.json()
        if reply.get("created"):
            submitted.append(1)
        cards = reply["next"]["cards"]


def health_loop(base, stop, stats, think):
    s = requests.Session()
    if stop.wait(random.uniform(0, think)):
        return
    while not stop.wait(think):
        timed(stats, "healthz", lambda: s.get(base + "/healthz", timeout=30))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--students", type=int, default=50)
    ap.add_argument("--think", type=float, default=0.0,
                    help="seconds each student waits between cards (0: flat out, a closed loop "
                         "that saturates the server; a real student takes 5-10 s per card)")
    ap.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    ap.add_argument("--pg", default=os.environ.get("PGURL", "postgresql://postgres@127.0.0.1:5432"))
    ap.add_argument("--db", default="studyapp_bench")
    ap.add_argument("--no-redis", action="store_true", help="memory:// limits (per worker)")
    args = ap.parse_args()

    url = recreate_database(args.pg, args.db)
    use_redis = redis_up() and not args.no_redis
    instance = Path(f"/tmp/studyapp-bench-{os.getpid()}")
    env = dict(os.environ, DATABASE_URL=url, STUDYAPP_INSTANCE=str(instance), SECRET_KEY=uuid.uuid4().hex,
               RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379" if use_redis else "memory://",
               API_RATELIMIT="100000 per minute", BEHIND_PROXY="1", ACCESS_LOG="", LOG_LEVEL="warning")
    env.pop("STUDYAPP_TEST_PAUSE_IN", None)
    print(f"seeding {args.students} students into {args.db} ...", flush=True)
    seed(env, args.students)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as c:
        set_id = c.execute(text("SELECT id FROM question_sets ORDER BY id LIMIT 1")).scalar()
        n_questions = c.execute(text("SELECT count(*) FROM questions WHERE set_id = :s"), {"s": set_id}).scalar()
        c.execute(text("UPDATE users SET daily_new_limit = 100000"))  # never run dry of new cards
        c.commit()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(args.workers), "--bind",
                               f"127.0.0.1:{port}", "studyapp:create_app()"], env=env, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                if requests.get(base + "/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        print(f"gunicorn: {args.workers} sync workers on {os.cpu_count()} cores; PostgreSQL {args.db}; "
              f"limits in {'Redis' if use_redis else 'memory (per worker)'}; set {set_id} "
              f"({n_questions} questions)", flush=True)
        sessions = [login(base, f"s{i}@bench.test", f"10.0.{i // 250}.{i % 250 + 1}")
                    for i in range(args.students)]
        stats, submitted, stop = Stats(), [], threading.Event()
        threads = [threading.Thread(target=student_loop, args=(base, s, c, set_id, stop, stats, submitted, args.think))
                   for s, c in sessions]
        threads += [threading.Thread(target=health_loop, args=(base, stop, stats, args.think))
                    for _ in range(args.students)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        stop.set()
        for t in threads:
            t.join(60)
        elapsed = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    with engine.connect() as c:
        stored = c.execute(text("SELECT count(*) FROM review_logs")).scalar()
        mismatched = c.execute(text(
            "SELECT count(*) FROM cards c WHERE c.reps <> "
            "(SELECT count(*) FROM review_logs r WHERE r.card_id = c.id)")).scalar()
    engine.dispose()

    print(f"\n{args.students} students + {args.students} /healthz clients for {elapsed:.1f} s, "
          f"think time {args.think} s")
    print(f"{'endpoint':<10} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    rates = {}
    for kind in ("next", "review", "healthz"):
        lat = stats.latencies.get(kind, [])
        rates[kind] = len(lat) / elapsed
        if lat:
            print(f"{kind:<10} {len(lat):>9} {rates[kind]:>8.1f} {statistics.median(lat) * 1000:>8.1f} "
                  f"{pct(lat, 0.99):>8.1f} {stats.errors.get(kind, 0):>7}")
    loop = rates["review"]  # one request per answer: review recorded + next card returned
    errors = sum(stats.errors.values())
    print(f"\nreview throughput: {loop:.1f}/s; ratio to /healthz under the same load: "
          f"{loop / max(rates['healthz'], 1e-9):.2f} (target >= 0.5)")
    print(f"reviews submitted {len(submitted)}, stored {stored}, lost {len(submitted) - stored}; "
          f"cards whose reps differ from their log: {mismatched}")
    print(f"errors: {errors}")
    for sample in stats.error_samples:
        print("  ", sample)
    return 0 if errors == 0 and len(submitted) == stored and mismatched == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
