"""Short, meaningful topics for generated questions.

A question's topic is the section heading it falls under when that heading says
something ("Early Years", "Funding"), else something the fact itself is about: a
country other than the one the whole document is about, a programme or organisation
named, a person named.  Topics are then merged so that a bank has a few of them
(rare ones fall back to a question's next candidate, and finally to a topic taken from
the document title).  Deterministic: the same bank gives the same topics.
"""

from __future__ import annotations

import re
from collections import Counter

from . import lexicon as lx
from .extract import Fact, analyze, country_names, norm

GENERIC = {
    "introduction", "results", "discussion", "conclusion", "conclusions", "abstract",
    "summary", "methods", "materials and methods", "description of materials and methods",
    "background", "overview", "results and discussion", "discussion and conclusion",
    "discussion and conclusions", "main part", "main body", "literature review",
    "references", "bibliography", "notes", "acknowledgements", "acknowledgments",
    "appendix", "contents", "table of contents", "preface", "foreword", "history",
    "see also", "external links", "further reading", "sources", "key words", "keywords",
    "methodology", "research methods", "findings", "analysis", "main text", "body",
}
MAX_WORDS = 4
MAX_TOPICS = 12
_SMALL = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with",
          "from", "as", "vs", "into"}
RE_NUMBERING = re.compile(r"^(?:(?:\d+(?:\.\d+)*|[IVXLC]+|[A-Z])[.)]?\s+|chapter\s+\d+[.:]?\s+)", re.I)


def title_case(text: str) -> str:
    words = text.split()
    out = []
    for i, w in enumerate(words):
        lw = w.lower()
        if w.isupper() and len(w) <= 6 and sum(c.isalpha() for c in w) >= 2 and not _shouting(text):
            out.append(w)  # an acronym ("KOICA", "UNESCO")
        elif i and lw in _SMALL:
            out.append(lw)
        elif w[:1].islower() or _shouting(text):
            out.append("-".join(p[:1].upper() + p[1:].lower() if _shouting(text) else p[:1].upper() + p[1:]
                                for p in w.split("-")))
        else:
            out.append(w)
    return " ".join(out)


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 6 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def heading_topic(section: str) -> str | None:
    """A usable topic from a section heading, or None (generic, empty or too long)."""
    t = re.sub(r"[*_#`]+", "", section or "").strip(" .:")
    t = RE_NUMBERING.sub("", t).strip(" .:")
    if not t or t.lower() in GENERIC or not re.search(r"[A-Za-z]", t):
        return None
    for sep in (":", " – ", " - ", " — "):
        if len(t.split()) > MAX_WORDS and sep in t:
            t = t.split(sep)[0].strip()
    t = re.sub(r"^(?:the|a|an)\s+", "", t, flags=re.I)
    if len(t.split()) > MAX_WORDS or t.lower() in GENERIC:
        return None
    return title_case(t)


def title_topic(title: str) -> str:
    """The head of a document title: "Soft power of the Republic of Korea ..." -> "Soft Power"."""
    t = re.sub(r"[*_#`]+", "", title or "").strip(" .:")
    # "A Short History of X", "An Introduction to X": the subject is X
    t = re.sub(r"^(?:an?\s+|the\s+)?(?:(?:short|brief|concise|new)\s+)?(?:history|introduction|overview|"
               r"account|survey|review|study|guide)\s+(?:of|to)\s+(?:the\s+)?", "", t, flags=re.I)
    head = re.split(r"\s+(?:of|in|on|for|to|towards|toward|and its|during|under|at)\s+|:\s|\s[–—-]\s", t)[0]
    head = re.sub(r"^(?:the|a|an)\s+", "", head, flags=re.I).strip()
    words = head.split()
    if not words:
        return "General"
    if len(words) > MAX_WORDS:
        words = words[-MAX_WORDS:]
        while words and words[0].lower() in _SMALL:
            words = words[1:]
    return title_case(" ".join(words)) or "General"


def _short_name(name: str, acronym: str = "") -> str | None:
    name = re.sub(r"^the\s+", "", name.strip(" .,;:'\"‘’“”"), flags=re.I)
    if acronym and len(name.split()) > MAX_WORDS:
        return acronym
    if not name or len(name.split()) > MAX_WORDS or not name[:1].isupper():
        return None
    return title_case(name)


