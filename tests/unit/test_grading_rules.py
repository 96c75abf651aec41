"""Grading a teacher would sign (issue 13): the answers students gave to the shipped banks'
questions, as rules -- titles, generic words, acronyms and the document's own aliases,
currencies and units as dimensions, European separators, two-digit years, the student's
own date order, non-numbers graded rather than refused -- and properties of each rule."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from studyapp.question import Context, DateOrder, grade

PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MDY, DMY = Context(DateOrder.MDY), Context(DateOrder.DMY)


def q(qtype, prompt, answer, accept=(), kind="other", explanation="", tolerance=None):
    return {"type": qtype, "prompt": prompt, "answer": answer, "accept": list(accept),
            "fact_kind": kind, "explanation": explanation, "tolerance": tolerance}


# The shipped banks' questions the issue quotes (prompt, answer and explanation as generated).
FORUM_SINCE = q("short_answer", "Since when has the Central Asia-Republic of Korea Cooperation "
                "Forum been developing?", "2007", kind="date")
YEAR_2020 = q("short_answer", "Which year has been designated as the year of 'Northern Economic "
              "Cooperation'?", "2020", kind="date")
GLOBAL_KOREA = q("short_answer", "Which concept acquired new significance within the framework "
                 "of the New Asia Initiative (NAI)?", "Global Korea", kind="programme")
KAZAKHSTAN = q("short_answer", "Where was the Embassy of the Republic of Korea opened in 1993?",
               "Republic of Kazakhstan", ["the Republic of Kazakhstan"], kind="place")
HARVARD = q("cloze", "The term \"soft power\" was introduced into scientific circulation by Joseph "
            "Nye, an American political scientist, professor at ____.", "Harvard University",
            kind="organisation")
ROH = q("short_answer", "During which president's administration was the State Comprehensive "
        "Strategy for Promoting the Republic of Korea in Central Asia adopted?", "Roh Moo-Hyun",
        kind="person")
NAI_CLOZE = q("cloze", "The 'Global Korea' concept acquired new significance within the framework "
              "of the ____ (NAI).", "New Asia Initiative", kind="programme")
NAI_ASKED = q("short_answer", "Within which initiative did the 'Global Korea' concept acquire new "
              "significance?", "New Asia Initiative", kind="programme",
              explanation="In the context of Central Asia, this concept acquired new significance "
                          "within the framework of the New Asia Initiative (NAI), which was "
                          "established in 2009.")
KOICA_WORKS = q("short_answer", "Which agency has been working in the republics of Central Asia "
                "since 1994?", "KOICA", kind="organisation")
KOICA_STANDS = q("short_answer", "What does the abbreviation KOICA stand for?",
                 "Korean Agency for International Cooperation", kind="organisation")
NEW_NORTH = q("short_answer", "Which policy has been further developed under President Moon "
              "Jae-In since 2017?", "New North Policy", ["Eurasia Initiative"], kind="programme")
NEW_NORTH_DOC = q("short_answer", "Which policy has been further developed since 2017?",
                  "New North Policy", kind="programme",
                  explanation="The New North Policy, also known as the Eurasia Initiative, has "
                              "been further developed since 2017.")
KOICA_130 = q("numeric", "How much did KOICA allocate for the implementation of 30 projects in "
              "Uzbekistan during the period from 1995 to 2021?", "130 million US dollars",
              ["$130 million", "130 million", "130 million USD", "130 million dollars",
               "130,000,000", "130000000", "US$130 million"], kind="figure")
FERGANA = q("numeric", "In 2019, the Uzbek-Korean International University in Fergana was opened "
            "with a total funding of ____.", "11.9 million US dollars",
            ["$11.9 million", "11,900,000", "11.9 million"], kind="figure")
MILLION_DOLLARS = q("numeric", "How many million dollars did the programme cost?", "130000000",
                    ["$130 million"], tolerance="1%", kind="figure")
WORKERS = q("numeric", "How many people were sent to work from Uzbekistan through the Free "
            "Employment Systems program in 2019?", "3,200", ["3200"], kind="figure")
EDUCATION_CENTRE = q("short_answer", "When was an education center opened in Tashkent?",
                     "May 1992", kind="date")
TURKMENISTAN = q("short_answer", "When were diplomatic relations between Turkmenistan and the "
                 "Republic of Korea established?", "February 7, 1992",
                 ["1992-02-07", "7 February 1992"], kind="date")
ASSEMBLY = q("short_answer", "Which body adopted the resolution?", "General Assembly",
             kind="organisation")
DISTANCE = q("numeric", "How long is the pipeline?", "5000 metres", kind="figure")


@pytest.mark.parametrize(("question", "answer", "context"), [
    (FORUM_SINCE, "since 2007", DMY),
    (FORUM_SINCE, "Since 2007.", DMY),
    (YEAR_2020, "the year 2020", DMY),
    (YEAR_2020, "in the year 2020", DMY),
    (GLOBAL_KOREA, "Global Korea strategy", DMY),
    (GLOBAL_KOREA, "the 'Global Korea' concept", DMY),
    (KAZAKHSTAN, "Kazakhstan", DMY),
    (HARVARD, "Harvard", DMY),
    (ROH, "President Roh Moo-hyun", DMY),
    (ROH, "former South Korean President Roh Moo-hyun", DMY),
    (NAI_ASKED, "NAI", DMY),  # the document's own acronym
    (KOICA_WORKS, "Korea International Cooperation Agency", DMY),  # full name for the acronym
    (NEW_NORTH, "Eurasia Initiative", DMY),  # the policy's second name, stored as accepted
    (NEW_NORTH_DOC, "the Eurasia Initiative", DMY),  # ... or read from the document
    (KOICA_130, "130 million dollars", DMY),
    (KOICA_130, "$130m", DMY),
    (KOICA_130, "130 million", DMY),  # a missing unit may stay right
    (MILLION_DOLLARS, "130", DMY),  # the prompt asks in millions
    (MILLION_DOLLARS, "130 million dollars", DMY),
    (WORKERS, "3.200", DMY),  # a European thousands separator
    (WORKERS, "3 200", DMY),
    (WORKERS, "3200 people", DMY),  # a counted noun is no dimension
    (EDUCATION_CENTRE, "may 92", DMY),
    (EDUCATION_CENTRE, "May '92", DMY),
    (EDUCATION_CENTRE, "05/1992", DMY),
    (TURKMENISTAN, "02/07/1992", MDY),  # the student's own date order
    (TURKMENISTAN, "07/02/1992", DMY),
    (TURKMENISTAN, "7.2.92", DMY),
    (TURKMENISTAN, "1992-02-07", MDY),  # ISO reads the same in every order
    (DISTANCE, "5 km", DMY),  # a unit of the same dimension converts
    (DISTANCE, "5000", DMY),
])
def test_right(question, answer, context):
    result = grade(question, answer, context)
    assert result.correct, result
    assert result.note == ""


@pytest.mark.parametrize(("question", "answer", "context", "note"), [
    (KOICA_130, "130 million euros", DMY, "wrong currency: the answer is in US dollars"),
    (FERGANA, "11.9 million euros", DMY, "wrong currency: the answer is in US dollars"),
    (MILLION_DOLLARS, "130 million won", DMY, "wrong currency: the answer is in US dollars"),
    (KOICA_130, "130%", DMY, "the answer is an amount of money, not a percentage"),
    (DISTANCE, "5 kg", DMY, "the answer is a length, not a mass"),
    (TURKMENISTAN, "02/07/1992", DMY, ""),  # 2 July to a day-first reader
    (TURKMENISTAN, "07/02/1992", MDY, ""),
    (FORUM_SINCE, "before 2007", DMY, ""),
    (FORUM_SINCE, "2008", DMY, ""),
    (KOICA_STANDS, "KOICA", DMY, ""),  # the acronym the question asks to expand
    (NAI_CLOZE, "NAI", DMY, ""),  # copied from the prompt
    (HARVARD, "Yale University", DMY, ""),
    (KAZAKHSTAN, "Republic of Uzbekistan", DMY, ""),
    (ROH, "President Moon Jae-in", DMY, ""),
    (ASSEMBLY, "Assembly", DMY, ""),  # a title is stripped from a person's name only
    (GLOBAL_KOREA, "Korea", DMY, ""),
    (WORKERS, "2000+", DMY, "“2000+” is not a number; the answer is a number"),
    (WORKERS, "no idea", DMY, "“no idea” is not a number; the answer is a number"),
    (WORKERS, "3.300", DMY, ""),
])
def test_wrong(question, answer, context, note):
    result = grade(question, answer, context)
    assert not result.correct and not result.near, result
    assert result.note == note


@pytest.mark.parametrize(("question", "answer", "note"), [
    (ROH, "President Roh Moo-hyn", "check the spelling"),
    (HARVARD, "Harvard Univercity", "check the spelling"),
    (KAZAKHSTAN, "Kazakstan", "check the spelling"),
    (NEW_NORTH, "Eurasia Intiative", "check the spelling of “Eurasia Initiative”"),
])
def test_nearly(question, answer, note):
    result = grade(question, answer)
    assert result.near and not result.correct
    assert result.note == note  # says one thing: the verdict is "nearly", the answer is beside it


def test_less_specific_date_note_does_not_repeat_the_verdict():
    result = grade(TURKMENISTAN, "February 1992")
    assert not result.correct and result.note == "the full date was expected"


# -------------------------------------------------------------------------- properties

name_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9).map(str.title)
name = st.lists(name_word, min_size=2, max_size=3).map(" ".join)


@PROPS
@given(person=name, title=st.sampled_from(["President", "Former President", "Dr", "Professor",
                                           "Prime Minister", "South Korean President"]))
def test_a_title_before_a_person_keeps_the_answer_right(person, title):
    question = q("short_answer", "Who signed it?", person, kind="person")
    assert grade(question, f"{title} {person}").correct


@PROPS
@given(core=name, word=st.sampled_from(["strategy", "University", "Initiative", "policy", "Forum"]))
def test_a_generic_word_may_be_added_or_left_out(core, word):
    assert grade(q("short_answer", "Which one?", core), f"{core} {word}").correct
    assert grade(q("short_answer", "Which one?", f"{core} {word}"), core).correct
    assert grade(q("short_answer", "Where?", f"Republic of {core}", kind="place"), core).correct


@PROPS
@given(words=st.lists(name_word, min_size=2, max_size=5))
def test_an_acronym_stands_for_its_expansion_unless_the_prompt_holds_it(words):
    long, short = " ".join(words), "".join(w[0] for w in words).upper()
    assume(short.casefold() not in ("name", "it"))  # a word of the prompt below
    assert grade(q("short_answer", "Name it.", long), short).correct
    assert grade(q("short_answer", "Name it.", short), long).correct
    assert not grade(q("short_answer", f"What does {short} stand for?", long), short).correct


@PROPS
@given(amount=st.integers(1, 10**6), expected=st.sampled_from(["US dollars", "euros", "won"]),
       other=st.sampled_from(["US dollars", "euros", "won", "yen", "pounds"]))
def test_an_amount_in_another_currency_is_wrong(amount, expected, other):
    question = q("numeric", "How much was spent?", f"{amount} {expected}")
    assert grade(question, f"{amount} {other}").correct is (expected == other)
    assert grade(question, str(amount)).correct  # a missing unit may stay right


@PROPS
@given(value=st.integers(1000, 10**9), sep=st.sampled_from([".", " ", ",", "\u202f"]))
def test_thousands_separators_of_any_country(value, sep):
    written = f"{value:,}".replace(",", sep)
    assert grade(q("numeric", "How many?", str(value)), written).correct


@PROPS
@given(year=st.integers(1900, 2030), month=st.integers(1, 12), day=st.integers(1, 28),
       order=st.sampled_from(list(DateOrder)))
def test_all_numeric_dates_read_in_the_students_order(year, month, day, order):
    question = q("short_answer", "When?", f"{year}-{month:02d}-{day:02d}", kind="date")
    parts = {"D": f"{day:02d}", "M": f"{month:02d}", "Y": str(year)}
    assert grade(question, "/".join(parts[c] for c in order.value), Context(order)).correct


@PROPS
@given(year=st.integers(1900, 2030), month=st.integers(1, 12), other=st.integers(1, 11))
def test_a_date_in_the_other_order_is_another_day(year, month, other):
    day = (month + other - 1) % 12 + 1  # a day that could be a month, but not this month
    question = q("short_answer", "When?", f"{year}-{month:02d}-{day:02d}", kind="date")
    day_first = f"{day:02d}/{month:02d}/{year}"
    assert grade(question, day_first, DMY).correct
    assert not grade(question, day_first, MDY).correct
