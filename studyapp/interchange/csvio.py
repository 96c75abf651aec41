"""CSV import and export: one question per row; the columns are in docs/import-formats.md."""

from __future__ import annotations

import csv
import io
import json

from ..csvcells import neutralise, restore
from ..question import KINDS, Input, Question, QuestionType
from .common import (
    FALSE_WORDS,
    MAX_QUESTIONS,
    TRUE_WORDS,
    TYPE_ALIASES,
    content_uid,
    decode_upload,
    join_list,
    question_problems,
    split_list,
)

COLUMNS = ("id", "name", "type", "prompt", "answer", "accept", "choices", "pairs", "items", "tolerance",
           "credit", "feedback", "explanation", "fact_kind", "topic", "tags", "sibling", "source")
REQUIRED = ("type", "prompt")  # matching and ordering have no answer column
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}

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
    {"type": "multiple_answer", "prompt": "Which of these planets have rings?",
     "answer": "Saturn|Uranus", "choices": "Saturn|Mars|Uranus|Venus", "topic": "Space"},
    {"type": "matching", "prompt": "Match each space agency to its country.",
     "pairs": '[["NASA", "United States"], ["ESA", "Europe"], ["JAXA", "Japan"]]', "topic": "Space"},
    {"type": "ordering", "prompt": "Put these missions in order, earliest first.",
     "items": "Sputnik 1|Vostok 1|Apollo 11", "fact_kind": "date", "topic": "Space"},
]


def _json_cell(cells: dict, name: str, kind: type, where: str, problems: list[str]):
    cell = cells.get(name, "").strip()
    if not cell:
        return None
    try:
        value = json.loads(cell)
    except (json.JSONDecodeError, RecursionError):
        value = None
    if not isinstance(value, kind):
        problems.append(f"{where}, field {name!r}: must be JSON, e.g. {JSON_EXAMPLES[name]}")
        return None
    return value


JSON_EXAMPLES = {"credit": '{"kitten": 0.5}', "feedback": '{"cat": "Yes!", "*": "No."}',
                 "pairs": '[["NASA", "United States"], ["ESA", "Europe"]]'}


def _pairs(cells: dict, where: str, problems: list[str]):
    """JSON [[left, right], ...] (what exports write) or 'left -> right | ...' by hand."""
    cell = cells.get("pairs", "").strip()
    if not cell:
        return None
    if cell.startswith("["):
        return _json_cell(cells, "pairs", list, where, problems)
    return [[part.strip() for part in entry.split("->", 1)] for entry in split_list(cell)]


def _source(cell: str) -> dict | None:
    """The source sentence, or the whole source as JSON (with its id and offsets)."""
    cell = cell.strip()
    if not cell:
        return None
    if cell.startswith("{"):
        try:
            value = json.loads(cell)
        except (json.JSONDecodeError, RecursionError):
            value = None
        if isinstance(value, dict) and isinstance(value.get("quote"), str):
            return value
    return {"quote": cell}


