"""Sentence-level repairs before fact extraction.

* unbalanced quotation marks: unpaired marks are dropped, and a quoted stretch that is
  a whole clause of someone else's words (starts lower case, several words) loses its
  marks, so a prompt never shows stray quotes;
* definite descriptions "the Agency", "the Forum", "the programme" are resolved to the
  nearest earlier name in the document whose head noun matches ("KOICA", "the Volta
  River Project"); left alone when nothing matches;
* a sentence-initial "Its" is resolved to the previous sentence's subject when that is
  a short proper name ("K-pop ... . Its expansion" -> "K-pop's expansion").

The rewritten text keeps the original (``Sentence.raw``) for quotes and explanations.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import lexicon as lx
from .extract import DocContext, Fact, Sentence, analyze

OPEN_Q = "'\"‘“"
CLOSE_Q = "'\"’”"
_PAIR = {"'": "'’", "‘": "'’", '"': '"”', "“": '"”'}


def _quote_marks(t: str) -> list[int]:
    out = []
    for i, ch in enumerate(t):
        if ch not in "'\"‘’“”":
            continue
        before = t[i - 1] if i else " "
        after = t[i + 1] if i + 1 < len(t) else " "
        if ch in "'’" and before.isalnum() and after.isalnum():
            continue  # apostrophe inside a word (Korea's, don't)
        if ch in "'’" and before == "s" and after in " ,.;:)" and not any(
                t[j] in "'‘" for j in range(i) if j == 0 or not t[j - 1].isalnum()):
            continue  # plural possessive (states' rights), unless it closes an open quote
        out.append(i)
    return out


def repair_quotes(t: str) -> str:
    marks = _quote_marks(t)
    if not marks:
        return t
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    lone: list[int] = []
    for i in marks:
        ch = t[i]
        before = t[i - 1] if i else " "
        after = t[i + 1] if i + 1 < len(t) else " "
        opening = ch in "‘“" or (ch in "'\"" and (before in " ([—–-" or i == 0) and not after.isspace())
        if stack and ch in _PAIR[t[stack[-1]]] and not (opening and ch in "‘“"):
            pairs.append((stack.pop(), i))
        elif opening:
            stack.append(i)
        else:
            lone.append(i)
    lone += stack
    drop = set(lone)
    if not drop:
        return t  # balanced: a real quotation stays a quotation
    for a, b in pairs:
        if _is_clause_quote(t, a, b):
            drop |= {a, b}
    out = "".join(ch for i, ch in enumerate(t) if i not in drop)
    out = re.sub(r"\s{2,}", " ", out)
    out = re.sub(r"\s+([,.;:])", r"\1", out)
    return out


def _is_clause_quote(t: str, a: int, b: int) -> bool:
    inner = t[a + 1 : b].strip()
    return bool(inner) and inner[0].islower() and len(inner.split()) >= 5


# --------------------------------------------------------------------------- definite descriptions

_HEADS = set(lx.ORG_HEADS) | set(lx.PROGRAMME_HEADS)
RE_DEFINITE = re.compile(
    r"(?<![\w'’-])(?P<the>[Tt]he|[Tt]his)\s+(?:(?P<adj>[a-z]+)\s+)?(?P<head>[A-Za-z]+)(?![\w'’-])(?!\s+(?:of|for)\b)"
    r"(?!\s+[A-Z])"
)


def recent_names(facts: list[Fact]) -> list[tuple[str, str]]:
    """(surface to use, lower-case words that may serve as its head) for names in ``facts``."""
    out = []
    for f in facts:
        if f.kind not in ("programme", "organisation"):
            continue
        t = f.sentence.text
        if f.sub == "acronym":
            e = f.extra["entity"]
            # the acronym where the text itself uses it bare ("KOICA has ..."), else the full name
            bare = t[f.start - 1 : f.start] != "(" and not re.search(r"\bthe\s+$", t[: f.start], re.I)
            name = f.answer if bare else "the " + e.expansion
            out.append((name, {w.lower() for w in e.expansion.split()}))
        elif f.extra.get("head"):
            name = f.answer
            head = f.extra["head"]
            if f.sub == "quoted":
                q0 = t[f.start - 1 : f.start]
                close = {"'": "'", '"': '"', "‘": "’", "“": "”"}.get(q0, "")
                if close and head.lower() not in name.lower():
                    name = f"the {q0}{name}{close} {head.lower()}"
                elif close:
                    name = f"the {q0}{name}{close}"
            elif not name.lower().startswith("the "):
                name = "the " + name
            out.append((name, {head.lower()}))
    return out


def resolve_definites(t: str, history: list[list[tuple[str, set]]]) -> str:
    def find(head: str, adj: str | None, start: int, this: bool = False) -> str | None:
        low = head.lower()
        if head.capitalize() not in _HEADS and low.rstrip("s").capitalize() not in _HEADS:
            return None
        # "this policy" points at what was just discussed: a short window
        window = history[-(3 if this else 8 if head[0].isupper() else 6):]
        for names in reversed(window):
            for name, heads in reversed(names):
                if adj and adj not in name.lower().split():
                    continue  # "the medical center" only for a name with "Medical" in it
                if low in heads and low not in name.lower().split()[:1]:
                    if start == 0 or t[:start].rstrip().endswith((".", ":")):
                        return name[0].upper() + name[1:]
                    return name
        return None

    used: list[str] = []

    def repl(m: re.Match) -> str:
        adj, head = m.group("adj"), m.group("head")
        this = m.group("the").lower() == "this"
        name = find(head, adj, m.start(), this)
        if name:
            used.append(name)
            return name
        if adj:  # "The agency was ...": the optional adjective took the head noun
            name = find(adj, None, m.start(), this)
            if name:
                used.append(name)
                return f"{name} {head}"
        return m.group(0)

    out = RE_DEFINITE.sub(repl, t)
    # never a name the sentence already holds, nor one name for two references ("doctors of
    # the center were trained to work at the medical center"): the sentence stays as written
    low = t.lower()
    bare = [re.sub(r"^the\s+", "", n, flags=re.I).lower() for n in used]
    if len(set(bare)) < len(bare) or any(b in low for b in bare):
        return t
    return out


# --------------------------------------------------------------------------- "Its" at the start

RE_ITS = re.compile(r"^(?P<lead>(?:(?:However|Moreover|Thus|Therefore|Today|Later),\s+)?)Its\s+(?=[a-z])")


RE_HE = re.compile(r"^(?P<lead>(?:(?:However|Later|Then|In \d{4}),\s+)?)(?:He|She)\s+(?=[a-z])")


def person_subject(prev: Sentence | None, ctx: DocContext) -> str | None:
    """The person who is the previous sentence's subject ("Marie Laurent was born ... . She
    studied ..." -> "Marie Laurent studied ..."); None unless that subject is a known person."""
    if prev is None:
        return None
    cl = analyze(prev.text)
    if cl is None:
        return None
    subj = prev.text[cl.subj[0] : cl.subj[1]].strip()
    subj = re.sub(r",.*$", "", subj)  # drop an apposition
    subj = re.sub(rf"^(?:(?:[Ff]ormer|[Tt]hen|[Ll]ate)[- ])?(?:{lx.PERSON_ROLES}\s+)?", "", subj)
    e = ctx.person_of(subj)
    return e.name if e else None


