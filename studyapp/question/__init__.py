"""What a question is, pure Python at the bottom of the import graph (no Flask, no database).

- types.py: question types and kinds of fact as enums with their traits (the registry);
- core.py: the `Question` dataclass and its conversions, "the answer changed", `grade`;
- validation.py: the `studyapp-bank/1` format and its rules;
- graders/: grading by way of answering: text, numbers, dates, choices.
"""

from . import limits
from .core import (
    ANSWER_FIELDS,
    ANY_OTHER,
    Question,
    grade,
    sibling_from_explanation,
    source_worth_showing,
)
from .graders.choices import option_weights
from .graders.common import AnswerFormatError, Context, DateOrder, Grade, QuestionError
from .graders.dates import parse_date
from .graders.numbers import parse_number, parse_quantity, valid_tolerance
from .graders.text import normalise_text
from .types import KINDS, QUIZ_TYPES, TYPES, FactKind, Input, QuestionType, Traits
from .validation import FORMAT, MAX_ID, problem, validate_bank, validate_question

__all__ = [
    "ANSWER_FIELDS", "ANY_OTHER", "limits", "option_weights", "FORMAT", "KINDS", "MAX_ID", "QUIZ_TYPES", "TYPES",
    "AnswerFormatError", "Context", "DateOrder", "FactKind", "Grade", "Input", "Question", "QuestionError",
    "QuestionType", "Traits",
    "grade", "normalise_text", "parse_date", "parse_number", "parse_quantity", "problem",
    "sibling_from_explanation", "source_worth_showing", "valid_tolerance", "validate_bank", "validate_question",
]
