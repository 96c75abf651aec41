"""Dates in any common English format: "30 December 1991", "1991-12-30", "December 1991",
"may 92"; all-numeric dates in the student's own order (02/07/1992)."""

from __future__ import annotations

import re
import threading
import warnings
from functools import lru_cache

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
# Words that frame a date without changing it: "since 2007" answers "since when?", and
# "the year 2020" is 2020. ("before"/"by"/"after" change the meaning and are not here.)
_LEADING_FRAME_RE = re.compile(r"^(?:(?:since|in|on|the|year|of|from)\s+)+", re.IGNORECASE)
# A two-digit year: "may 92", "May '92", "Dec. 07".
_SHORT_YEAR_RE = re.compile(r"(?:(?<=\s)|^)(?:['’](\d{2})|(\d{2}))$")
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


@lru_cache(maxsize=3)
def _dateparser(order: str):
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "DATE_ORDER": order,  # how 05/06/1991 reads: the student's own order
            "PREFER_DAY_OF_MONTH": "first",
            "PREFER_DATES_FROM": "past",
            "REQUIRE_PARTS": ["year"],
            "PARSERS": ["absolute-time"],  # no "yesterday", no timestamps
            "RETURN_TIME_AS_PERIOD": False,
        },
    )


def _full_year(short: int, near: int | None) -> int:
    """The year ending in `short` closest to `near` (the expected answer's year, when
    grading): "92" next to 1992 is 1992, "07" next to 2010 is 2007. Without a hint, the
    one closest to the current century's first decades, as people write them."""
    near = near if near is not None else 2000
    century = near - near % 100
    return min((century - 100 + short, century + short, century + 100 + short),
               key=lambda y: abs(y - near))


# An all-numeric date with a two-digit year: 7.2.92 (day or month first), 92-02-07 (YMD).
_NUMERIC_SHORT_YEAR_RE = {
    "YMD": re.compile(r"^(\d{2})([./-]\d{1,2}[./-]\d{1,2})$"),
    "other": re.compile(r"^(\d{1,2}[./-]\d{1,2}[./-])(\d{2})$"),
}


def _expand_short_year(s: str, near: int | None, order: str = "DMY") -> str:
    """A two-digit year written with four digits: with a month named ("may 92", "May
    '92") or in an all-numeric date (7.2.92 in the student's order)."""
    s = s.strip()
    if order == "YMD" and (m := _NUMERIC_SHORT_YEAR_RE["YMD"].match(s)):
        return str(_full_year(int(m.group(1)), near)) + m.group(2)
    if order != "YMD" and (m := _NUMERIC_SHORT_YEAR_RE["other"].match(s)):
        return m.group(1) + str(_full_year(int(m.group(2)), near))
    tokens = [t for t in _DATE_SPLIT_RE.split(s.casefold()) if t]
    if not any(t in _MONTHS for t in tokens) or any(t.isdigit() and len(t) == 4 for t in tokens):
        return s
    m = _SHORT_YEAR_RE.search(s.strip())
    if not m:
        return s
    digits = m.group(1) or m.group(2)
    # Without an apostrophe, a number a day could be ("may 12") is read as a day.
    if m.group(2) and int(digits) <= 31:
        return s
    return s.strip()[: m.start()] + str(_full_year(int(digits), near))


@lru_cache(maxsize=4096)
def _parse_date_cached(s: str, order: str, near: int | None) -> tuple[int, int | None, int | None] | None:
    s = _LEADING_FRAME_RE.sub("", s).strip()
    s = _expand_short_year(s, near, order)
    gate = _looks_like_date(s)
    if gate is None:
        return None
    year, named_month = gate
    if re.fullmatch(r"\s*(?:in\s+)?\d{4}\s*(?:ad|ce)?\s*", s, re.IGNORECASE):
        return (year, None, None)
    try:
        with _dateparser_lock, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = _dateparser(order).get_date_data(s)
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


def parse_date(s: str, order: str = "DMY",
               near_year: int | None = None) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) for a date in a common English format, with None for the parts
    not given: "30 December 1991", "December 30, 1991", "1991-12-30", "30.12.1991",
    "30/12/1991" (in `order`, day-first by default) -> (1991, 12, 30); "December 1991",
    "12/1991", "may 91" -> (1991, 12, None); "1991", "since 1991", "the year 1991" ->
    (1991, None, None). A two-digit year is the one closest to `near_year`. A year is
    required. None if not a date."""
    if not isinstance(s, str):
        return None
    return _parse_date_cached(s.strip(), str(order), near_year)

