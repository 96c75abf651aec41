"""Multiple answer, matching and ordering: the bank format, validation, grading with
partial credit as Moodle computes it; partial credit and feedback per answer for the
one-answer types."""

from __future__ import annotations

import pytest

from studyapp.question import (
    AnswerFormatError,
    Question,
    QuestionType,
    grade,
    option_weights,
    validate_question,
)

MULTI = {"id": "m", "type": "multiple_answer", "prompt": "Which are primes?",
         "answer": ["2", "3"], "choices": ["2", "3", "4", "6"]}
MATCH = {"id": "p", "type": "matching", "prompt": "Match the acronym to its expansion.",
         "pairs": [["NASA", "National Aeronautics and Space Administration"],
                   ["ESA", "European Space Agency"], ["ISS", "International Space Station"]]}
ORDER = {"id": "o", "type": "ordering", "prompt": "Put these in order, earliest first.",
         "items": ["Sputnik 1", "Vostok 1", "Apollo 11", "ISS first module"]}


def problems(q):
    return validate_question(q, "b.json", 0)


@pytest.mark.parametrize("q", [MULTI, MATCH, ORDER])
def test_new_types_are_valid_and_round_trip(q):
    assert problems(q) == []
    data = Question.from_bank(q)
    bank = data.to_bank()
    assert {k: bank[k] for k in q} == q
    assert problems(bank) == []
    columns = data.to_columns()

    class Row:
        uid = q["id"]

    row = Row()
    for k, v in columns.items():
        setattr(row, k, v)
    assert Question.from_row(row) == data


def test_choice_questions_take_2_to_10_options():
    two = {"id": "c", "type": "multiple_choice", "prompt": "Is it?", "answer": "yes", "choices": ["yes", "no"]}
    assert problems(two) == []
    eleven = {**two, "choices": [str(i) for i in range(11)], "answer": "1"}
    assert problems(eleven) == ["b.json: question 'c', field 'choices': needs 2-10 options, has 11"]
    assert problems({**MULTI, "choices": ["2"], "answer": ["2"]}) == [
        "b.json: question 'm', field 'choices': needs 2-10 options, has 1"]


@pytest.mark.parametrize("change, field, words", [
    ({"answer": "2"}, "answer", "must be a list"),
    ({"answer": ["2", "5"]}, "answer", "each right option must be one of the choices"),
    ({"answer": []}, "answer", "must be a list"),
])
def test_multiple_answer_rules(change, field, words):
    [p] = problems({**MULTI, **change})
    assert f"field '{field}'" in p and words in p


@pytest.mark.parametrize("q, words", [
    ({**MATCH, "pairs": MATCH["pairs"][:2]}, "needs 3-8 pairs, has 2"),
    ({**MATCH, "pairs": [*MATCH["pairs"], ["NASA", "x"]]}, "left-hand items must be distinct"),
    ({**MATCH, "pairs": [["a", "b", "c"]] * 3}, "each [left, right]"),
    ({**MATCH, "answer": "NASA"}, "no answer field"),
    ({**ORDER, "items": ["a", "b"]}, "needs 3-6 items, has 2"),
    ({**ORDER, "items": ["a", "b", "c", "d", "e", "f", "g"]}, "needs 3-6 items, has 7"),
    ({**ORDER, "items": ["a", "b", "A"]}, "must be distinct"),
    ({**ORDER, "pairs": MATCH["pairs"]}, "only matching questions have pairs"),
    ({**MATCH, "items": ORDER["items"]}, "only ordering questions have items"),
])
def test_matching_and_ordering_rules(q, words):
    found = problems(q)
    assert any(words in p for p in found), found


def test_multiple_answer_partial_credit_as_moodle():
    # Right options +1/2 each, wrong ones -1/2 each; the total is clamped to 0..1.
    assert option_weights(Question.from_bank(MULTI)) == {"2": 0.5, "3": 0.5, "4": -0.5, "6": -0.5}
    full = grade(MULTI, ["3", "2"])
    assert full.correct and full.score == 1 and full.given == "2; 3" and full.expected == "2; 3"
    half = grade(MULTI, ["2"])
    assert not half.correct and half.score == 0.5 and half.partial and "50%" in half.message
    assert grade(MULTI, ["2", "4"]).score == 0
    assert grade(MULTI, ["2", "3", "4", "6"]).score == 0  # ticking everything earns nothing
    assert grade(MULTI, [0, 1]).correct  # options by index too
    with pytest.raises(AnswerFormatError):
        grade(MULTI, [])
    with pytest.raises(AnswerFormatError):
        grade(MULTI, ["7"])


