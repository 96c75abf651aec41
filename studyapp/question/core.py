"""One question, whatever it came from: a bank file, an import, a form or a database row.

Conversions live here and nowhere else: ``from_bank`` / ``to_bank`` for the
``studyapp-bank/1`` shape, ``from_row`` / ``to_columns`` for the database;
``answer_changed`` says when an edit changes what is graded right, and ``grade`` grades.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from .graders.common import DEFAULT_CONTEXT, Context, Grade, QuestionError, as_text
from .graders.text import normalise_text
from .types import FactKind, Input, QuestionType, Traits

# What decides whether an answer is right: a change to any of these is "the answer changed".
ANSWER_FIELDS = ("type", "answer", "accept", "choices", "tolerance")


def sibling_from_explanation(explanation: str) -> str | None:
    """The sibling group of a question that names none: questions explained by the same
    source sentence (its cloze, its flashcard...) belong together. This was the rule
    before banks carried a `sibling` field; the migration that added the column uses it."""
    if not explanation:
        return None
    return "x" + hashlib.sha1(explanation.encode("utf-8")).hexdigest()[:15]


@dataclass(frozen=True)
class Question:
    type: QuestionType
    prompt: str
    answer: str  # as stored: true/false as "true"/"false", numbers as written
    uid: str = ""  # the bank's stable id
    accept: tuple[str, ...] = ()
    choices: tuple[str, ...] | None = None
    tolerance: str | None = None
    explanation: str = ""
    fact_kind: FactKind = FactKind.OTHER
    topic: str = ""
    tags: tuple[str, ...] = ()
    source: dict | None = None
    sibling: str | None = None  # questions made from the same fact share it

    @property
    def traits(self) -> Traits:
        return self.type.traits

    @classmethod
    def from_bank(cls, q: Mapping) -> Question:
        """A bank question dict (validated, or as loose as a grading test's) → Question.
        A question without a sibling group gets the one its explanation implies."""
        try:
            qtype = QuestionType(q.get("type"))
        except ValueError:
            raise QuestionError(f"unknown question type {q.get('type')!r}") from None
        tol, choices = q.get("tolerance"), q.get("choices")
        explanation = q.get("explanation") or ""
        return cls(
            type=qtype, uid=str(q.get("id") or ""), prompt=str(q.get("prompt") or "").strip(),
            answer=as_text(q.get("answer")), accept=_strings(q.get("accept")),
            choices=_strings(choices) if choices else None,
            tolerance=None if tol is None else as_text(tol), explanation=explanation,
            fact_kind=FactKind(q.get("fact_kind") or "other"), topic=q.get("topic") or "",
            tags=_strings(q.get("tags")), source=q.get("source"),
            sibling=q.get("sibling") or sibling_from_explanation(explanation))

    def to_bank(self) -> dict:
        """The `studyapp-bank/1` question dict (true/false answers as JSON booleans)."""
        truth = self.traits.input is Input.TRUTH
        out = {"id": self.uid, "type": self.type.value, "prompt": self.prompt,
               "answer": (self.answer == "true") if truth else self.answer,
               "accept": list(self.accept)}
        if self.traits.has_choices:
            out["choices"] = list(self.choices or ())
        if self.traits.has_tolerance:
            out["tolerance"] = self.tolerance
        out.update({"explanation": self.explanation, "fact_kind": self.fact_kind.value,
                    "topic": self.topic, "tags": list(self.tags), "source": self.source})
        if self.sibling:
            out["sibling"] = self.sibling
        return out

    @classmethod
    def from_row(cls, row) -> Question:
        """A `models.Question` row (or anything with its attributes) → Question."""
        return cls(type=QuestionType(row.type), uid=row.uid, prompt=row.prompt, answer=row.answer,
                   accept=tuple(row.accept or ()),
                   choices=tuple(row.choices) if row.choices else None,
                   tolerance=row.tolerance, explanation=row.explanation or "",
                   fact_kind=FactKind(row.fact_kind or "other"), topic=row.topic or "",
                   tags=tuple(row.tags or ()), source=row.source, sibling=row.sibling)

    def to_columns(self) -> dict:
        """Column values for a `models.Question` row (all but its id, uid, set and position)."""
        return {"type": self.type.value, "prompt": self.prompt, "answer": self.answer,
                "accept": list(self.accept), "choices": list(self.choices) if self.choices else None,
                "tolerance": self.tolerance, "explanation": self.explanation,
                "fact_kind": self.fact_kind.value, "topic": self.topic, "tags": list(self.tags),
                "source": self.source, "sibling": self.sibling}

    def answer_changed(self, before: Question) -> bool:
        """Whether what is graded right differs from `before` (students are then told)."""
        return any(getattr(self, f) != getattr(before, f) for f in ANSWER_FIELDS)


def source_worth_showing(explanation: str, source: dict | None) -> str | None:
    """The source sentence, when it says more than the explanation shown beside it; None
    when it is the same text (generated banks explain with the source sentence itself), so
    feedback never shows one sentence twice."""
    quote = ((source or {}).get("quote") or "").strip()
    if not quote:
        return None
    said = normalise_text(explanation or "")
    return None if said and normalise_text(quote) in said else quote


def _strings(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def grade(question: Question | Mapping, answer, context: Context = DEFAULT_CONTEXT) -> Grade:
    """Grade `answer` against `question` with its type's grader; `context` says how this
    student writes (the order of an all-numeric date).

    Raises AnswerFormatError (the student's answer is malformed: show the message) or
    QuestionError (the question is malformed)."""
    if not isinstance(question, Question):
        question = Question.from_bank(question)
    return question.traits.grader(question, answer, context)
