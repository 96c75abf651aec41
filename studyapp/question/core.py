"""One question, whatever it came from: a bank file, an import, a form or a database row.

Conversions live here and nowhere else: ``from_bank`` / ``to_bank`` for the
``studyapp-bank/1`` shape, ``from_row`` / ``to_columns`` for the database;
``answer_changed`` says when an edit changes what is graded right, and ``grade`` grades.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .graders.arranged import distinct, render_order, render_pairs
from .graders.common import (
    DEFAULT_CONTEXT,
    AnswerFormatError,
    Context,
    Grade,
    QuestionError,
    as_text,
)
from .graders.text import normalise_text
from .types import FactKind, Input, QuestionType, Traits

# What decides whether an answer is right: a change to any of these is "the answer changed".
ANSWER_FIELDS = ("type", "answer", "accept", "choices", "tolerance", "pairs", "items", "credit")
ANY_OTHER = "*"  # a `feedback` key: what to tell any answer the other keys do not name


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
    # As stored: true/false as "true"/"false", numbers as written; for multiple answer the
    # tuple of right options; "" for matching and ordering, whose pairs / items are the key.
    answer: str | tuple[str, ...]
    uid: str = ""  # the bank's stable id
    accept: tuple[str, ...] = ()
    choices: tuple[str, ...] | None = None
    tolerance: str | None = None
    # Matching: (left, right) as they belong; ("", right) offers an extra wrong right-hand item.
    pairs: tuple[tuple[str, str], ...] | None = None
    items: tuple[str, ...] | None = None  # ordering: in the right order
    # Partial credit, answer → share of the mark: other answers worth some credit (typed,
    # one option), or each option's weight in a multiple-answer question (may be negative).
    credit: Mapping[str, float] | None = None
    feedback: Mapping[str, str] | None = None  # answer (or "*": any other) → what to tell
    name: str = ""  # the teacher's own name for it (Moodle's <name>, GIFT's ::title::)
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
        answer = q.get("answer")
        pairs, items = q.get("pairs"), q.get("items")
        if qtype.traits.answer_is_list and isinstance(answer, list) and isinstance(choices, list) \
                and all(a in choices for a in answer):
            answer = sorted(answer, key=choices.index)  # the right options in the options' order
        return cls(
            type=qtype, uid=str(q.get("id") or ""), prompt=str(q.get("prompt") or "").strip(),
            answer=_strings(answer) if qtype.traits.answer_is_list else
            ("" if not qtype.traits.has_answer else as_text(answer)),
            accept=_strings(q.get("accept")),
            choices=_strings(choices) if choices else None,
            tolerance=None if tol is None else as_text(tol),
            pairs=tuple((str(a), str(b)) for a, b in pairs) if pairs else None,
            items=_strings(items) if items else None,
            credit=_mapping(q.get("credit"), float), feedback=_mapping(q.get("feedback"), str),
            name=str(q.get("name") or "").strip(), explanation=explanation,
            fact_kind=FactKind(q.get("fact_kind") or "other"), topic=q.get("topic") or "",
            tags=_strings(q.get("tags")), source=q.get("source"),
            sibling=q.get("sibling") or sibling_from_explanation(explanation))

    def to_bank(self) -> dict:
        """The `studyapp-bank/1` question dict (true/false answers as JSON booleans,
        several right options as a list; fields a type does not have are left out)."""
        traits = self.traits
        out = {"id": self.uid, "type": self.type.value, "prompt": self.prompt}
        if traits.answer_is_list:
            out["answer"] = list(self.answer)
        elif traits.input is Input.TRUTH:
            out["answer"] = self.answer == "true"
        elif traits.has_answer:
            out["answer"] = self.answer
        out["accept"] = list(self.accept)
        if traits.has_choices:
            out["choices"] = list(self.choices or ())
        if traits.has_tolerance:
            out["tolerance"] = self.tolerance
        if traits.has_pairs:
            out["pairs"] = [list(p) for p in self.pairs or ()]
        if traits.has_order:
            out["items"] = list(self.items or ())
        if self.credit:
            out["credit"] = dict(self.credit)
        if self.feedback:
            out["feedback"] = dict(self.feedback)
        if self.name:
            out["name"] = self.name
        out.update({"explanation": self.explanation, "fact_kind": self.fact_kind.value,
                    "topic": self.topic, "tags": list(self.tags), "source": self.source})
        if self.sibling:
            out["sibling"] = self.sibling
        return out

    @classmethod
    def from_row(cls, row) -> Question:
        """A `models.Question` row (or anything with its attributes) → Question."""
        qtype = QuestionType(row.type)
        # Several right options are kept in the answer column as a JSON list.
        answer = tuple(json.loads(row.answer)) if qtype.traits.answer_is_list else row.answer
        return cls(type=qtype, uid=row.uid, prompt=row.prompt, answer=answer,
                   accept=tuple(row.accept or ()),
                   choices=tuple(row.choices) if row.choices else None,
                   tolerance=row.tolerance,
                   pairs=tuple((a, b) for a, b in row.pairs) if row.pairs else None,
                   items=tuple(row.items) if row.items else None,
                   credit=row.credit or None, feedback=row.feedback or None, name=row.name or "",
                   explanation=row.explanation or "",
                   fact_kind=FactKind(row.fact_kind or "other"), topic=row.topic or "",
                   tags=tuple(row.tags or ()), source=row.source, sibling=row.sibling)

    def to_columns(self) -> dict:
        """Column values for a `models.Question` row (all but its id, uid, set and position)."""
        answer = (json.dumps(list(self.answer), ensure_ascii=False) if self.traits.answer_is_list
                  else self.answer)
        return {"type": self.type.value, "prompt": self.prompt, "answer": answer,
                "accept": list(self.accept), "choices": list(self.choices) if self.choices else None,
                "tolerance": self.tolerance,
                "pairs": [list(p) for p in self.pairs] if self.pairs else None,
                "items": list(self.items) if self.items else None,
                "credit": dict(self.credit) if self.credit else None,
                "feedback": dict(self.feedback) if self.feedback else None,
                "name": self.name or None, "explanation": self.explanation,
                "fact_kind": self.fact_kind.value, "topic": self.topic, "tags": list(self.tags),
                "source": self.source, "sibling": self.sibling}

    def answer_text(self) -> str:
        """The key as one line a student or teacher reads."""
        if self.traits.has_pairs:
            return render_pairs(self.pairs or ())
        if self.traits.has_order:
            return render_order(self.items or ())
        if self.traits.answer_is_list:
            return "; ".join(self.answer)
        if self.traits.input is Input.TRUTH:
            return "True" if self.answer == "true" else "False"
        return self.answer

    def key(self):
        """The key in the shape a student's answer takes (the review screen marks it)."""
        if self.traits.has_pairs:
            return [list(p) for p in self.pairs or ()]
        if self.traits.has_order:
            return list(self.items or ())
        if self.traits.answer_is_list:
            return list(self.answer)
        return self.answer

    def shown(self) -> dict:
        """What a student is offered to answer with, never in the order of the key:
        choices as written; matching's right-hand items and ordering's items shuffled, the
        same way each time for one question (a reload shows the same), never unshuffled."""
        if self.traits.has_choices:
            return {"choices": list(self.choices or ())}
        if self.traits.has_pairs:
            pairs = self.pairs or ()
            return {"left": [a for a, _ in pairs if a], "right": _shuffled(distinct(b for _, b in pairs), self.uid)}
        if self.traits.has_order:
            return {"items": _shuffled(list(self.items or ()), self.uid)}
        return {}

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


