"""The job queue: how long a job waits to start, and what a running generation costs other
requests, with jobs in the web workers (in-process) and in a job worker (RQ over Redis).

    python bench/jobs.py [--seconds 20] [--students 20] [--workers 4] [--latency-jobs 20]

For each backend: a fresh PostgreSQL database (`studyapp_bench_jobs`), gunicorn with
`--workers` sync workers, and for RQ `studyapp worker` (JOB_WORKERS=2, Redis database 8, a
queue of its own). Then
1. enqueue -> start: one small export job at a time through the set page's button, waited
   for, `--latency-jobs` times; the gap between a job's row being created and a worker
   starting it (both stamped by the database rows), p50 and p99;
2. students loop on GET /api/v1/sets/<id>/next (what the review page asks for) with a short
   think time, alone for `--seconds`, then for `--seconds` more while two instructors keep a
   generation running each (a 21 KB article from ../shared/seeds, uploaded again as soon as
   the last is done). Prints p50/p99 of both phases and their ratio: the same run's baseline.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
from generation_isolation import student_loop
from load import BIN, ROOT, Stats, free_port, login, pct, recreate_database, redis_up, seed
from sqlalchemy import create_engine, text

SEED = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
DOCUMENT = SEED[0] if SEED else ROOT / "tests" / "data" / "import" / "apollo.txt"
INSTRUCTORS = 2
INSTRUCTOR_PASSWORD = "bench-password-1"


def add_instructors(env: dict, n: int) -> None:
    """n instructors, and a 20-question set of the first one's to export."""
    code = f"""
from studyapp import create_app
from studyapp.auth.passwords import hash_password
from studyapp.extensions import db
from studyapp.models import User
from studyapp.teach.service import create_set, save_question
app = create_app()
with app.app_context():
    h = hash_password({INSTRUCTOR_PASSWORD!r})
    users = [User(email=f"t{{i}}@bench.test", password_hash=h, role="instructor") for i in range({n})]
    db.session.add_all(users)
    db.session.commit()
    qset = create_set(users[0], "Export me")
    for i in range(20):
        save_question(qset, {{"type": "flashcard", "prompt": f"Term {{i}}", "answer": f"Def {{i}}"}})
    print(qset.id)
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT,
                         capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1])


def teacher(base: str, i: int) -> requests.Session:
    s = requests.Session()
    s.headers["X-Forwarded-For"] = f"10.2.0.{i + 1}"
    page = s.get(base + "/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    s.post(base + "/login", data={"csrf_token": token, "email": f"t{i}@bench.test",
                                  "password": INSTRUCTOR_PASSWORD}, timeout=30).raise_for_status()
    return s


def csrf(s: requests.Session, base: str, path: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', s.get(base + path, timeout=60).text).group(1)


def wait_done(s: requests.Session, base: str, job_id: str, stop=None, limit_s: float = 300) -> dict:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and not (stop and stop.is_set()):
        st = s.get(f"{base}/teach/jobs/{job_id}.json", timeout=60).json()
        if st["done"]:
            return st
        time.sleep(0.05)
    return {"state": "unfinished"}


def export_latencies(base: str, s: requests.Session, set_id: int, n: int, engine) -> list[float]:
    token = csrf(s, base, f"/teach/sets/{set_id}")
    ids = []
    for _ in range(n):
        r = s.post(f"{base}/teach/sets/{set_id}/export.csv", data={"csrf_token": token},
                   allow_redirects=False, timeout=60)
        job_id = r.headers["Location"].rsplit("/", 1)[1]
        assert wait_done(s, base, job_id)["state"] == "done"
        ids.append(job_id)
    with engine.connect() as c:
        rows = c.execute(text("SELECT started_at - created_at FROM jobs WHERE id = ANY(:ids)"),
                         {"ids": ids}).scalars().all()
    return [d.total_seconds() for d in rows]


def generation_loop(base: str, s: requests.Session, stop: threading.Event, done: list) -> None:
    data = DOCUMENT.read_bytes()
    while not stop.is_set():
        token = csrf(s, base, "/teach/generate")
        r = s.post(base + "/teach/generate", data={"csrf_token": token, "title": ""},
                   files={"document": (DOCUMENT.name, data, "text/plain")}, allow_redirects=False,
                   timeout=60)
        if r.status_code != 302:
            time.sleep(0.5)
            continue
        st = wait_done(s, base, r.headers["Location"].rsplit("/", 1)[1], stop)
        done.append(st["state"])


def run(backend: str, args, pg: str) -> dict:
    url = recreate_database(pg, args.db)
    instance = Path(f"/tmp/studyapp-bench-jobs-{os.getpid()}-{backend}")
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, DATABASE_URL=url, STUDYAPP_INSTANCE=str(instance), SECRET_KEY=uuid.uuid4().hex,
               RATELIMIT_STORAGE_URI="memory://", API_RATELIMIT="100000 per minute",
               BEHIND_PROXY="1", ACCESS_LOG="", LOG_LEVEL="warning", JOBS_BACKEND=backend,
               REDIS_URL="redis://127.0.0.1:6379/8" if backend == "rq" else "", JOBS_QUEUE=queue,
               JOB_WORKERS="2", GENERATION_JOBS="2", EXPORT_INLINE_MAX_QUESTIONS="0")
    env.pop("STUDYAPP_TEST_PAUSE_IN", None)
    seed(env, args.students)
    set_id = add_instructors(env, INSTRUCTORS)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as c:
        study_set = c.execute(text("SELECT id FROM question_sets ORDER BY id LIMIT 1")).scalar()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(args.workers), "--bind",
                               f"127.0.0.1:{port}", "studyapp:create_app()"], env=env, cwd=ROOT)]
    if backend == "rq":
        procs.append(subprocess.Popen([str(BIN / "studyapp"), "worker"], env=env, cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      start_new_session=True))
    try:
        for _ in range(100):
            try:
                if requests.get(base + "/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        teachers = [teacher(base, i) for i in range(INSTRUCTORS)]
        export_latencies(base, teachers[0], set_id, 2, engine)  # warm up: imports, forkserver
        latencies = export_latencies(base, teachers[0], set_id, args.latency_jobs, engine)

        students = [login(base, f"s{i}@bench.test", f"10.1.{i // 250}.{i % 250 + 1}")[0]
                    for i in range(args.students)]
        stats, stop, phase = Stats(), threading.Event(), ["alone"]
        threads = [threading.Thread(target=student_loop, args=(base, s, study_set, stop, stats, phase, args.think))
                   for s in students]
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        phase[0], generations, gen_stop = "generating", [], threading.Event()
        gens = [threading.Thread(target=generation_loop, args=(base, s, gen_stop, generations))
                for s in teachers]
        for t in gens:
            t.start()
        time.sleep(args.seconds)
        stop.set()
        for t in threads:
            t.join(120)
        gen_stop.set()
        for t in gens:
            t.join(120)
    finally:
        for p in procs:
            with_group = p is not procs[0]
            (os.killpg(p.pid, signal.SIGTERM) if with_group else p.send_signal(signal.SIGTERM))
        for p in procs:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
        engine.dispose()
    return {"latency": latencies, "alone": stats.latencies.get("alone", []),
            "generating": stats.latencies.get("generating", []),
            "errors": sum(stats.errors.values()), "generations": generations}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=20, help="length of each phase")
    ap.add_argument("--students", type=int, default=20)
    ap.add_argument("--think", type=float, default=0.3)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--latency-jobs", type=int, default=20)
    ap.add_argument("--pg", default=os.environ.get("PGURL", "postgresql://postgres@127.0.0.1:5432"))
    ap.add_argument("--db", default="studyapp_bench_jobs")
    args = ap.parse_args()
    backends = ["inprocess"] + (["rq"] if redis_up() else [])
    if len(backends) == 1:
        print("Redis is not answering on 127.0.0.1:6379: the RQ backend is left out")
    print(f"gunicorn: {args.workers} sync workers on {os.cpu_count()} cores; PostgreSQL; "
          f"{args.students} students, think {args.think} s; generation of {DOCUMENT.name} "
          f"({DOCUMENT.stat().st_size // 1024} KB), {INSTRUCTORS} at a time", flush=True)
    results = {b: run(b, args, args.pg) for b in backends}
    print()
    print(f"{'backend':<10} {'enqueue->start p50':>19} {'p99':>8}   {'/next alone p50/p99':>20}   "
          f"{'generating p50/p99':>19}   {'p99 ratio':>9}  errors  generations done")
    for b, r in results.items():
        lat, alone, gen = r["latency"], r["alone"], r["generating"]
        print(f"{b:<10} {statistics.median(lat) * 1000:>16.1f} ms {pct(lat, 0.99):>5.1f} ms   "
              f"{statistics.median(alone) * 1000:>8.1f} / {pct(alone, 0.99):>6.1f} ms   "
              f"{statistics.median(gen) * 1000:>7.1f} / {pct(gen, 0.99):>6.1f} ms   "
              f"{pct(gen, 0.99) / pct(alone, 0.99):>9.2f}  {r['errors']:>6}  "
              f"{r['generations'].count('done')} of {len(r['generations'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
