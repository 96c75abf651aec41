"""Export → import is the identity, for every format and any valid set, on what the format
can carry: options with '|', quotes, commas, newlines, HTML-ish text and unicode included.
The limits each format has (written on the formats page) are what the strategies leave out."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.interchange import FORMATS, SetInfo, parse
from studyapp.interchange.common import content_uid
from studyapp.question import Question, validate_question

# Text a teacher might write, the awkward characters of every format among them.
AWKWARD = ["|", "\\", '"', "'", ",", ";", "\t", "\n", "<b>", "</b>", "&amp;", "&", "<", ">", "->",
           "{", "}", "=", "~", "#", ":", "%", "*", "____", "[", "]", "é", "ß", "한국", "🙂", "=SUM(A1)",
           "-", "+", "@", " "]
piece = st.sampled_from(AWKWARD) | st.text(string.ascii_letters + string.digits, min_size=1, max_size=6)


def _clean(s: str) -> str:
    return " ".join(part for part in s.replace("\t", " ").split(" ")).strip()


text = (st.lists(piece, min_size=1, max_size=6).map("".join).map(str.strip)
        .filter(lambda s: bool(s) and not s.startswith(("[html]", "[moodle]", "[plain]", "[markdown]"))))
# One-line text with no blank: options, pairs and items (a blank in them is the prompt's business).
line = text.map(lambda s: " ".join(s.split())).filter(lambda s: bool(s) and "____" not in s)


def distinct(values: list[str]) -> bool:
    return len({v.casefold() for v in values}) == len(values)


@st.composite
def question(draw, qtype: str) -> dict:
    q: dict = {"type": qtype, "prompt": draw(text.filter(lambda s: "____" not in s)),
               "explanation": draw(st.just("") | text), "topic": draw(st.just("") | line.filter(lambda s: "/" not in s)),
               "tags": draw(st.lists(line, max_size=3, unique=True)), "fact_kind": draw(st.sampled_from(["other", "date", "person"]))}
    if qtype in ("multiple_choice", "multiple_answer"):
        choices = draw(st.lists(line, min_size=2, max_size=10, unique_by=str.casefold))
        q["choices"] = choices
        if qtype == "multiple_choice":
            q["answer"] = draw(st.sampled_from(choices))
        else:
            q["answer"] = draw(st.lists(st.sampled_from(choices), min_size=1, max_size=len(choices), unique=True))
        if draw(st.booleans()):
            q["feedback"] = {c: draw(text) for c in draw(st.lists(st.sampled_from(choices), max_size=3, unique=True))}
    elif qtype == "matching":
        lefts = draw(st.lists(line, min_size=3, max_size=8, unique_by=str.casefold))
        q["pairs"] = [[left, draw(line)] for left in lefts]
    elif qtype == "ordering":
        q["items"] = draw(st.lists(line, min_size=3, max_size=6, unique_by=str.casefold))
    elif qtype == "true_false":
        q["answer"] = draw(st.booleans())
    elif qtype == "numeric":
        q["answer"] = draw(st.sampled_from(["12", "3.5", "-40", "1969", "0.25"]))
        q["tolerance"] = draw(st.sampled_from([None, "1", "5%"]))
    else:  # short answer, cloze, flashcard: typed answers (a '*' is written \* where it means itself)
        q["answer"] = draw(line)
        if qtype != "flashcard":
            q["accept"] = draw(st.lists(line, max_size=2, unique_by=str.casefold).filter(
                lambda a: q["answer"].casefold() not in [x.casefold() for x in a]))
            if draw(st.booleans()):
                q["credit"] = {draw(line.filter(lambda s: s.casefold() != q["answer"].casefold())): 0.5}
        if qtype == "cloze":
            q["prompt"] = draw(text.filter(lambda s: "____" not in s)) + " ____ " + draw(text.filter(lambda s: "____" not in s))
    q["id"] = content_uid(q)
    return q


TYPES = ["multiple_choice", "multiple_answer", "matching", "ordering", "true_false", "numeric",
         "short_answer", "cloze", "flashcard"]
valid_question = st.sampled_from(TYPES).flatmap(question).filter(lambda q: not validate_question(q, "p", 0))
question_sets = st.lists(valid_question, min_size=1, max_size=6, unique_by=lambda q: q["id"])

WHOLE = [f for f in FORMATS.values() if f.parse and f.whole]
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                                        HealthCheck.too_slow])


def _round_trip(fmt, questions: list[Question]) -> list[dict]:
    data = FORMATS[fmt].export(questions, SetInfo(title="Round trip", key="k"))
    parsed, problems, _ = parse(fmt, data, f"x.{FORMATS[fmt].extension}")
    assert problems == [], (problems, data.decode("utf-8", "replace"))
    return [Question.from_bank(q).to_bank() for q in parsed]


@PROPERTY
@given(bank=question_sets)
def test_every_whole_format_gives_back_the_same_questions(bank):
    questions = [Question.from_bank(q) for q in bank]
    expected = [q.to_bank() for q in questions]
    for f in WHOLE:
        assert _round_trip(f.name, questions) == expected, f.name


@PROPERTY
@given(bank=question_sets)
def test_a_term_list_gives_back_each_side_on_one_line(bank):
    questions = [Question.from_bank(q) for q in bank]
    again = _round_trip("list", questions)
    sides = [(" ".join(q.prompt.split()), " ".join(q.answer_text().split())) for q in questions]
    # Two questions with the same two sides are one card.
    assert [(q["prompt"], q["answer"]) for q in again] == list(dict.fromkeys(sides))
