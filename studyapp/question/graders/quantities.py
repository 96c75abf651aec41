"""Quantities as dimensions: an amount of money is in one currency, a distance in a unit of
length. A wrong currency is wrong (130 million euros are not 130 million US dollars), a
unit of the same dimension converts (5 km is 5000 m), a missing unit may stay right
("130 million" for "130 million US dollars"), and a counted noun ("300 students") is not a
dimension at all. Numeric questions are graded here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .common import (
    DEFAULT_CONTEXT,
    Context,
    Grade,
    QuestionError,
    as_text,
    given_text,
    quoted,
    result,
    wrong,
)
from .numbers import (
    canonical_unit,
    numbers_equal,
    parse_number,
    parse_quantity,
    quantity_readings,
    scale_of,
    tolerance_value,
)

CURRENCY_NAMES = {"usd": "US dollars", "eur": "euros", "gbp": "pounds sterling", "jpy": "yen",
                  "krw": "Korean won", "kzt": "tenge"}
MONEY, SHARE = "money", "share"


KIND_NAMES = {MONEY: "an amount of money", SHARE: "a percentage", "[length]": "a length",
              "[mass]": "a mass", "[time]": "a time", "[length] ** 2": "an area",
              "[length] ** 3": "a volume", "[temperature]": "a temperature",
              "[length] / [time]": "a speed"}


@dataclass(frozen=True)
class Dimension:
    kind: str  # "money", "share" (per cent) or a physical dimensionality ("[length]")
    unit: str  # the unit as parsed: a currency code, "%", "km"

    @property
    def label(self) -> str:
        """The unit as a student reads it: "US dollars", "per cent", "km"."""
        return CURRENCY_NAMES.get(self.unit, "per cent" if self.unit == "%" else self.unit)

    @property
    def kind_label(self) -> str:
        return KIND_NAMES.get(self.kind, f"a quantity in {self.label}")


@lru_cache(maxsize=1)
def _units():
    import pint  # loaded on the first physical unit only: it takes a moment

    return pint.UnitRegistry()


@lru_cache(maxsize=2048)
def _physical(unit: str):
    """pint's unit for a word, or None for a word that is no unit ("students", "projects")."""
    try:
        parsed = _units().parse_units(unit)
    except Exception:  # pint raises several kinds for words it does not know
        return None
    return None if parsed.dimensionless else parsed


def dimension(unit: str | None) -> Dimension | None:
    """The dimension of a parsed unit, or None when it has none that grading can check."""
    if not unit:
        return None
    if unit in CURRENCY_NAMES:
        return Dimension(MONEY, unit)
    if unit == "%":
        return Dimension(SHARE, unit)
    physical = _physical(unit)
    return Dimension(str(physical.dimensionality), unit) if physical is not None else None


def _convert(value: float, unit: str, to: str) -> float:
    return _units().Quantity(value, _physical(unit)).to(_physical(to)).magnitude


# "How many million dollars ...", "How much (in euros) ...", "... in square kilometres?"
_PROMPT_UNIT_RE = re.compile(
    r"\bhow (?:many|much)\s+(?:(?P<scale>thousand|million|billion|trillion)\s+)?(?P<words>[a-z$%]+(?:\s+[a-z]+)?)"
    r"|\bin\s+(?:(?P<scale2>thousands|millions|billions)\s+of\s+)?(?P<words2>(?:us\s+)?[a-z]+)\s*\)?\s*\??$")


@lru_cache(maxsize=2048)
def unit_in_prompt(prompt: str) -> tuple[float, Dimension | None]:
    """The scale and unit a prompt asks for: "How many million dollars ..." -> (1e6, US
    dollars); (1, None) when it names neither."""
    m = _PROMPT_UNIT_RE.search(prompt.casefold())
    if not m:
        return 1.0, None
    scale_word = (m["scale"] or (m["scale2"] or "").removesuffix("s")) or None
    words = (m["words"] or m["words2"]).split()
    dim = None
    for n in (2, 1):  # "us dollars" before "us"
        dim = dimension(canonical_unit(words[:n]))
        if dim:
            break
    return (scale_of(scale_word) if scale_word else 1.0), dim


def expected_dimension(question, candidates: list[str]) -> Dimension | None:
    """The dimension the answer is in: from the answer or an accepted form that names a
    unit, else from the prompt."""
    for cand in candidates:
        q = parse_quantity(cand)
        if q is not None and (dim := dimension(q[1])):
            return dim
    return unit_in_prompt(question.prompt or "")[1]


def compare(expected: float, dim: Dimension | None, given: tuple[float, str | None],
            tolerance: float = 0.0) -> tuple[bool, str]:
    """Whether a given quantity is the expected one, and a note when its unit is why not."""
    value, unit = given
    given_dim = dimension(unit)
    if dim is not None and given_dim is not None:
        if given_dim.kind != dim.kind:
            return False, f"the answer is {dim.kind_label}, not {given_dim.kind_label}"
        if dim.kind == MONEY and given_dim.unit != dim.unit:
            return False, f"wrong currency: the answer is in {dim.label}"
        if dim.kind not in (MONEY, SHARE):
            value = _convert(value, given_dim.unit, dim.unit)
    return numbers_equal(value, expected, tolerance), ""


def matches(question, expected: float, dim: Dimension | None, text: str,
            tolerance: float = 0.0) -> tuple[bool, str]:
    """Whether any reading of `text` is the expected quantity (a bare number also read in
    the scale the prompt asks for: "130" to "How many million dollars"), and the unit note
    of the first reading that is wrong only by its unit."""
    scale, _ = unit_in_prompt(question.prompt or "")
    note = ""
    for value, unit in quantity_readings(text):
        for reading in {value, value * scale}:
            ok, why = compare(expected, dim, (reading, unit), tolerance)
            if ok:
                return True, ""
            note = note or why
    return False, note


def grade_numeric(question, given: object, context: Context = DEFAULT_CONTEXT) -> Grade:
    expected = parse_number(question.answer)
    if expected is None:
        raise QuestionError(f"numeric answer {question.answer!r} is not a number")
    tolerance = tolerance_value(question.tolerance, expected)
    shown = as_text(question.answer)
    text = given_text(given)
    if not quantity_readings(text):
        # Graded, not refused: a quiz must go on, and the student learns what was wanted.
        return wrong(shown, text, f"{quoted(text)} is not a number; the answer is a number")
    candidates = [shown, *(as_text(a) for a in question.accept)]
    ok, note = matches(question, expected, expected_dimension(question, candidates), text, tolerance)
    return result(True, shown, text) if ok else wrong(shown, text, note) if note else result(False, shown, text)
