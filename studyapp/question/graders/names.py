"""Names as a teacher reads them: the same person, place or thing however it is framed.

- a title or honorific before a name does not change who it is ("President Roh Moo-hyun"
  is Roh Moo-hyun);
- a generic word that says what kind of thing a name is may be added or left out: a
  leading "Republic of" or a trailing "strategy", "University", "Initiative" ("Kazakhstan"
  for "Republic of Kazakhstan", "Harvard" for "Harvard University", "Global Korea
  strategy" for "Global Korea");
- an acronym stands for its expansion and back, when its letters are the starts of the
  expansion's words ("KOICA" for "Korea International Cooperation Agency");
- the document's own aliases count: "New Asia Initiative (NAI)", "X, also known as Y" in
  the question's explanation or source sentence.

Each rule works on normalised words (see text.normalise_text), so case, punctuation and
diacritics are already out of the way.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Titles and honorifics that may stand before a person's name ("former president",
# "south korean president": the title word ends the prefix).
TITLES = frozenset({
    "president", "vice", "prime", "minister", "premier", "chancellor", "secretary", "general",
    "chairman", "chairwoman", "chair", "king", "queen", "prince", "princess", "emperor",
    "empress", "sultan", "sheikh", "emir", "shah", "tsar", "colonel", "admiral", "commander",
    "marshal", "lieutenant", "captain", "major", "ambassador", "envoy", "senator", "governor",
    "mayor", "professor", "prof", "doctor", "dr", "mr", "mrs", "ms", "miss", "mx", "sir",
    "dame", "lord", "lady", "saint", "st", "rev", "reverend", "father", "pope", "pastor",
    "imam", "rabbi", "excellency", "highness", "majesty",
})
# Generic words for what kind of thing a name is, that speakers add or leave out.
LEADING_DESIGNATORS = (
    ("republic", "of"), ("kingdom", "of"), ("state", "of"), ("commonwealth", "of"),
    ("federation", "of"), ("principality", "of"), ("sultanate", "of"), ("emirate", "of"),
    ("islamic", "republic", "of"), ("federal", "republic", "of"), ("peoples", "republic", "of"),
    ("city", "of"), ("province", "of"),
)
TRAILING_DESIGNATORS = frozenset({
    "strategy", "policy", "concept", "doctrine", "initiative", "programme", "program",
    "project", "plan", "agenda", "vision", "university", "college", "institute", "academy",
    "forum", "summit", "conference", "agency", "organisation", "organization", "foundation",
    "company", "corporation", "corp", "inc", "ltd", "river", "lake", "sea", "mountains",
    "mountain", "island", "islands", "city", "province", "region", "oblast", "district",
})
# Words that an acronym may skip ("United States of America" is USA).
SKIPPABLE = frozenset({"of", "for", "and", "the", "on", "in", "at", "to", "de", "du", "la", "le"})
# A core must keep at least this many letters: "New" is no name.
MIN_CORE_LETTERS = 4


def title_strips(words: list[str]) -> list[list[str]]:
    """A person's name without each title before it: ["former", "president", "park", "geun",
    "hye"] -> [["park", "geun", "hye"]]. A title word among the first five ends a prefix
    ("former south korean president"); each such prefix is one way to read the name, so
    "President Majesty X" still matches "Majesty X"."""
    return [words[end:] for end in range(1, min(5, len(words) - 1) + 1) if words[end - 1] in TITLES]


def strip_designators(words: list[str]) -> list[str]:
    """The name without a leading "Republic of" or a trailing generic word."""
    for lead in LEADING_DESIGNATORS:
        if tuple(words[: len(lead)]) == lead and len(words) > len(lead):
            words = words[len(lead):]
            break
    if len(words) > 1 and words[-1] in TRAILING_DESIGNATORS:
        words = words[:-1]
    return words


def core_keys(normalised: str, person: bool = False) -> set[str]:
    """Comparison keys (words joined without spaces) for a normalised name: the name itself
    and its core without designators (and, for a person, the title), when the core is still
    a name. Titles only for people: "General Assembly" is not an assembly with a title."""
    words = normalised.split()
    keys = {"".join(words)}
    for name in [words, *(title_strips(words) if person else [])]:
        core = strip_designators(name)
        if sum(len(w) for w in core) >= MIN_CORE_LETTERS:
            keys.update(("".join(name), "".join(core)))
    keys.discard("")
    return keys


def _acronym_parts(letters: str, words: tuple[str, ...]) -> bool:
    """Whether `letters` is made of a non-empty prefix of each word in turn (a skippable
    word may give nothing): "koica" from korea, international, cooperation, agency."""
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if word in SKIPPABLE and _acronym_parts(letters, rest):
        return True
    return any(letters[:n] == word[:n] and _acronym_parts(letters[n:], rest)
               for n in range(1, min(len(word), len(letters)) + 1))


def is_acronym_of(short: str, long: str) -> bool:
    """`short` (one normalised word) abbreviates `long` (normalised words): each of
    `long`'s words, but for "of", "and" and the like, gives the next letters of `short`."""
    words = tuple(long.split())
    if " " in short or not short.isalpha() or not 2 <= len(short) <= 10:
        return False
    if sum(w not in SKIPPABLE for w in words) < 2:
        return False
    return _acronym_parts(short, words)


# "New Asia Initiative (NAI)", "NAI (New Asia Initiative)".
_CAP_PHRASE = r"[A-Z][\w'’-]*(?:\s+(?:of|for|and|the|on|in|de|[A-Z][\w'’-]*))*"
_LONG_SHORT_RE = re.compile(rf"(?P<long>{_CAP_PHRASE})\s*\((?P<short>[A-Z][A-Za-z]{{1,9}})\)")
_SHORT_LONG_RE = re.compile(rf"\b(?P<short>[A-Z]{{2,10}})\s*\((?P<long>{_CAP_PHRASE})\)")
# "X, also known as Y", "X (also called Y)", "X, or Y for short".
_ALSO_RE = re.compile(
    rf"(?P<a>{_CAP_PHRASE})[\s,(]+(?:also\s+(?:known\s+as|called|named|referred\s+to\s+as)|a\.k\.a\.?)"
    rf"\s+(?:the\s+)?['\"“‘]?(?P<b>{_CAP_PHRASE})")


def _trim_to_acronym(long: str, short: str) -> str:
    """The shortest tail of a capitalised phrase that the acronym abbreviates ("framework of
    the New Asia Initiative" is cut to "New Asia Initiative"), or the whole phrase."""
    words = long.split()
    for start in range(len(words) - 1, -1, -1):
        tail = " ".join(words[start:])
        if is_acronym_of(short.casefold(), tail.casefold()):
            return tail
    return long


@lru_cache(maxsize=4096)
def document_aliases(text: str) -> tuple[tuple[str, str], ...]:
    """Pairs of names the text itself says are the same thing: "Long Name (LN)" and
    "X, also known as Y". Read from a question's explanation and source sentence."""
    pairs = []
    for m in _LONG_SHORT_RE.finditer(text):
        pairs.append((_trim_to_acronym(m["long"], m["short"]), m["short"]))
    for m in _SHORT_LONG_RE.finditer(text):
        pairs.append((m["short"], m["long"]))
    for m in _ALSO_RE.finditer(text):
        pairs.append((m["a"], m["b"]))
    return tuple(pairs)
