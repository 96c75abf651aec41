"""Typed answers (short answer, cloze), forgiving the way a teacher is.

Compared against the answer and each ``accept`` entry, in this order:

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

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from .common import Grade, QuestionError, as_text, given_text, quoted, result
from .dates import parse_date
from .numbers import numbers_equal, parse_quantity

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



def _candidates(question) -> list[str]:
    out = [as_text(question.answer), *(as_text(a) for a in question.accept)]
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
    return numbers_equal(ev, gv)


def _near_limit(length: int) -> int:
    if length < 5:
        return 0
    return 1 if length < 8 else 2


def grade_text(question, given: object) -> Grade:
    candidates = _candidates(question)
    if not candidates:
        raise QuestionError("question has no answer")
    expected = candidates[0]
    text = given_text(given)
    given_key = _key(text)

    # 1. text, forgiving case, punctuation, spacing, diacritics, articles.
    for cand in candidates:
        keys = _text_keys(cand)
        if given_key in keys or (
            not keys and text.casefold() == cand.casefold()  # all-punctuation answers
        ):
            return result(True, expected, text)

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
                    return result(True, expected, text)
                if _same_date(given_date, cand_date):
                    less_specific_date = True
            continue
        cand_qty = parse_quantity(cand)
        if cand_qty is not None:
            numeric_expected = True
            if given_qty is None:
                given_qty = parse_quantity(text) or ()
            if given_qty and _same_quantity(cand_qty, given_qty):
                return result(True, expected, text)

    if less_specific_date:
        return result(False, expected, text, "Not quite: the full date was expected")
    if numeric_expected or parse_quantity(text) is not None:
        return result(False, expected, text)

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
            message=f"Nearly: check the spelling — expected {quoted(best[1])}",
        )
    return result(False, expected, text)
