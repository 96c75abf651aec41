"""Answers picked from what the question offers: one of its choices, or true/false."""

from __future__ import annotations

import re

from .common import (
    DEFAULT_CONTEXT,
    AnswerFormatError,
    Context,
    Grade,
    QuestionError,
    as_list,
    as_text,
    quoted,
    result,
    scored,
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


def _options(question) -> list[str]:
    options = [as_text(c) for c in question.choices or []]
    if not options:
        raise QuestionError(f"{question.type} question has no choices")
    return options


def pick_option(options: list[str], given: object, by_index: bool = True) -> str:
    """The option a student chose: its text, its 0-based index (when `by_index`: not for
    items shown shuffled, whose stored order is the key), or its text with other case and
    spacing when that identifies exactly one option."""
    if isinstance(given, bool) or (isinstance(given, int) and not by_index):
        raise AnswerFormatError("Choose one of the options")
    text = as_text(given)
    if not text:
        raise AnswerFormatError("Choose one of the options")
    if text in options and not isinstance(given, int):
        return text  # the option's text wins over reading "1" as an index
    if by_index and (isinstance(given, int) or re.fullmatch(r"\d{1,3}", text)):
        index = int(text)
        if index >= len(options):
            raise AnswerFormatError(f"there is no option {index}: choose 0 to {len(options) - 1}")
        return options[index]
    matches = [o for o in options if normalise_text(o) == normalise_text(text)]
    if len(matches) == 1:
        return matches[0]
    raise AnswerFormatError(f"{quoted(text)} is not one of the options")


def grade_multiple_choice(question, given: object, context: Context = DEFAULT_CONTEXT) -> Grade:
    options = _options(question)
    answer = as_text(question.answer)
    if answer not in options:
        raise QuestionError(f"answer {quoted(answer)} is not among the choices")
    chosen = pick_option(options, given)
    # `accept` names other options that are fully right too (Moodle allows several at 100%).
    return result(chosen == answer or chosen in question.accept, answer, as_text(given))


def option_weights(question) -> dict[str, float]:
    """Each option's share of the mark in a multiple-answer question, as Moodle's
    "multiple answers allowed" computes it: the question's own `credit` when it has one,
    otherwise the right options share the mark (+1/k each) and the wrong ones take it
    back (-1/(n-k) each), so ticking every option scores 0."""
    options = _options(question)
    right = set(question.answer)
    if question.credit:
        return {o: float(question.credit.get(o, 0.0)) for o in options}
    wrong = len(options) - len(right)
    return {o: (1 / len(right)) if o in right else (-1 / wrong if wrong else 0.0) for o in options}


def grade_multiple_answer(question, given: object, context: Context = DEFAULT_CONTEXT) -> Grade:
    """Several options ticked: the sum of their weights, clamped to 0-1 (Moodle's rule)."""
    options = _options(question)
    right = [as_text(a) for a in question.answer or ()]
    if not right or any(a not in options for a in right):
        raise QuestionError("the right options must be among the choices")
    chosen = []
    for g in as_list(given, "Tick at least one option"):
        option = pick_option(options, g)
        if option not in chosen:
            chosen.append(option)
    weights = option_weights(question)
    chosen.sort(key=options.index)
    expected = "; ".join(o for o in options if o in right)
    return scored(sum(weights[o] for o in chosen), expected, "; ".join(chosen))
