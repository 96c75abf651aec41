"""What the importers share: stable content ids, type names, problem wording."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from ..question import TYPES, validate_question

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
    key = [q.get("type"), _norm(q.get("prompt")), _norm(answer),
           sorted(_norm(c) for c in (q.get("choices") or []))]
    digest = hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()
    return "c" + digest[:20]


def question_problems(q: dict, where: str) -> list[str]:
    """question.validate_question's checks, worded as 'line N, field F: what'."""
    out = []
    for p in validate_question(q, where, 0):
        out.append(re.sub(r"^(.*?): question .*?, field '([^']+)': ", r"\1, field '\2': ", p, count=1))
    return out


def split_list(cell: str) -> list[str]:
    """A list in one cell: items separated by '|'."""
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


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
