"""Question types and kinds of fact, each with its traits: the one registry of types.

Adding a type means one line here (its value, label, grader and traits), a form in
teach/forms.py and a template partial in templates/question/ (and, for a new way of
answering, a widget in static/widgets.js). Everything else (bank validation, the list
sizes in limits.py, import/export, quizzes, the review screen's payload, the API
description) works from these traits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from .graders import arranged, choices, common, quantities, text


class Input(StrEnum):
    """What the student answers with; the review screen and quiz pages draw it."""

    TEXT = "text"  # a typed answer
    NUMBER = "number"  # a typed number
    CHOICE = "choice"  # one of the question's choices
    CHOICES = "choices"  # every right one of the question's choices ("choose all that apply")
    MATCH = "match"  # a right-hand item for each left-hand item
    ORDER = "order"  # the items put in order
    TRUTH = "truth"  # true or false
    REVEAL = "reveal"  # nothing: the back is revealed and the student rates themselves


@dataclass(frozen=True)
class Traits:
    label: str
    grader: Callable  # (question, answer, context) -> Grade
    input: Input = Input.TEXT
    has_choices: bool = False
    has_tolerance: bool = False
    has_pairs: bool = False
    has_order: bool = False
    needs_blank: bool = False  # the prompt holds a blank written ____
    answer_is_list: bool = False  # `answer` is a list (every right option), not one text

    @property
    def has_answer(self) -> bool:
        """Whether `answer` holds the key; pairs and items are their own key."""
        return not (self.has_pairs or self.has_order)

    @property
    def per_answer(self) -> bool:
        """Whether one given answer can be looked up (in `credit` and `feedback`): a typed
        text or number, one option, true or false. Not for several options, pairs or orders."""
        return self.input in (Input.TEXT, Input.NUMBER, Input.CHOICE, Input.TRUTH)

    @property
    def self_rated(self) -> bool:
        """Nothing to grade: the student reveals the answer and rates their own recall."""
        return self.input is Input.REVEAL

    @property
    def in_quizzes(self) -> bool:
        """Self-rated types have no place in a graded quiz."""
        return not self.self_rated


class QuestionType(StrEnum):
    traits: Traits

    def __new__(cls, value: str, traits: Traits):
        member = str.__new__(cls, value)
        member._value_ = value
        member.traits = traits
        return member

    MULTIPLE_CHOICE = "multiple_choice", Traits("Multiple choice", choices.grade_multiple_choice, Input.CHOICE, has_choices=True)
    TRUE_FALSE = "true_false", Traits("True / false", choices.grade_true_false, Input.TRUTH)
    SHORT_ANSWER = "short_answer", Traits("Short answer", text.grade_text)
    NUMERIC = "numeric", Traits("Numeric", quantities.grade_numeric, Input.NUMBER, has_tolerance=True)
    CLOZE = "cloze", Traits("Cloze (fill the blank)", text.grade_text, needs_blank=True)
    FLASHCARD = "flashcard", Traits("Flashcard", common.self_rated, Input.REVEAL)
    MULTIPLE_ANSWER = "multiple_answer", Traits("Multiple answer (choose all that apply)", choices.grade_multiple_answer, Input.CHOICES, has_choices=True, answer_is_list=True)
    MATCHING = "matching", Traits("Matching", arranged.grade_matching, Input.MATCH, has_pairs=True)
    ORDERING = "ordering", Traits("Ordering", arranged.grade_ordering, Input.ORDER, has_order=True)

    @property
    def label(self) -> str:
        return self.traits.label


class FactKind(StrEnum):
    """What a question's answer is: for filtering and per-kind statistics."""

    DATE = "date"
    PERSON = "person"
    PROGRAMME = "programme"
    FIGURE = "figure"
    PLACE = "place"
    ORGANISATION = "organisation"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.title()


TYPES: tuple[str, ...] = tuple(t.value for t in QuestionType)
KINDS: tuple[str, ...] = tuple(k.value for k in FactKind)
QUIZ_TYPES: tuple[str, ...] = tuple(t.value for t in QuestionType if t.traits.in_quizzes)