def _row_question(cells: dict[str, str], where: str) -> tuple[dict | None, list[str]]:
    problems: list[str] = []
    raw_type = cells.get("type", "").strip().lower()
    qtype = TYPE_ALIASES.get(raw_type)
    if qtype is None:
        return None, [f"{where}, field 'type': {raw_type!r} is not a question type "
                      f"(use one of {', '.join(sorted(set(TYPE_ALIASES.values())))})"]
    traits = QuestionType(qtype).traits
    answer: object = cells.get("answer", "").strip()
    if traits.answer_is_list:
        answer = split_list(cells.get("answer", ""))
    elif traits.input is Input.TRUTH:
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
    q: dict = {
        "type": qtype,
        "prompt": cells.get("prompt", "").strip(),
        "accept": split_list(cells.get("accept", "")),
        "explanation": cells.get("explanation", "").strip(),
        "fact_kind": fact_kind,
        "topic": cells.get("topic", "").strip(),
        "tags": split_list(cells.get("tags", ""), also=";"),
    }
    if traits.has_answer or answer:
        q["answer"] = answer
    for name, value in (("choices", split_list(cells.get("choices", ""))),
                        ("items", split_list(cells.get("items", ""))),
                        ("pairs", _pairs(cells, where, problems)),
                        ("credit", _json_cell(cells, "credit", dict, where, problems)),
                        ("feedback", _json_cell(cells, "feedback", dict, where, problems)),
                        ("tolerance", cells.get("tolerance", "").strip() or None),
                        ("sibling", cells.get("sibling", "").strip() or None),
                        ("name", cells.get("name", "").strip() or None),
                        ("source", _source(cells.get("source", "")))):
        if value:
            q[name] = value
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
    sep = sniff_separator(text)
    read_as = f"read as {SEPARATORS[sep]}-separated"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    problems: list[str] = []
    questions: list[dict] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [f"{filename}: line 1: {exc} ({read_as})"]
    if not header or not any(h.strip() for h in header):
        return [], [f"{filename}: line 1: the first row must name the columns "
                    f"({', '.join(COLUMNS)})"]
    names = [h.strip().lower() for h in header]
    for name in names:
        if name and name not in COLUMNS:
            problems.append(f"{filename}: line 1, field {name!r}: unknown column ({read_as}; "
                            f"the columns are {', '.join(COLUMNS)}, separated by commas, "
                            "semicolons or tabs)")
    dupes = {n for n in names if n and names.count(n) > 1}
    for name in sorted(dupes):
        problems.append(f"{filename}: line 1, field {name!r}: column appears more than once")
    for name in REQUIRED:
        if name not in names:
            problems.append(f"{filename}: line 1, field {name!r}: required column is missing")
    if problems:
        return [], problems
    seen: dict[str, tuple[int, dict]] = {}
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
            problems.append(f"{where}: {len(row)} cells but {len(names)} columns ({read_as}: "
                            f"quote a cell that contains a {SEPARATORS[sep]})")
            continue
        cells = {n: (restore(row[i]) if i < len(row) else "") for i, n in enumerate(names) if n}
        q, row_problems = _row_question(cells, where)
        problems += row_problems
        if q is None:
            continue
        if q["id"] in seen:
            first, earlier = seen[q["id"]]
            if earlier != q:  # the same row twice is one question; one id for two is a mistake
                problems.append(f"{where}, field 'id': {q['id']!r} is already the id of line {first}")
            continue
        seen[q["id"]] = (int(where.rsplit(" ", 1)[1]), q)
        questions.append(q)
        if len(questions) > MAX_QUESTIONS:
            return [], [f"{filename}: more than {MAX_QUESTIONS} questions in one file"]
    if not questions and not problems:
        problems.append(f"{filename}: line 2: no questions (the file has only its header row)")
    return questions, problems  # the valid ones: all or nothing is the caller's choice


def looks_like_csv(text: str) -> bool:
    """A header row naming at least the type and prompt columns."""
    sep = sniff_separator(text)
    header = next((line for line in text.splitlines() if line.strip()), "")
    names = {cell.strip().strip('"').lower() for cell in header.split(sep)}
    return set(REQUIRED) <= names


def sniff_separator(text: str) -> str:
    """The separator of the header row: the one (comma, semicolon, tab) that splits it into
    the most known column names, else the most frequent one; a comma when in doubt."""
    header = next((line for line in text.splitlines() if line.strip()), "")

    def known(sep: str) -> int:
        return sum(cell.strip().strip('"').lower() in COLUMNS for cell in header.split(sep))

    best = max(SEPARATORS, key=lambda sep: (known(sep), header.count(sep), sep == ","))
    return best if header.count(best) else ","


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
    """A bank question as CSV cells: lists with '|' (an '|' inside escaped as '\\|'), pairs,
    credit, feedback and a source with offsets as JSON, so a re-import is the identity."""
    answer = q.get("answer", "")
    if isinstance(answer, bool):
        answer = "true" if answer else "false"
    elif isinstance(answer, list):
        answer = join_list(answer)
    source = q.get("source") or {}
    return {
        "id": q.get("id") or "", "name": q.get("name") or "", "type": q.get("type"),
        "prompt": q.get("prompt"),
        "answer": answer, "accept": join_list(q.get("accept")),
        "choices": join_list(q.get("choices")), "items": join_list(q.get("items")),
        "pairs": _json(q.get("pairs")), "credit": _json(q.get("credit")),
        "feedback": _json(q.get("feedback")), "tolerance": q.get("tolerance") or "",
        "explanation": q.get("explanation") or "", "fact_kind": q.get("fact_kind") or "other",
        "topic": q.get("topic") or "", "tags": join_list(q.get("tags"), also=";"),
        "sibling": q.get("sibling") or "",
        "source": source.get("quote", "") if set(source) <= {"quote"} else _json(source),
    }


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False) if value else ""


def template_csv() -> bytes:
    """One example of every type, read as an upload would be (so the template is valid)."""
    questions = []
    for row in TEMPLATE_ROWS:
        q, problems = _row_question(row, "template")
        assert q is not None, problems
        questions.append(Question.from_bank(q))
    return export_csv(questions)
