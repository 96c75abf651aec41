"""Turning facts into questions: wh-questions, cloze, true/false, MC, numeric, flashcards."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from . import lexicon as lx
from .extract import (
    RE_DATE,
    YEAR,
    Clause,
    DocContext,
    Fact,
    Sentence,
    analyze,
    norm,
    parse_number,
)

BLANK = "____"


@dataclass
class Candidate:
    fact: Fact
    type: str
    prompt: str
    answer: object
    accept: list[str] = field(default_factory=list)
    choices: list[str] | None = None
    tolerance: float | None = None
    explanation: str = ""


def h(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()


# --------------------------------------------------------------------------- text helpers


def tidy(text: str) -> str:
    t = re.sub(r"\s+", " ", text)
    t = re.sub(r"\s+([,.;:?!)])", r"\1", t)
    t = re.sub(r"\(\s+", "(", t)
    t = re.sub(r",\s*,", ",", t)
    t = re.sub(r"\(\s*\)", "", t)
    return t.strip(" ,;:")


def dangling(text: str) -> bool:
    return bool(lx.DANGLING.search(text)) or bool(lx.PRONOUN_START.match(text))


def cut_rest(rest: str) -> str:
    """Keep the main clause: stop at non-restrictive relatives and coordinated clauses."""
    m = re.search(
        r",['’\"”]?\s*(?:(?:in|of|by|through|under|during|with) which|which|where|when|while|whereas|who|although|though|as well as|thus|so that|"
        r"and|but|or|thereby|including|aimed|focused|characterized|designed)\b|;|\s[–—]\s|:",
        rest,
    )
    if m:
        rest = rest[: m.start()]
    m = re.search(
        r"\s(?:and|but)\s+(?=(?:the|a|an|[A-Z])\w*\s[^,]*?\b(?:is|are|was|were|has|have|had)\b"
        r"|(?:for|in|since|during|over)\s[^,]*?\b(?:has|have|had|is|are|was|were)\s+[a-z]+(?:ed|en|wn|ng)\b"
        r"|(?:[a-z]+(?:s|ed))\s(?:the|a|an|[a-z]+s|\d[\d,.]*)\b)",
        rest,
    )
    if m:
        rest = rest[: m.start()]
    return rest


def lower_first(np: str, ctx: DocContext) -> str:
    parts = np.split(" ", 2)
    w = parts[0]
    nxt = parts[1] if len(parts) > 1 else ""
    if w in ("The", "A", "An", "Former", "Current", "Then") or nxt[:1].islower() and (
        w[:1].isupper() and not w.isupper() and w.lower() in ctx.lower_words
    ):
        return np[0].lower() + np[1:]
    return np


def statement(s: Sentence, cl: Clause | None) -> tuple[str, int]:
    """The sentence without a leading label / discourse marker; returns (text, offset)."""
    t = s.text
    off = 0
    if cl and cl.label:
        m = re.match(r"^[^:]+:\s+", t)
        off = m.end()
    m = re.match(rf"{lx.DISCOURSE}\b,?\s+", t[off:])
    if m:
        off += m.end()
    out = t[off:]
    if out and out[0].islower():
        out = out[0].upper() + out[1:]
    return out, off


# --------------------------------------------------------------------------- wh questions


def _invert(t: str, cl: Clause, rest: str, ctx: DocContext) -> str | None:
    subj = t[cl.subj[0] : cl.subj[1]].strip()
    if not subj or "," in subj or len(subj.split()) > 16 or dangling(subj):
        return None
    lower_ok = bool(cl.fronted) and re.fullmatch(r"[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2}", subj) is not None
    if not (subj[0].isupper() or subj[0].isdigit() or subj.split()[0] in ("the", "a", "an") or lower_ok) or len(re.findall(r"(?<!\w)['‘’\"“”]|['‘’\"“”](?!\w)", subj)) % 2:
        return None
    subj = lower_first(subj, ctx)
    advs = [a for a in cl.advs if a not in ("also", "then", "even", "only")]
    if cl.aux:
        if cl.verb is None and cl.aux[0] in lx.BE_FORMS:
            return f"{cl.aux[0]} {subj} {' '.join(advs)} {rest}"
        head, tail = cl.aux[0], cl.aux[1:]
        return f"{head} {subj} {' '.join(tail + advs)} {cl.verb or ''} {rest}"
    lemma = lx.lemma_past(cl.verb or "")
    if not lemma or re.match(r"\s*by\s", rest):
        return None  # "a panel led by X reviewed ...": "led" is a participle, not the verb
    return f"did {subj} {' '.join(advs)} {lemma} {rest}"


# fronted phrases worth keeping in a question: dates (kept above), a place, or the named
# frame of the event ("Under the X Programme", "During the Y War"); not "According to ..."
RE_KEEP_FRONT = re.compile(
    r"(?:(?:In|At)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}"
    r"|(?:Under|During|Within|As part of|Through)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,5}[A-Z][\w'’-]*)$"
)


def _kept_fronted(t: str, cl: Clause, skip: tuple[int, int] | None) -> str:
    keep = []
    for a, b in cl.fronted:
        if skip and a <= skip[0] < b:
            continue
        txt = t[a:b].strip()
        if dangling(txt) or not (RE_DATE.search(txt) or RE_KEEP_FRONT.match(txt)):
            continue
        keep.append(txt[0].lower() + txt[1:])
    return " ".join(keep)


def _finish(q: str) -> str:
    q = tidy(re.sub(r"\.(?=\s|$)(?<!\b[A-Z]\.)", "", q))
    return q[0].upper() + q[1:] + "?"


RE_PHASE_OF = re.compile(
    r"\b([Ss]ince|[Ii]n|[Dd]uring)\s+the\s+(?:very\s+)?(?:beginning|start|end|middle|turn)\s+of\s+$"
)
RE_YEAR_SUBJ = re.compile(rf"[Tt]he\s+year\s+{YEAR}")
RE_UNDER_SUBJ = re.compile(rf"(?P<np>.+?)\s+(?P<prep>under|led by)\s+(?:(?P<role>{lx.PERSON_ROLES})\s+)?$")
RE_UNDER_FRONT = re.compile(
    rf"^(?P<prep>[Dd]uring|[Uu]nder)\s+(?:(?:then|former)[- ])?(?:(?P<role>{lx.PERSON_ROLES})\s+)?$"
)
RE_ADMIN_AFTER = re.compile(r"^['’]s\s+(?P<noun>administration|presidency|government|rule|leadership|tenure|term)$")


def _under_person(t: str, cl: Clause, f: Fact, role: str, ctx: DocContext) -> str | None:
    """ "S under President X (2017-2022) did Y" -> "Under which president did S do Y?";
    "During President X's administration, S was Y" -> "During which president's administration was S Y?" """
    a, b = f.start, f.end
    if cl.verb is None:
        return None
    if cl.subj[0] <= a and b <= cl.subj[1] + 1:
        m = RE_UNDER_SUBJ.fullmatch(t[cl.subj[0] : a])
        after = t[b : cl.subj[1]].strip()
        if not m or after and not re.fullmatch(r"\(\d{4}\s*[-–]\s*\d{4}\)", after):
            return None
        np = m.group("np").strip()
        cl2 = replace(cl, subj=(cl.subj[0], cl.subj[0] + len(np)))
        rest = cut_rest(t[cl.rest[0] : cl.rest[1]]).strip(" ,.")
        body = _invert(t, cl2, rest + " " + _kept_fronted(t, cl, None), ctx)
        role = (m.group("role") or role).lower()
        return _finish(f"Under which {role} {body}") if body else None
    for x, y in cl.fronted:
        if x <= a and b <= y:
            m = RE_UNDER_FRONT.match(t[x:a])
            n = RE_ADMIN_AFTER.match(t[b:y].strip())
            if not m or not n:
                return None
            rest = cut_rest(t[cl.rest[0] : cl.rest[1]]).strip(" ,.")
            body = _invert(t, cl, rest + " " + _kept_fronted(t, cl, (x, y)), ctx)
            prep = m.group("prep").capitalize()
            role = (m.group("role") or role).lower()
            return _finish(f"{prep} which {role}'s {n.group('noun')} {body}") if body else None
    return None


RE_WHERE_GAP = re.compile(r"(?:[a-z]+ing|(?:an?|the|its|their|his|her|new)(?:\s+[a-z][\w-]*){1,2})")
RE_PRONOUN_COORD = re.compile(r"\s+and\s+(?:an?|the)\s+[^,]*?\b(?:for|of|about|to|with)\s+(?:it|them)$")
RE_WHEN_CLAUSE = re.compile(r",\s+when\s+")


def _when_clause(t: str, b: int, ctx: DocContext) -> str | None:
    """``..., when J. Nye published X`` after a date -> "When did Joseph Nye publish X?"."""
    m = RE_WHEN_CLAUSE.match(t, b)
    if not m:
        return None
    sub = t[m.end():]
    cl = analyze(sub)
    if cl is None or cl.fronted or cl.label:
        return None
    subj = sub[cl.subj[0] : cl.subj[1]].strip()
    e = ctx.person_of(subj)
    if e is None and not re.match(r"(?:[Tt]he\s+)?[A-Z]", subj):
        return None
    rest = cut_rest(sub[cl.rest[0] : cl.rest[1]]).strip(" ,.")
    rest = re.sub(r"\s*\([^()]*\)$", "", rest)
    body = _invert(sub, cl, rest, ctx)
    if not body:
        return None
    if e is not None:
        body = body.replace(subj, e.name, 1)
    return _finish(f"When {body}")


PREP_BEFORE = re.compile(
    r"(?:\b(?P<prep>in|on|since|during|at|from|by|until|of|between|to|with a total funding of|"
    r"with funding of|worth|for|with)\s+(?:the\s+(?:period\s+from\s+)?)?)$",
    re.I,
)


def wh_question(s: Sentence, cl: Clause | None, f: Fact, ctx: DocContext) -> str | None:
    if cl is None:
        return None
    t = s.text
    a, b = f.start, f.end
    kind = f.kind
    if kind == "figure" and f.sub == "count":
        b = f.extra["np_end"]
    in_rest = cl.rest[0] <= a and b <= cl.rest[1] + 1
    in_front = next(((x, y) for x, y in cl.fronted if x <= a and b <= y), None)
    in_subj = cl.subj[0] <= a and b <= cl.subj[1] + 1

    if kind == "date" and in_subj and cl.verb and RE_YEAR_SUBJ.fullmatch(t[cl.subj[0] : cl.subj[1]].strip()):
        # "The year 2020 has been designated as ..." -> "Which year has been designated as ...?"
        rest = cut_rest(t[cl.rest[0] : cl.rest[1]]).strip(" ,.")
        advs = [x for x in cl.advs if x not in ("also", "then", "only", "even")]
        return _finish(f"Which year {' '.join(cl.aux + advs)} {cl.verb} {rest}")
    if kind in ("date", "place"):
        pm = PREP_BEFORE.search(t[: a])
        prep = pm.group("prep").lower() if pm else ""
        pa = pm.start() if pm else a
        pb = RE_PHASE_OF.search(t[: a]) if kind == "date" else None
        if pb:  # "since the beginning of the 2000s" asks "since when"
            prep, pa = pb.group(1).lower(), pb.start()
        if kind == "date":
            if RE_WHEN_CLAUSE.match(t, b) and f.sub != "range":
                q = _when_clause(t, b, ctx)  # "until 1967, when the WHO launched X"
                if q:
                    return q
            if f.sub in ("range",) or prep not in ("in", "on", "since", "during", ""):
                return None
            if cl.verb is None:
                return _when_clause(t, b, ctx)
            wh = "Since when" if prep == "since" else "When"
        else:
            if prep not in ("in", "at"):
                return None
            between = t[cl.rest[0] : pa] if in_rest else ""
            if not in_rest or "," in between or len(between.split()) > 3 or cl.verb is None:
                return None
            # "in PLACE" must belong to the event: right after the verb, its -ing complement
            # or its object ("opened an embassy in X"), not after another phrase
            # ("implemented with universities in X" is about the universities)
            if between.strip() and not RE_WHERE_GAP.fullmatch(between.strip()):
                return None
            wh = "Where"
        if in_front:
            x, y = in_front
            if tidy(t[x:pa] + t[b:y]).strip():
                return None
            fronted = _kept_fronted(t, cl, in_front)
            rest = cut_rest(t[cl.rest[0] : cl.rest[1]])
        elif in_rest:
            r0, r1 = cl.rest
            after = t[b:r1]
            if kind == "place":  # "in Bergen, Norway, in 1921" -> drop the country with the city
                after = re.sub(r"^,\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}(?=,|\s|$)", "", after)
            if not t[r0:pa].rstrip().endswith(","):
                after = re.sub(r"^\s*,\s*(?=(?:in|at|on|near)\s)", " ", after)
            rest_full = t[r0:pa] + " " + after
            cut = cut_rest(t[r0:r1])
            if pa - r0 > len(cut):
                return None
            if re.search(r"\b(?:and|but|then)\s+(?:later\s+)?[a-z]+ed\b", t[r0:pa]):
                return None  # "studied law and graduated in 1971": the date is the second verb's
            rest = cut_rest(rest_full)
            fronted = _kept_fronted(t, cl, None)
        else:
            return None
        if re.search(r"\b(?:when|where)\b", rest):
            return _when_clause(t, b, ctx) if kind == "date" else None
        if kind == "date" and RE_DATE.search(rest):
            return None  # "grew from 12,000 in 1850 to 85,000 in 1900": which date is asked?
        rest = RE_PRONOUN_COORD.sub("", rest.strip(" ,."))
        body = _invert(t, cl, rest + " " + fronted, ctx)
        if body is None and kind == "date":
            return _when_clause(t, b, ctx)
        return _finish(f"{wh} {body}") if body else None

    if kind == "figure":
        if f.sub == "percent":
            return None
        np_txt = ""
        if f.sub == "count":
            if re.match(r"\s+(?:and|or)\s+\d", t[b:]):
                return None
            np_txt = " ".join(x for x in (f.extra["mods"], f.extra["noun"]) if x)
            of = re.match(r"\s+of\s+[a-z]+(?:\s+(?!(?:in|on|at|by|for|to|from|and|or)\b)[a-z]+)?(?=[\s,.;]|$)", t[b:])
            if of and not re.search(r"\b(?:the|a|an|in|on|at|by|for|to|from)\b", of.group(0)[4:]):
                np_txt += of.group(0)  # "tonnes of cargo"
                b += len(of.group(0))
            wh = f"How many {np_txt}"
        elif f.sub == "money":
            wh = "How much"
        else:
            return None
        if in_subj and t[cl.subj[0] : a].strip() == "" and cl.subj[1] <= b + 1:
            rest = cut_rest(t[cl.rest[0] : cl.rest[1]])
            advs = [x for x in cl.advs if x not in ("also", "then", "only", "even")]
            fronted = _kept_fronted(t, cl, None)
            return _finish(f"{wh} {' '.join(cl.aux + advs)} {cl.verb or ''} {rest} {fronted}")
        if in_rest and cl.verb and not cl.aux:
            r0, r1 = cl.rest
            if t[r0:a].strip() not in ("", "over", "out"):
                return None
            rest = cut_rest(t[r0:a] + " " + t[b:r1])
            if f.sub == "money":
                rest = re.sub(r"^\s*(?:for|to)\s+", lambda m: m.group(0), rest)
            fronted = _kept_fronted(t, cl, None)
            body = _invert(t, cl, rest.strip(" ,.") + " " + fronted, ctx)
            return _finish(f"{wh} {body}") if body else None
        return None

    if kind == "person":
        e = f.extra["entity"]
        is_pres = e.role and e.role.lower() in ("president", "prime minister", "king", "queen",
                                                "emperor", "chancellor", "minister", "governor",
                                                "mayor", "premier")
        if is_pres:
            q = _under_person(t, cl, f, e.role.lower(), ctx)
            if q:
                return q
            if re.search(r"\b(?:under|during)\s+(?:\w+\s+)?$", t[max(0, a - 30) : a]):
                return None
        # "Which president" only when the sentence itself gives the title before the name
        is_pres = is_pres and bool(re.search(rf"{lx.PERSON_ROLES}\s+$", t[max(0, a - 40) : a]))
        wh = f"Which {e.role.lower()}" if is_pres else "Who"
        subj = t[cl.subj[0] : cl.subj[1]]
        # subject is the person (with title / apposition)
        pre = t[cl.subj[0] : a]
        post = t[b : cl.subj[1]].strip()
        if in_subj and (re.fullmatch(rf"\s*(?:(?:[Ff]ormer|[Cc]urrent|[Tt]hen|[Ll]ate|The|the)[- ])?(?:[A-Z][\w-]*\s+){{0,3}}{lx.PERSON_ROLES}?\s*", pre) or not pre.strip()) and (
                not post or post.startswith(",")):
            if cl.verb is None and not cl.aux:
                return None
            rest = cut_rest(t[cl.rest[0] : cl.rest[1]])
            advs = [x for x in cl.advs if x not in ("also", "then", "only", "even")]
            fronted = _kept_fronted(t, cl, None)
            q = f"{wh} {' '.join(cl.aux + advs)} {cl.verb or ''} {rest} {fronted}"
            return _finish(q) if len(subj) < 160 else None
        # "... X (which was) introduced by [President] NAME [in DATE]"
        m = re.search(
            rf"(?P<np>(?:the\s+)?(?:['\"‘“][^'\"’”]+['\"’”](?:\s+(?!(?:was|were|is|are|has|have|had)\b)[a-z]+)?|[A-Z][\w-]*(?:\s+[A-Z][\w-]*)+)),?\s+"
            rf"(?:(?:which|that)\s+(?:was|were|has been|had been)\s+)?(?P<v>[a-z]+)\s+(?:into [\w\s]+? )?by\s+"
            rf"(?:(?:[Ff]ormer|[Tt]hen|[Cc]urrent)[- ])?(?:[A-Z][\w-]*\s+)?{lx.PERSON_ROLES}?\s*$",
            t[:a],
        )
        if m:
            past = lx.past_of_participle(m.group("v"))
            if not past:
                return None
            np = re.sub(r",(['\"’”])$", r"\1", m.group("np"))
            tail = re.match(rf"\s*(?:\(\d{{4}}\s*[-–]\s*\d{{4}}\)\s*)?(?P<d>\s*in\s+(?:{lx.MONTH_RE}\s+)?\d{{4}})?", t[b:])
            date = tail.group("d") or ""
            return _finish(f"{wh} {past} {np} {date.strip()}")
        # passive main clause "S was V-ed ... by NAME"
        if in_rest and cl.aux and cl.aux[0] in lx.BE_FORMS and len(cl.aux) == 1 and cl.verb:
            pm = re.search(r"\bby\s+(?:[Ff]ormer\s+|[Tt]hen[- ])?(?:[A-Z][\w-]*\s+)?(?:" + lx.PERSON_ROLES + r"\s+)?$", t[: a])
            if not pm or pm.start() < cl.rest[0]:
                return None
            past = lx.past_of_participle(cl.verb)
            if not past:
                return None
            subj_np = t[cl.subj[0] : cl.subj[1]].strip()
            if "," in subj_np or dangling(subj_np):
                return None
            mid = t[cl.rest[0] : pm.start()]
            after = re.match(r"(?:,\s*(?:an?|the)\s[^,]*)?(?:,\s*[a-z][^,.;]*)?", t[b:])
            tail = t[b + (after.end() if after else 0) : cl.rest[1]]
            q = f"{wh} {past} {lower_first(subj_np, ctx)} {mid} {cut_rest(tail)}"
            return _finish(q)
        return None

    if kind in ("programme", "organisation"):
        head = f.extra.get("head", "")
        qh = lx.QUESTION_HEAD.get(head) or (head if head in lx.WORK_NOUNS else None)
        if not qh or not in_subj or cl.aux and cl.verb is None or t[cl.subj[0] : a].strip(" '\"‘“").lower() not in ("", "the", f"the {qh}"):
            return None
        post = t[b : cl.subj[1]].strip(" '\"’”")
        if post and post.lower() != qh and post.lower() != head.lower():
            return None
        if cl.verb is None:
            return None
        rest = cut_rest(t[cl.rest[0] : cl.rest[1]])
        advs = [x for x in cl.advs if x not in ("also", "then", "only", "even")]
        fronted = _kept_fronted(t, cl, None)
        return _finish(f"Which {qh} {' '.join(cl.aux + advs)} {cl.verb} {rest} {fronted}")
    return None


# --------------------------------------------------------------------------- distractors


def fmt_number_like(surface: str, value: float) -> str:
    """Write ``value`` (same scale as the number in ``surface``) the way ``surface`` does."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", surface)
    if not m:
        return surface
    num = m.group(0)
    decimals = len(num.split(".")[1]) if "." in num else 0
    if decimals:
        s = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    else:
        s = f"{round(value):,}" if "," in num else str(round(value))
    return surface[: m.start()] + s + surface[m.end() :]


