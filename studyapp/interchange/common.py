"""What the importers share: stable content ids, type names, problem wording."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from ..question import TYPES, Question, validate_question

# Spellings a spreadsheet author (or another tool) might use for our types; every type's
# own name is one.
TYPE_ALIASES = {
    **{t: t for t in TYPES},
    "multiple_choice": "multiple_choice", "multiple choice": "multiple_choice", "mc": "multiple_choice",
    "mcq": "multiple_choice", "choice": "multiple_choice",
    "true_false": "true_false", "true/false": "true_false", "true false": "true_false",
    "truefalse": "true_false", "tf": "true_false", "boolean": "true_false",
    "short_answer": "short_answer", "short answer": "short_answer", "short": "short_answer",
    "text": "short_answer",
    "numeric": "numeric", "numerical": "numeric", "number": "numeric",
    "cloze": "cloze", "missing word": "cloze", "gap": "cloze",
    "flashcard": "flashcard", "card": "flashcard", "basic": "flashcard",
    "multiple answer": "multiple_answer", "multiple answers": "multiple_answer", "ma": "multiple_answer",
    "checkbox": "multiple_answer", "choose all": "multiple_answer",
    "match": "matching", "ordering": "ordering", "order": "ordering", "sequence": "ordering",
}
TRUE_WORDS = {"true", "t", "yes", "y", "1"}
FALSE_WORDS = {"false", "f", "no", "n", "0"}
MAX_QUESTIONS = 5000


def _norm(s: object) -> str:
    text = unicodedata.normalize("NFKC", str(s if s is not None else ""))
    return re.sub(r"\s+", " ", text).strip().casefold()


def content_uid(q: dict) -> str:
    """A stable id from what the question asks and answers, so re-importing the same
    file (or a copy with different spacing or case) finds the questions it made before."""
    answer = q.get("answer")
    if isinstance(answer, bool):
        answer = "true" if answer else "false"
    if isinstance(answer, list):
        answer = sorted(_norm(a) for a in answer)
    key = [q.get("type"), _norm(q.get("prompt")), answer if isinstance(answer, list) else _norm(answer),
           sorted(_norm(c) for c in (q.get("choices") or []))]
    # Matching and ordering questions often share a prompt ("Match the following"): their
    # pairs and items tell them apart (left out for the other types, whose ids stay as they were).
    if q.get("pairs"):
        key.append(sorted([_norm(a), _norm(b)] for a, b in q["pairs"] if isinstance(a, str) and isinstance(b, str)))
    if q.get("items"):
        key.append([_norm(i) for i in q["items"]])
    if q.get("credit"):  # partial credit tells apart the same question asked two ways
        key.append(sorted((_norm(k), v) for k, v in q["credit"].items() if isinstance(v, (int, float))))
    digest = hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()
    return "c" + digest[:20]


def topic_from_category(path: str) -> str:
    """A Moodle category path ('$course$/top/Unit 1/Cells') as a topic: its last part, past
    Moodle's context markers and 'top'; Moodle writes a '/' inside a name as '//'."""
    parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", path or "")]
    parts = [p for p in parts if p and not (p.startswith("$") and p.endswith("$")) and p != "top"]
    return parts[-1] if parts else ""


def merge_duplicate(earlier: dict, q: dict) -> bool:
    """The same question met twice in one file (same id): True when it grades the same, and
    then what the second adds (feedback, an explanation, a name) is kept on the first."""
    if Question.from_bank(q).answer_changed(Question.from_bank(earlier)):
        return False
    for name in ("feedback", "explanation", "name"):
        if q.get(name) and not earlier.get(name):
            earlier[name] = q[name]
    return True


def question_problems(q: dict, where: str) -> list[str]:
    """question.validate_question's checks, worded as 'line N, field F: what'."""
    out = []
    for p in validate_question(q, where, 0):
        out.append(re.sub(r"^(.*?): question .*?, field '([^']+)': ", r"\1, field '\2': ", p, count=1))
    return out


def split_list(cell: str, also: str = "") -> list[str]:
    """A list in one cell: items separated by '|' (or the characters in `also`), each
    trimmed, empty ones dropped; '\\|', '\\\\' (and '\\' before a character of `also`) stand
    for the character itself, so any text survives join_list → split_list."""
    seps = "|" + also
    parts, buf, i = [], [], 0
    cell = cell or ""
    while i < len(cell):
        ch = cell[i]
        if ch == "\\" and i + 1 < len(cell) and cell[i + 1] in seps + "\\":
            buf.append(cell[i + 1])
            i += 2
            continue
        if ch in seps:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    return [p.strip() for p in parts if p.strip()]


def join_list(values, also: str = "") -> str:
    """The cell split_list reads back as `values`."""
    out = []
    for v in values or []:
        v = str(v).replace("\\", "\\\\")
        for ch in "|" + also:
            v = v.replace(ch, "\\" + ch)
        out.append(v)
    return "|".join(out)


def decode_upload(data: bytes, filename: str, kind: str) -> tuple[str | None, str | None]:
    """(text, problem): the file as UTF-8 text (a BOM is dropped), or why it is not text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = " (save the sheet as 'CSV UTF-8')" if kind == "CSV" else ""
        return None, f"{filename}: line {line}: not UTF-8 text{hint}"
    if "\x00" in text:
        return None, f"{filename}: line 1: this is a binary file, not {kind}"
    return text, None
