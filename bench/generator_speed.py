"""Generator speed and memory: ``python bench/generator_speed.py [SEEDS_DIR]``.

Times ``generate_bank`` (untraced; its peak traced memory in a second run) on each seed document, and on
documents 10x and 100x their size (the seeds concatenated), with the growth ratio.
Note: the cleaner drops verbatim repeated paragraphs, so the 10x/100x documents
measure reading + cleaning at scale; a variant with each copy made unique (a
numbered marker sentence per paragraph) measures the whole pipeline.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studyapp.qgen import generate_bank  # noqa: E402


def run(path: Path) -> tuple[float, float, int]:
    """Time without tracing (tracemalloc slows pure-Python code several times), then a
    second, traced run for the peak memory."""
    t = time.perf_counter()
    res = generate_bank([path])
    dt = time.perf_counter() - t
    tracemalloc.start()
    generate_bank([path])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return dt, peak / 2**20, len(res.bank["questions"])


def uniquify(text: str, copy: int) -> str:
    paras = text.split("\n\n")
    return "\n\n".join(
        p.replace(" the ", f" the (copy {copy}.{i}) ", 1) if len(p) > 200 else p
        for i, p in enumerate(paras)
    )


def main(argv: list[str]) -> int:
    seeds = Path(argv[0]) if argv else ROOT.parent / "shared" / "seeds"
    docs = sorted(p for p in seeds.iterdir() if p.suffix in (".txt", ".md"))
    if not docs:
        print(f"no seed documents in {seeds}")
        return 1
    generate_bank([docs[0]])  # warm up (imports, pysbd rules, pycountry)
    print(f"{'document':42s} {'size':>9s} {'time s':>8s} {'peak MB':>8s} {'questions':>9s}")
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in docs)
    rows = []
    for d in docs:
        dt, peak, n = run(d)
        print(f"{d.name:42s} {d.stat().st_size:9d} {dt:8.3f} {peak:8.1f} {n:9d}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, factor, uniq in [("seeds x1", 1, False), ("seeds x10", 10, False),
                                    ("seeds x100", 100, False), ("seeds x1 (unique)", 1, True),
                                    ("seeds x10 (unique)", 10, True)]:
            text = "\n\n".join(uniquify(base, i) if uniq else base for i in range(factor))
            p = Path(tmp) / f"x{factor}.txt"
            p.write_text(text, encoding="utf-8")
            dt, peak, n = run(p)
            rows.append((label, factor, uniq, dt))
            print(f"{label:42s} {len(text.encode()):9d} {dt:8.3f} {peak:8.1f} {n:9d}")
    t1 = {u: dt for (_, f, u, dt) in rows if f == 1}
    print()
    for label, factor, uniq, dt in rows:
        if factor > 1:
            ratio = dt / t1[uniq]
            print(f"growth {label}: {ratio:.1f}x time for {factor}x size "
                  f"({ratio / factor:.2f} per unit of size)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
