"""Sentences, shallow clause analysis and fact extraction (rule based, offline)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import lexicon as lx
from .text import Block, has_foreign_script

# --------------------------------------------------------------------------- sentences


@dataclass
class Sentence:
    text: str
    start: int  # offsets into the original document
    end: int
    section: str
    index: int
    doc: int = 0
    raw: str = ""  # the sentence as written, when ``text`` was repaired (see rewrite.py)

    @property
    def quote(self) -> str:
        return self.raw or self.text


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(blocks: list[Block], doc: int = 0) -> list[Sentence]:
    seg = _segmenter()
    out: list[Sentence] = []
    for b in blocks:
        if b.heading:
            continue
        text = b.text.text
        pos = 0
        for piece in seg.segment(text):
            s = piece.strip()
            if not s:
                continue
            i = text.find(s, pos)
            if i < 0:
                i = text.find(s)
                if i < 0:
                    continue
            pos = i + len(s)
            a, e = b.text.span(i, i + len(s))
            out.append(Sentence(s, a, e, b.section, len(out), doc))
    return _merge_fragments(out)


def _merge_fragments(sents: list[Sentence]) -> list[Sentence]:
    """pysbd sometimes splits after an initial ("J. Nye"); glue such pieces back."""
    out: list[Sentence] = []
    for s in sents:
        if (out and re.search(r"(?:^|\s)[A-Z]\.$", out[-1].text) and s.doc == out[-1].doc
                and s.text.split()[0] not in lx.STOP_CAPS):
            p = out[-1]
            out[-1] = Sentence(p.text + " " + s.text, p.start, s.end, p.section, p.index, p.doc)
            continue
        out.append(s)
    return out


# --------------------------------------------------------------------------- facts


@dataclass
class Fact:
    kind: str  # date|person|programme|figure|place|organisation|other
    answer: str
    start: int  # span of the answer in the sentence text
    end: int
    sentence: Sentence
    sub: str = ""  # finer kind: year, month, day, range, decade / money, count, percent / ...
    value: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.answer.lower()}|{norm(self.sentence.text)}"


@lru_cache(maxsize=8192)
def word_re(text: str) -> re.Pattern:
    """A compiled pattern for ``text`` as a whole word (compiled once per string)."""
    return re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


# dates ---------------------------------------------------------------------------

M = lx.MONTH_RE
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
RE_DATE = re.compile(
    rf"(?P<range>(?:from\s+|between\s+)?(?P<y1>{YEAR})\s*(?:[-–—]|to|and|until)\s*(?P<y2>{YEAR}|\d\d)(?!\d|[,.]\d))"
    rf"|(?P<day>{M}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{YEAR}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{M},?\s+{YEAR})"
    rf"|(?P<month>(?:(?:early|mid|late)[- ])?{M},?\s+(?:of\s+)?{YEAR})"
    rf"|(?P<season>(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+of\s+{YEAR})"
    rf"|(?P<decade>(?:the\s+)?(?:early\s+|mid-?|late\s+)?(?:1[5-9]\d0|20[0-9]0)s)"
    rf"|(?P<year>(?<![\d.,/-]){YEAR}(?![\d%]|\.\d|,\d|\s*(?:%|percent|per cent|km|kg|USD|dollars|people|units)))"
)
DATE_PREP = re.compile(
    r"(?:\b(?:in|on|since|from|during|by|until|till|of|before|after|around|circa|as of|at the end of"
    r"|at the beginning of|in the period from|during the period from|between|throughout)\s+(?:the\s+)?)$",
    re.I,
)


def find_dates(s: Sentence) -> list[Fact]:
    t = s.text
    out = []
    for m in RE_DATE.finditer(t):
        sub = m.lastgroup
        if sub in ("y1", "y2"):
            sub = "range"
        txt = m.group(0)
        a, b = m.start(), m.end()
        if sub == "range":
            if m.group("range").split()[0].lower() in ("from", "between"):
                pass
            y1, y2 = int(m.group("y1")), m.group("y2")
            y2 = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
            if y2 <= y1 or y2 - y1 > 100:
                continue
            value = float(y1)
            extra = {"y1": y1, "y2": y2}
        else:
            ym = re.search(r"(1[5-9]\d\d|20\d\d)", txt)
            value = float(ym.group(1)) if ym else None
            extra = {}
            if sub == "year":
                before = t[max(0, a - 40) : a]
                if not (DATE_PREP.search(before) or a == 0 or re.search(r"(?:year|\(|,)\s*$", before)):
                    continue
        out.append(Fact("date", txt.strip(), a, b, s, sub=sub, value=value, extra=extra))
    return out


# figures -------------------------------------------------------------------------

NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
NUMW = r"(?:" + "|".join(sorted(lx.NUMBER_WORDS, key=len, reverse=True)) + r")"
SCALE = r"(?:thousand|million|billion|trillion|bn|mln)"
QUANT = r"(?:(?:more than|about|around|nearly|almost|some|approximately|roughly|up to|at least|less than|fewer than)\s+)?"
CODES = r"(?:USD|EUR|GBP|JPY|CNY|CHF|KRW|INR|RUB|KZT|UZS|ZAR|NGN|KES|MWK|ZMW|BRL|CAD|AUD|SEK|NOK|DKK)"
RE_MONEY = re.compile(
    rf"{QUANT}(?:(?:US\s?\$|\$|€|£|¥|₩|{CODES}\s)\s?{NUM}(?:\s?{SCALE})?(?:\s(?:US\s)?dollars)?"
    rf"|{NUM}(?:\s{SCALE})?\s{lx.CURRENCY_WORDS}\b)",
)
RE_PERCENT = re.compile(rf"{QUANT}{NUM}\s?(?:%|percent\b|per cent\b)")
RE_COUNT = re.compile(
    rf"(?<![\w$€£.,-]){QUANT}(?P<num>{NUM}(?:\s{SCALE})?|{NUMW}(?:\s{SCALE})?)"
    r"(?P<mods>(?:\s+(?!(?:and|or|of|in|to|for|per|at|on|by|with|from)\b)[A-Za-z][\w-]*){0,3}?)"
    r"\s+(?P<noun>people|children|staff|personnel|[a-z][a-z-]{2,}s)\b(?![-'])",
)


@lru_cache(maxsize=64)
def _scale_re(word: str) -> re.Pattern:
    return re.compile(rf"(?<=[\d\s]){word}\b")


def parse_number(text: str) -> float | None:
    t = text.lower().replace(",", "")
    m = re.search(r"\d+(?:\.\d+)?", t)
    if m:
        v = float(m.group(0))
    else:
        w = re.search(NUMW, t)
        if not w:
            return None
        v = float(lx.NUMBER_WORDS[w.group(0)])
    for word, mult in lx.SCALE_WORDS.items():
        if _scale_re(word).search(t):
            v *= mult
            break
    return v


def find_figures(s: Sentence, taken: list[tuple[int, int]]) -> list[Fact]:
    t = s.text
    out: list[Fact] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in RE_MONEY.finditer(t):
        if free(m.start(), m.end()):
            out.append(Fact("figure", m.group(0), m.start(), m.end(), s, sub="money",
                            value=parse_number(m.group(0))))
            taken.append((m.start(), m.end()))
    for m in RE_PERCENT.finditer(t):
        if free(m.start(), m.end()):
            out.append(Fact("figure", m.group(0), m.start(), m.end(), s, sub="percent",
                            value=parse_number(m.group(0))))
            taken.append((m.start(), m.end()))
    for m in RE_COUNT.finditer(t):
        noun = m.group("noun")
        if not free(m.start(), m.end()) or noun in ("years", "months", "days", "weeks", "hours",
                                                    "times", "others", "thousands", "millions",
                                                    "decades", "centuries", "minutes", "seconds"):
            continue
        num = m.group("num")
        if num.lower() in ("one",):
            continue
        mods = m.group("mods").strip()
        if mods and any(w[0].isupper() for w in mods.split()) and num.isalpha() and num.lower() in (
            "two", "three") and False:
            continue
        a = m.start()
        ans_end = m.start("num") + len(num)
        # the counted thing is what follows the number
        out.append(Fact("figure", t[a:ans_end], a, ans_end, s, sub="count",
                        value=parse_number(num),
                        extra={"noun": noun, "mods": mods, "np_end": m.end()}))
        taken.append((m.start(), m.end()))
    return out


# places --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def country_names() -> tuple[dict[str, str], re.Pattern]:
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        common = getattr(c, "common_name", None) or c.name
        canon = common if "," not in common else c.name
        for n in {c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)}:
            if not n:
                continue
            if "," in n:
                head, _, tail = n.partition(", ")
                n = f"{tail} {head}"
                if n.endswith(" of"):
                    continue
            names[n] = canon
    aliases = {
        "Russia": "Russian Federation", "Turkey": "Türkiye", "Iran": "Iran", "Syria": "Syria",
        "Vietnam": "Viet Nam", "Laos": "Laos", "Moldova": "Moldova", "Bolivia": "Bolivia",
        "Venezuela": "Venezuela", "Tanzania": "Tanzania", "the United States": "United States",
        "the USA": "United States", "the US": "United States", "America": "United States",
        "the United Kingdom": "United Kingdom", "Britain": "United Kingdom",
        "Great Britain": "United Kingdom", "the UK": "United Kingdom", "Korea": "Korea",
        "North Korea": "North Korea", "South Korea": "South Korea", "Czech Republic": "Czechia",
        "the Netherlands": "Netherlands", "Ivory Coast": "Côte d'Ivoire", "Burma": "Myanmar",
        "the Philippines": "Philippines", "Kyrgyz Republic": "Kyrgyzstan",
        "the Soviet Union": "Soviet Union", "the USSR": "Soviet Union",
        "the European Union": "European Union", "Palestine": "Palestine", "Kosovo": "Kosovo",
        "Taiwan": "Taiwan", "Macedonia": "North Macedonia", "Swaziland": "Eswatini",
        "Cape Verde": "Cabo Verde",
    }
    for k, v in aliases.items():
        names[k.removeprefix("the ")] = v
    names.pop("Korea", None)
    for v in set(names.values()):
        names.setdefault(v, v)
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pat = re.compile(rf"(?<![\w-])(?:the\s+)?(?:{alt})(?![\w-])")
    return names, pat


RE_CITY_CTX = re.compile(
    r"\b(?:in|at|to|from|near|of the city of|city of|capital)\s+(?P<c>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?![\w-])(?!\s+[A-Z])"
)


def find_places(s: Sentence, taken: list[tuple[int, int]], ctx: DocContext) -> list[Fact]:
    t = s.text
    names, pat = country_names()
    out = []
    for m in pat.finditer(t):
        a, b = m.start(), m.end()
        if any(not (b <= x or a >= y) for x, y in taken):
            continue
        # part of a longer proper name ("Embassy of Turkmenistan" is fine; "Korea Foundation" not)
        nxt = t[b : b + 20]
        if re.match(r"\s+[A-Z][a-z]", nxt) or re.match(r"['’]s\s", nxt) and False:
            continue
        name = m.group(0)
        bare = re.sub(r"^the\s+", "", name)
        out.append(Fact("place", name, a, b, s, sub="country",
                        extra={"canon": names.get(bare, bare)}))
        taken.append((a, b))
    for m in RE_CITY_CTX.finditer(t):
        c = m.group("c")
        a, b = m.start("c"), m.end("c")
        if any(not (b <= x or a >= y) for x, y in taken):
            continue
        if c in ctx.cities:
            out.append(Fact("place", c, a, b, s, sub="city"))
            taken.append((a, b))
    return out


# names: persons, programmes, organisations, acronyms -----------------------------

NAME_TOK = r"(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:-[A-Za-zÀ-ÖØ-Þ][a-zß-öø-ÿ]+)*|[A-Z]\.)"
RE_NAME = re.compile(rf"{NAME_TOK}(?:\s+{NAME_TOK}){{1,3}}")
RE_ROLE_NAME = re.compile(
    rf"(?P<role>(?:(?:[Ff]ormer|[Cc]urrent|[Tt]hen|[Ll]ate|[Ff]irst|[Tt]he)[- ])?"
    rf"(?:(?:South|North|[A-Z][a-z]+) )?(?:(?:[A-Z][a-z]+ )?{lx.PERSON_ROLES}))\s+"
    rf"(?P<name>{NAME_TOK}(?:\s+{NAME_TOK}){{0,3}}?)(?=\W|$)(?!\s+(?:[A-Z][a-z]|of\b))"
)
RE_APPOSITIVE = re.compile(
    rf"(?P<name>{NAME_TOK}(?:\s+{NAME_TOK}){{1,3}}),\s+(?:an?|the)\s+(?P<role>[^,.;()]{{3,80}}?)(?=[,.;)]|\s+(?:who|which)\b)"
)
RE_NOUN_NAME = re.compile(
    rf"\b[Tt]he\s+(?:[a-z]+\s+)?(?P<role>[a-z][a-z-]+)\s+(?P<name>{NAME_TOK}(?:\s+{NAME_TOK}){{1,3}})(?=\W|$)"
)
RE_ACR_PAREN = re.compile(r"(?P<exp>(?:[A-Z][\w'-]*|and|of|for|the|on|in|&)(?:\s+(?:[A-Z][\w'-]*|and|of|for|the|on|in|&)){1,9})\s+\((?P<acr>[A-Z][A-Z0-9&]{1,9})\)")
RE_ACR_PAREN_REV = re.compile(r"(?<![\w-])(?P<acr>[A-Z][A-Z0-9&]{1,9})\s+\((?P<exp>[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|and|of|for|the|on|in|&)){1,9})\)")
RE_ACR_APPOS = re.compile(
    r"(?:the\s+)?(?P<acr>[A-Z][A-Z0-9]{2,9})(?:\s+(?:agency|organi[sz]ation|programme|program|company|group|institute|committee|fund))?,\s+(?:the|an?)\s+(?P<exp>[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|and|of|for|the|on|in|&)){1,9})(?=[,.;])"
)
RE_THE_NOUN = re.compile(r"\b[Tt]he\s+([a-z]+)\s+$")
RE_QUOTED = re.compile(r"(?P<q>[\"“'‘])(?P<name>[A-Z0-9][^\"“”'‘’]{1,60}?)[\"”'’](?!\w)")
_HEADS = "|".join(sorted(set(lx.PROGRAMME_HEADS + lx.ORG_HEADS), key=len, reverse=True))
RE_CAP_NAME = re.compile(
    rf"(?<![\w'’-])(?P<name>(?:[A-Z][\w'’-]*|\d+)(?:\s+(?:[A-Z][\w'’-]*|of|for|and|on|in|the|de|\d+|&|–|-)){{0,9}}?\s+(?P<head>{_HEADS})"
    rf"(?:\s+(?:(?:of|for|on|in)(?:\s+the)?|the)(?:\s+[A-Z][\w'’-]*)+){{0,4}})(?![\w-])"
)


# "a Scottish bacteriologist", "an Austrian physician", "a Roman senator": agent nouns
RE_SPECIALIST = re.compile(r"^[a-z]{4,}(?:ologist|ician|ist)$")  # "the virologist X"
RE_AGENT_NOUN = re.compile(r"^[a-z]{4,}(?:ist|ician|ologist|ian|eer|or)$")
RE_SAID_BY = re.compile(
    rf"\b(?:as|by|of)\s+(?P<name>{NAME_TOK}(?:\s+{NAME_TOK}){{1,2}})\s+"
    r"(?:wrote|noted|argued|stated|observed|suggested|pointed out|claimed|put it)\b"
)
RE_WORKS_OF = re.compile(rf"\bworks? of\s+(?P<name>{NAME_TOK}\s+{NAME_TOK})")


NAME_NOUNS = {"Republic", "State", "States", "Kingdom", "Federation", "Union", "Empire"}


def acronym_match(acr: str, exp: str) -> float:
    letters = [c for c in acr if c.isalpha()]
    words = [w for w in re.split(r"[\s-]+", exp) if w]
    initials = [w[0].upper() for w in words if w[0].isupper()]
    if not letters or not initials:
        return 0.0
    pool = list(initials)
    hit = 0
    for c in letters:
        if c in pool:
            pool.remove(c)
            hit += 1
    return hit / max(len(letters), len(initials))


@dataclass
class Entity:
    name: str
    kind: str  # person | programme | organisation
    role: str = ""
    head: str = ""
    acronym: str = ""
    expansion: str = ""
    aliases: set[str] = field(default_factory=set)
    quote: tuple[str, int, int] | None = None  # sentence text and span where defined
    extra_desc: str = ""
    sentence: Sentence | None = None


@dataclass
class DocContext:
    persons: dict[str, Entity] = field(default_factory=dict)
    names: dict[str, Entity] = field(default_factory=dict)  # programmes and organisations
    acronyms: dict[str, Entity] = field(default_factory=dict)
    cities: set[str] = field(default_factory=set)
    lower_words: set[str] = field(default_factory=set)
    cap_words: set[str] = field(default_factory=set)
    definitions: list[tuple[Sentence, str, str]] = field(default_factory=list)

    def person_of(self, name: str) -> Entity | None:
        if name in self.persons:
            return self.persons[name]
        for e in self.persons.values():
            if name in e.aliases:
                return e
        return None


def _clean_name(n: str) -> str:
    return re.sub(r"\s+", " ", n).strip(" ,.;:'\"‘’“”")


def _is_person_name(name: str, ctx: DocContext | None = None) -> bool:
    toks = name.split()
    if not 1 <= len(toks) <= 4:
        return False
    if toks[0] in lx.STOP_CAPS or any(t in lx.MONTHS for t in toks):
        return False
    names, _ = country_names()
    if any(t in names or t.rstrip("'s") in names for t in toks):
        return False
    heads = set(lx.PROGRAMME_HEADS) | set(lx.ORG_HEADS)
    if any(t in heads for t in toks):
        return False
    if any(t in lx.LANGUAGE_WORDS for t in toks):
        return False
    return not (len(toks) == 1 and not re.search(r"[a-z]", toks[0]))


def build_context(sentences: list[Sentence]) -> DocContext:
    ctx = DocContext()
    names, _ = country_names()
    for s in sentences:
        t = s.text
        for i, w in enumerate(re.findall(r"[A-Za-z][\w'-]*", t)):
            if w[0].islower():
                ctx.lower_words.add(w)
            elif i:
                ctx.cap_words.add(w)
        # persons with a title
        for m in RE_ROLE_NAME.finditer(t):
            name = _clean_name(m.group("name"))
            name = re.sub(r"['’]s$", "", name)
            if not _is_person_name(name) or len(name.split()) < 2:
                continue
            role = m.group("role")
            role_word = re.search(lx.PERSON_ROLES, role).group(0)
            e = ctx.persons.setdefault(name, Entity(name, "person"))
            if not e.role or e.role == "scholar":
                e.role = role_word
                e.sentence = s
                years = re.match(r"\s*\((\d{4})\s*[-–]\s*(\d{4})\)", t[m.end():])
                desc = re.sub(r"^(?:[Ff]ormer|[Cc]urrent|[Tt]hen|[Ll]ate|[Tt]he)[- ]", "", role)
                e.extra_desc = desc + (f" ({years.group(1)}–{years.group(2)})" if years else "")
                e.quote = (t, m.start(), m.end())
        for m in RE_APPOSITIVE.finditer(t):
            name = _clean_name(m.group("name"))
            toks = name.split()
            while len(toks) > 2 and (toks[0].lower() in lx.ROLE_NOUNS or toks[0] in lx.STOP_CAPS
                                     or re.fullmatch(lx.PERSON_ROLES, toks[0])):
                toks = toks[1:]
            name = " ".join(toks)
            role = m.group("role").strip()
            words = role.lower().split()
            if not _is_person_name(name) or not any(
                    w.strip(",") in lx.ROLE_NOUNS or RE_AGENT_NOUN.search(w.strip(",")) for w in words):
                continue
            if lx.DANGLING.search(role):
                continue
            e = ctx.persons.setdefault(name, Entity(name, "person"))
            rest = re.match(r",\s+([a-z][^,.;]{3,60}?)(?=[.;]|,\s)", t[m.end():])
            full_role = role + (", " + rest.group(1) if rest and any(
                w in lx.ROLE_NOUNS for w in rest.group(1).split()) else "")
            e.role = e.role or "scholar"
            if not e.extra_desc:
                e.extra_desc = full_role
                e.sentence = s
            e.quote = e.quote or (t, m.start(), m.end())
        for m in RE_NOUN_NAME.finditer(t):  # "the merchant Thomas Whitcombe"
            name = _clean_name(m.group("name"))
            role = m.group("role")
            if (role not in lx.ROLE_NOUNS and not RE_SPECIALIST.search(role)) or not _is_person_name(
                    name) or len(name.split()) < 2:
                continue
            e = ctx.persons.setdefault(name, Entity(name, "person"))
            if not e.role:
                e.role = "scholar"
                e.extra_desc = e.extra_desc or role
                e.sentence = e.sentence or s
                e.quote = e.quote or (t, m.start(), m.end())
        for m in RE_SAID_BY.finditer(t):
            name = _clean_name(m.group("name"))
            if _is_person_name(name):
                e = ctx.persons.setdefault(name, Entity(name, "person"))
                e.role = e.role or "scholar"
        for m in RE_WORKS_OF.finditer(t):
            name = _clean_name(m.group("name"))
            if _is_person_name(name):
                e = ctx.persons.setdefault(name, Entity(name, "person"))
                e.role = e.role or "scholar"
        # acronyms
        for rx in (RE_ACR_PAREN, RE_ACR_PAREN_REV, RE_ACR_APPOS):
            for m in rx.finditer(t):
                acr, exp = m.group("acr"), _clean_name(m.group("exp"))
                words = exp.split()
                while words and words[0].lower() in ("the", "and", "of", "for", "on", "in"):
                    words = words[1:]
                # shrink the expansion from the left until initials fit the acronym
                best = None
                for k in range(len(words)):
                    cand = " ".join(words[k:])
                    if not cand or cand.split()[0][0].islower():
                        continue
                    score = acronym_match(acr, cand)
                    if score >= 0.75 and (best is None or score > best[0] + 1e-9):
                        best = (score, cand)
                if not best or acr in ctx.acronyms:
                    continue
                exp = best[1]
                kind = "organisation" if any(h in exp.split() for h in lx.ORG_HEADS) else "programme"
                ent = Entity(exp, kind, acronym=acr, expansion=exp)
                ent.quote = (t, m.start(), m.end())
                ent.sentence = s
                ctx.acronyms[acr] = ent
        # cities: capitalised words after "in/at/..." that are not countries, months, persons
        for m in RE_CITY_CTX.finditer(t):
            c = m.group("c")
            if (c in names or c in lx.MONTHS or c in lx.STOP_CAPS or c in lx.LANGUAGE_WORDS
                    or lx.NATIONALITY_SUFFIX.search(c) and c.endswith(("ish", "ese", "ian", "ean"))
                    or c.isupper()):
                continue
            ctx.cities.add(c)
    # aliases "J. Nye" for "Joseph Nye"; drop city candidates that are people or names
    for name, e in ctx.persons.items():
        toks = name.split()
        e.aliases.add(name)
        if len(toks) >= 2 and not toks[0].endswith("."):
            e.aliases.add(f"{toks[0][0]}. {' '.join(toks[1:])}")
    for e in list(ctx.persons.values()):
        for a in list(e.aliases):
            if a != e.name and a in ctx.persons:
                del ctx.persons[a]
    heads = set(lx.PROGRAMME_HEADS) | set(lx.ORG_HEADS)
    country_tokens = {w for n in names for w in n.split()}
    ctx.cities = {
        c for c in ctx.cities
        if c not in heads and c not in country_tokens and c not in lx.CONTINENTS and c not in ctx.acronyms
        and not any(c in p.split() for p in ctx.persons)
        and c.lower() not in ctx.lower_words
    }
    return ctx


def find_names(s: Sentence, ctx: DocContext, taken: list[tuple[int, int]]) -> list[Fact]:
    """Persons, programmes and organisations mentioned in the sentence."""
    t = s.text
    out: list[Fact] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for e in sorted(ctx.persons.values(), key=lambda e: -len(e.name)):
        for alias in sorted(e.aliases, key=len, reverse=True):
            for m in word_re(alias).finditer(t):
                if free(m.start(), m.end()):
                    out.append(Fact("person", e.name, m.start(), m.end(), s, sub=e.role or "",
                                    extra={"entity": e, "surface": alias}))
                    taken.append((m.start(), m.end()))
    for acr, e in ctx.acronyms.items():
        for m in word_re(acr).finditer(t):
            if free(m.start(), m.end()):
                out.append(Fact(e.kind, acr, m.start(), m.end(), s, sub="acronym",
                                extra={"entity": e}))
                taken.append((m.start(), m.end()))
    for m in RE_QUOTED.finditer(t):
        name = m.group("name").strip(" ,")
        a = m.start("name")
        b = a + len(name)
        words = name.split()
        if not free(a, b) or len(words) > 8 or not any(w[0].isupper() for w in words[1:] or words):
            continue
        if has_foreign_script(name):
            continue
        head = ""
        after = re.match(r"['\"’”]?\s*(\w+)", t[m.end(): m.end() + 30])
        cands = [w for w in words if w in lx.PROGRAMME_HEADS or w in lx.ORG_HEADS]
        if cands:
            head = cands[-1]
        elif after and after.group(1).capitalize() in lx.QUESTION_HEAD:
            head = after.group(1).capitalize()
        elif (before := RE_THE_NOUN.search(t, 0, m.start())) and before.group(1) in lx.WORK_NOUNS:
            head = before.group(1)  # the film "Parasite", the novel "X"
        kind = "organisation" if head in lx.ORG_HEADS else "programme"
        out.append(Fact(kind, name, a, b, s, sub="quoted", extra={"head": head}))
        taken.append((a, b))
    for m in RE_CAP_NAME.finditer(t):
        name = m.group("name").strip()
        words = name.split()
        # drop leading sentence-initial/common words
        while words and (words[0] in lx.STOP_CAPS and words[0] not in NAME_NOUNS
                         or words[0].lower() in ("the", "of", "and")
                         or (words[0].lower() in ctx.lower_words and words[0] not in ctx.cap_words)):
            words = words[1:]
        if len(words) < 2:
            continue
        name = " ".join(words)
        a = m.start("name") + m.group("name").find(name)
        b = a + len(name)
        if not free(a, b):
            continue
        head = m.group("head")
        kind = "organisation" if head in lx.ORG_HEADS else "programme"
        out.append(Fact(kind, name, a, b, s, sub="name", extra={"head": head}))
        taken.append((a, b))
    return out


def extract_facts(s: Sentence, ctx: DocContext) -> list[Fact]:
    taken: list[tuple[int, int]] = []
    facts = find_dates(s)
    taken.extend((f.start, f.end) for f in facts)
    facts += find_names(s, ctx, taken)
    facts += find_figures(s, taken)
    facts += find_places(s, taken, ctx)
    facts.sort(key=lambda f: (f.start, f.kind))
    return facts


# --------------------------------------------------------------------------- clauses


@dataclass
class Clause:
    label: str
    fronted: list[tuple[int, int]]  # spans in the sentence
    subj: tuple[int, int]
    aux: list[str]
    advs: list[str]
    verb: str | None
    verb_span: tuple[int, int]
    rest: tuple[int, int]


RE_LABEL = re.compile(r"^(?P<label>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}):\s+(?=[A-Z])")
RE_DISCOURSE = re.compile(rf"^{lx.DISCOURSE}\b,?\s+")
RE_FRONT_PREP = re.compile(
    r"^(?:In|On|At|Since|During|From|By|After|Before|Under|Within|Following|Until|Throughout"
    r"|Between|As of|As part of|Through|Despite|Even|Immediately|According to|Within|With"
    r"|Over|Beginning in|Starting in|Starting from|Back in|Already in|Along with|Together with"
    r"|Based on|Due to|Thanks to|Apart from|Besides|Unlike|Like|Given|Amid|Among|Upon|For"
    r"|Known as|Also known as|Called|Formerly)\b"
)
RE_FRONT_DATE = re.compile(rf"^(?:In|On|Since|During|By)\s+(?:{RE_DATE.pattern})\s+(?=[a-zA-Z])")
RE_FRONT_DATE_COMMA = re.compile(
    rf"^(?P<d>(?:In|On|Since|During|By|in|on|since|during|by)\s+(?:{RE_DATE.pattern}))\s*,\s*(?=[a-zA-Z])"
)
RE_FRONT_PREP_LOWER = re.compile(RE_FRONT_PREP.pattern.replace("|Immediately", "|Immediately|In order to"), re.I)
RE_WORD = re.compile(r"[\w'’-]+(?:\.[\w'’-]+)*|[^\w\s]")


def _depth_comma(t: str, start: int, limit: int = 160) -> int:
    depth = 0
    q = False
    for i in range(start, min(len(t), start + limit)):
        ch = t[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in "\"“”":
            q = not q
        elif ch == "," and depth == 0 and not q:
            return i
    return -1


def analyze(t: str) -> Clause | None:
    pos = 0
    label = ""
    m = RE_LABEL.match(t)
    if m:
        label = m.group("label")
        pos = m.end()
    fronted: list[tuple[int, int]] = []
    for _ in range(4):
        rest = t[pos:]
        m = RE_DISCOURSE.match(rest)
        if m:
            pos += m.end()
            continue
        if RE_FRONT_PREP.match(rest) or (fronted or pos > 0) and RE_FRONT_PREP_LOWER.match(rest):
            c = _depth_comma(t, pos)
            dm = RE_FRONT_DATE.match(rest)
            if dm and (c < 0 or c > pos + dm.end()):
                fronted.append((pos, pos + dm.end() - 1))
                pos += dm.end()
                continue
            dc = RE_FRONT_DATE_COMMA.match(rest)  # "On December 30, 1991, the ..."
            if dc:
                fronted.append((pos, pos + dc.end("d")))
                pos += dc.end()
                continue
            if c > 0:
                fronted.append((pos, c))
                pos = c + 1
                while pos < len(t) and t[pos] == " ":
                    pos += 1
                continue
        break
    if pos >= len(t) or not t[pos].isupper() and not t[pos].isdigit() and not t[pos].islower():
        return None
    # subject ends at the first auxiliary / past verb outside quotes and brackets
    depth = 0
    q = False
    prev = ""
    rel = False  # inside ", who/which ... ," (a non-restrictive relative clause)
    for m in RE_WORD.finditer(t, pos):
        w = m.group(0)
        if w in "([":
            depth += 1
        elif w in ")]":
            depth = max(0, depth - 1)
        elif w in "\"“”":
            q = not q
        elif w == "," and not depth and not q:
            if rel:
                rel = False
            elif re.match(r",\s+(?:who|which|whose|whom)\b", t[m.start():]):
                rel = True
        if depth or q or rel or m.start() == pos:
            prev = w
            continue
        if prev.lower() in ("the", "a", "an", "of", "to", "for", "with", "by", "in", "and", "or",
                            "'s", "its", "their", "his", "her", "so-called"):
            prev = w
            continue
        if lx.is_past_verb(w) and re.match(r"\s+(?:by|with|in|on|to|as)\b", t[m.end():]) and w not in lx.IRREGULAR_PAST:
            prev = w
            continue
        if w in lx.AUX or lx.is_past_verb(w):
            subj = (pos, m.start() - 1)
            # verb group
            aux: list[str] = []
            advs: list[str] = []
            verb = None
            j = m.start()
            for m2 in RE_WORD.finditer(t, m.start()):
                w2 = m2.group(0)
                if w2 in lx.AUX and not aux and verb is None or w2 in ("been", "being") and aux:
                    aux.append(w2)
                elif w2 in lx.ADVERBS and verb is None and (aux or m2.start() > m.start()):
                    advs.append(w2)
                elif verb is None and (lx.is_past_verb(w2) or (aux and lx.is_participle(w2))):
                    verb = w2
                    j = m2.end()
                    break
                else:
                    j = m2.start()
                    break
                j = m2.end()
            if verb is None and not aux:
                return None
            return Clause(label, fronted, subj, aux, advs, verb, (m.start(), j), (j, len(t)))
        prev = w
    return None
