"""Term and definition lists: Quizlet's export ("term TAB definition", one per line) and
Anki's "Notes in Plain Text" (headers such as `#separator:tab`, `#html:true`,
`#tags column:3`). Each line becomes a flashcard: the term on the front, the definition
on the back. Pasted text (the import page's paste box) is read the same way."""

from __future__ import annotations

import csv
import io
import re

from .common import MAX_QUESTIONS, content_uid, decode_upload, question_problems
from .html import html_to_text

# Anki's names for separators (and the characters themselves).
ANKI_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "colon": ":",
                   "space": " "}
NAMES = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe", ":": "colon", " ": "space"}
_HEADER = re.compile(r"#([a-z ]+):(.*)")
ANKI_HEADERS = ("separator", "html", "tags column", "columns", "notetype", "deck", "guid column",
                "notetype column", "deck column")


def anki_headers(text: str) -> tuple[dict[str, str], int]:
    """Anki's `#name:value` lines at the top of the file, and how many lines they take."""
    headers: dict[str, str] = {}
    lines = text.splitlines()
    n = 0
    for line in lines:
        m = _HEADER.fullmatch(line.strip())
        if not m or m.group(1).strip().lower() not in ANKI_HEADERS:
            break
        headers[m.group(1).strip().lower()] = m.group(2).strip()
        n += 1
    return headers, n


def looks_like_list(text: str) -> bool:
    """Anki's headers, or every line a term and a definition separated by a tab."""
    if anki_headers(text)[0]:
        return True
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(lines) and all(line.count("\t") >= 1 for line in lines) and "{" not in text


def _separator(headers: dict, body: str) -> str | None:
    named = headers.get("separator", "")
    if named:
        return ANKI_SEPARATORS.get(named.lower(), named if len(named) == 1 else None)
    lines = [line for line in body.splitlines() if line.strip()]
    for sep in ("\t", ";", ","):  # Quizlet's default first; then what spreadsheets write
        if lines and all(sep in line for line in lines):
            return sep
    return "\t"


def parse_list(data: bytes, filename: str = "list.txt") -> tuple[list[dict], list[str]]:
    """(flashcards, problems), each problem as 'FILE: line N, field F: what'."""
    text, problem = decode_upload(data, filename, "text")
    if problem:
        return [], [problem]
    headers, skip = anki_headers(text)
    body = "\n".join(text.splitlines()[skip:])
    sep = _separator(headers, body)
    if sep is None:
        return [], [f"{filename}: line 1, field 'separator': {headers['separator']!r} is not a "
                    f"separator Anki writes ({', '.join(ANKI_SEPARATORS)})"]
    is_html = headers.get("html", "").lower() == "true"
    # Anki may put a note's id, note type, deck and tags in columns of their own (numbered
    # from 1); the note's fields are the other columns, front first.
    special = {name: int(headers[f"{name} column"]) for name in ("guid", "notetype", "deck", "tags")
               if headers.get(f"{name} column", "").isdigit()}
    tags_column = special.get("tags")
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=sep,
                        quoting=csv.QUOTE_MINIMAL if headers else csv.QUOTE_NONE)
    questions: list[dict] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    line = skip + 1
    for row in reader:
        where = f"{filename}: line {line}"
        line = skip + reader.line_num + 1
        cells = [html_to_text(c) if is_html else c.strip() for c in row]
        if not any(cells):
            continue
        tags = cells[tags_column - 1].split() if tags_column and len(cells) >= tags_column else []
        cells = [c for i, c in enumerate(cells, 1) if i not in special.values()]
        if len(cells) < 2 or not cells[1]:
            problems.append(f"{where}, field 'answer': no definition after the term "
                            f"(read as {NAMES.get(sep, repr(sep))}-separated)")
            continue
        q = {"type": "flashcard", "prompt": cells[0], "answer": cells[1], "accept": [],
             "explanation": "", "fact_kind": "other", "topic": "", "tags": []}
        q["tags"] = tags
        q["id"] = content_uid(q)
        found = question_problems(q, where)
        if found:
            problems += found
            continue
        if q["id"] in seen:
            continue  # the same card twice is one card
        seen[q["id"]] = int(where.rsplit(" ", 1)[1])
        questions.append(q)
        if len(questions) > MAX_QUESTIONS:
            return [], [f"{filename}: more than {MAX_QUESTIONS} cards in one file"]
    if not questions and not problems:
        problems.append(f"{filename}: line 1: no cards found (one term and its definition a line)")
    return questions, problems  # the valid ones: all or nothing is the caller's choice


def export_list(questions, info) -> bytes:
    """Each question as 'prompt TAB answer' on one line, quoted as Anki quotes a field
    that needs it (Quizlet's import takes the same lines)."""
    out = io.StringIO(newline="")
    out.write("#separator:tab\n#html:false\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for q in questions:
        writer.writerow([" ".join(q.prompt.split()), " ".join(q.answer_text().split())])
    return out.getvalue().encode("utf-8")
