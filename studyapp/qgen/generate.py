"""Bank generation: documents -> facts -> questions -> ``studyapp-bank/1``."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from ..question import FORMAT, TYPES
from . import lexicon as lx
from .extract import (
    RE_DATE,
    Clause,
    DocContext,
    Fact,
    Sentence,
    analyze,
    build_context,
    country_names,
    extract_facts,
    norm,
    split_sentences,
)
from .questions import (
    BLANK,
    RE_PRONOUN_COORD,
    Candidate,
    _canon,
    cut_rest,
    dangling,
    date_accept,
    distractors,
    h,
    number_accept,
    order_choices,
    statement,
    tidy,
    wh_question,
)
from .rewrite import recent_names, rewrite, split_coordination
from .text import Cleaned, Document, ReadError, clean, has_foreign_script, read_document
from .topics import assign as assign_topics
from .topics import fact_topics, heading_topic, title_topic


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("studyapp")
    except Exception:  # not installed (running from a checkout)
        return "0.0.0"


class GenerationError(Exception):
    """Nothing at all could be produced from the given documents."""


@dataclass
class Report:
    per_type: Counter = field(default_factory=Counter)
    per_kind: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    skipped_examples: list[tuple[str, str, str]] = field(default_factory=list)  # file, reason, text
    warnings: list[str] = field(default_factory=list)
    documents: int = 0
    sentences: int = 0
    facts: int = 0

    def summary(self) -> str:
        lines = [f"{self.documents} document(s), {self.sentences} sentences, {self.facts} facts, "
                 f"{sum(self.per_type.values())} questions"]
        lines.append("  by type: " + ", ".join(f"{k} {v}" for k, v in sorted(self.per_type.items())))
        lines.append("  by fact kind: " + ", ".join(f"{k} {v}" for k, v in sorted(self.per_kind.items())))
        if self.skipped:
            lines.append("  skipped sentences: " + ", ".join(
                f"{k} {v}" for k, v in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0]))))
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


@dataclass
class GenerationResult:
    bank: dict
    report: Report


@dataclass
class Source:
    id: str
    doc: Document
    cleaned: Cleaned
    sentences: list[Sentence]
    ctx: DocContext

    @property
    def title(self) -> str:
        return self.cleaned.title or self.doc.path.stem.replace("_", " ")


# --------------------------------------------------------------------------- pipeline


def load_source(path: str | Path, sid: str, doc_index: int = 0,
                read_limits: dict | None = None) -> Source:
    doc = read_document(path, **(read_limits or {}))
    cleaned = clean(doc.original)
    sentences = split_sentences(cleaned.blocks, doc_index)
    ctx = build_context(sentences)
    return Source(sid, doc, cleaned, sentences, ctx)


def sentence_skip_reason(s: Sentence) -> str | None:
    t = s.text
    words = t.split()
    if has_foreign_script(t):
        return "foreign script"
    if len(words) < 6:
        return "too short"
    if len(words) > 60:
        return "too long"
    if t.endswith("?"):
        return "question"
    if re.match(r"^(?:\d+|[a-z])\)\s", t) or t.count(";") >= 2:
        return "list fragment"
    if lx.FIRST_PERSON.search(t):
        return "first person / opinion"
    return None


def _pools(sources: list[Source], facts: list[Fact]) -> dict:
    pool: dict = {"years": set(), "day": [], "month": [], "season": [], "figures": {},
                  "persons": [], "names": {}, "heads": {}}
    seen_persons = set()
    for src in sources:
        for e in src.ctx.persons.values():
            if e.name not in seen_persons:
                seen_persons.add(e.name)
                pool["persons"].append(e)
    for f in facts:
        if f.kind == "date":
            if f.value:
                pool["years"].add(int(f.value))
            if f.sub in ("day", "month", "season") and f.answer not in pool[f.sub]:
                pool[f.sub].append(f.answer)
        elif f.kind == "figure":
            lst = pool["figures"].setdefault(f.sub, [])
            if f.answer not in lst:
                lst.append(f.answer)
        elif f.kind in ("programme", "organisation", "place"):
            key = f.kind if f.kind != "place" else f"place:{f.sub}"
            name = f.answer if f.sub != "acronym" else f.extra["entity"].expansion
            name = name.rstrip(".,;: ")
            if f.kind == "place":
                name = re.sub(r"^the\s+", "", name)
            lst = pool["names"].setdefault(key, [])
            if name not in lst:
                lst.append(name)
            head = f.extra.get("head") or ""
            if f.sub == "acronym":
                e = f.extra["entity"]
                head = next((w for w in reversed(e.expansion.split())
                             if w in lx.PROGRAMME_HEADS or w in lx.ORG_HEADS), "")
            pool["heads"].setdefault(name, head)
    pool["persons"].sort(key=lambda e: e.name)
    pool["years"] = sorted(pool["years"])
    return pool


@lru_cache(maxsize=4096)
def _leak_re(a: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(a)}(?!\w)")


def _wh_body(q: str) -> str:
    """A wh-question without its question word(s) and mark, for the dangling check."""
    return re.sub(r"^(?:Which|Who|What|When|Where|How|Since|Under|During)(?:\s+(?:when|which|many|much))?\s+", "", q.rstrip("?"))


def _leaks(prompt: str, answer: str) -> bool:
    a = norm(answer)
    return bool(a) and _leak_re(a).search(norm(prompt)) is not None


MAX_STATEMENT_WORDS = 35
MAX_TYPED_WORDS = 7
RE_CAP_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:of|for|and|the|[A-Z][\w'’-]*))*")
RE_REL_AUX = re.compile(r",['\"’”]?\s+(?:which|that)\s+(?P<aux>was|were|is|are|has been|have been|had been)\s+")
RE_NP_END = re.compile(
    r"(?:\b[Tt]he\s+)?(?:['\"‘“][A-Z][^'\"’”]*['\"’”]|[A-Z][\w-]*(?:\s+(?:of|for|and|the|[A-Z][\w-]*))*)$"
)
RE_CLAUSE_BREAK = re.compile(r",['\"’”]?\s+(?:which|where|who|while|whereas|although)\s|;\s")


def _drop_fronted(t: str, cl: Clause | None, off: int, a: int, b: int) -> str:
    """Text from ``off`` to the fact, without fronted phrases that carry no date or name."""
    pre = t[off:a]
    if cl is None:
        return pre
    for x, y in sorted(cl.fronted, reverse=True):
        if x < off or x <= a < y + 1 or y >= a:
            continue
        if RE_DATE.search(t[x:y]):
            continue
        z = y + 1
        while z < a and t[z] == " ":
            z += 1
        pre = pre[: x - off] + pre[z - off :]
    return pre


def frame(t: str, cl: Clause | None, off: int, f: Fact) -> tuple[str, str] | None:
    """(text before, text after) the fact in a trimmed, self-contained statement.

    Fronted phrases without a date are dropped, the statement ends at the first
    non-restrictive clause after the fact, and a fact inside ", which was ..." is put in a
    clause of its own ("X was introduced by ____ in 2013.").  None when the result is
    still too long, opens with a pronoun or refers to something outside the prompt.
    """
    a, b = f.start, f.end
    if a < off:
        return None
    pre = _drop_fronted(t, cl, off, a, b)
    brk = list(RE_CLAUSE_BREAK.finditer(pre))
    if brk:
        cut = brk[-1]
        rel = RE_REL_AUX.match(pre, cut.start())
        q = pre[cut.start() + 1]
        npm = RE_NP_END.search(pre[: cut.start()] + (q if q in "'\"’”" else "")) if rel else None
        if npm is None:
            return None
        pre = npm.group(0) + " " + rel.group("aux") + " " + pre[rel.end():]
    tail = t[b:]
    if re.match(r",['\"’”]", tail):  # 'New North Policy,' which ... -> keep the closing quote
        post = tail[1] + cut_rest("," + tail[2:]).rstrip(" ,;:")
    else:
        post = cut_rest(tail).rstrip(" ,;:")
    post = RE_PRONOUN_COORD.sub("", post.rstrip(". "))
    if not post.endswith((".", "!", "?")) or post.endswith(("..", "etc.")):
        post = post.rstrip(".") + "."
    if post and post[0] not in " .,;:!?)'\"’”-–":
        return None
    if _after_splice(pre) != pre:
        return None  # "Korean is taught, activities are conducted with the ____": a run-on
    # "then-President Lee Myung-Bak (2008-2013)": a span in brackets is a hint, and wrong
    # next to a swapped name
    pre, post = RE_SPAN_BRACKET.sub("", pre), RE_SPAN_BRACKET.sub("", post)
    if pre and pre[0].islower():
        pre = pre[0].upper() + pre[1:]
    whole = pre + f.answer + post
    if (len(whole.split()) > MAX_STATEMENT_WORDS or len(whole.split()) < 5 or dangling(pre + post)
            or whole.startswith(("As ", "If ", "Which ")) or not _anchored(pre + " " + post)):
        return None
    if len(re.findall(r"[\"“”]", whole)) % 2:
        return None
    return pre, post


RE_SPLICE = re.compile(r",\s+(?=(?:[a-z]+\s+){0,3}[a-z]+\s+(?:is|are|was|were|has been|have been)\s+[a-z]+(?:ed|en)\b)")


def _after_splice(pre: str) -> str:
    """"Korean is taught, activities are conducted with the " -> the second clause only."""
    for m in RE_SPLICE.finditer(pre):
        head = pre[: m.start()]
        if re.search(r"\b(?:is|are|was|were|has|have)\s+[a-z]+(?:ed|en|t)\b", head) and not re.search(r"[\"“”]", head):
            rest = pre[m.end():]
            return rest[0].upper() + rest[1:]
    return pre


def _has_event(fr: tuple[str, str], f: Fact, facts: list[Fact]) -> bool:
    """Another date, programme or figure of the sentence is still in the trimmed statement."""
    text = fr[0] + " " + fr[1]
    return any(g is not f and g.kind in ("date", "programme", "figure") and g.answer in text
               for g in facts)


def _anchored(text: str) -> bool:
    """The statement names something (a date, a proper name or a quoted name)."""
    if RE_DATE.search(text):
        return True
    words = re.findall(r"(?<![\w'’-])[A-Z][\w'’-]*", text[1:])
    return any(w not in lx.STOP_CAPS for w in words) or bool(re.search(r"['\"‘“][A-Za-z]", text))


def _cloze(fr: tuple[str, str] | None, f: Fact) -> str | None:
    return fr[0] + BLANK + fr[1] if fr else None


def _swap(fr: tuple[str, str] | None, new: str) -> str | None:
    return fr[0] + new + fr[1] if fr else None


RE_NAMING = re.compile(r"(?:[Aa]lso\s+)?(?:[Kk]nown|[Cc]alled|[Nn]amed|[Dd]ubbed|[Rr]eferred to|[Ff]ormerly)\b")
RE_SPAN_BRACKET = re.compile(r"\s*\((?:(?:b\.|born|d\.|died|r\.|in office|ruled|reigned)\s*)?"
                             r"\d{4}\s*(?:[-–—]\s*(?:\d{2,4}|present))?\)")
RE_COMPARISON = re.compile(r"\b(?:compared (?:with|to)|against|versus|vs\.?|than|up from|down from|"
                           r"from\s+\S+(?:\s+\S+){0,6}?\s+(?:in|by)\s+\d{4}\s+to)\b", re.I)
RE_ORDINAL_SUBJ = re.compile(
    r"^(?:(?:an?|the)\s+(?:second|third|fourth|fifth|sixth|further|subsequent|next|final|last|later|new)"
    r"|another|a\s+(?:similar|follow-up|repeat))\s+[a-z][a-z-]*\b", re.I)


RE_SPAN_START = re.compile(r"\b(?:from|between)\s+$", re.I)


def _in_order(t: str, f: Fact, dis: list[str]) -> list[str]:
    """"from ____ to April 2020": a wrong start after the end (or end before the start) is
    no distractor at all."""
    from .questions import _year_of

    y = _year_of(f.answer)
    if y is None:
        return dis
    if RE_SPAN_START.search(t[: f.start]):
        m = re.match(r"\s+(?:to|and|until)\s+(?:\w+\s+){0,3}?(\d{4})\b", t[f.end :])
        if m:
            return [d for d in dis if (_year_of(d) or 0) <= int(m.group(1))]
    m = re.search(r"\b(?:from|between)\s+(?:\w+\s+){0,3}?(\d{4})\s+(?:to|and|until)\s+(?:the\s+)?$", t[: f.start])
    if m:
        return [d for d in dis if (_year_of(d) or 9999) >= int(m.group(1))]
    return dis


def comparison(s: Sentence, facts: list[Fact]) -> bool:
    """Two dates with figures or an explicit comparison ("from X in 2004 to Y in 2021",
    "compared with 27% in 2004"): a rewritten question could pair a value with the wrong date,
    so only the sentence as written (cloze, true/false) may ask about it."""
    dates = [f for f in facts if f.kind == "date" and f.sub != "range"]
    if len(dates) < 2:
        return False
    return any(f.kind == "figure" for f in facts) or bool(RE_COMPARISON.search(s.text))


def dangling_subject(stmt: str, cl: Clause | None, off: int, t: str) -> bool:
    """"A second campaign followed in 2015": a second campaign of what?"""
    subj = t[cl.subj[0] : cl.subj[1]].strip() if cl and cl.subj and cl.subj[0] >= off else stmt
    return bool(RE_ORDINAL_SUBJ.match(subj) or RE_ORDINAL_SUBJ.match(stmt))


def candidates_for(s: Sentence, facts: list[Fact], src: Source, pool: dict, types: set[str],
                   seed: str) -> list[list[Candidate]]:
    t = s.text
    cl = analyze(t)
    stmt, off = statement(s, cl)
    if dangling_subject(stmt, cl, off, t):
        return []
    compared = comparison(s, facts)
    stmt_ok = not stmt.rstrip().endswith(":")
    has_event = any(f.kind in ("date", "person", "figure") for f in facts)
    has_other = any(f.kind in ("date", "programme", "figure") for f in facts)
    explanation = s.quote
    per_fact: list[list[Candidate]] = []
    for f in facts:
        cands: list[Candidate] = []
        if f.kind == "figure":
            continue
        if f.kind == "date" and f.sub in ("year", "range") and t[f.start - 1 : f.start] == "(":
            continue  # years in brackets are life/term spans, not events
        if f.kind in ("programme", "organisation") and not f.extra.get("head") and f.sub != "acronym":
            continue
        if cl and any(x <= f.start and f.end <= y and RE_NAMING.match(t[x:y]) for x, y in cl.fronted):
            continue  # "Also known as the Eurasia Initiative, this policy ...": another name
        wh = wh_question(s, cl, f, src.ctx)
        if wh and (dangling(_wh_body(wh)) or _leaks(wh, f.answer) or has_foreign_script(wh)
                   or not _anchored(_wh_body(wh)) or len(wh.split()) < 5
                   or compared and f.kind == "date"):
            wh = None
        if wh:
            wh = RE_SPAN_BRACKET.sub("", wh)
        if f.kind == "person" and not has_other and not wh:
            continue
        if f.kind == "place" and not wh:
            continue
        if f.kind in ("programme", "organisation") and not wh and not (
                has_event and (f.extra.get("head") or f.sub == "quoted")):
            continue
        fr = frame(t, cl, off, f) if stmt_ok else None
        if fr and f.kind == "date" and f.sub == "range":
            fr = None  # "vice-chancellor ____" -> "from 1978 to 1994": a fragment, not a date
        if fr and f.kind == "person" and not _has_event(fr, f, facts):
            fr = None  # "... objectives of President ____'s administration." asks nothing
        cloze = _cloze(fr, f)
        if f.kind == "place":
            cloze = None
        if cloze and _leaks(cloze, f.answer):
            cloze = None
        ans = f.answer
        if f.kind == "place" and ans.startswith("the "):
            ans = ans[4:]
        if f.kind == "person":
            ans = f.extra["entity"].name
            surface = f.extra["surface"]
            if cloze and norm(surface) != norm(ans):
                cloze = cloze  # blank replaces the surface form; accept both
        accept: list[str] = []
        if f.kind == "date":
            accept = date_accept(f)
        elif f.kind == "person" and f.extra["surface"] != ans:
            accept = [f.extra["surface"]]
        elif f.sub == "acronym":
            accept = [f.extra["entity"].expansion]
        elif f.kind == "place" and ans != f.answer:
            accept = [f.answer]
        dis = distractors(f, pool, seed + f.key, s.text)
        if f.kind == "date":
            dis = _in_order(t, f, dis)
        base = wh or cloze

        def add(type_: str, prompt: str | None, answer: object, _f: Fact = f,
                _cands: list[Candidate] = cands, **kw) -> None:
            if not prompt or type_ not in types:
                return
            _cands.append(Candidate(_f, type_, prompt, answer, explanation=explanation, **kw))

        typed = len(str(ans).split()) <= MAX_TYPED_WORDS  # too long to be typed back
        if wh and typed:
            add("short_answer", wh, ans, accept=accept)
        if base and f.kind in ("programme", "organisation", "person", "place"):
            # a distractor that echoes a name in the prompt ("New Northern Policy" in a
            # question about the "New North Policy") gives the game away or confuses; one
            # named elsewhere in the sentence may be the answer's other name ("also known as")
            low = base.lower()
            named = RE_CAP_RUN.findall(base)
            said = (s.raw + " " + t).lower()
            dis = [d for d in dis if fuzz.partial_ratio(d.lower(), low) < 90
                   and not any(fuzz.ratio(d, n) >= 80 for n in named)
                   and d.lower() not in said][:5]
            if f.kind == "place":  # "Republic of Korea" when the prompt says "South Korea"
                here = {_canon(m.group(0)) for m in country_names()[1].finditer(base + " " + t)}
                dis = [d for d in dis if _canon(d) not in here]
            dis = dis[:3]
        dis = dis[:3]
        if len(dis) == 3 and base and f.sub != "acronym":
            add("multiple_choice", base, ans, choices=[ans, *dis])
        if cloze and f.sub != "acronym" and typed:
            add("cloze", cloze, f.answer if f.kind != "person" else f.extra["surface"],
                accept=[x for x in {ans, *accept} if x != (f.answer if f.kind != "person" else f.extra["surface"])])
        if fr and dis and (f.kind == "date" or f.kind == "person" and _same_role(f, dis[0], pool)):
            add("true_false", *_tf(fr, f, dis, seed))
        per_fact.append(cands)
    return [c for c in per_fact if c] + [
        c for c in _figure_lists(s, facts, src, pool, types, seed, cl, stmt, off, stmt_ok)
        if c
    ]


def _figure_lists(s, facts, src, pool, types, seed, cl, stmt, off, stmt_ok):
    out = []
    compared = comparison(s, facts)
    for f in facts:
        if f.kind != "figure":
            continue
        wh = wh_question(s, cl, f, src.ctx)
        if wh and (dangling(_wh_body(wh)) or _leaks(wh, f.answer) or not _anchored(_wh_body(wh))
                   or compared):
            wh = None
        fr = frame(s.text, cl, off, f) if stmt_ok else None
        cloze = _cloze(fr, f)
        if cloze and _leaks(cloze, re.sub(r"^\D*", "", f.answer)):
            cloze = None
        base = wh or cloze
        if not base or (f.sub == "count" and (f.value or 0) <= 2) or vague_figure(s.text, f):
            continue
        dis = distractors(f, pool, seed + f.key, s.text)
        # a distractor that is another figure of the same sentence makes a confusing statement
        dis = [d for d in dis if not _leak_re(d).search(s.text)] + [
            d for d in dis if _leak_re(d).search(s.text)] if len(dis) > 3 else dis
        tf_dis = [d for d in dis if not _leak_re(d).search(s.text)]
        a2, acc2, tol = number_accept(f)
        cands = []
        if "numeric" in types:
            cands.append(Candidate(f, "numeric", base, a2, accept=acc2, tolerance=tol,
                                   explanation=s.quote))
        if len(dis) == 3 and "multiple_choice" in types:
            cands.append(Candidate(f, "multiple_choice", base, f.answer,
                                   choices=[f.answer, *dis], explanation=s.quote))
        if fr and tf_dis and "true_false" in types:
            p, a = _tf(fr, f, tf_dis, seed)
            if p:
                cands.append(Candidate(f, "true_false", p, a, explanation=s.quote))
        out.append(cands)
    return out


RE_APPROX = re.compile(r"^(?:about|around|nearly|almost|some|approximately|roughly|more than|over"
                       r"|less than|fewer than|at least|up to|several)\s", re.I)


def vague_figure(t: str, f: Fact) -> bool:
    """A figure not worth asking: "about ten", "five republics", "Kazakhstan + 5 states"."""
    if t[: f.start].rstrip().endswith(("+", "×", "x", "-", "/")):
        return True
    if f.sub != "count":
        return False
    num = re.sub(RE_APPROX, "", f.answer).strip()
    if not any(ch.isdigit() for ch in num):
        return bool(RE_APPROX.match(f.answer)) or (not f.extra.get("mods") and (f.value or 0) <= 10)
    return False


def _same_role(f: Fact, other: str, pool: dict) -> bool:
    role = f.extra["entity"].role
    return any(e.name == other and e.role == role for e in pool["persons"])


def _tf(fr: tuple[str, str], f: Fact, dis: list[str], seed: str) -> tuple[str | None, bool]:
    truth = int(h(seed, f.key, "tf")[:2], 16) % 2 == 0
    text = _swap(fr, f.answer if truth else dis[0])
    if not text:
        return None, truth
    text = text.rstrip()
    if not text.endswith("."):
        text += "."
    return f"True or false: {text}", truth


STATE_ROLES = re.compile(
    r"^(?P<role>President|Vice[- ]President|Prime Minister|Deputy Prime Minister|King|Queen|Emperor"
    r"|Empress|Chancellor|Premier|Sultan|Tsar|Emir|Shah)\b(?P<rest>.*)$"
)
RE_NATIONAL = re.compile(
    r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+(?:government|administration|President|Prime Minister|leader)\b"
)
RE_SPAN_YEARS = re.compile(r"^\s*\((\d{4})\s*[-–]\s*(\d{4})\)")


def _dominant_country(src: Source) -> str | None:
    """The country the document is mostly about (>= 30% of country mentions), as written."""
    names, pat = country_names()
    counts: Counter = Counter()
    surface: dict[str, Counter] = {}
    for s in src.sentences:
        for m in pat.finditer(s.text):
            bare = re.sub(r"^the\s+", "", m.group(0))
            canon = names.get(bare, bare)
            counts[canon] += 1
            surface.setdefault(canon, Counter())[m.group(0)] += 1
    if not counts:
        return None
    (top, n), total = counts.most_common(1)[0], sum(counts.values())
    if n < 2 or n < 0.3 * total:
        return None
    return min(surface[top].items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _qualified_role(desc: str, e, src: Source) -> str:
    """Give a head-of-state title its country and term: "President" ->
    "President of the Republic of Korea (2008–2013)" (country: a nationality word used with
    the title in the text, else the document's dominant country; term: "NAME (2008-2013)")."""
    if not re.search(r"\(\d{4}", desc):
        for s in src.sentences:
            for alias in e.aliases:
                i = s.text.find(alias)
                m = RE_SPAN_YEARS.match(s.text[i + len(alias):]) if i >= 0 else None
                if m:
                    desc = f"{desc} ({m.group(1)}–{m.group(2)})"
                    break
            else:
                continue
            break
    m = STATE_ROLES.match(desc)
    if not m:
        return desc
    # the country: the document's dominant one, and only if the person's own sentences name
    # it too ("President Roosevelt visited the site" in a text about Panama stays "President")
    country = _dominant_country(src)
    if not country:
        return desc
    names, pat = country_names()
    canon = names.get(re.sub(r"^the\s+", "", country))
    own = [s.text for s in src.sentences if any(a in s.text for a in e.aliases)]
    stems = {x.group(0).split()[-1][:-1] for s in src.sentences for x in pat.finditer(s.text)
             if names.get(re.sub(r"^the\s+", "", x.group(0))) == canon}
    named = any(names.get(re.sub(r"^the\s+", "", x.group(0))) == canon
                for t in own for x in pat.finditer(t))
    adjective = any(a.group(1).split()[-1].startswith(tuple(stems))
                    for t in own for a in RE_NATIONAL.finditer(t)) if stems else False
    if not named and not adjective:
        return desc
    return f"{m.group('role')} of {country}{m.group('rest')}"


def _flashcards(src: Source, types: set[str]) -> list[list[Candidate]]:
    out: list[list[Candidate]] = []
    if "flashcard" not in types and "short_answer" not in types:
        return out
    for acr, e in sorted(src.ctx.acronyms.items()):
        s = e.sentence
        f = Fact(e.kind, acr, 0, 0, s, sub="acronym", extra={"entity": e})
        c = []
        if "flashcard" in types:
            c.append(Candidate(f, "flashcard", acr, e.expansion, accept=[],
                               explanation=s.text))
        if "short_answer" in types:
            c.append(Candidate(f, "short_answer", f"What does the abbreviation {acr} stand for?",
                               e.expansion, accept=[], explanation=s.text))
        out.append(c)
    for name, e in sorted(src.ctx.persons.items()):
        if not e.extra_desc or not e.sentence or "flashcard" not in types:
            continue
        desc = _qualified_role(tidy(e.extra_desc), e, src)
        if dangling(desc) or len(desc.split()) > 14 or len(desc.split()) < 2:
            continue
        f = Fact("person", name, 0, 0, e.sentence, sub="role", extra={"entity": e})
        out.append([Candidate(f, "flashcard", name, desc[0].upper() + desc[1:],
                              explanation=e.sentence.text)])
    return out


RE_DEFINITION = re.compile(
    r"^(?P<term>(?:['\"“‘][^'\"”’]{2,40}['\"”’]|[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4}))\s+"
    r"(?:is|are)\s+(?P<def>(?:a|an|the)\s+[^;]{12,180}?)\.$"
)


def _definitions(src: Source, sentences: list[Sentence], types: set[str]) -> list[list[Candidate]]:
    out = []
    if "flashcard" not in types:
        return out
    for s in sentences:
        st, _ = statement(s, None)
        m = RE_DEFINITION.match(st)
        if not m:
            continue
        term, d = m.group("term"), m.group("def")
        first = term.strip("'\"“‘").split()[0]
        named = term[0] in "'\"“‘" or "-" in first or first.isupper() or (
            first.lower() not in src.ctx.lower_words)
        places, _ = country_names()
        if (not named or first in lx.STOP_CAPS or dangling(d) or dangling(term)
                or term in places or term in src.ctx.persons):
            continue
        if re.search(r"\b(?:one of|not|also)\b", d):
            continue
        f = Fact("other", term.strip("'\"“”‘’"), m.start("term"), m.end("term"), s, sub="definition")
        out.append([Candidate(f, "flashcard", f.answer, d[0].upper() + d[1:], explanation=s.text)])
    return out


TYPE_PREF = {
    "date": ["short_answer", "multiple_choice", "cloze", "true_false"],
    "person": ["short_answer", "multiple_choice", "flashcard", "cloze", "true_false"],
    "programme": ["short_answer", "multiple_choice", "cloze", "true_false", "flashcard"],
    "organisation": ["short_answer", "multiple_choice", "cloze", "true_false", "flashcard"],
    "figure": ["numeric", "multiple_choice", "true_false"],
    "place": ["short_answer", "multiple_choice", "cloze", "true_false"],
    "other": ["flashcard", "cloze"],
}


def _pick(cands: list[Candidate], max_per_fact: int, rot: int) -> list[Candidate]:
    if not cands:
        return []
    kind = cands[0].fact.kind
    pref = TYPE_PREF.get(kind, list(TYPES))
    by_type: dict[str, Candidate] = {}
    for c in cands:
        by_type.setdefault(c.type, c)
    order = [t for t in pref if t in by_type] + sorted(t for t in by_type if t not in pref)
    # the first (best formed) type first, then rotate the rest so types stay balanced
    if len(order) > 2:
        tail = order[1:]
        k = rot % len(tail)
        order = [order[0], *tail[k:], *tail[:k]]
    return [by_type[t] for t in order[:max_per_fact]]


def _own_countries(src: Source) -> set[str]:
    """The country the whole document is about: too broad to be a topic."""
    top = _dominant_country(src)
    if not top:
        return set()
    names, _ = country_names()
    return {names.get(re.sub(r"^the\s+", "", top), top)}


def _topic_candidates(f: Fact, src: Source, sentence_facts: dict, skip: set[str]) -> list[str]:
    s = f.sentence
    out = []
    head = heading_topic(s.section)
    if head:
        out.append(head)
    facts = sentence_facts.get((src.id, s.text)) or [f]
    out += [t for t in fact_topics(s.text, facts, src.ctx, skip) if t not in out]
    return out


def _question_dict(c: Candidate, src: Source) -> dict:
    f = c.fact
    s = f.sentence
    qid = h(src.doc.sha256, f.kind, norm(f.answer), norm(s.text), c.type)[:16]
    tags = sorted({f.kind, *( [f.sub] if f.sub and f.sub not in ("name", "quoted") else [])})
    q = {
        "id": qid,
        "type": c.type,
        "prompt": c.prompt,
        "answer": c.answer,
        "accept": sorted(set(c.accept) - {c.answer}) if isinstance(c.answer, str) else [],
        "explanation": c.explanation,
        "source": {"id": src.id, "quote": s.quote, "start": s.start, "end": s.end},
        "fact_kind": f.kind,
        "topic": "",
        "tags": tags,
    }
    if c.type == "multiple_choice":
        q["choices"] = order_choices(qid, c.choices[0], c.choices[1:])
    if c.type == "numeric":
        q["tolerance"] = c.tolerance
    return q


def _valid(q: dict) -> bool:
    p = q["prompt"]
    if not p or has_foreign_script(p) or re.search(r"https?://|www\.|[¹²³⁴⁵⁶⁷⁸⁹⁰]|\[\d", p):
        return False
    if q["type"] in ("true_false", "flashcard"):
        return True
    ans = str(q["answer"])
    if _leaks(p, ans):
        return False
    if q["type"] == "multiple_choice":
        ch = q["choices"]
        if len(ch) != 4 or len({norm(x) for x in ch}) != 4 or ch.count(ans) != 1:
            return False
    return True


def generate_bank(paths, *, title=None, types=None, max_per_fact=3, progress=False,
                  read_limits: dict | None = None) -> GenerationResult:
    """`read_limits`: read_document's caps ({"max_pages": N, "max_chars": N}) for every document."""
    paths = [Path(p) for p in paths]
    types = set(types) if types else set(TYPES)
    unknown = types - set(TYPES)
    if unknown:
        raise GenerationError(f"unknown question type(s): {', '.join(sorted(unknown))}")
    report = Report()
    sources: list[Source] = []
    iterator = paths
    bar = None
    if progress and len(paths) > 1:
        from tqdm import tqdm

        bar = tqdm(paths, desc="reading", unit="doc")
        iterator = bar
    for i, p in enumerate(iterator):
        try:
            src = load_source(p, f"s{len(sources) + 1}", i, read_limits)
        except ReadError as exc:
            report.warnings.append(str(exc))
            continue
        if not src.sentences:
            report.warnings.append(f"{p}: no prose sentences found after cleaning")
            continue
        sources.append(src)
    if bar is not None:
        bar.close()
    report.documents = len(sources)

    # facts
    all_facts: list[Fact] = []
    per_sentence: list[tuple[Source, Sentence, list[Fact]]] = []
    for src in sources:
        history: list[list[tuple[str, set]]] = []
        prev: Sentence | None = None
        for s0 in src.sentences:
            report.sentences += 1
            s1 = rewrite(s0, prev, history, src.ctx)
            prev = s1
            reason = sentence_skip_reason(s1)
            if reason:
                history.append(recent_names(extract_facts(s1, src.ctx)))
                report.skipped[reason] += 1
                report.skipped_examples.append((src.doc.path.name, reason, s1.text[:100]))
                continue
            names: list = []
            found = False
            for s in split_coordination(s1):
                facts = extract_facts(s, src.ctx)
                names += recent_names(facts)
                if facts:
                    found = True
                    all_facts.extend(facts)
                    per_sentence.append((src, s, facts))
            history.append(names)
            if not found:
                report.skipped["no facts found"] += 1
                report.skipped_examples.append((src.doc.path.name, "no facts found", s1.text[:100]))
    report.facts = len(all_facts)
    pool = _pools(sources, all_facts)

    groups: list[tuple[Source, list[Candidate]]] = []
    for src in sources:
        for cands in _flashcards(src, types) + _definitions(src, src.sentences, types):
            groups.append((src, cands))
    for src, s, facts in per_sentence:
        lists = candidates_for(s, facts, src, pool, types, src.doc.sha256)
        if not lists:
            report.skipped["no well-formed question"] += 1
            report.skipped_examples.append((src.doc.path.name, "no well-formed question", s.text[:100]))
        for cands in lists:
            groups.append((src, cands))

    questions: list[tuple[int, dict]] = []
    sentence_facts: dict[tuple[str, str], list[Fact]] = {}
    for src, s, facts in per_sentence:
        sentence_facts.setdefault((src.id, s.text), []).extend(facts)
    topic_of: dict[str, tuple[list[str], str]] = {}
    skip_countries = {src.id: _own_countries(src) for src in sources}
    fallback = {src.id: title_topic(src.title) for src in sources}
    seen_prompts: set[str] = set()
    seen_ids: set[str] = set()
    seen_facts: set[tuple] = set()
    for gi, (src, cands) in enumerate(groups):
        if not cands:
            continue
        f = cands[0].fact
        fkey = (src.id, f.kind, norm(f.answer), norm(f.sentence.text),
                f.sub in ("role", "acronym", "definition") and f.start == f.end)
        if fkey in seen_facts:
            continue
        seen_facts.add(fkey)
        for rank, c in enumerate(_pick(cands, max_per_fact, gi)):
            q = _question_dict(c, src)
            pk = norm(q["prompt"]) + "|" + q["type"]
            if q["id"] in seen_ids or pk in seen_prompts or not _valid(q):
                continue
            seen_ids.add(q["id"])
            seen_prompts.add(pk)
            questions.append((rank, q))
            topic_of[q["id"]] = (_topic_candidates(c.fact, src, sentence_facts, skip_countries[src.id]),
                                 fallback[src.id])
    questions = _balance(questions)
    assign_topics([(q, *topic_of[q["id"]]) for q in questions])
    if not questions:
        names = ", ".join(str(p) for p in paths) or "(no files)"
        detail = "; ".join(report.warnings)
        raise GenerationError(
            f"no questions could be generated from {names}" + (f" ({detail})" if detail else "")
        )
    for q in questions:
        report.per_type[q["type"]] += 1
        report.per_kind[q["fact_kind"]] += 1
    for src in sources:
        n = sum(1 for q in questions if q["source"]["id"] == src.id)
        if n == 0:
            report.warnings.append(f"{src.doc.path}: no facts found to ask about")

    if title is None:
        title = sources[0].title if len(sources) == 1 else "; ".join(s.title for s in sources)
    bank = {
        "format": FORMAT,
        "title": title,
        "description": (
            f"Questions generated from {len(sources)} document(s): "
            + "; ".join(s.title for s in sources)
        ),
        "language": "en",
        "sources": [
            {"id": s.id, "title": s.title, "authors": s.cleaned.authors,
             "file": s.doc.path.name, "sha256": s.doc.sha256}
            for s in sources
        ],
        "generator": {"name": "studyapp", "version": _version()},
        "questions": questions,
    }
    return GenerationResult(bank, report)


def _balance(questions: list[tuple[int, dict]], cap: float = 0.4) -> list[dict]:
    """Keep any one fact kind from dominating: drop its lower-ranked extra questions."""
    qs = list(questions)
    for _ in range(3):
        total = len(qs)
        kinds = Counter(q["fact_kind"] for _, q in qs)
        over = [k for k, n in kinds.items() if n > cap * total and total > 20]
        if not over:
            break
        for k in over:
            excess = kinds[k] - int(cap * total)
            drop = sorted(
                (i for i, (r, q) in enumerate(qs) if q["fact_kind"] == k and r > 0),
                key=lambda i: (-qs[i][0], qs[i][1]["id"]),
            )[:excess]
            dropset = set(drop)
            qs = [x for i, x in enumerate(qs) if i not in dropset]
    return [q for _, q in qs]


def write_bank(bank: dict, path) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(dumps(bank), encoding="utf-8")


def dumps(bank: dict) -> str:
    return json.dumps(bank, ensure_ascii=False, indent=2) + "\n"


def explain(path) -> str:
    """Facts found, sentence by sentence (for ``studyapp generate --explain``)."""
    try:
        src = load_source(path, "s1")
    except ReadError as exc:
        raise GenerationError(str(exc)) from exc
    lines = [f"# {src.title}", f"authors: {', '.join(src.cleaned.authors) or '-'}",
             f"sentences: {len(src.sentences)}", ""]
    for reason, excerpt in src.cleaned.dropped:
        lines.append(f"[dropped: {reason}] {excerpt}")
    lines.append("")
    history: list[list[tuple[str, set]]] = []
    prev: Sentence | None = None
    for s0 in src.sentences:
        lines.append(f"[{s0.start}:{s0.end}] {s0.text}")
        s1 = rewrite(s0, prev, history, src.ctx)  # the same repairs as generate_bank
        prev = s1
        reason = sentence_skip_reason(s1)
        if reason:
            history.append(recent_names(extract_facts(s1, src.ctx)))
            lines.append(f"    skipped: {reason}")
            continue
        names: list = []
        for s in split_coordination(s1):
            if s.text != s0.text:
                lines.append(f"    read as: {s.text}")
            facts = extract_facts(s, src.ctx)
            names += recent_names(facts)
            if not facts:
                lines.append("    (no facts)")
            for f in facts:
                extra = f" [{f.sub}]" if f.sub else ""
                lines.append(f"    {f.kind}{extra}: {f.answer}")
        history.append(names)
    return "\n".join(lines) + "\n"
