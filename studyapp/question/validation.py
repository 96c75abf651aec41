"""The `studyapp-bank/1` format's rules: every problem with a bank or one question,
each worded "WHERE: question ID, field F: what is wrong"."""

from __future__ import annotations

from .graders.choices import truth
from .graders.numbers import parse_number, valid_tolerance
from .types import KINDS, TYPES, Input, QuestionType

FORMAT = "studyapp-bank/1"
MAX_ID = 80  # characters of a question's id and of its sibling group


def problem(where: str, qid: str | None, fld: str, what: str) -> str:
    at = f"question {qid!r}, " if qid is not None else ""
    return f"{where}: {at}field '{fld}': {what}"


def validate_question(q: object, where: str, index: int) -> list[str]:
    """Every problem with one question dict; empty when it is valid."""
    if not isinstance(q, dict):
        return [f"{where}: question #{index + 1}: not an object"]
    qid = q.get("id")
    name = qid if isinstance(qid, str) and qid else f"#{index + 1}"
    out: list[str] = []

    def bad(fld: str, what: str) -> None:
        out.append(problem(where, name, fld, what))

    if not isinstance(qid, str) or not qid.strip() or len(qid) > MAX_ID:
        bad("id", f"must be a non-empty string of at most {MAX_ID} characters")
    qtype = QuestionType(q["type"]) if q.get("type") in TYPES else None
    if qtype is None:
        bad("type", f"must be one of {', '.join(TYPES)}, got {q.get('type')!r}")
    else:
        _check_prompt_and_answer(q, qtype, bad)
        _check_type_fields(q, qtype, bad)
    _check_common_fields(q, bad)
    return out


def _check_prompt_and_answer(q: dict, qtype: QuestionType, bad) -> None:
    prompt, answer = q.get("prompt"), q.get("answer")
    if not isinstance(prompt, str) or not prompt.strip():
        bad("prompt", "must be non-empty text")
    elif qtype.traits.needs_blank and "____" not in prompt:
        bad("prompt", f"a {qtype.value} prompt needs a blank written ____")
    if qtype.traits.input is Input.TRUTH:
        if not isinstance(answer, bool) and (not isinstance(answer, str) or truth(answer) is None
                                             or answer.strip().lower() not in ("true", "false")):
            bad("answer", "must be true or false")
    elif qtype.traits.input is Input.NUMBER:
        if isinstance(answer, bool) or not isinstance(answer, (int, float, str)) or str(answer).strip() == "":
            bad("answer", "must be a number")
        elif parse_number(str(answer)) is None:
            bad("answer", f"{answer!r} is not a number")
    elif not isinstance(answer, str) or not answer.strip():
        bad("answer", "must be non-empty text")


def _check_type_fields(q: dict, qtype: QuestionType, bad) -> None:
    choices, answer = q.get("choices"), q.get("answer")
    if qtype.traits.has_choices:
        if not isinstance(choices, list) or not all(isinstance(c, str) and c.strip() for c in choices):
            bad("choices", "must be a list of 3-5 non-empty strings")
        elif not 3 <= len(choices) <= 5:
            bad("choices", f"needs 3-5 options, has {len(choices)}")
        elif len({c.strip().casefold() for c in choices}) != len(choices):
            bad("choices", "options must be distinct")
        elif choices.count(answer) != 1:
            bad("choices", "the answer must be among the options exactly once")
    elif choices not in (None, []):
        bad("choices", f"only {_with('has_choices')} questions have choices")
    tol = q.get("tolerance")
    if tol is not None:
        if not qtype.traits.has_tolerance:
            bad("tolerance", f"only {_with('has_tolerance')} questions have a tolerance")
        elif not isinstance(tol, (int, float, str)) or not valid_tolerance(tol):
            bad("tolerance", "must be a non-negative number or a percentage like '5%'")


def _with(trait: str) -> str:
    return " or ".join(t.value for t in QuestionType if getattr(t.traits, trait))


def _check_common_fields(q: dict, bad) -> None:
    accept = q.get("accept", [])
    if not isinstance(accept, list) or not all(isinstance(a, str) for a in accept):
        bad("accept", "must be a list of strings")
    for text_field in ("explanation", "topic"):
        if not isinstance(q.get(text_field, ""), str):
            bad(text_field, "must be text")
    if q.get("fact_kind", "other") not in KINDS:
        bad("fact_kind", f"must be one of {', '.join(KINDS)}")
    tags = q.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        bad("tags", "must be a list of strings")
    sibling = q.get("sibling")
    if sibling is not None and (not isinstance(sibling, str) or not sibling.strip()
                                or len(sibling) > MAX_ID):
        bad("sibling", f"must be a non-empty string of at most {MAX_ID} characters")
    src = q.get("source")
    if src is not None:
        if not isinstance(src, dict):
            bad("source", "must be an object with id, quote, start, end")
        else:
            start, end = src.get("start"), src.get("end")
            if start is not None and (not isinstance(start, int) or not isinstance(end, int)
                                      or not 0 <= start <= end):
                bad("source", "start and end must be offsets with 0 <= start <= end")


def validate_bank(data: object, where: str) -> list[str]:
    """Every problem with a whole bank (top level and each question); empty when valid."""
    if not isinstance(data, dict):
        return [f"{where}: the file must hold a JSON object"]
    problems = []
    if data.get("format") != FORMAT:
        problems.append(f"{where}: field 'format': must be {FORMAT!r}, got {data.get('format')!r}")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        problems.append(f"{where}: field 'title': must be non-empty text")
    questions = data.get("questions")
    if not isinstance(questions, list):
        return problems + [f"{where}: field 'questions': must be a list"]
    seen: set[str] = set()
    for i, q in enumerate(questions):
        problems += validate_question(q, where, i)
        qid = q.get("id") if isinstance(q, dict) else None
        if isinstance(qid, str):
            if qid in seen:
                problems.append(problem(where, qid, "id", "appears more than once"))
            seen.add(qid)
    return problems
