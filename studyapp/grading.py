"""Answer normalisation and checking, forgiving the way a teacher is.

Pure Python: knows nothing of Flask or the database. ``grade(question, given)`` takes a
question mapping (``type``, ``answer``, optional ``accept``, ``choices``, ``tolerance``, as in
``studyapp-bank/1``) and the student's answer and returns a :class:`Grade`.

Errors:

* :class:`AnswerFormatError` — the *student's* answer is malformed for the question type
  (empty, "maybe" for true/false, "abc" for a number, a choice that is not offered). The
  message is meant to be shown to the student; nothing should be recorded.
* :class:`QuestionError` — the *question* is malformed (unknown type, numeric answer that is
  not a number, MC answer not among its choices, bad tolerance). A bank/authoring bug.

Flashcards are self-rated: ``grade`` raises ``AnswerFormatError("flashcards are self-rated")``.

Typed answers (short_answer, cloze) are compared, against the answer and each ``accept``
entry, in this order:

1. normalised text (case, punctuation, quotes, spacing, diacritics, a leading article do
   not matter); a trailing parenthetical in the expected answer is optional
   ("Korea International Cooperation Agency (KOICA)" accepts the name alone, but "KOICA"
   alone only if it is in ``accept``);
2. if the expected answer is a date: the same date in any common format (day-first for
   numeric dates); a more specific date that agrees is accepted ("16 December 1991" for
   "1991"), a less specific one is not;
3. if the expected answer is a quantity: the same number, whatever the separators, words,
   scale words or suffixes; units/currencies must agree when both sides give one;
4. otherwise a name misspelt by a letter or two (Levenshtein on normalised text, expected
   length >= 5; 1 edit up to 7 letters, 2 edits from 8 letters) is ``near`` — not correct,
   but the message shows the expected spelling.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

__all__ = [
    "AnswerFormatError",
    "Grade",
    "QuestionError",
    "QUESTION_TYPES",
    "grade",
    "normalise_text",
    "parse_date",
    "parse_number",
    "parse_quantity",
]

QUESTION_TYPES = frozenset(
    {"multiple_choice", "true_false", "short_answer", "numeric", "cloze", "flashcard"}
)


@dataclass(frozen=True)
class Grade:
    correct: bool  # graded right
    near: bool  # "nearly right": a misspelt name 1-2 letters off; correct is False then
    expected: str  # the canonical answer as shown to the student
    given: str  # what the student gave, as received (stripped)
    message: str  # short human feedback


class AnswerFormatError(ValueError):
    """The student's answer is malformed for this question type; the message says why."""


class QuestionError(ValueError):
    """The question itself is malformed (a bank or authoring error, not the student's)."""


# --------------------------------------------------------------------------------------
# Text normalisation

