"""Answers picked from what the question offers: one of its choices, or true/false."""

from __future__ import annotations

import re

from .common import (
    DEFAULT_CONTEXT,
    AnswerFormatError,
    Context,
    Grade,
    QuestionError,
    as_text,
    quoted,
    result,
)
from .text import normalise_text

_TRUE = frozenset({"true", "t", "yes", "1"})
_FALSE = frozenset({"false", "f", "no", "0"})


def truth(value: object) -> bool | None:
    """True/False from a bool, 0/1 or a word ("true", "f", "yes"); None if it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        v = value.strip().casefold()
        if v in _TRUE:
            return True
        if v in _FALSE:
            return False
    return None


def grade_true_false(question, given: object, context: Context = DEFAULT_CONTEXT) -> Grade:
    expected = truth(question.answer)
    if expected is None:
        raise QuestionError(f"true_false answer must be true or false, not {question.answer!r}")
    text = as_text(given)
    if not text:
        raise AnswerFormatError("Choose true or false")
    value = truth(given)
    if value is None:
        raise AnswerFormatError(f"{quoted(text)} is not true or false")
    return result(value == expected, "True" if expected else "False", text)


def grade_multiple_choice(question, given: object, context: Context = DEFAULT_CONTEXT) -> Grade:
    options = [as_text(c) for c in question.choices or []]
    if not options:
        raise QuestionError("multiple_choice question has no choices")
    answer = as_text(question.answer)
    if answer not in options:
        raise QuestionError(f"answer {quoted(answer)} is not among the choices")
    if isinstance(given, bool):
        raise AnswerFormatError("Choose one of the options")
    text = as_text(given)
    if not text:
        raise AnswerFormatError("Choose one of the options")
    chosen: str | None = None
    if text in options and not isinstance(given, int):
        chosen = text  # the option's text wins over reading "1" as an index
    elif isinstance(given, int) or re.fullmatch(r"\d{1,3}", text):
        index = int(text)
        if index >= len(options):
            raise AnswerFormatError(f"there is no option {index}: choose 0 to {len(options) - 1}")
        chosen = options[index]
    else:  # forgive case and spacing when that identifies exactly one option
        matches = [o for o in options if normalise_text(o) == normalise_text(text)]
        if len(matches) == 1:
            chosen = matches[0]
    if chosen is None:
        raise AnswerFormatError(f"{quoted(text)} is not one of the options")
    return result(chosen == answer, answer, text)
