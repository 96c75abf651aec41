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
    correct: bool  # graded right
    near: bool  # "nearly right": a misspelt name 1-2 letters off; correct is False then
    expected: str  # the canonical answer as shown to the student
    given: str  # what the student gave, as received (stripped)
    message: str  # a one-line summary for API and CLI readers ("Correct", "Incorrect", ...)
    # What the verdict and the expected answer do not already say ("wrong currency: the
    # answer is in US dollars"); empty when they say it all. The screens show only this.
    note: str = ""


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


def self_rated(question, given: object, context: Context = DEFAULT_CONTEXT) -> Grade:
    """Flashcards: the student reveals the back and rates themselves; nothing to grade."""
    raise AnswerFormatError("flashcards are self-rated")