RE_LOCATION = re.compile(r"\b(?:[Ii]n|[Aa]t|[Aa]cross|[Tt]hroughout|[Ww]ithin|[Ii]nside)\s+(?:the\s+)?$")


def fact_topics(text: str, facts: list[Fact], ctx, skip_countries: set[str]) -> list[str]:
    """Candidate topics of a sentence, most specific first: countries, then programmes and
    organisations, then persons, then places."""
    names, pat = country_names()
    out: list[str] = []
    cl = analyze(text)
    subj = cl.subj if cl and cl.subj else (0, 0)

    def in_subject(a: int, b: int) -> bool:
        return subj[0] <= a and b <= subj[1] + 1

    for m in pat.finditer(text):
        canon = names.get(re.sub(r"^the\s+", "", m.group(0)))
        # a country is a topic when the sentence is about it (its subject) or happens there,
        # not when it is named in passing ("as in the United States")
        where = RE_LOCATION.search(text[: m.start()])
        if not (in_subject(m.start(), m.end()) or where):
            continue
        if canon and canon not in skip_countries and len(canon.split()) <= MAX_WORDS:
            out.append(canon)
    progs: list[tuple[int, str]] = []
    for f in facts:
        if f.kind in ("programme", "organisation"):
            e = f.extra.get("entity")
            if f.sub == "acronym" and e is not None:
                n = _short_name(e.expansion, e.acronym or f.answer)
            elif f.extra.get("head") or f.sub == "quoted":
                n = _short_name(f.answer)
            else:
                n = None
            if n:
                progs.append((f.start, n))
    for acr, e in ctx.acronyms.items():
        i = text.find(acr)
        if i >= 0 and re.search(rf"(?<![\w-]){re.escape(acr)}(?![\w-])", text):
            n = _short_name(e.expansion, acr)
            if n:
                progs.append((i, n))
    out += [n for _, n in sorted(progs)]
    for f in facts:
        if f.kind == "person" and in_subject(f.start, f.end):  # the person the sentence is about
            e = f.extra.get("entity")
            n = e.name if e is not None else f.answer
            if len(n.split()) >= 2:
                out.append(_short_name(n) or "")
    for f in facts:
        if f.kind == "place" and f.sub != "country":
            n = _short_name(f.answer)
            if n and n not in (ctx.cities or ()):
                out.append(n)
    seen: list[str] = []
    for n in out:
        if n and n not in seen and n.split()[0] not in lx.STOP_CAPS:
            seen.append(n)
    return seen


def _about_answer(topic: str, q: dict) -> bool:
    """Naming the topic would give away the answer (the topic is shown with the question)."""
    t = norm(topic)
    answers = [str(q["answer"])] + list(q.get("accept") or [])
    p = norm(q["prompt"])
    for a in answers:
        a = norm(a)
        if a and (t in a or a in t) and not re.search(rf"(?<!\w){re.escape(t)}(?!\w)", p):
            return True
    return False


def assign(items: list[tuple[dict, list[str], str]], max_topics: int = MAX_TOPICS) -> None:
    """Give each question (dict, candidate topics best first, fallback topic) one topic.

    Candidates that would reveal the answer are dropped; then the rarest topic is retired
    until every topic left covers enough questions and there are few enough of them.
    """
    cands = [[c for c in cs if not _about_answer(c, q)] for q, cs, _ in items]
    n = len(items)
    least = 2 if n < 40 else 3
    alive = {c for cs in cands for c in cs}
    while True:
        chosen = [next((c for c in cs if c in alive), None) for cs in cands]
        counts = Counter(c for c in chosen if c)
        fallbacks = {fb for (_, _, fb), c in zip(items, chosen, strict=True) if c is None}
        weak = [c for c in alive if counts[c] < least]
        if not weak and len(counts) + len(fallbacks) <= max_topics:
            break
        if not alive:
            break
        victim = min(weak or alive, key=lambda c: (counts[c], c))
        alive.discard(victim)
    for (q, _, fb), c in zip(items, chosen, strict=True):
        q["topic"] = c or fb