def test_multiple_answer_keeps_the_teachers_own_weights():
    q = {**MULTI, "credit": {"2": 0.5, "3": 0.5, "4": -1, "6": 0}}
    assert problems(q) == []
    assert grade(q, ["2", "3", "6"]).correct  # a 0-weight option costs nothing
    assert grade(q, ["2", "4"]).score == 0
    [p] = problems({**MULTI, "credit": {"2": 0.5, "3": 0.25}})
    assert "add up to 1" in p


def test_matching_scores_the_share_of_items_matched():
    right = {left: r for left, r in MATCH["pairs"]}
    assert grade(MATCH, right).correct
    swapped = {**right, "NASA": "European Space Agency", "ESA": "National Aeronautics and Space Administration"}
    g = grade(MATCH, swapped)
    assert not g.correct and g.score == pytest.approx(1 / 3)
    assert grade(MATCH, [r for _, r in MATCH["pairs"]]).correct  # in the order of the left items
    assert grade(MATCH, MATCH["pairs"]).correct  # as [left, right] pairs
    with pytest.raises(AnswerFormatError, match="Match every item"):
        grade(MATCH, {"NASA": right["NASA"]})
    with pytest.raises(AnswerFormatError):
        grade(MATCH, [0, 1, 2])  # positions in the key are not an answer


def test_ordering_scores_each_item_followed_by_its_successor():
    items = ORDER["items"]
    assert grade(ORDER, items).correct
    # Moodle's default: each item but the last is right when followed by its successor.
    # The first item moved to the end keeps two of three successions (by absolute
    # position it would score nothing).
    g = grade(ORDER, [items[1], items[2], items[3], items[0]])
    assert g.score == pytest.approx(2 / 3) and g.partial
    assert grade(ORDER, [items[1], items[0], items[2], items[3]]).score == pytest.approx(1 / 3)
    assert grade(ORDER, list(reversed(items))).score == 0
    with pytest.raises(AnswerFormatError, match="each once"):
        grade(ORDER, items[:3])
    with pytest.raises(AnswerFormatError):
        grade(ORDER, [0, 1, 2, 3])


def test_students_never_see_the_key_order():
    for q in (MATCH, ORDER):
        data = Question.from_bank(q)
        shown = data.shown()
        assert shown == Question.from_bank(q).shown()  # the same each time
    assert Question.from_bank(MATCH).shown()["right"] != [r for _, r in MATCH["pairs"]]
    assert Question.from_bank(ORDER).shown()["items"] != ORDER["items"]
    assert sorted(Question.from_bank(ORDER).shown()["items"]) == sorted(ORDER["items"])


def test_partial_credit_and_feedback_for_one_answer_types():
    q = {"id": "s", "type": "short_answer", "prompt": "Which animal purrs?", "answer": "cat",
         "credit": {"kitten": 0.5}, "feedback": {"cat": "Yes.", "kitten": "A young one.", "*": "No."}}
    assert problems(q) == []
    assert grade(q, "Cat").feedback == "Yes."
    half = grade(q, "Kitten")
    assert half.score == 0.5 and not half.correct and half.feedback == "A young one."
    assert grade(q, "dog").feedback == "No." and grade(q, "dog").score == 0
    mc = {"id": "c", "type": "multiple_choice", "prompt": "?", "answer": "a", "choices": ["a", "b", "c"],
          "credit": {"b": 0.5}, "feedback": {"c": "Never."}}
    assert grade(mc, "b").score == 0.5 and grade(mc, "c").feedback == "Never."
    [p] = problems({**q, "credit": {"kitten": 1}})
    assert "between 0 and 1" in p
    [p] = problems({**MATCH, "feedback": {"NASA": "x"}})
    assert "no feedback per answer" in p


def test_changing_pairs_items_or_credit_changes_the_answer():
    for q, change in ((MATCH, {"pairs": [*MATCH["pairs"][:2], ["ISS", "Mir"]]}),
                      (ORDER, {"items": list(reversed(ORDER["items"]))}),
                      (MULTI, {"answer": ["2"]}),
                      (MULTI, {"credit": {"2": 0.5, "3": 0.5, "4": -1, "6": -1}})):
        assert Question.from_bank({**q, **change}).answer_changed(Question.from_bank(q))
    assert not Question.from_bank({**MATCH, "prompt": "Pair them."}).answer_changed(Question.from_bank(MATCH))


def test_every_type_says_what_is_answered_with():
    assert QuestionType.MULTIPLE_ANSWER.traits.has_choices and QuestionType.MULTIPLE_ANSWER.traits.answer_is_list
    assert QuestionType.MATCHING.traits.has_pairs and not QuestionType.MATCHING.traits.has_answer
    assert QuestionType.ORDERING.traits.has_order and QuestionType.ORDERING.traits.in_quizzes