def _surface_number(surface: str) -> float | None:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", surface)
    return float(m.group(0).replace(",", "")) if m else None


def _trailing_zeros(num: str) -> int:
    digits = num.replace(",", "")
    z = len(digits) - len(digits.rstrip("0"))
    return min(z, max(len(digits) - 1, 0))


def _leak_re(a: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(a)}(?!\w)")


def distractors(f: Fact, pool: dict, seed: str, avoid: str = "") -> list[str]:
    """Wrong answers of the same kind; none that appears in ``avoid`` (the sentence)."""
    ans = f.answer
    out: list[str] = []

    def add(x: str) -> None:
        if not x or norm(x) == norm(ans) or norm(x) in {norm(o) for o in out}:
            return
        if f.kind in ("programme", "organisation", "person", "other") and any(
                fuzz.token_set_ratio(x, o) >= 80 or fuzz.ratio(x, o) >= 80 or fuzz.partial_ratio(x, o) >= 90
                or x.lower() in o.lower() or o.lower() in x.lower() for o in (ans, *out)):
            return
        if f.kind == "place" and _canon(x) in {_canon(ans), *(_canon(o) for o in out)}:
            return
        out.append(x)

    if f.kind == "date":
        year = int(f.value) if f.value else None
        years = pool["years"]
        latest = max(years) if years else None
        # never a year after the document's latest unless the answer is itself that late
        cap = latest if latest and year and year <= latest else None

        def ok_year(y: int) -> bool:
            return (cap is None or y <= cap) and not (avoid and _leak_re(str(y)).search(avoid))

        if f.sub == "year" and year:
            near = sorted({int(d) for d in years if d != year and abs(d - year) <= 12 and ok_year(int(d))},
                          key=lambda d: (abs(d - year), d))
            for d in near[:2]:
                add(str(d))
            for k in (1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6):
                if len(out) >= 3:
                    break
                if ok_year(year + k):
                    add(str(year + k))
        elif f.sub in ("day", "month", "season") and year:
            same = [d for d in pool.get(f.sub, []) if abs((_year_of(d) or 0) - year) <= 6
                    and ok_year(_year_of(d) or 0) and not (avoid and _leak_re(d).search(avoid))]
            same.sort(key=lambda d: (h(seed, d)))
            for d in same[:2]:
                add(d)
            for k in (1, -1, 2, -2, 3, -3, 4, -4):
                if len(out) >= 3:
                    break
                if ok_year(year + k):
                    add(ans.replace(str(year), str(year + k)))
        elif f.sub == "decade":
            m = re.search(r"(\d{4})s", ans)
            if m:
                y = int(m.group(1))
                for k in (10, -10, 20, -20):
                    if cap is None or y + k <= cap:
                        add(ans.replace(m.group(1), str(y + k)))
        return out[:3]
    if f.kind == "figure":
        v = _surface_number(ans)
        if not v or v <= 0:
            return []
        unit = re.sub(r"[\d,.\s]+", " ", ans).strip().lower()
        num = re.search(r"\d[\d,]*(?:\.\d+)?", ans).group(0)
        decimals = len(num.split(".")[1]) if "." in num else 0
        ceiling = 100.0 if f.sub == "percent" and v <= 100 else None

        def plausible(x: str) -> bool:
            xv = _surface_number(x)
            if xv is None or xv <= 0 or abs(xv - v) < 1e-9 or not 0.5 <= xv / v <= 2:
                return False
            if ceiling is not None and xv > ceiling:
                return False
            if ceiling is not None and xv == ceiling and v < ceiling:
                return False  # "100% of households" is a different kind of claim
            x_num = re.search(r"\d[\d,]*(?:\.\d+)?", x).group(0)
            if ("." in x_num) != bool(decimals):
                return False  # "9.4 villages" for "37 villages"
            return not (avoid and _leak_re(x).search(avoid)) and not (
                avoid and re.search(rf"(?<![\d.,]){re.escape(x_num)}(?![\d]|[.,]\d)", avoid))

        for other in sorted(pool["figures"].get(f.sub, []), key=lambda x: h(seed, x)):
            if re.sub(r"[\d,.\s]+", " ", other).strip().lower() == unit and plausible(other):
                add(other)
            if len(out) >= 1:
                break
        step = 10.0 ** -decimals if decimals else 10.0 ** _trailing_zeros(num)
        if not decimals and step > 1 and v / step < 4:
            step /= 10  # "3,000" -> 2,500 / 3,500 rather than 2,000 / 4,000 only
        factors = sorted((0.5, 0.6, 0.7, 0.75, 0.8, 1.2, 1.25, 1.3, 1.4, 1.5),
                         key=lambda k: h(seed, "factor", k))
        for k in factors:
            if len(out) >= 3:
                break
            nv = round(v * k / step) * step
            if decimals:
                nv = round(nv, decimals)
            cand = fmt_number_like(ans, nv)
            if plausible(cand):
                add(cand)
        return out[:3]
    key = f.kind if f.kind != "place" else f"place:{f.sub}"
    if f.kind == "person":
        e = f.extra["entity"]
        others = [p for p in pool["persons"] if p.name != e.name]
        others.sort(key=lambda p: (p.role != e.role, h(seed, p.name)))
        for p in others:
            add(p.name)
    else:
        cands = [x for x in pool["names"].get(key, []) if x.lower() not in ans.lower()
                 and ans.lower() not in x.lower()]
        head = f.extra.get("head", "")
        if head:  # same kind of thing: a film for a film, a policy for a policy
            cands = [x for x in cands if _same_head(head, pool["heads"].get(x, ""))]
        cands.sort(key=lambda x: (not head or head not in x, h(seed, x)))
        for x in cands:
            add(x)
    return out[:5]  # a few spare: the caller drops any that echo the prompt


