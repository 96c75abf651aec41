"""Dates in any common English format: "30 December 1991", "1991-12-30", "December 1991"."""

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

