"""CSV import and export: one question per row; the columns are in docs/import-formats.md."""

from __future__ import annotations

import csv
import io

from ..csvcells import neutralise, restore
from ..question import KINDS, Question, parse_number
from .common import (
    FALSE_WORDS,
    MAX_QUESTIONS,
    TRUE_WORDS,
    TYPE_ALIASES,
    content_uid,
    decode_upload,
    question_problems,
    split_list,
)

COLUMNS = ("id", "type", "prompt", "answer", "accept", "choices", "tolerance", "explanation",
           "fact_kind", "topic", "tags", "source")
REQUIRED = ("type", "prompt", "answer")

TEMPLATE_ROWS = [
    {"type": "multiple_choice", "prompt": "In which year did Apollo 11 land on the Moon?",
     "answer": "1969", "choices": "1965|1967|1969|1971", "fact_kind": "date", "topic": "Space",
     "explanation": "Apollo 11 landed on the Moon in July 1969.", "tags": "apollo|moon"},
    {"type": "true_false", "prompt": "Yuri Gagarin was the first human in space.", "answer": "true",
     "fact_kind": "person", "topic": "Space"},
    {"type": "short_answer", "prompt": "Which agency does the acronym NASA stand for?",
     "answer": "National Aeronautics and Space Administration", "accept": "NASA",
     "fact_kind": "organisation", "topic": "Space"},
    {"type": "numeric", "prompt": "How many people have walked on the Moon?", "answer": "12",
     "tolerance": "0", "fact_kind": "figure", "topic": "Space"},
    {"type": "cloze", "prompt": "The first artificial satellite, ____, was launched in 1957.",
     "answer": "Sputnik 1", "accept": "Sputnik", "fact_kind": "other", "topic": "Space",
     "source": "The Soviet Union launched Sputnik 1, the first artificial satellite, in 1957."},
    {"type": "flashcard", "prompt": "ISS", "answer": "International Space Station",
     "fact_kind": "organisation", "topic": "Space"},
]


def _row_question(cells: dict[str, str], where: str) -> tuple[dict | None, list[str]]:
    problems: list[str] = []
    raw_type = cells.get("type", "").strip().lower()
    qtype = TYPE_ALIASES.get(raw_type)
    if qtype is None:
        return None, [f"{where}, field 'type': {raw_type!r} is not a question type "
                      f"(use one of {', '.join(sorted(set(TYPE_ALIASES.values())))})"]
    answer: object = cells.get("answer", "").strip()
    if qtype == "true_false":
        word = str(answer).lower()
        if word in TRUE_WORDS:
            answer = "true"
        elif word in FALSE_WORDS:
            answer = "false"
        else:
            problems.append(f"{where}, field 'answer': a true/false answer must be true or false, "
                            f"got {answer!r}")
    fact_kind = cells.get("fact_kind", "").strip().lower() or "other"
    if fact_kind not in KINDS:
        problems.append(f"{where}, field 'fact_kind': must be one of {', '.join(KINDS)}, "
                        f"got {fact_kind!r}")
    tolerance = cells.get("tolerance", "").strip() or None
    q: dict = {
        "type": qtype,
        "prompt": cells.get("prompt", "").strip(),
        "answer": answer,
        "accept": split_list(cells.get("accept", "")),
        "explanation": cells.get("explanation", "").strip(),
        "fact_kind": fact_kind,
        "topic": cells.get("topic", "").strip(),
        "tags": split_list(cells.get("tags", "").replace(";", "|")),
    }
    if qtype == "multiple_choice":
        q["choices"] = split_list(cells.get("choices", ""))
    elif cells.get("choices", "").strip():
        problems.append(f"{where}, field 'choices': only multiple_choice questions have choices")
    if tolerance is not None:
        if qtype != "numeric":
            problems.append(f"{where}, field 'tolerance': only numeric questions have a tolerance")
        else:
            q["tolerance"] = tolerance
    if qtype == "numeric" and q["answer"] and parse_number(str(q["answer"])) is None:
        problems.append(f"{where}, field 'answer': {q['answer']!r} is not a number")
    quote = cells.get("source", "").strip()
    if quote:
        q["source"] = {"quote": quote}
    uid = cells.get("id", "").strip()
    if len(uid) > 80:
        problems.append(f"{where}, field 'id': at most 80 characters")
    q["id"] = uid or content_uid(q)
    if not problems:
        problems += question_problems(q, where)
    return (None if problems else q), problems