_HEAD_GROUPS = [
    {"Policy", "Policies", "Strategy", "Doctrine", "Concept", "Initiative", "Vision", "Reform",
     "Reforms"},
    {"Programme", "Program", "Project", "Scheme", "Campaign", "Mission", "Plan"},
    {"Agreement", "Treaty", "Accord", "Accords", "Pact", "Convention", "Protocol", "Charter",
     "Declaration", "Act"},
    {"Agency", "Ministry", "Committee", "Commission", "Council", "Office", "Bureau", "Department",
     "Authority", "Administration", "Secretariat", "Service", "Board"},
    {"University", "Institute", "College", "Academy", "School"},
    {"Center", "Centre"},
    {"Organization", "Organisation", "Association", "Alliance", "Federation", "Society", "Group"},
    {"Fund", "Foundation", "Bank"},
    {"Company", "Corporation", "Group"},
    {"Forum", "Council", "Assembly", "Congress", "Summit", "Conference", "Parliament"},
]


def _same_head(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    return any(a in g and b in g for g in _HEAD_GROUPS)


def _canon(name: str) -> str:
    from .extract import country_names

    bare = re.sub(r"^the\s+", "", name)
    return country_names()[0].get(bare, bare)


def _year_of(text: str) -> int | None:
    m = re.search(r"(1[5-9]\d\d|20\d\d)", text)
    return int(m.group(1)) if m else None


def order_choices(qid: str, answer: str, others: list[str]) -> list[str]:
    return sorted([answer, *others], key=lambda c: h(qid, c))


# --------------------------------------------------------------------------- accept forms


_MONTH_NUM = {m.lower(): i + 1 for i, m in enumerate(lx.MONTHS)}
RE_DAY_MDY = re.compile(r"(?P<m>[A-Z][a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})")
RE_DAY_DMY = re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>[A-Z][a-z]+)\.?,?\s+(?P<y>\d{4})")