def _shuffled(values: list[str], seed: str) -> list[str]:
    out = list(values)
    random.Random(seed or "|".join(values)).shuffle(out)
    if out == values and len(values) > 1:
        out = out[1:] + out[:1]
    return out


def _mapping(value, kind) -> dict | None:
    return {str(k): kind(v) for k, v in value.items()} if isinstance(value, Mapping) and value else None


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
    g = question.traits.grader(question, answer, context)
    if question.traits.per_answer and (question.credit or question.feedback):
        g = _per_answer(question, answer, g, context)
    elif question.feedback and question.traits.answer_is_list:
        chosen = g.given.split("; ")
        g = replace(g, feedback=" ".join(question.feedback[o] for o in question.choices or ()
                                         if o in chosen and question.feedback.get(o)))
    return g


def _matches(question: Question, key: str, answer, context: Context) -> bool:
    """Whether `answer` is graded as `key` would be if `key` were the answer: the same
    forgiveness (case, dates, numbers, an option's index) as for the answer itself."""
    if key == ANY_OTHER:
        return False
    tolerance = question.tolerance
    if question.traits.has_tolerance and ":" in key:  # a number with its own tolerance
        key, tolerance = (part.strip() for part in key.split(":", 1))
    try:
        return question.traits.grader(replace(question, answer=key, accept=(), credit=None,
                                              tolerance=tolerance), answer, context).correct
    except (AnswerFormatError, QuestionError):
        return False


def _per_answer(question: Question, answer, g: Grade, context: Context) -> Grade:
    """Partial credit for an answer the teacher gave some (Moodle's 50% answers), and the
    teacher's feedback on this particular answer."""
    if not g.correct:
        best = max((share for key, share in (question.credit or {}).items()
                    if 0 < share < 1 and _matches(question, key, answer, context)), default=0.0)
        if best:
            g = replace(g, score=best, near=False, message=f"Partly right ({best:.0%})")
    feedback = question.feedback or {}
    said = ""
    if g.correct and question.answer in feedback:
        said = feedback[question.answer]
    if not said:
        said = next((text for key, text in feedback.items() if _matches(question, key, answer, context)), "")
    return replace(g, feedback=said or feedback.get(ANY_OTHER, ""))
