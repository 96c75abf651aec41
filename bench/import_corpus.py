"""Imports measured on a folder of real files (GIFT, Moodle XML, CSV, Anki and Quizlet text):

    .venv/bin/python bench/import_corpus.py [DIR ...]      (default: tests/data/import)

For every file: the format it is read as (its name, then its content), whether it imports
whole, and if not whether every problem names a line (a refusal "by name and line"). Over
the questions that import (each file imported on its own, the valid questions only): how
many keep a format marker ([html], [moodle], [plain], [markdown]) in any text a student
sees, how many gained a catch-all answer ('*' accepted), and whether the set survives
export → re-import unchanged in each format that carries everything ("0 updated").
Nothing is downloaded: collect the files yourself and point the script at their folder.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studyapp import create_app  # noqa: E402
from studyapp.extensions import db  # noqa: E402
from studyapp.interchange import FORMATS, UnknownFormat, detect_format, parse  # noqa: E402
from studyapp.question import Question  # noqa: E402
from studyapp.teach.service import TeachError, export_set, import_file  # noqa: E402

MARKER = re.compile(r"\[(html|moodle|plain|markdown)\]")
NAMES_A_LINE = re.compile(r": line \d+")
SUFFIXES = {".gift", ".txt", ".xml", ".csv", ".tsv", ".json"}


def texts(q: dict):
    """Every text of a question a student can see."""
    yield q.get("prompt", ""), q.get("explanation", "")
    for name in ("choices", "accept", "items"):
        yield from ([v] for v in q.get(name) or [])
    answer = q.get("answer")
    yield from ([a] for a in (answer if isinstance(answer, list) else [answer]) if isinstance(a, str))
    yield from (list(p) for p in q.get("pairs") or [])
    yield from ([v] for v in (q.get("feedback") or {}).values())


def measure(files: list[Path]) -> None:
    per_format: Counter = Counter()
    whole, refused_by_line, refused_other, questions = [], [], [], 0
    markers = catch_alls = 0
    round_trips: dict[str, list[int]] = {}
    for path in files:
        data = path.read_bytes()
        try:
            fmt = detect_format(path.name, data)
        except UnknownFormat:
            continue
        per_format[fmt] += 1
        parsed, problems, _ = parse(fmt, data, path.name)
        questions += len(parsed)
        markers += sum(any(MARKER.search(t or "") for t in group) for q in parsed for group in texts(q))
        catch_alls += sum("*" in (q.get("accept") or []) or q.get("answer") == "*" for q in parsed)
        if not problems:
            whole.append(path.name)
        elif all(NAMES_A_LINE.search(p) for p in problems):
            refused_by_line.append((path.name, problems[0]))
        else:
            refused_other.append((path.name, problems[0]))
        if parsed:
            _round_trip(path.name, data, fmt, round_trips)
    total = sum(per_format.values())
    print(f"files: {total} ({', '.join(f'{n} {f}' for f, n in sorted(per_format.items()))})")
    print(f"imported whole: {len(whole)} of {total}")
    print(f"refused, every problem naming its line: {len(refused_by_line)}; refused otherwise: {len(refused_other)}")
    for name, first in refused_by_line + refused_other:
        print(f"  {name}: {first}")
    print(f"questions imported: {questions}; keeping a format marker: {markers}; "
          f"with a catch-all answer: {catch_alls}")
    for fmt, (sets, updated, added, unchanged) in sorted(round_trips.items()):
        print(f"export {fmt} -> re-import, over {sets} sets: {added} added, {updated} updated, "
              f"{unchanged} unchanged")


def _round_trip(name: str, data: bytes, fmt: str, out: dict) -> None:
    try:
        outcome = import_file(None, data, name, fmt=fmt, title=name, partial=True)
    except TeachError:
        return
    for target in (f for f in FORMATS.values() if f.parse and f.whole):
        exported = export_set(outcome.qset, target.name)
        result = import_file(None, exported.data, exported.filename, fmt=target.name,
                             qset=outcome.qset).result
        totals = out.setdefault(target.name, [0, 0, 0, 0])
        totals[0] += 1
        totals[1] += result.updated
        totals[2] += result.added
        totals[3] += result.unchanged
    # The export as bank JSON must also give back each question exactly.
    again = [Question.from_row(q).to_bank() for q in outcome.qset.questions]
    assert all(a["id"] for a in again)


def main(argv: list[str]) -> None:
    dirs = [Path(a) for a in argv] or [Path(__file__).resolve().parent.parent / "tests" / "data" / "import"]
    files = sorted(p for d in dirs for p in d.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench",
                          "INSTANCE_PATH": tmp})
        with app.app_context():
            db.create_all()
            measure(files)
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
