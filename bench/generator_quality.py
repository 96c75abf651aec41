"""Quality figures for generated banks: ``python bench/generator_quality.py [BANK...]``.

Prints questions per type and fact kind, and the share of defects: dangling
references, answer leaks, multiple-choice defects, leftover URLs, footnote marks,
foreign-script text, duplicates.  The defect counts must be 0 on the shipped banks.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studyapp.qgen.extract import norm  # noqa: E402
from studyapp.qgen.lexicon import DANGLING, PRONOUN_START  # noqa: E402
from studyapp.qgen.text import has_foreign_script  # noqa: E402

RE_WH = re.compile(r"^(?:Which|Who|What|When|Where|How|Since|Under|During)\b(?=.*\?$)")
RE_URL = re.compile(r"https?://|www\.", re.I)
RE_FOOTNOTE = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]|<sup>|\[\d+(?:,\s*p+\.\s*\d+)?\]")


def text_of(q: dict) -> str:
    return " ".join([q["prompt"], str(q["answer"]), *(q.get("choices") or []), q["explanation"]])


def check(q: dict) -> list[str]:
    defects = []
    p = q["prompt"]
    body = re.sub(r"^True or false:\s*", "", p)
    if q["type"] != "flashcard" and (DANGLING.search(body) or PRONOUN_START.match(RE_WH.sub("", body))):
        defects.append("dangling reference")
    if q["type"] not in ("true_false", "flashcard"):
        a = norm(str(q["answer"]))
        if a and re.search(rf"(?<!\w){re.escape(a)}(?!\w)", norm(p)):
            defects.append("answer leak")
    if q["type"] == "multiple_choice":
        ch = q.get("choices") or []
        if len(ch) != 4 or len({norm(c) for c in ch}) != len(ch) or ch.count(q["answer"]) != 1 or any(
                "all of the above" in c.lower() for c in ch):
            defects.append("multiple-choice defect")
    if q["type"] == "true_false" and not isinstance(q["answer"], bool):
        defects.append("true/false answer not boolean")
    t = text_of(q)
    if RE_URL.search(t):
        defects.append("leftover URL")
    if RE_FOOTNOTE.search(t):
        defects.append("footnote mark")
    if has_foreign_script(t):
        defects.append("foreign script")
    return defects


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "questions").glob("*.json"))
    total = 0
    per_type: Counter = Counter()
    per_kind: Counter = Counter()
    defects: Counter = Counter()
    examples: dict[str, str] = {}
    seen: Counter = Counter()
    for path in paths:
        bank = json.loads(path.read_text(encoding="utf-8"))
        qs = bank["questions"]
        print(f"{path.name}: {len(qs)} questions, {len(bank['sources'])} source(s)")
        for q in qs:
            total += 1
            per_type[q["type"]] += 1
            per_kind[q["fact_kind"]] += 1
            seen[(path.name, q["type"], norm(q["prompt"]))] += 1  # duplicates within a bank
            for d in check(q):
                defects[d] += 1
                examples.setdefault(d, q["prompt"][:120])
    dups = sum(n - 1 for n in seen.values() if n > 1)
    print(f"\ntotal questions: {total}")
    print("per type:       " + ", ".join(f"{k} {v}" for k, v in sorted(per_type.items())))
    print("per fact kind:  " + ", ".join(f"{k} {v}" for k, v in sorted(per_kind.items())))
    print()
    names = ["dangling reference", "answer leak", "multiple-choice defect",
             "true/false answer not boolean", "leftover URL", "footnote mark", "foreign script"]
    for n in names:
        share = defects[n] / total if total else 0.0
        print(f"{n:32s} {defects[n]:4d}  ({share:.1%})" + (f"   e.g. {examples[n]!r}" if n in examples else ""))
    print(f"{'duplicates':32s} {dups:4d}")
    return 1 if sum(defects.values()) or dups else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