def parse_csv(data: bytes, filename: str = "questions.csv") -> tuple[list[dict], list[str]]:
    """(questions, problems): every problem as 'FILE: line N, field F: what'."""
    text, problem = decode_upload(data, filename, "CSV")
    if problem:
        return [], [problem]
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[str] = []
    questions: list[dict] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [f"{filename}: line 1: {exc}"]
    if not header or not any(h.strip() for h in header):
        return [], [f"{filename}: line 1: the first row must name the columns "
                    f"({', '.join(COLUMNS)})"]
    names = [h.strip().lower() for h in header]
    for name in names:
        if name and name not in COLUMNS:
            problems.append(f"{filename}: line 1, field {name!r}: unknown column "
                            f"(the columns are {', '.join(COLUMNS)})")
    dupes = {n for n in names if n and names.count(n) > 1}
    for name in sorted(dupes):
        problems.append(f"{filename}: line 1, field {name!r}: column appears more than once")
    for name in REQUIRED:
        if name not in names:
            problems.append(f"{filename}: line 1, field {name!r}: required column is missing")
    if problems:
        return [], problems
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"{filename}: line {line}: {exc}")
            break
        where = f"{filename}: line {line}"
        line = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(names):
            problems.append(f"{where}: {len(row)} cells but {len(names)} columns "
                            "(quote a cell that contains a comma)")
            continue
        cells = {n: (restore(row[i]) if i < len(row) else "") for i, n in enumerate(names) if n}
        q, row_problems = _row_question(cells, where)
        problems += row_problems
        if q is None:
            continue
        if q["id"] in seen:
            problems.append(f"{where}, field 'id': the same question as line {seen[q['id']]}")
            continue
        seen[q["id"]] = int(where.rsplit(" ", 1)[1])
        questions.append(q)
        if len(questions) > MAX_QUESTIONS:
            return [], [f"{filename}: more than {MAX_QUESTIONS} questions in one file"]
    if not questions and not problems:
        problems.append(f"{filename}: line 2: no questions (the file has only its header row)")
    return ([] if problems else questions), problems


def export_csv(questions: list[Question]) -> bytes:
    """Questions → CSV text that parse_csv reads back to the same questions."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for q in questions:
        row = _csv_row(q.to_bank())
        writer.writerow({k: neutralise(v) for k, v in row.items()})  # parse_csv restores them
    return out.getvalue().encode("utf-8")


def export(questions: list[Question], info) -> bytes:
    return export_csv(questions)


def _csv_row(q: dict) -> dict:
    answer = q.get("answer")
    if isinstance(answer, bool):
        answer = "true" if answer else "false"
    return {
        "id": q.get("id") or "", "type": q.get("type"), "prompt": q.get("prompt"),
        "answer": answer, "accept": _cell_list(q.get("accept")),
        "choices": _cell_list(q.get("choices")), "tolerance": q.get("tolerance") or "",
        "explanation": q.get("explanation") or "", "fact_kind": q.get("fact_kind") or "other",
        "topic": q.get("topic") or "", "tags": _cell_list(q.get("tags")),
        "source": _quote(q.get("source")),
    }


def _cell_list(value) -> str:
    return value if isinstance(value, str) else "|".join(value or [])


def _quote(source) -> str:
    if isinstance(source, str):
        return source
    return (source or {}).get("quote") or "" if isinstance(source, dict) else ""


def template_csv() -> bytes:
    return export_csv([Question.from_bank(r) for r in TEMPLATE_ROWS])