def subject_name(prev: Sentence | None) -> str | None:
    """The previous sentence's subject if it is a short proper name."""
    if prev is None:
        return None
    cl = analyze(prev.text)
    if cl is None or cl.fronted or cl.label:
        return None
    subj = prev.text[cl.subj[0] : cl.subj[1]].strip()
    toks = subj.split()
    if not 1 <= len(toks) <= 5 or any(c in subj for c in ",\"'“”‘’()"):
        return None
    if lx.PRONOUN_START.match(subj) or lx.DANGLING.search(subj):
        return None
    if not re.match(r"[A-Z]", toks[-1]) and not re.search(r"[A-Z]", toks[0][1:] + toks[-1]):
        return None
    if toks[0] in ("The", "A", "An") and len(toks) == 1:
        return None
    return subj if toks[0] != "The" else "the " + " ".join(toks[1:])


def rewrite(s: Sentence, prev: Sentence | None, history: list[list[tuple[str, set]]],
            ctx: DocContext) -> Sentence:
    t = repair_quotes(s.text)
    t = resolve_definites(t, history)
    m = RE_ITS.match(t)
    if m:
        name = subject_name(prev)
        if name:
            t = m.group("lead") + name[0].upper() + name[1:] + "'s " + t[m.end():]
    m = RE_HE.match(t)
    if m:
        name = person_subject(prev, ctx)
        if name:
            t = m.group("lead") + name + " " + t[m.end():]
    if t == s.text:
        return s
    return replace(s, text=t, raw=s.raw or s.text)


