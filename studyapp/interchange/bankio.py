"""studyapp-bank/1 JSON import and export."""

from __future__ import annotations

import json

from .. import __version__
from ..question import FORMAT, Question, validate_bank
from .common import MAX_QUESTIONS

MAX_INT_DIGITS = 18  # ample for any answer, offset or id; Python refuses str(int) past 4,300


class NumberTooLong(ValueError):
    pass


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise NumberTooLong(f"a whole number with {len(digits.lstrip('-')):,} digits is too long "
                            f"(at most {MAX_INT_DIGITS}): {digits[:20]}…")
    return int(digits)


def parse_bank(data: bytes, filename: str = "bank.json") -> tuple[list[dict], list[str], dict]:
    """(questions, problems, bank metadata). Problems name the file, question and field."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [f"{filename}: line 1: the file is not UTF-8 text"], {}
    try:
        bank = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        return [], [f"{filename}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"], {}
    except NumberTooLong as exc:
        return [], [f"{filename}: {exc}"], {}
    except RecursionError:
        return [], [f"{filename}: line 1: JSON nested too deeply"], {}
    problems = validate_bank(bank, filename)
    if problems:
        return [], problems, {}
    questions = bank["questions"]
    if len(questions) > MAX_QUESTIONS:
        return [], [f"{filename}: more than {MAX_QUESTIONS} questions in one file"], {}
    meta = {"title": bank["title"], "description": bank.get("description") or "",
            "sources": bank.get("sources") if isinstance(bank.get("sources"), list) else []}
    return [dict(q) for q in questions], [], meta


parse = parse_bank


def bank_dict(questions: list[Question], info) -> dict:
    return {"format": FORMAT, "title": info.title, "description": info.description or "",
            "language": "en", "sources": list(info.sources or []),
            "generator": {"name": "studyapp", "version": __version__},
            "questions": [q.to_bank() for q in questions]}


def export(questions: list[Question], info) -> bytes:
    return (json.dumps(bank_dict(questions, info), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