_EXTRA_FOLDS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "ı": "i",
        "ħ": "h",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
        "&": " and ",
    }
)
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘ʼ`´", ""))
_ARTICLES = frozenset({"the", "a", "an"})


def _fold(s: str) -> str:
    """NFKD + casefold + strip combining marks (twice: casefold can produce new marks)."""
    s = unicodedata.normalize("NFKD", s).casefold()
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.translate(_EXTRA_FOLDS)


@lru_cache(maxsize=8192)
def normalise_text(s: str) -> str:
    """Lower-case, diacritic-free, punctuation-free text with single spaces and no leading
    article ("the", "a", "an", unless it is the only word). Idempotent.

    >>> normalise_text("  The “Nazarbáyev”   Era! ")
    'nazarbayev era'
    """
    s = _fold(s).translate(_APOSTROPHES)
    # Every character that is not a letter, digit or mark becomes a separator.
    s = "".join(ch if ch.isalnum() else " " for ch in s)
    words = s.split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words.pop(0)
    return " ".join(words)


def _key(s: str) -> str:
    """Comparison key: normalised text without spaces ("Ki-moon" == "Ki moon" == "Kimoon")."""
    return normalise_text(s).replace(" ", "")


_PAREN_RE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


# --------------------------------------------------------------------------------------
# Numbers

_SMALL = {
    w: i
    for i, w in enumerate(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        )  # fmt: skip
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate(
        ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), start=2
    )
}
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "mil": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
}
_CURRENCY_PREFIXES = (  # longest first
    ("us$", "usd"),
    ("usd", "usd"),
    ("krw", "krw"),
    ("eur", "eur"),
    ("gbp", "gbp"),
    ("jpy", "jpy"),
    ("kzt", "kzt"),
    ("$", "usd"),
    ("€", "eur"),
    ("£", "gbp"),
    ("¥", "jpy"),
    ("₩", "krw"),
    ("₸", "kzt"),
)
_UNIT_SYNONYMS = {
    "dollar": "usd",
    "us dollar": "usd",
    "usd": "usd",
    "$": "usd",
    "us$": "usd",
    "euro": "eur",
    "eur": "eur",
    "pound": "gbp",
    "pound sterling": "gbp",
    "gbp": "gbp",
    "yen": "jpy",
    "jpy": "jpy",
    "won": "krw",
    "korean won": "krw",
    "krw": "krw",
    "tenge": "kzt",
    "kzt": "kzt",
    "percent": "%",
    "per cent": "%",
    "pct": "%",
    "%": "%",
}
# A digit literal: grouped thousands (1,000,000 / 1 000 000 / 1.000.000 / 1'000), plain,
# decimal point or comma, optional exponent.
_DIGITS_RE = re.compile(
    r"""
    (?P<sign>[-+])?
    (?:
        (?P<grouped>\d{1,3}(?:(?P<sep>[,\u00a0\u202f\u2009 '_])\d{3})(?:(?P=sep)\d{3})*)
        (?:\.(?P<gfrac>\d+))?
      | (?P<dotgrouped>\d{1,3}(?:\.\d{3}){2,})
      | (?P<plain>\d+)(?:[.,](?P<pfrac>\d+))?
      | \.(?P<bare>\d+)
    )
    (?:e(?P<exp>[-+]?\d{1,3}))?
    $""",
    re.VERBOSE,
)
_FRACTION_RE = re.compile(r"(?P<sign>[-+])?(?P<num>\d{1,3})/(?P<den>\d{1,3})$")  # not 12/1991
# "130m" -> "130 m", "5km" -> "5 km", "45%" -> "45 %"; not an exponent ("1e5").
_GLUED_SUFFIX_RE = re.compile(r"(?<=\d)(?=%|(?!e[-+]?\d)[^\W\d_])")
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
# Qualifiers a figure is often written with ("more than 1,500"): the number is what counts;
# how close an answer must be is the question's tolerance.
_HEDGES = ("about ", "around ", "approximately ", "approx ", "roughly ", "some ", "c. ", "ca. ",
           "more than ", "over ", "nearly ", "almost ", "at least ", "up to ", "less than ",
           "under ", "fewer than ", "just over ", "just under ", "close to ", "an estimated ")


def _parse_digits(tok: str) -> float | None:
    m = _DIGITS_RE.match(tok)
    if not m:
        return None
    if m["grouped"]:
        text = re.sub(r"\D", "", m["grouped"]) + ("." + m["gfrac"] if m["gfrac"] else "")
    elif m["dotgrouped"]:
        text = m["dotgrouped"].replace(".", "")
    elif m["plain"] is not None:
        text = m["plain"] + ("." + m["pfrac"] if m["pfrac"] else "")
    else:
        text = "0." + m["bare"]
    if m["exp"]:
        text += "e" + m["exp"]
    value = float(text)
    if not math.isfinite(value):
        return None
    return -value if m["sign"] == "-" else value


def _unit(words: list[str]) -> str | None:
    if not words:
        return None
    if len(words) > 3 or not all(w.isalpha() or w in ("%", "$") for w in words):
        raise _NotANumber
    joined = " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)
    return _UNIT_SYNONYMS.get(joined, joined)


class _NotANumber(Exception):
    pass


@lru_cache(maxsize=8192)
def parse_quantity(s: str) -> tuple[float, str | None] | None:
    """Parse "US$130m", "130 million dollars", "one hundred thirty million", "45 per cent",
    "1,234.5", "3/4", "-2.5e3" ... into ``(value, unit)``; ``unit`` is a canonical currency
    code ("usd", "krw", ...), "%" or other trailing unit words ("km"), or None.
    Returns None when the text is not a number (possibly with a unit)."""
    if not isinstance(s, str) or len(s) > 200:
        return None
    t = unicodedata.normalize("NFKC", s).strip().casefold()
    t = t.replace("\u2212", "-").replace("–", "-").replace("±", "")
    for hedge in _HEDGES:
        if t.startswith(hedge):
            t = t[len(hedge) :]
    t = t.strip()
    if not t:
        return None
    unit: str | None = None
    for prefix, code in _CURRENCY_PREFIXES:
        if t.startswith(prefix):
            unit, t = code, t[len(prefix) :].strip()
            break
    # "45%" / "130m" / "1.5bn": split a glued suffix off the number; "%" becomes a word.
    t = _GLUED_SUFFIX_RE.sub(" ", t).replace("%", " % ").replace("per cent", "percent")
    # Hyphens join number words ("twenty-five") but are signs before digits ("-5").
    tokens = [w for w in re.split(r"\s+|(?<=[^\W\d_])-(?=[^\W\d_])", t) if w]
    try:
        value, rest, from_words = _parse_number_words(tokens)
        trailing = _unit(rest)
    except _NotANumber:
        return None
    if trailing in _ORDINAL_SUFFIXES:
        return None  # "1st" is an ordinal, not a quantity
    if from_words and trailing and trailing not in _KNOWN_UNITS:
        return None  # "One Belt One Road" is a name, not the number one
    if unit and trailing and trailing != unit:
        return None  # "$5 euros"
    return value, unit or trailing


_KNOWN_UNITS = frozenset(_UNIT_SYNONYMS.values())


def _parse_number_words(tokens: list[str]) -> tuple[float, list[str], bool]:
    """Consume a number (digits and/or English number words) from the front of ``tokens``;
    return it, the remaining tokens and whether it was written in words only.
    Raises _NotANumber."""
    # Digit groups separated by spaces ("1 000 000") were split: re-join them first.
    if tokens and re.fullmatch(r"[-+]?\d{1,3}", tokens[0]):
        j = 1
        while j < len(tokens) and re.fullmatch(r"\d{3}", tokens[j]):
            j += 1
        if j > 1:
            tokens = [",".join(tokens[:j]), *tokens[j:]]
    total = 0.0
    current = 0.0
    seen_any = False
    seen_digits = False
    negative = False
    i = 0
    if tokens and tokens[0] in ("minus", "negative"):
        negative, i = True, 1
    while i < len(tokens):
        tok = tokens[i]
        if tok == "and" and seen_any:
            i += 1
            continue
        if (
            tok == "a"
            and not seen_any
            and i + 1 < len(tokens)
            and (tokens[i + 1] == "hundred" or tokens[i + 1] in _SCALES)
        ):
            current, seen_any = 1.0, True
            i += 1
            continue
        digits = _parse_digits(tok)
        if digits is None and (fm := _FRACTION_RE.match(tok)) and int(fm["den"]) != 0:
            digits = int(fm["num"]) / int(fm["den"]) * (-1 if fm["sign"] == "-" else 1)
        if digits is not None:
            if current or (seen_any and total == 0):
                raise _NotANumber
            current, seen_any, seen_digits = digits, True, True
        elif tok in _SMALL or tok in _TENS:
            v = _SMALL.get(tok, _TENS.get(tok, 0))
            if seen_any and not (_can_add(current, v) if current else total > 0):
                raise _NotANumber  # "five twenty", "zero five"
            current += v
            seen_any = True
        elif tok == "hundred" and seen_any and 0 < current < 100:
            current *= 100
        elif tok in _SCALES and seen_any and current:
            if total and current * _SCALES[tok] >= total:
                raise _NotANumber  # "one million two million"
            total += current * _SCALES[tok]
            current = 0.0
        else:
            break
        i += 1
    if not seen_any or tokens[i - 1] == "and":
        raise _NotANumber  # nothing, or "five and"
    rest = tokens[i:]
    value = total + current
    if negative:
        value = -value
    if not math.isfinite(value):
        raise _NotANumber
    return value, rest, not seen_digits


def _can_add(current: float, v: int) -> bool:
    if current != int(current):
        return False
    c = int(current)
    if c % 100 == 0:
        return True  # "one hundred thirty", "two thousand five" (handled via total)
    return c % 10 == 0 and c % 100 >= 20 and v < 10  # "twenty five"


def parse_number(s: str) -> float | None:
    """The numeric value of ``s`` ignoring any unit: "$130 million" -> 130000000.0,
    "45 per cent" -> 45.0, "one hundred thirty" -> 130.0, "1.5bn" -> 1.5e9; None if ``s``
    is not a number."""
    q = parse_quantity(s)
    return None if q is None else q[0]


# --------------------------------------------------------------------------------------
# Dates

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_DATE_FILLERS = frozenset({"of", "the", "on", "in", "ad", "ce"})
_DATE_TOKEN_RE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?|\d{4}|[a-z]+")
_DATE_SPLIT_RE = re.compile(r"[\s,./\-]+")
_dateparser_lock = threading.Lock()
_date_data_parser = None


def _looks_like_date(s: str) -> tuple[int, int | None] | None:
    """Cheap gate before dateparser: every token is a month name, a 1-2 digit number
    (optionally ordinal), a 4-digit year or a filler word; exactly one year; at most one
    month name and three date parts. Returns (year, month named in the text or None)."""
    if len(s) > 60:
        return None
    tokens = [t for t in _DATE_SPLIT_RE.split(s.casefold()) if t]
    years: list[int] = []
    months: list[int] = []
    parts = 0
    for tok in tokens:
        if not _DATE_TOKEN_RE.fullmatch(tok):
            return None
        if tok.isdigit() and len(tok) == 4:
            years.append(int(tok))
            parts += 1
        elif tok in _MONTHS:
            months.append(_MONTHS[tok])
            parts += 1
        elif tok[0].isdigit():
            parts += 1
        elif tok not in _DATE_FILLERS:
            return None
    if len(years) != 1 or len(months) > 1 or parts > 3 or not 1 <= years[0] <= 9999:
        return None
    return years[0], (months[0] if months else None)


def _dateparser():
    global _date_data_parser
    if _date_data_parser is None:
        from dateparser.date import DateDataParser

        _date_data_parser = DateDataParser(
            languages=["en"],
            settings={
                "DATE_ORDER": "DMY",  # 30/12/1991 and 05/06/1991 are day-first
                "PREFER_DAY_OF_MONTH": "first",
                "PREFER_DATES_FROM": "past",
                "REQUIRE_PARTS": ["year"],
                "PARSERS": ["absolute-time"],  # no "yesterday", no timestamps
                "RETURN_TIME_AS_PERIOD": False,
            },
        )
    return _date_data_parser


@lru_cache(maxsize=4096)
def _parse_date_cached(s: str) -> tuple[int, int | None, int | None] | None:
    gate = _looks_like_date(s)
    if gate is None:
        return None
    year, named_month = gate
    if re.fullmatch(r"\s*(?:in\s+)?\d{4}\s*(?:ad|ce)?\s*", s, re.IGNORECASE):
        return (year, None, None)
    try:
        with _dateparser_lock, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = _dateparser().get_date_data(s)
    except Exception:  # dateparser is third-party; a date it chokes on is just not a date
        return None
    d = data.date_obj
    if d is None or d.year != year or (named_month and d.month != named_month):
        return None
    if data.period == "day":
        return (d.year, d.month, d.day)
    if data.period == "month":
        return (d.year, d.month, None)
    if data.period == "year":
        return (d.year, None, None)
    return None


def parse_date(s: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) for a date in a common English format, with None for the parts
    not given: "30 December 1991", "December 30, 1991", "1991-12-30", "30.12.1991",
    "30/12/1991" (day-first) -> (1991, 12, 30); "December 1991", "12/1991" -> (1991, 12,
    None); "1991" -> (1991, None, None). A year is required. None if not a date."""
    if not isinstance(s, str):
        return None
    return _parse_date_cached(s.strip())


# --------------------------------------------------------------------------------------
# Grading


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value).strip()


def _quoted(s: str) -> str:
    return f"“{s}”"


def _given_text(given: object) -> str:
    text = _as_text(given)
    if not text:
        raise AnswerFormatError("Type an answer")
    return text


def grade(question: Mapping, given: str | bool | None) -> Grade:
    """Grade ``given`` against ``question``; see the module docstring for the rules.

    Raises AnswerFormatError (student input malformed; show the message) or QuestionError
    (the question is malformed)."""
    qtype = question.get("type")
    if qtype not in QUESTION_TYPES:
        raise QuestionError(f"unknown question type {qtype!r}")
    if qtype == "flashcard":
        raise AnswerFormatError("flashcards are self-rated")
    if qtype == "true_false":
        return _grade_true_false(question, given)
    if qtype == "multiple_choice":
        return _grade_multiple_choice(question, given)
    if qtype == "numeric":
        return _grade_numeric(question, given)
    return _grade_typed(question, given)


def _result(correct: bool, expected: str, given: str, message: str | None = None) -> Grade:
    return Grade(
        correct=correct,
        near=False,
        expected=expected,
        given=given,
        message=message or ("Correct" if correct else "Incorrect"),
    )


# true / false ---------------------------------------------------------------------------

_TRUE = frozenset({"true", "t", "yes", "1"})
_FALSE = frozenset({"false", "f", "no", "0"})


def _truth(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        v = value.strip().casefold()
        if v in _TRUE:
            return True
        if v in _FALSE:
            return False
    return None


def _grade_true_false(question: Mapping, given: object) -> Grade:
    expected = _truth(question.get("answer"))
    if expected is None:
        raise QuestionError(
            f"true_false answer must be true or false, not {question.get('answer')!r}"
        )
    text = _as_text(given)
    if not text:
        raise AnswerFormatError("Choose true or false")
    value = _truth(given)
    if value is None:
        raise AnswerFormatError(f"{_quoted(text)} is not true or false")
    return _result(value == expected, "True" if expected else "False", text)


# multiple choice ------------------------------------------------------------------------


def _grade_multiple_choice(question: Mapping, given: object) -> Grade:
    choices = question.get("choices")
    if not isinstance(choices, Sequence) or isinstance(choices, str) or not choices:
        raise QuestionError("multiple_choice question has no choices")
    options = [_as_text(c) for c in choices]
    answer = _as_text(question.get("answer"))
    if answer not in options:
        raise QuestionError(f"answer {_quoted(answer)} is not among the choices")
    if isinstance(given, bool):
        raise AnswerFormatError("Choose one of the options")
    text = _as_text(given)
    if not text:
        raise AnswerFormatError("Choose one of the options")
    chosen: str | None = None
    if text in options and not isinstance(given, int):
        chosen = text  # the option's text wins over reading "1" as an index
    elif isinstance(given, int) or re.fullmatch(r"\d{1,3}", text):
        index = int(text)
        if index >= len(options):
            raise AnswerFormatError(f"there is no option {index}: choose 0 to {len(options) - 1}")
        chosen = options[index]
    else:  # forgive case and spacing when that identifies exactly one option
        matches = [o for o in options if normalise_text(o) == normalise_text(text)]
        if len(matches) == 1:
            chosen = matches[0]
    if chosen is None:
        raise AnswerFormatError(f"{_quoted(text)} is not one of the options")
    return _result(chosen == answer, answer, text)


# numeric --------------------------------------------------------------------------------


def _tolerance(question: Mapping, expected: float) -> float:
    tol = question.get("tolerance")
    if tol is None or (isinstance(tol, str) and not tol.strip()):
        return 0.0
    if isinstance(tol, bool):
        raise QuestionError(f"bad tolerance {tol!r}")
    if isinstance(tol, int | float):
        value = float(tol)
    elif isinstance(tol, str):
        t = tol.strip().lstrip("±").removeprefix("+/-").removeprefix("+-").strip()
        relative = t.endswith("%")
        try:
            value = float(t.rstrip("%").strip())
        except ValueError:
            raise QuestionError(f"bad tolerance {tol!r}") from None
        if relative:
            value = abs(expected) * value / 100
    else:
        raise QuestionError(f"bad tolerance {tol!r}")
    if not math.isfinite(value) or value < 0:
        raise QuestionError(f"bad tolerance {tol!r}")
    return value


def _numbers_equal(a: float, b: float, tolerance: float = 0.0) -> bool:
    if abs(a - b) <= tolerance:
        return True
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _grade_numeric(question: Mapping, given: object) -> Grade:
    raw_answer = question.get("answer")
    if isinstance(raw_answer, int | float) and not isinstance(raw_answer, bool):
        expected = float(raw_answer)
    else:
        parsed = parse_number(_as_text(raw_answer))
        if parsed is None:
            raise QuestionError(f"numeric answer {raw_answer!r} is not a number")
        expected = parsed
    tolerance = _tolerance(question, expected)
    text = _given_text(given)
    value = parse_number(text)
    if value is None:
        raise AnswerFormatError(f"{_quoted(text)} is not a number")
    return _result(_numbers_equal(value, expected, tolerance), _as_text(raw_answer), text)


# short answer / cloze -------------------------------------------------------------------


def _candidates(question: Mapping) -> list[str]:
    answer = _as_text(question.get("answer"))
    accept = question.get("accept") or []
    if isinstance(accept, str):
        accept = [accept]
    out = [answer, *(_as_text(a) for a in accept)]
    return [c for c in out if c]


def _text_keys(candidate: str) -> set[str]:
    keys = {_key(candidate)}
    without = _PAREN_RE.sub("", candidate)
    if without and without != candidate:
        keys.add(_key(without))
    keys.discard("")
    return keys


def _same_date(expected: tuple, given: tuple) -> bool:
    # Every part the expected answer gives must agree; the given may be more specific.
    return all(e is None or e == g for e, g in zip(expected, given, strict=True))


def _same_quantity(expected: tuple[float, str | None], given: tuple[float, str | None]) -> bool:
    (ev, eu), (gv, gu) = expected, given
    if eu and gu and eu != gu:
        return False
    return _numbers_equal(ev, gv)


def _near_limit(length: int) -> int:
    if length < 5:
        return 0
    return 1 if length < 8 else 2


def _grade_typed(question: Mapping, given: object) -> Grade:
    candidates = _candidates(question)
    if not candidates:
        raise QuestionError("question has no answer")
    expected = candidates[0]
    text = _given_text(given)
    given_key = _key(text)

    # 1. text, forgiving case, punctuation, spacing, diacritics, articles.
    for cand in candidates:
        keys = _text_keys(cand)
        if given_key in keys or (
            not keys and text.casefold() == cand.casefold()  # all-punctuation answers
        ):
            return _result(True, expected, text)

    # 2. dates (only when the expected answer is one) and 3. quantities.
    given_date: tuple | None = None
    given_qty: tuple | None = None
    less_specific_date = False
    numeric_expected = False
    for cand in candidates:
        cand_date = parse_date(cand)
        if cand_date is not None:
            numeric_expected = True
            if given_date is None:
                given_date = parse_date(text) or ()
            if given_date:
                if _same_date(cand_date, given_date):
                    return _result(True, expected, text)
                if _same_date(given_date, cand_date):
                    less_specific_date = True
            continue
        cand_qty = parse_quantity(cand)
        if cand_qty is not None:
            numeric_expected = True
            if given_qty is None:
                given_qty = parse_quantity(text) or ()
            if given_qty and _same_quantity(cand_qty, given_qty):
                return _result(True, expected, text)

    if less_specific_date:
        return _result(False, expected, text, "Not quite: the full date was expected")
    if numeric_expected or parse_quantity(text) is not None:
        return _result(False, expected, text)

    # 4. a name misspelt by a letter or two.
    best: tuple[int, str] | None = None
    for cand in candidates:
        for key in _text_keys(cand):
            limit = _near_limit(len(key))
            if not limit:
                continue
            dist = Levenshtein.distance(given_key, key, score_cutoff=limit)
            if dist <= limit and (best is None or dist < best[0]):
                best = (dist, cand)
    if best is not None:
        return Grade(
            correct=False,
            near=True,
            expected=expected,
            given=text,
            message=f"Nearly: check the spelling — expected {_quoted(best[1])}",
        )
    return _result(False, expected, text)
