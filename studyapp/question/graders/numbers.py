"""Numbers as people write them ("US$130m", "one hundred thirty million", "45 per cent"),
numeric tolerances, and grading numeric questions."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from .common import QuestionError

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
      | (?P<eurogrouped>\d{1,3}(?:\.\d{3})+),(?P<efrac>\d+)
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
    elif m["eurogrouped"]:  # 1.234,5: European grouping with a decimal comma
        text = m["eurogrouped"].replace(".", "") + "." + m["efrac"]
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
    return canonical_unit(words)


def canonical_unit(words: list[str]) -> str:
    """A unit written in words as one code: ["us", "dollars"] -> "usd", ["km"] -> "km"."""
    joined = " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)
    return _UNIT_SYNONYMS.get(joined, joined)


def scale_of(word: str) -> float | None:
    """1e6 for "million", 1e3 for "thousand"; None for a word that is no scale."""
    return _SCALES.get(word)


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


# One "." or "," before exactly three digits, and no other separator: "3.200" is 3200 to a
# European reader and 3.2 to an English one; "3,200" the other way round.
_AMBIGUOUS_SEPARATOR_RE = re.compile(r"(?<![\d.,])(\d{1,3})([.,])(\d{3})(?![\d.,])")


def quantity_readings(s: str) -> list[tuple[float, str | None]]:
    """Every way `s` can be read as a quantity, the usual English reading first: one for
    most answers, two for "3.200" or "3,200" (a thousands separator or a decimal mark,
    depending on where the student learnt to write numbers); none if it is not a number."""
    first = parse_quantity(s)
    if first is None:
        return []
    found = _AMBIGUOUS_SEPARATOR_RE.findall(s)
    if len(found) != 1:
        return [first]
    whole, sep, digits = found[0]
    other = "," if sep == "." else "."
    alternate = parse_quantity(_AMBIGUOUS_SEPARATOR_RE.sub(f"{whole}{other}{digits}", s))
    return [first] if alternate is None or alternate == first else [first, alternate]


def parse_number(s: str) -> float | None:
    """The numeric value of ``s`` ignoring any unit: "$130 million" -> 130000000.0,
    "45 per cent" -> 45.0, "one hundred thirty" -> 130.0, "1.5bn" -> 1.5e9; None if ``s``
    is not a number."""
    q = parse_quantity(s)
    return None if q is None else q[0]



def tolerance_value(tolerance: object, expected: float) -> float:
    """How far from `expected` an answer may be: "2", 2, "5%" (of `expected`), "±2".
    None or blank is 0. QuestionError names a tolerance that is not one."""
    if tolerance is None or (isinstance(tolerance, str) and not tolerance.strip()):
        return 0.0
    if isinstance(tolerance, bool):
        raise QuestionError(f"bad tolerance {tolerance!r}")
    if isinstance(tolerance, int | float):
        value = float(tolerance)
    elif isinstance(tolerance, str):
        t = tolerance.strip().lstrip("±").removeprefix("+/-").removeprefix("+-").strip()
        relative = t.endswith("%")
        try:
            value = float(t.rstrip("%").strip())
        except ValueError:
            raise QuestionError(f"bad tolerance {tolerance!r}") from None
        if relative:
            value = abs(expected) * value / 100
    else:
        raise QuestionError(f"bad tolerance {tolerance!r}")
    if not math.isfinite(value) or value < 0:
        raise QuestionError(f"bad tolerance {tolerance!r}")
    return value


def valid_tolerance(tolerance: object) -> bool:
    try:
        tolerance_value(tolerance, 1.0)
    except QuestionError:
        return False
    return True


def numbers_equal(a: float, b: float, tolerance: float = 0.0) -> bool:
    if abs(a - b) <= tolerance:
        return True
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
