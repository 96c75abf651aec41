"""Unit tests for studyapp.question's graders: pure answer normalisation and checking."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from studyapp.question import (
    AnswerFormatError,
    Grade,
    QuestionError,
    grade,
    normalise_text,
    parse_date,
    parse_number,
    parse_quantity,
)

PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def short(answer, accept=(), qtype="short_answer"):
    return {"type": qtype, "answer": answer, "accept": list(accept)}


def numeric(answer, tolerance=None):
    return {"type": "numeric", "answer": answer, "tolerance": tolerance}


MC = {
    "type": "multiple_choice",
    "answer": "Kazakhstan",
    "choices": ["Uzbekistan", "Kazakhstan", "Kyrgyzstan", "Tajikistan"],
}


# ---------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  The “Nazarbáyev”   Era! ", "nazarbayev era"),
        ("Ban Ki-moon", "ban ki moon"),
        ("Nursultan NAZARBAYEV.", "nursultan nazarbayev"),
        ("an apple", "apple"),
        ("A", "a"),  # an article that is the whole answer stays
        ("the the end", "end"),
        ("Łódź", "lodz"),
        ("Ærøskøbing", "aeroskobing"),
        ("O’Brien's", "obriens"),
        ("Research & Development", "research and development"),
        ("Straße", "strasse"),
        ("ＫＯＩＣＡ", "koica"),
        ("", ""),
        ("?!", ""),
    ],
)
def test_normalise_text(text, expected):
    assert normalise_text(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("130,000,000", 130e6),
        ("130 000 000", 130e6),
        ("130\u00a0000\u00a0000", 130e6),
        ("1.000.000", 1e6),
        ("$130 million", 130e6),
        ("130 million dollars", 130e6),
        ("one hundred thirty million", 130e6),
        ("one hundred and thirty million", 130e6),
        ("US$130m", 130e6),
        ("1.5bn", 1.5e9),
        ("₩1.5 trillion", 1.5e12),
        ("130k", 130e3),
        ("a million", 1e6),
        ("twenty-five", 25),
        ("two thousand five", 2005),
        ("1 million 200 thousand", 1.2e6),
        ("45%", 45),
        ("45 percent", 45),
        ("45 per cent", 45),
        ("-5", -5),
        ("−3.5", -3.5),
        ("minus 5", -5),
        ("3,5", 3.5),
        ("1,234.5", 1234.5),
        ("3/4", 0.75),
        ("1e5", 1e5),
        ("2.5e-3", 0.0025),
        (".5", 0.5),
        ("5 km", 5),
        ("5km", 5),
        ("about 300", 300),
        ("0", 0),
        ("zero", 0),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "five twenty",
        "zero five",
        "1st",
        "1991-12-30",
        "12/1991",
        "One Belt One Road",
        "£5 dollars",
        "thousand",
        "1 2",
        "nan",
        "inf",
        "1e999",
        "and five",
        "five and",
    ],
)
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_parse_quantity_units():
    assert parse_quantity("$130 million") == (130e6, "usd")
    assert parse_quantity("130 million US dollars") == (130e6, "usd")
    assert parse_quantity("45 per cent") == (45, "%")
    assert parse_quantity("300 students") == (300, "student")
    assert parse_quantity("130,000,000") == (130e6, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 December 1991", (1991, 12, 30)),
        ("December 30, 1991", (1991, 12, 30)),
        ("1991-12-30", (1991, 12, 30)),
        ("30.12.1991", (1991, 12, 30)),
        ("30/12/1991", (1991, 12, 30)),
        ("05/06/1991", (1991, 6, 5)),  # day-first
        ("the 30th of December 1991", (1991, 12, 30)),
        ("Dec. 30th, 1991", (1991, 12, 30)),
        ("December 1991", (1991, 12, None)),
        ("12/1991", (1991, 12, None)),
        ("1991-12", (1991, 12, None)),
        ("1991", (1991, None, None)),
        ("in 1991", (1991, None, None)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "30 December",
        "yesterday",
        "2 weeks ago",
        "1991 million",
        "31 February 1991",
        "Seoul",
        "12",
        "45%",
        "",
        "Vision 2030 plan",
    ],
)
def test_parse_date_rejects(text):
    assert parse_date(text) is None


# ---------------------------------------------------------------------- short answer


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        # case, punctuation, spacing, articles, quotes, diacritics
        (short("Nursultan Nazarbayev"), "nursultan nazarbayev"),
        (short("Nursultan Nazarbayev"), "  Nursultan   Nazarbayev. "),
        (short("Nursultan Nazarbayev"), "“Nursultan Nazarbáyev”"),
        (short("The Silk Road"), "silk road"),
        (short("Silk Road"), "the Silk Road"),
        (short("an agreement"), "Agreement"),
        (short("Ban Ki-moon"), "Ban Ki moon"),
        (short("Ban Ki-moon"), "ban kimoon"),
        (short("Almaty"), "'Almaty'"),
        (short("Astana", qtype="cloze"), "ASTANA!"),
        # accept list; parenthetical optional; an acronym and its expansion
        (short("Korea International Cooperation Agency", ["KOICA"]), "KOICA"),
        (short("Korea International Cooperation Agency"), "KOICA"),
        (short("KOICA"), "Korea International Cooperation Agency"),
        (
            short("Korea International Cooperation Agency (KOICA)"),
            "Korea International Cooperation Agency",
        ),
        # dates
        (short("30 December 1991"), "December 30, 1991"),
        (short("30 December 1991"), "1991-12-30"),
        (short("30 December 1991"), "30.12.1991"),
        (short("30 December 1991"), "30/12/1991"),
        (short("December 30, 1991"), "30 December 1991"),
        (short("1991-12-30"), "the 30th of December 1991"),
        (short("December 1991"), "12/1991"),
        (short("December 1991"), "Dec 1991"),
        (short("1991"), "in 1991"),
        (short("1991"), "16 December 1991"),  # more specific and agreeing
        (short("December 1991"), "16 December 1991"),
        # numbers and amounts
        (short("$130 million"), "130,000,000"),
        (short("$130 million"), "130 million dollars"),
        (short("$130 million"), "one hundred thirty million"),
        (short("$130 million"), "US$130m"),
        (short("$130 million"), "$130,000,000"),
        (short("130,000,000"), "$130 million"),
        (short("45%"), "45 percent"),
        (short("45%"), "45 per cent"),
        (short("45 percent"), "45%"),
        (short("45%"), "45"),
        (short("300 students"), "300"),
        (short("five"), "5"),
        (short("5"), "five"),
    ],
)
def test_short_answer_correct(question, answer):
    result = grade(question, answer)
    assert result.correct, result
    assert not result.near
    assert result.message == "Correct"
    assert result.expected == question["answer"]
    assert result.given == answer.strip()


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (short("Korea International Cooperation Agency"), "KCIA"),  # letters out of order
        (short("KOICA"), "Korea Investment Agency"),
        (short("30 December 1991"), "31 December 1991"),
        (short("30 December 1991"), "12/30/1992"),
        (short("30 December 1991"), "1991"),  # less specific
        (short("December 1991"), "November 1991"),
        (short("1991"), "1992"),
        (short("$130 million"), "130 thousand"),
        (short("$130 million"), "130 million won"),  # currencies differ
        (short("$130 million"), "130"),
        (short("45%"), "0.45"),
        (short("45%"), "46%"),
        (short("Almaty"), "Astana"),
        (short("Kazakhstan"), "Uzbekistan"),
        (short("Seoul"), "December 30, 1991"),
    ],
)
def test_short_answer_incorrect(question, answer):
    result = grade(question, answer)
    assert not result.correct
    assert not result.near
    assert result.message.startswith(("Incorrect", "Not quite"))


def test_less_specific_date_says_so():
    result = grade(short("30 December 1991"), "December 1991")
    assert not result.correct
    assert "full date" in result.message


def test_date_formats_only_matter_when_expected_is_a_date():
    # "1991-12-30" text answer is not equal to a reformatting unless the answer is a date
    assert grade(short("Decree 1991-12"), "Decree December 1991").correct is False


# ------------------------------------------------------------------------- near miss


@pytest.mark.parametrize(
    ("expected", "answer"),
    [
        ("Nursultan Nazarbayev", "Nursultan Nazarbaev"),  # 1 letter
        ("Nursultan Nazarbayev", "Nursultan Nazarbaiev"),  # 1 substitution
        ("Nursultan Nazarbayev", "Nursultan Nazerbaev"),  # 2 letters
        ("Tashkent", "Tashkant"),
        ("Tashkent", "Tashknet"),  # transposition = 2 edits, 8 letters
        ("Almaty", "Almati"),  # 1 edit, 6 letters
        ("Bishkek", "Bishek"),
        ("Ban Ki-moon", "Ban Ki-mun"),
    ],
)
def test_near_miss(expected, answer):
    result = grade(short(expected), answer)
    assert result.near
    assert not result.correct
    assert result.message == f"Nearly: check the spelling — expected “{expected}”"


def test_near_message_example():
    result = grade(short("Nursultan Nazarbayev"), "Nursultan Nazarbaev")
    assert result == Grade(
        correct=False,
        near=True,
        expected="Nursultan Nazarbayev",
        given="Nursultan Nazarbaev",
        message="Nearly: check the spelling — expected “Nursultan Nazarbayev”",
        note="check the spelling",  # the verdict says "nearly", the answer is shown beside it
    )


def test_near_miss_of_an_accept_entry_shows_that_spelling():
    q = short("Korea International Cooperation Agency", ["Korea Intl Cooperation Agency"])
    result = grade(q, "Korea Intl Cooperaton Agency")
    assert result.near
    assert "“Korea Intl Cooperation Agency”" in result.message
    assert result.note == "check the spelling of “Korea Intl Cooperation Agency”"
    assert result.expected == "Korea International Cooperation Agency"


@pytest.mark.parametrize(
    ("expected", "answer"),
    [
        ("Nursultan Nazarbayev", "Nursultan Nazerbaiv"),  # 3 letters off
        ("Tashkent", "Toshkanx"),  # 3 edits
        ("Almaty", "Almattiy"),  # 2 edits on a 6-letter name
        ("Seoul", "Soeul"),  # 2 edits on a 5-letter name
        ("Baku", "Baky"),  # short words are never near
        ("Oman", "Iran"),
        ("Riga", "Riga Latvia"),
        ("1991", "1992"),
        ("$130 million", "$131 million"),  # numbers are never near
        ("30 December 1991", "30 December 1992"),
    ],
)
def test_not_near(expected, answer):
    result = grade(short(expected), answer)
    assert not result.near
    assert not result.correct


# ---------------------------------------------------------------------------- numeric


@pytest.mark.parametrize(
    ("question", "answer", "correct"),
    [
        (numeric("130000000"), "$130 million", True),
        (numeric(130e6), "one hundred thirty million", True),
        (numeric("130 million"), "130,000,000", True),
        (numeric("130 million"), "US$130m", True),
        (numeric("130 million"), "130000001", False),
        (numeric(0.1 + 0.2), "0.3", True),  # float epsilon
        (numeric("45%"), "45 per cent", True),
        (numeric("1.5bn"), "1,500,000,000", True),
        (numeric(7), "seven", True),
        (numeric(-3), "minus 3", True),
        # absolute tolerance
        (numeric(100, 5), "105", True),
        (numeric(100, 5), "94.9", False),
        (numeric(100, "5"), "95", True),
        (numeric(100, "±5"), "104", True),
        (numeric(100, 0.5), "100.4", True),
        # relative tolerance
        (numeric(200, "5%"), "210", True),
        (numeric(200, "5%"), "189", False),
        (numeric(200, "5%"), "190", True),
        (numeric(-200, "5%"), "-209", True),
        (numeric("130 million", "10%"), "140 million", True),
        (numeric("130 million", "10%"), "150 million", False),
        (numeric(100, None), "100.0", True),
        (numeric(100, ""), "100.5", False),
    ],
)
def test_numeric(question, answer, correct):
    result = grade(question, answer)
    assert result.correct is correct
    assert result.near is False
    assert result.message == ("Correct" if correct else "Incorrect")


def test_numeric_accepts_number_given():
    assert grade(numeric(42), 42).correct  # JSON clients may send a number


def test_numeric_expected_shown_as_written():
    assert grade(numeric("130 million"), "1").expected == "130 million"
    assert grade(numeric(5.0), "1").expected == "5"


@pytest.mark.parametrize("answer", ["abc", "twelveish", "1991-12-30", "2000+", "no idea"])
def test_numeric_non_number_is_graded_wrong_with_a_note(answer):
    # Graded, not refused: a quiz cannot get stuck on it, and the note says what was wanted.
    result = grade(numeric(5), answer)
    assert not result.correct and not result.near
    assert result.note == f"“{answer}” is not a number; the answer is a number"


@pytest.mark.parametrize(("answer", "message"), [("", "Type an answer"), ("   ", "Type an answer"),
                                                 (None, "Type an answer")])
def test_numeric_empty(answer, message):
    with pytest.raises(AnswerFormatError) as exc:
        grade(numeric(5), answer)
    assert str(exc.value) == message


@pytest.mark.parametrize("tolerance", ["abc", -1, "-5%", True, [1]])
def test_numeric_bad_tolerance_is_a_question_error(tolerance):
    with pytest.raises(QuestionError, match="tolerance"):
        grade(numeric(5, tolerance), "5")


def test_numeric_bad_answer_is_a_question_error():
    with pytest.raises(QuestionError, match="not a number"):
        grade(numeric("lots"), "5")


# ------------------------------------------------------------------------- true/false


@pytest.mark.parametrize(
    ("expected", "answer", "correct"),
    [
        (True, True, True),
        (True, False, False),
        ("true", "TRUE", True),
        ("true", "t", True),
        ("true", "Yes", True),
        ("true", "1", True),
        ("false", "false", True),
        ("false", "F", True),
        ("false", "no", True),
        ("false", "0", True),
        (False, " no ", True),
        ("False", "yes", False),
        (True, 1, True),
        (True, 0, False),
    ],
)
def test_true_false(expected, answer, correct):
    result = grade({"type": "true_false", "answer": expected}, answer)
    assert result.correct is correct
    assert result.expected == ("True" if expected in (True, "true") else "False")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("maybe", "“maybe” is not true or false"),
        ("2", "“2” is not true or false"),
        ("", "Choose true or false"),
        (None, "Choose true or false"),
    ],
)
def test_true_false_malformed(answer, message):
    with pytest.raises(AnswerFormatError) as exc:
        grade({"type": "true_false", "answer": "true"}, answer)
    assert str(exc.value) == message


def test_true_false_bad_expected():
    with pytest.raises(QuestionError):
        grade({"type": "true_false", "answer": "perhaps"}, "true")


# -------------------------------------------------------------------- multiple choice


@pytest.mark.parametrize(
    ("answer", "correct"),
    [
        ("Kazakhstan", True),
        ("  Kazakhstan ", True),
        ("Uzbekistan", False),
        ("1", True),  # 0-based index as text
        (1, True),
        (0, False),
        ("3", False),
        ("kazakhstan", True),  # unique case-insensitive match
    ],
)
def test_multiple_choice(answer, correct):
    result = grade(MC, answer)
    assert result.correct is correct
    assert result.expected == "Kazakhstan"


def test_multiple_choice_text_wins_over_index_but_int_is_an_index():
    q = {"type": "multiple_choice", "answer": "0", "choices": ["2", "0", "1"]}
    assert grade(q, "0").correct  # the text "0", not choices[0]
    assert not grade(q, "1").correct  # the text "1"
    assert grade(q, 1).correct  # an int is always an index: choices[1] == "0"
    assert not grade(q, 0).correct


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("Mongolia", "“Mongolia” is not one of the options"),
        ("4", "there is no option 4: choose 0 to 3"),
        (7, "there is no option 7: choose 0 to 3"),
        ("", "Choose one of the options"),
        (None, "Choose one of the options"),
        (True, "Choose one of the options"),
    ],
)
def test_multiple_choice_malformed(answer, message):
    with pytest.raises(AnswerFormatError) as exc:
        grade(MC, answer)
    assert str(exc.value) == message


def test_multiple_choice_answer_not_among_choices():
    with pytest.raises(QuestionError):
        grade({"type": "multiple_choice", "answer": "X", "choices": ["A", "B"]}, "A")


# ---------------------------------------------------------------------- other types


@pytest.mark.parametrize("qtype", ["short_answer", "cloze", "numeric"])
@pytest.mark.parametrize("answer", ["", "   ", "\t\n", None])
def test_empty_typed_answer(qtype, answer):
    with pytest.raises(AnswerFormatError, match="^Type an answer$"):
        grade({"type": qtype, "answer": "5"}, answer)


def test_flashcards_are_self_rated():
    with pytest.raises(AnswerFormatError, match="self-rated"):
        grade({"type": "flashcard", "answer": "x"}, "x")


def test_unknown_type():
    with pytest.raises(QuestionError, match="unknown question type"):
        grade({"type": "essay", "answer": "x"}, "x")


def test_grade_is_frozen():
    result = grade(short("Seoul"), "Seoul")
    with pytest.raises(AttributeError):
        result.correct = False  # type: ignore[misc]


# -------------------------------------------------------------------- property tests

TYPES = ["short_answer", "cloze", "numeric", "true_false", "multiple_choice", "flashcard"]
QUESTIONS = {
    "short_answer": short("Nursultan Nazarbayev", ["Nazarbayev"]),
    "cloze": short("30 December 1991", qtype="cloze"),
    "numeric": numeric("130 million", "5%"),
    "true_false": {"type": "true_false", "answer": True},
    "multiple_choice": MC,
    "flashcard": {"type": "flashcard", "answer": "x"},
}
answers_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789 ,.-/%$mkbn", max_size=20),
    st.sampled_from(["December", "1991", "30 Dec 1991", "one", "hundred", "a million", "the"]),
)


@PROPS
@given(qtype=st.sampled_from(TYPES), answer=answers_text)
def test_grade_only_raises_answer_format_error(qtype, answer):
    try:
        result = grade(QUESTIONS[qtype], answer)
    except AnswerFormatError as exc:
        assert str(exc)
    else:
        assert isinstance(result, Grade)
        assert not (result.correct and result.near)
        assert result.given == answer.strip()


answer_text = st.text(min_size=1, max_size=40).filter(lambda s: s.strip())


@PROPS
@given(
    answer=answer_text,
    accept=st.lists(answer_text, max_size=3),
    qtype=st.sampled_from(["short_answer", "cloze"]),
)
def test_answer_and_accept_grade_correct_against_themselves(answer, accept, qtype):
    q = short(answer, accept, qtype)
    for candidate in [answer, *accept]:
        result = grade(q, candidate)
        assert result.correct and not result.near


@PROPS
@given(
    value=st.one_of(
        st.integers(min_value=-(10**15), max_value=10**15),
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    )
)
def test_numeric_answer_correct_against_itself(value):
    assert grade(numeric(value), str(value)).correct
    assert grade(numeric(str(value)), str(value)).correct


@PROPS
@given(
    expected=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    offset=st.floats(min_value=-1, max_value=1, allow_nan=False),
    tol=st.floats(min_value=0.001, max_value=100, allow_nan=False),
)
def test_numeric_absolute_tolerance_property(expected, offset, tol):
    given_value = expected + offset * tol
    assume(abs(given_value - expected) <= tol * (1 - 1e-9))
    assert grade(numeric(expected, tol), repr(given_value)).correct


@PROPS
@given(
    choices=st.lists(
        st.text(min_size=1, max_size=20).filter(str.strip),
        min_size=2,
        max_size=5,
        unique_by=str.strip,
    ),
    data=st.data(),
)
def test_multiple_choice_answer_correct_against_itself(choices, data):
    choices = [c.strip() for c in choices]
    answer = data.draw(st.sampled_from(choices))
    q = {"type": "multiple_choice", "answer": answer, "choices": choices}
    assert grade(q, answer).correct
    assert grade(q, choices.index(answer)).correct


@PROPS
@given(st.text(max_size=60))
def test_normalise_text_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@PROPS
@given(st.text(max_size=30))
def test_parsers_never_raise(text):
    value = parse_number(text)
    assert value is None or math.isfinite(value)
    date = parse_date(text)
    assert date is None or (len(date) == 3 and 1 <= date[0] <= 9999)


@pytest.mark.parametrize("text,value", [
    ("more than 1,500", 1500), ("more than ten", 10), ("over 100", 100), ("nearly 5%", 5),
    ("at least 3", 3), ("just over 7 million", 7_000_000), ("less than a", None),
])
def test_qualified_figures_parse_to_their_number(text, value):
    assert parse_number(text) == value
