"""The `studyapp-bank/1` format's rules: every problem with a bank or one question,
each worded "WHERE: question ID, field F: what is wrong"."""

from __future__ import annotations

from .graders.choices import truth
from .graders.numbers import parse_number, valid_tolerance
from .limits import CHOICES, ITEMS, PAIRS
from .types import KINDS, TYPES, Input, QuestionType

FORMAT = "studyapp-bank/1"
MAX_ID = 80  # characters of a question's id and of its sibling group
MAX_NAME = 255  # characters of a question's name


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
    if qtype.traits.answer_is_list:
        if not _texts(answer) or not answer:
            bad("answer", "must be a list of the right options (non-empty strings)")
    elif not qtype.traits.has_answer:
        if answer not in (None, ""):
            bad("answer", f"a {qtype.value} question has no answer field: its "
                          f"{'pairs' if qtype.traits.has_pairs else 'items'} are the key")
    elif qtype.traits.input is Input.TRUTH:
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


def _texts(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _distinct(values: list[str]) -> bool:
    return len({v.strip().casefold() for v in values}) == len(values)


def _check_type_fields(q: dict, qtype: QuestionType, bad) -> None:
    traits = qtype.traits
    choices, answer = q.get("choices"), q.get("answer")
    if traits.has_choices:
        if not _texts(choices):
            bad("choices", f"must be a list of {CHOICES} (non-empty strings)")
        elif len(choices) not in CHOICES:
            bad("choices", f"needs {CHOICES}, has {len(choices)}")
        elif not _distinct(choices):
            bad("choices", "options must be distinct")
        elif traits.answer_is_list:
            if _texts(answer) and (any(a not in choices for a in answer) or len(set(answer)) != len(answer)):
                bad("answer", "each right option must be one of the choices, once")
        elif choices.count(answer) != 1:
            bad("choices", "the answer must be among the options exactly once")
        elif any(a not in choices or a == answer for a in q.get("accept") or []
                 if isinstance(q.get("accept"), list)):
            bad("accept", "other fully right options must be among the choices (and not the answer)")
    elif choices not in (None, []):
        bad("choices", f"only {_with('has_choices')} questions have choices")
    _check_list(q, "pairs", traits.has_pairs, _check_pairs, bad)
    _check_list(q, "items", traits.has_order, _check_items, bad)
    tol = q.get("tolerance")
    if tol is not None:
        if not traits.has_tolerance:
            bad("tolerance", f"only {_with('has_tolerance')} questions have a tolerance")
        elif not isinstance(tol, (int, float, str)) or not valid_tolerance(tol):
            bad("tolerance", "must be a non-negative number or a percentage like '5%'")
    _check_credit(q, qtype, bad)
    _check_feedback(q, qtype, bad)


def _check_list(q: dict, fld: str, has: bool, check, bad) -> None:
    value = q.get(fld)
    if has:
        check(value, bad)
    elif value not in (None, []):
        bad(fld, f"only {_with('has_pairs' if fld == 'pairs' else 'has_order')} questions have {fld}")


def _check_pairs(pairs, bad) -> None:
    """[left, right] pairs; ["", right] adds a right-hand item that matches nothing."""
    if not isinstance(pairs, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) and p[1].strip()
            for p in pairs):
        bad("pairs", f"must be a list of {PAIRS}, each [left, right] (strings; an empty left "
                     "makes the right an extra wrong item)")
        return
    lefts = [left for left, _ in pairs if left.strip()]
    if len(lefts) not in PAIRS:
        bad("pairs", f"needs {PAIRS}, has {len(lefts)}")
    elif not _distinct(lefts):
        bad("pairs", "the left-hand items must be distinct")
    elif len(pairs) - len(lefts) > PAIRS.high:
        bad("pairs", f"at most {PAIRS.high} extra right-hand items")


def _check_items(items, bad) -> None:
    if not _texts(items):
        bad("items", f"must be a list of {ITEMS} in the right order (non-empty strings)")
    elif len(items) not in ITEMS:
        bad("items", f"needs {ITEMS}, has {len(items)}")
    elif not _distinct(items):
        bad("items", "the items must be distinct")


def _check_credit(q: dict, qtype: QuestionType, bad) -> None:
    """Partial credit: for one-answer types, other answers worth a share in (0, 1); for
    multiple answer, a weight in [-1, 1] per option whose positive weights add up to 1."""
    credit = q.get("credit")
    if credit is None:
        return
    traits = qtype.traits
    if not (traits.per_answer or traits.answer_is_list) or traits.input is Input.TRUTH:
        bad("credit", f"{qtype.value} questions have no partial credit per answer")
        return
    if not isinstance(credit, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, (int, float)) and not isinstance(v, bool)
            for k, v in credit.items()):
        bad("credit", "must map answers to shares of the mark (numbers)")
        return
    choices = q.get("choices") if isinstance(q.get("choices"), list) else []
    if traits.has_choices and any(k not in choices for k in credit):
        bad("credit", "every key must be one of the choices")
    elif traits.answer_is_list:
        positive = sum(v for v in credit.values() if v > 0)
        right = sorted(k for k, v in credit.items() if v > 0)
        if any(not -1 <= v <= 1 for v in credit.values()):
            bad("credit", "each option's weight must be between -1 and 1")
        elif abs(positive - 1) > 0.01:
            bad("credit", f"the positive weights must add up to 1 (they add up to {positive:g})")
        elif isinstance(q.get("answer"), list) and right != sorted(q["answer"]):
            bad("credit", "the options with a positive weight must be the answer's options")
    elif any(not 0 < v < 1 for v in credit.values()):
        bad("credit", "each share must be between 0 and 1 (the answer itself is worth 1)")
    elif traits.has_tolerance and any(not _number_key(k) for k in credit):
        bad("credit", "each key must be a number, or a number:tolerance")


def _number_key(key: str) -> bool:
    value, _, tol = key.partition(":")
    return parse_number(value) is not None and (not tol or valid_tolerance(tol.strip()))


def _check_feedback(q: dict, qtype: QuestionType, bad) -> None:
    feedback = q.get("feedback")
    if feedback is None:
        return
    if not (qtype.traits.per_answer or qtype.traits.answer_is_list):
        bad("feedback", f"{qtype.value} questions have no feedback per answer")
    elif not isinstance(feedback, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str) for k, v in feedback.items()):
        bad("feedback", "must map answers (or '*' for any other) to text")


def _with(trait: str) -> str:
    return " or ".join(t.value for t in QuestionType if getattr(t.traits, trait))


def _check_common_fields(q: dict, bad) -> None:
    accept = q.get("accept", [])
    if not isinstance(accept, list) or not all(isinstance(a, str) for a in accept):
        bad("accept", "must be a list of strings")
    name = q.get("name", "")
    if not isinstance(name, str) or len(name) > MAX_NAME:
        bad("name", f"must be text of at most {MAX_NAME} characters")
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
