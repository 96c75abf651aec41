"""Login timing: an unknown e-mail against a known one (no enumeration by timing), and what
the Argon2 settings cost when a whole class logs in at once.

    .venv/bin/python bench/auth.py [--logins 40] [--rush 100]

Part 1 posts wrong logins through the app (SQLite in a temporary folder) for a known and an
unknown address, alternating, and prints both medians and their ratio (1.0 = the same).
Part 2 lets `--rush` logins arrive at once and serves them with as many threads as gunicorn
has workers (argon2-cffi releases the GIL, so they hash side by side as worker processes do),
for each parameter set, and prints each login's wait (queue + hash) at p50/p99, against the
OWASP-minimum default in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argon2 import PasswordHasher  # noqa: E402

from studyapp import create_app  # noqa: E402
from studyapp.auth.accounts import create_account  # noqa: E402
from studyapp.extensions import db  # noqa: E402

PARAMS = {  # name: (memory KiB, passes, lanes)
    "OWASP minimum (default)": (19456, 2, 1),
    "OWASP, more memory": (47104, 1, 1),
    "RFC 9106 second choice (argon2-cffi's default, before)": (65536, 3, 4),
}
WORKERS = 2 * (os.cpu_count() or 1) + 1  # gunicorn.conf.py's default: each serves one login at a time


def login_timings(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STUDYAPP_INSTANCE"] = str(Path(tmp) / "instance")
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                          "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                          "WTF_CSRF_ENABLED": False})
        with app.app_context():
            db.create_all()
            create_account("known@bench.org", "lantern-orchard-mosaic", "student")
            db.session.remove()
        client = app.test_client()
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        for i in range(n + 2):
            for who in ("known", "unknown"):
                t = time.perf_counter()
                r = client.post("/login", data={"email": f"{who}@bench.org", "password": "wrong-guess"})
                if i >= 2:  # the first two warm up (and make the dummy hash)
                    times[who].append(time.perf_counter() - t)
                assert b"Wrong e-mail address or password." in r.data
        with app.app_context():
            db.engine.dispose()
    known, unknown = (statistics.median(times[k]) * 1000 for k in ("known", "unknown"))
    print(f"wrong login, median of {n}: known e-mail {known:.1f} ms, unknown e-mail {unknown:.1f} ms,"
          f" unknown/known {unknown / known:.2f}")


def rush(n: int) -> None:
    base = None
    for name, (m, t, p) in PARAMS.items():
        hasher = PasswordHasher(memory_cost=m, time_cost=t, parallelism=p)
        stored = hasher.hash("lantern-orchard-mosaic")
        one = time.perf_counter()
        hasher.verify(stored, "lantern-orchard-mosaic")
        single = (time.perf_counter() - one) * 1000

        start = time.perf_counter()

        def login(_, hasher=hasher, stored=stored, start=start):
            hasher.verify(stored, "lantern-orchard-mosaic")
            return time.perf_counter() - start  # everyone arrived at `start`

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            waits = sorted(pool.map(login, range(n)))
        wall = time.perf_counter() - start
        p50, p99 = waits[len(waits) // 2] * 1000, waits[int(len(waits) * 0.99) - 1] * 1000
        base = base or wall
        print(f"{name}: m={m // 1024} MiB t={t} p={p}: one login {single:.0f} ms; "
              f"{n} at once on {WORKERS} workers: p50 {p50:.0f} ms, p99 {p99:.0f} ms, all done in {wall:.1f} s "
              f"({wall / base:.1f}x the default)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--logins", type=int, default=40)
    ap.add_argument("--rush", type=int, default=100)
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}")
    login_timings(args.logins)
    rush(args.rush)


if __name__ == "__main__":
    main()
