"""What every grader shares: the result, the reader's context, the two errors, and reading
an answer as text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DateOrder(StrEnum):
    """How a student writes an all-numeric date: 02/07/1992 is 2 July in DMY, 7 February
    in MDY. Taken from the browser's language and changeable in the settings."""

    DMY = "DMY"
    MDY = "MDY"
    YMD = "YMD"


@dataclass(frozen=True)
class Context:
    """What the grader needs to know about the student to read their answer."""

    date_order: DateOrder = DateOrder.DMY


DEFAULT_CONTEXT = Context()


@dataclass(frozen=True)
class Grade:
    correct: bool  # graded right (full marks)
    near: bool  # "nearly right": a misspelt name 1-2 letters off; correct is False then
    expected: str  # the canonical answer as shown to the student
    given: str  # what the student gave, as received (stripped)
    message: str  # a one-line summary for API and CLI readers ("Correct", "Incorrect", ...)
    # What the verdict and the expected answer do not already say ("wrong currency: the
    # answer is in US dollars"); empty when they say it all. The screens show only this.
    note: str = ""
    score: float | None = None  # share of the mark, 0-1 (partial credit); None: 1 if correct else 0
    feedback: str = ""  # the teacher's feedback on this particular answer, if any

    def __post_init__(self):
        if self.score is None:
            object.__setattr__(self, "score", 1.0 if self.correct else 0.0)

    @property
    def partial(self) -> bool:
        """Some credit, not full marks."""
        return not self.correct and self.score > 0


class AnswerFormatError(ValueError):
    """The student's answer is malformed for this question type; the message says why.
    Shown to the student; nothing is recorded."""


class QuestionError(ValueError):
    """The question itself is malformed (a bank or authoring error, not the student's)."""


def as_text(value: object) -> str:
    """An answer as text: booleans as true/false, whole floats without ".0", stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value).strip()


def quoted(s: str) -> str:
    return f"“{s}”"


def given_text(given: object) -> str:
    text = as_text(given)
    if not text:
        raise AnswerFormatError("Type an answer")
    return text


def result(correct: bool, expected: str, given: str, message: str | None = None,
           note: str = "") -> Grade:
    return Grade(correct=correct, near=False, expected=expected, given=given,
                 message=message or ("Correct" if correct else "Incorrect"), note=note)


def wrong(expected: str, given: str, note: str) -> Grade:
    """Graded wrong, with a note saying why beyond "not the answer"."""
    return result(False, expected, given, f"Incorrect: {note}", note)


def scored(score: float, expected: str, given: str) -> Grade:
    """A grade worth `score` of the mark (clamped to 0-1): full marks are correct."""
    score = min(1.0, max(0.0, score))
    if score >= FULL_MARKS:
        return result(True, expected, given)
    message = f"Partly right ({score:.0%})" if score > 0 else "Incorrect"
    return Grade(correct=False, near=False, expected=expected, given=given, message=message,
                 score=score)


FULL_MARKS = 1 - 1e-6  # shares that add up in floating point (1/3 * 3) still count as full


def as_list(value: object, missing: str) -> list:
    """A student's answer that is a list (several options, an order); one text or number
    is a list of one. `missing` is the message for an empty answer."""
    if isinstance(value, (list, tuple)):
        items = [v for v in value if as_text(v)]
    elif isinstance(value, (str, int)) and not isinstance(value, bool):
        items = [value] if as_text(value) else []
    else:
        raise AnswerFormatError(missing)
    if not items:
        raise AnswerFormatError(missing)
    return items


def self_rated(question, given: object, context: Context = DEFAULT_CONTEXT) -> Grade:
    """Flashcards: the student reveals the back and rates themselves; nothing to grade."""
    raise AnswerFormatError("flashcards are self-rated")
