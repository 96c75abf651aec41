"""studyapp.question: pure (no Flask, no database), one dataclass, one "answer changed" rule."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import studyapp.qgen
import studyapp.question
from studyapp.question import (
    FORMAT,
    TYPES,
    FactKind,
    Question,
    QuestionType,
    validate_bank,
    validate_question,
)

FORBIDDEN = ("flask", "flask_sqlalchemy", "sqlalchemy", "flask_login", "flask_wtf", "wtforms")


def _modules(package) -> list[str]:
    return [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]


def test_question_and_qgen_import_neither_flask_nor_the_database():
    modules = ["studyapp.question", "studyapp.qgen", *_modules(studyapp.question),
               *_modules(studyapp.qgen)]
    code = ("import importlib, json, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
    assert "studyapp.question.graders.numbers" in modules and "studyapp.qgen.generate" in modules


def test_every_type_has_a_label_and_a_grader():
    assert tuple(t.value for t in QuestionType) == TYPES
    for qtype in QuestionType:
        assert qtype.label and callable(qtype.traits.grader)
    assert not QuestionType.FLASHCARD.traits.in_quizzes
    assert QuestionType.MULTIPLE_CHOICE.traits.has_choices
    assert QuestionType.NUMERIC.traits.has_tolerance


BANK_Q = {"id": "q1", "type": "true_false", "prompt": " Seoul is the capital. ", "answer": True,
          "accept": [], "explanation": "Seoul is the capital of Korea.", "fact_kind": "place",
          "topic": "Korea", "tags": ["capital"], "source": {"id": "s1", "quote": "Seoul..."},
          "sibling": "fact-7"}


def test_bank_dict_row_columns_round_trip():
    q = Question.from_bank(BANK_Q)
    assert q.type is QuestionType.TRUE_FALSE and q.answer == "true" and q.prompt == "Seoul is the capital."
    assert q.fact_kind is FactKind.PLACE and q.sibling == "fact-7"
    assert q.to_bank() == {**BANK_Q, "prompt": "Seoul is the capital."}
    columns = q.to_columns()
    assert columns["type"] == "true_false" and columns["sibling"] == "fact-7"

    class Row:  # what a database row offers
        uid = "q1"

    row = Row()
    for k, v in columns.items():
        setattr(row, k, v)
    assert Question.from_row(row) == q


def test_a_question_without_sibling_is_grouped_by_its_explanation():
    a = Question.from_bank({**BANK_Q, "sibling": None})
    b = Question.from_bank({**BANK_Q, "id": "q2", "type": "short_answer", "answer": "Seoul",
                            "sibling": None})
    assert a.sibling and a.sibling == b.sibling
    assert Question.from_bank({**BANK_Q, "sibling": None, "explanation": ""}).sibling is None


@pytest.mark.parametrize("change, changed", [
    ({"answer": False}, True), ({"accept": ["yes"]}, True), ({"type": "short_answer", "answer": "true"}, True),
    ({"prompt": "Seoul is the capital city."}, False), ({"explanation": "Other."}, False),
])
def test_answer_changed_is_about_what_is_graded_right(change, changed):
    before = Question.from_bank(BANK_Q)
    assert Question.from_bank({**BANK_Q, **change}).answer_changed(before) is changed


def test_numeric_tolerance_change_is_an_answer_change():
    q = {"id": "n", "type": "numeric", "prompt": "How many?", "answer": "12", "tolerance": "1"}
    assert Question.from_bank({**q, "tolerance": "2"}).answer_changed(Question.from_bank(q))


def test_sibling_field_is_optional_and_checked():
    good = {k: v for k, v in BANK_Q.items() if k != "sibling"}
    assert validate_question(good, "b.json", 0) == []
    assert validate_question(BANK_Q, "b.json", 0) == []
    for bad in (3, "", "x" * 81):
        [p] = validate_question({**BANK_Q, "sibling": bad}, "b.json", 0)
        assert p.startswith("b.json: question 'q1', field 'sibling':")


def test_bank_format_is_checked():
    assert validate_bank({"format": FORMAT, "title": "T", "questions": [BANK_Q]}, "b") == []
    [p] = validate_bank({"format": "other/1", "title": "T", "questions": []}, "b")
    assert "field 'format'" in p and FORMAT in p