# --------------------------------------------------------------------------- coordinated clauses

RE_COORD = re.compile(
    r"(?:,\s+|\s+)(?:and|but|while|whereas)\s+"
    r"(?=[Tt]he\s+[A-Z][^,;]{2,80}?\s(?:is|are|was|were|has|have|had|lent|gave|provided|granted|"
    r"contributed|paid|built|opened|founded|signed)\s)"
)


_PAST = "|".join(sorted(lx.IRREGULAR_PAST))
RE_REL_DATE = re.compile(
    r"(?:(?P<head>[a-z]+?)s?\s+such\s+as\s+|(?P<the>\bthe\s+))?"
    r"(?P<np>[\"“][A-Z][^\"”]{1,60}[\"”]|[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4})"
    rf"(?:\s+in\s+(?:{lx.MONTH_RE}\s+)?\d{{4}})?,\s+which\s+"
    rf"(?P<vp>(?:(?:[a-z]+ed|{_PAST})|(?:(?:has|have|had)\s+been|was|were)\s+(?:[a-z]+ly\s+|more\s+)*[a-z]+ed)"
    rf"\s+[^,;]{{2,80}}?\s(?:in|on|since)\s+(?:{lx.MONTH_RE}\s+)?\d{{4}})(?=[,.;])"
)


def relative_facts(s: Sentence) -> list[Sentence]:
    """'films such as "Parasites", which won an Oscar in 2019, ...' also gives the
    sentence 'The film "Parasites" won an Oscar in 2019.'"""
    out = []
    for m in RE_REL_DATE.finditer(s.text):
        np = m.group("np")
        if m.group("head"):
            np = f"The {m.group('head')} {np}"
        elif m.group("the") or np[0] in "\"“" and np.strip("\"“”").split()[-1] in _HEADS:
            np = "The " + np
        out.append(replace(s, text=f"{np} {m.group('vp')}.", raw=s.raw or s.text))
    return out


def split_coordination(s: Sentence) -> list[Sentence]:
    """Two independent clauses joined by "and" become two sentences, so a date in the
    second one ("..., and the Embassy of X has been functioning since June 2008") gets
    its own question.  Offsets stay those of the whole sentence."""
    t = s.text
    for m in RE_COORD.finditer(t):
        left, right = t[: m.start()].rstrip(" ,") + ".", t[m.end():]
        right = right[0].upper() + right[1:]
        if len(left.split()) < 6 or len(right.split()) < 6:
            continue
        cl, cr = analyze(left), analyze(right)
        if not cl or not cr or cl.verb is None and not cl.aux or cr.verb is None and not cr.aux:
            continue
        raw = s.raw or s.text
        return [replace(s, text=left, raw=raw), *split_coordination(replace(s, text=right, raw=raw))]
    return [s, *relative_facts(s)]