def parse_day(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of "December 30, 1991" / "30 December 1991" / "Dec. 30, 1991"."""
    m = RE_DAY_MDY.search(text) or RE_DAY_DMY.search(text)
    if not m:
        return None
    name = m.group("m").lower()
    month = _MONTH_NUM.get(name) or next(
        (v for k, v in _MONTH_NUM.items() if len(name) >= 3 and k.startswith(name)), None)
    day = int(m.group("d"))
    if not month or not 1 <= day <= 31:
        return None
    return int(m.group("y")), month, day


def date_accept(f: Fact) -> list[str]:
    out: list[str] = []
    if f.sub == "day":
        d = parse_day(f.answer)
        if d:
            y, mo, dd = d
            name = lx.MONTHS[mo - 1]
            out += [f"{dd} {name} {y}", f"{name} {dd}, {y}", f"{y:04d}-{mo:02d}-{dd:02d}"]
    elif f.sub == "month" and f.value:
        out.append(re.sub(r",", "", f.answer))
    elif f.sub == "decade":
        out.append(re.sub(r"^the\s+", "", f.answer))
        m = re.search(r"\d{4}s", f.answer)
        if m:
            out.append(m.group(0))
    elif f.sub == "range":
        out.append(f"{f.extra['y1']}–{f.extra['y2']}")
        out.append(f"{f.extra['y1']}-{f.extra['y2']}")
    return [x for x in dict.fromkeys(out) if x != f.answer]


def number_accept(f: Fact) -> tuple[str, list[str], float | None]:
    ans = f.answer
    core = re.sub(
        r"^(?:more than|over|about|around|nearly|almost|some|approximately|roughly|up to|at least|less than|fewer than)\s+",
        "", ans, flags=re.I)
    v = parse_number(core)
    out = [core] if core != ans else []
    if v is not None:
        out += [f"{v:,.0f}" if v.is_integer() else f"{v:,}", f"{v:.0f}" if v.is_integer() else str(v)]
        if f.sub == "money":
            m = re.search(r"(\d[\d,.]*)\s*(million|billion|thousand)?", core)
            if m:
                n, sc = m.group(1), m.group(2) or ""
                cur = "$" if re.search(r"dollar|USD|\$", core) else ""
                if cur:
                    out += [f"${n} {sc}".strip(), f"{n} {sc} dollars".replace("  ", " "),
                            f"US${n} {sc}".strip(), f"{n} {sc} USD".replace("  ", " ")]
                out.append(f"{n} {sc}".strip())
    tol = None
    if core != ans and v is not None:
        tol = round(v * 0.1, 6)
    return ans, [x for x in dict.fromkeys(out) if x and x != ans], tol
