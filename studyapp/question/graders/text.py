"""Typed answers (short answer, cloze), forgiving the way a teacher is.

Compared against the answer and each ``accept`` entry, in this order:

1. names (see names.py): normalised text (case, punctuation, quotes, spacing, diacritics, a
   leading article do not matter); a trailing parenthetical in the expected answer is
   optional ("Korea International Cooperation Agency (KOICA)" accepts the name alone); a
   person's title, a generic word such as "Republic of", "University" or "strategy", an
   acronym for its expansion and back, and the names the document itself gives as aliases
   ("New Asia Initiative (NAI)") -- unless the student only copied it from the prompt;
2. if the expected answer is a date: the same date in any common format (all-numeric dates
   in the student's own order, two-digit years, "since 2007"); a more specific date that
   agrees is accepted ("16 December 1991" for "1991"), a less specific one is not;
3. if the expected answer is a quantity: the same number, whatever the separators (European
   ones too), words, scale words or suffixes, in the same currency or unit when the student
   names one (see quantities.py);
4. otherwise a name misspelt by a letter or two (Levenshtein on normalised text, expected
   length >= 5; 1 edit up to 7 letters, 2 edits from 8 letters) is ``near`` -- not correct,
   but the note says to check the spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

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
from .dates import parse_date
from .names import core_keys, document_aliases, is_acronym_of
from .numbers import parse_quantity
from .quantities import dimension, unit_in_prompt
from .quantities import matches as quantity_matches

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


def _is_person(question) -> bool:
    kind = str(getattr(question, "fact_kind", "") or "")
    prompt = (getattr(question, "prompt", "") or "").lstrip().casefold()
    return kind == "person" or prompt.startswith(("who ", "whom ", "whose "))


def _text_keys(candidate: str, person: bool = False) -> set[str]:
    """The keys a candidate matches: itself, without a trailing parenthetical, and the cores
    of both (names.core_keys)."""
    keys = core_keys(normalise_text(candidate), person)
    without = _PAREN_RE.sub("", candidate)
    if without and without != candidate:
        keys |= core_keys(normalise_text(without), person)
    keys.discard("")
    return keys


def _in_prompt(text: str, prompt: str) -> bool:
    """Whether `text` appears word for word in the prompt (copied, not recalled)."""
    words = normalise_text(text)
    return bool(words) and f" {words} " in f" {normalise_text(prompt)} "


def _aliases(question, candidates: list[str], person: bool) -> list[str]:
    """Names the document gives for a candidate: the other side of each alias pair in the
    explanation and the source sentence, when one side is a candidate."""
    text = " ".join(filter(None, [getattr(question, "explanation", "") or "",
                                   ((getattr(question, "source", None) or {}).get("quote") or "")]))
    if not text:
        return []
    cand_keys = set().union(*(_text_keys(c, person) for c in candidates))
    out = []
    for a, b in document_aliases(text):
        if _text_keys(a, person) & cand_keys:
            out.append(b)
        elif _text_keys(b, person) & cand_keys:
            out.append(a)
    return out


def _same_name(given: str, candidate: str, person: bool) -> bool:
    """The name rules of names.py: keys, then an acronym either way."""
    if _text_keys(given, person) & _text_keys(candidate, person):
        return True
    g, c = normalise_text(given), normalise_text(_PAREN_RE.sub("", candidate) or candidate)
    return is_acronym_of(g.replace(" ", ""), c) or is_acronym_of(c.replace(" ", ""), g)


def _same_date(expected: tuple, given: tuple) -> bool:
    # Every part the expected answer gives must agree; the given may be more specific.
    return all(e is None or e == g for e, g in zip(expected, given, strict=True))


def _near_limit(length: int) -> int:
    if length < 5:
        return 0
    return 1 if length < 8 else 2


def grade_text(question, given: object, context: Context = DEFAULT_CONTEXT) -> Grade:
    candidates = _candidates(question)
    if not candidates:
        raise QuestionError("question has no answer")
    expected = candidates[0]
    text = given_text(given)
    given_key = _key(text)
    person = _is_person(question)
    prompt = getattr(question, "prompt", "") or ""

    # 1. names: the answer and accepted forms as given, then by the name rules (an
    # acronym or alias only if it was not copied from the prompt).
    for cand in candidates:
        keys = _text_keys(cand)
        if given_key in keys or (
            not keys and text.casefold() == cand.casefold()  # all-punctuation answers
        ):
            return result(True, expected, text)
    if not _in_prompt(text, prompt):
        for cand in [*candidates, *_aliases(question, candidates, person)]:
            if _same_name(text, cand, person):
                return result(True, expected, text)

    # 2. dates (only when the expected answer is one) and 3. quantities.
    less_specific_date = False
    numeric_expected = False
    unit_note = ""
    for cand in candidates:
        cand_date = parse_date(cand)
        if cand_date is not None:
            numeric_expected = True
            given_date = parse_date(text, context.date_order, near_year=cand_date[0])
            if given_date:
                if _same_date(cand_date, given_date):
                    return result(True, expected, text)
                if _same_date(given_date, cand_date):
                    less_specific_date = True
            continue
        cand_qty = parse_quantity(cand)
        if cand_qty is not None:
            numeric_expected = True
            dim = dimension(cand_qty[1]) or unit_in_prompt(prompt)[1]
            ok, why = quantity_matches(question, cand_qty[0], dim, text)
            if ok:
                return result(True, expected, text)
            unit_note = unit_note or why

    if less_specific_date:
        return result(False, expected, text, "Not quite: the full date was expected",
                      "the full date was expected")
    if unit_note:
        return wrong(expected, text, unit_note)
    if numeric_expected or parse_quantity(text) is not None:
        return result(False, expected, text)

    # 4. a name misspelt by a letter or two.
    best: tuple[int, str] | None = None
    given_keys = _text_keys(text, person)
    for cand in candidates:
        for key in _text_keys(cand, person):
            limit = _near_limit(len(key))
            if not limit:
                continue
            for gkey in given_keys:
                dist = Levenshtein.distance(gkey, key, score_cutoff=limit)
                if dist <= limit and (best is None or dist < best[0]):
                    best = (dist, cand)
    if best is not None:
        return Grade(
            correct=False,
            near=True,
            expected=expected,
            given=text,
            message=f"Nearly: check the spelling — expected {quoted(best[1])}",
            note="check the spelling" + (f" of {quoted(best[1])}" if best[1] != expected else ""),
        )
    return result(False, expected, text)
