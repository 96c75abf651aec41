"""Do PDF bombs slow everyone else down? Other requests' p99 while six run, against without.

    python bench/generation_isolation.py [--seconds 40] [--students 20] [--workers 4]

Starts gunicorn (4 workers, as in the attack run that found the problem) on a fresh
PostgreSQL database (`studyapp_bench_bombs`), limits in Redis when it answers. Students loop
on GET /api/v1/sets/<id>/next (what the review page asks for) with a short think time.
Phase 1 measures them alone; then six instructors each upload a PDF bomb (two pages sharing
one Flate stream that inflates to 8 MB of text: tests/pdfbomb.py) and phase 2 measures the
same students while the bombs are read. Prints p50/p99 of both phases and their ratio
(target: p99 within 2x), and what became of the bombs.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
from load import BIN, ROOT, Stats, free_port, login, pct, recreate_database, redis_up, seed, timed
from sqlalchemy import create_engine, text

sys.path.insert(0, str(ROOT))
from tests.pdfbomb import pdf_bomb  # noqa: E402

BOMBS = 6
INSTRUCTOR_PASSWORD = "bench-password-1"


def add_instructors(env: dict, n: int) -> None:
    code = f"""
from studyapp import create_app
from studyapp.auth.passwords import hash_password
from studyapp.extensions import db
from studyapp.models import User
app = create_app()
with app.app_context():
    h = hash_password({INSTRUCTOR_PASSWORD!r})
    db.session.add_all([User(email=f"t{{i}}@bench.test", password_hash=h, role="instructor")
                        for i in range({n})])
    db.session.commit()
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)


def student_loop(base, session, set_id, stop, stats, phase, think):
    if stop.wait(random.uniform(0, think)):
        return
    while not stop.wait(random.uniform(0.5 * think, 1.5 * think)):
        timed(stats, phase[0], lambda: session.get(f"{base}/api/v1/sets/{set_id}/next?limit=5",
                                                   timeout=60))


def upload_bomb(base: str, session: requests.Session, data: bytes) -> tuple[int, str]:
    page = session.get(base + "/teach/generate", timeout=60).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = session.post(base + "/teach/generate", data={"csrf_token": token, "title": ""},
                     files={"document": ("treaty.pdf", data, "application/pdf")},
                     allow_redirects=False, timeout=60)
    return r.status_code, r.headers.get("Location", "").rsplit("/", 1)[-1]


def job_state(base: str, session: requests.Session, job_id: str) -> dict:
    # Jobs are in the database: whichever worker answers knows them.
    r = session.get(f"{base}/teach/jobs/{job_id}.json", timeout=60)
    return r.json() if r.ok else {"state": f"unknown ({r.status_code})"}


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def summary(name: str, lat: list[float]) -> str:
    return (f"{name:<22} {len(lat):>6} requests  p50 {pct(lat, 0.5):7.1f} ms  "
            f"p99 {pct(lat, 0.99):7.1f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=40, help="length of each phase")
    ap.add_argument("--students", type=int, default=20)
    ap.add_argument("--think", type=float, default=0.3)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--bomb-mb", type=float, default=8.0)
    ap.add_argument("--pg", default=os.environ.get("PGURL", "postgresql://postgres@127.0.0.1:5432"))
    ap.add_argument("--db", default="studyapp_bench_bombs")
    args = ap.parse_args()

    url = recreate_database(args.pg, args.db)
    use_redis = redis_up()
    instance = Path(f"/tmp/studyapp-bench-bombs-{os.getpid()}")
    env = dict(os.environ, DATABASE_URL=url, STUDYAPP_INSTANCE=str(instance), SECRET_KEY=uuid.uuid4().hex,
               RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379" if use_redis else "memory://",
               RATELIMIT_KEY_PREFIX=f"bench-bombs-{os.getpid()}",
               API_RATELIMIT="100000 per minute", BEHIND_PROXY="1", ACCESS_LOG="", LOG_LEVEL="warning")
    print(f"seeding {args.students} students and {BOMBS} instructors into {args.db} ...", flush=True)
    seed(env, args.students)
    add_instructors(env, BOMBS)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as c:
        set_id = c.execute(text("SELECT id FROM question_sets ORDER BY id LIMIT 1")).scalar()
    engine.dispose()
    bomb = pdf_bomb(args.bomb_mb)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(args.workers), "--bind",
                               f"127.0.0.1:{port}", "studyapp:create_app()"], env=env, cwd=ROOT)
    readers: set[int] = set()
    try:
        for _ in range(100):
            try:
                if requests.get(base + "/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        print(f"gunicorn: {args.workers} sync workers on {os.cpu_count()} cores; PostgreSQL; limits in "
              f"{'Redis' if use_redis else 'memory'}; bomb: {len(bomb):,} bytes on disk, two pages "
              f"sharing one stream of {args.bomb_mb:g} MB of text", flush=True)
        students = [login(base, f"s{i}@bench.test", f"10.1.{i // 250}.{i % 250 + 1}")[0]
                    for i in range(args.students)]
        teachers = []
        for i in range(BOMBS):
            s = requests.Session()
            s.headers["X-Forwarded-For"] = f"10.2.0.{i + 1}"
            page = s.get(base + "/login", timeout=30).text
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            s.post(base + "/login", data={"csrf_token": token, "email": f"t{i}@bench.test",
                                          "password": INSTRUCTOR_PASSWORD}, timeout=30).raise_for_status()
            teachers.append(s)

        stats, stop, phase = Stats(), threading.Event(), ["alone"]
        threads = [threading.Thread(target=student_loop, args=(base, s, set_id, stop, stats, phase, args.think))
                   for s in students]
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        phase[0] = "with six bombs"
        uploads = [upload_bomb(base, s, bomb) for s in teachers]
        time.sleep(args.seconds)
        stop.set()
        for t in threads:
            t.join(120)
        states = [job_state(base, s, job) if code == 302 else {"state": f"refused ({code})"}
                  for s, (code, job) in zip(teachers, uploads, strict=True)]
        readers = descendants(server.pid) - {server.pid}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    time.sleep(2)
    left = {pid for pid in readers if Path(f"/proc/{pid}").exists()
            and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"}
    for pid in left:  # our own processes: never leave one behind
        os.kill(pid, signal.SIGKILL)

    alone, bombed = stats.latencies.get("alone", []), stats.latencies.get("with six bombs", [])
    print()
    print(summary("/next alone", alone))
    print(summary("/next with six bombs", bombed))
    print(f"p99 with bombs / p99 alone: {pct(bombed, 0.99) / pct(alone, 0.99):.2f} (target <= 2)")
    print(f"errors: {sum(stats.errors.values())}")
    counts: dict[str, int] = {}
    for st in states:
        counts[st["state"]] = counts.get(st["state"], 0) + 1
    print("bombs at the end of phase 2: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    for st in states:
        if st.get("error"):
            print(f"  failed: {st['error']}")
            break
    print(f"processes left behind after gunicorn stopped: {len(left)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
