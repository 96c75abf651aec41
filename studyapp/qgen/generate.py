"""Bank generation: documents -> facts -> questions -> ``studyapp-bank/1``."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import lexicon as lx
from .extract import (
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
    Candidate,
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
from .text import Cleaned, Document, ReadError, clean, has_foreign_script, read_document

FORMAT = "studyapp-bank/1"
TYPES = ("multiple_choice", "true_false", "short_answer", "numeric", "cloze", "flashcard")
KINDS = ("date", "person", "programme", "figure", "place", "organisation", "other")
GENERIC_SECTIONS = {
    "introduction", "results", "discussion", "conclusion", "conclusions", "abstract", "summary",
    "description of materials and methods", "methods", "background", "overview",
}


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


def load_source(path: str | Path, sid: str, doc_index: int = 0) -> Source:
    doc = read_document(path)
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
                  "persons": [], "names": {}}
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
            if f.kind == "place":
                name = re.sub(r"^the\s+", "", name)
            lst = pool["names"].setdefault(key, [])
            if name not in lst:
                lst.append(name)
    pool["persons"].sort(key=lambda e: e.name)
    pool["years"] = sorted(pool["years"])
    return pool


def _leaks(prompt: str, answer: str) -> bool:
    a = norm(answer)
    return bool(a) and re.search(rf"(?<!\w){re.escape(a)}(?!\w)", norm(prompt)) is not None


def _cloze(stmt: str, off: int, f: Fact) -> str | None:
    a, b = f.start - off, f.end - off
    if a < 0 or b > len(stmt):
        return None
    prompt = stmt[:a] + BLANK + stmt[b:]
    if prompt.startswith(BLANK):
        pass
    return prompt


def _swap(stmt: str, off: int, f: Fact, new: str) -> str | None:
    a, b = f.start - off, f.end - off
    if a < 0 or b > len(stmt):
        return None
    return stmt[:a] + new + stmt[b:]


def candidates_for(s: Sentence, facts: list[Fact], src: Source, pool: dict, types: set[str],
                   seed: str) -> list[list[Candidate]]:
    t = s.text
    cl = analyze(t)
    stmt, off = statement(s, cl)
    stmt_ok = (not dangling(stmt) and len(stmt.split()) <= 45 and not stmt.startswith(("As ", "If "))
               and ";" not in stmt and not stmt.rstrip().endswith(":"))
    has_event = any(f.kind in ("date", "person", "figure") for f in facts)
    has_other = any(f.kind in ("date", "programme", "figure") for f in facts)
    explanation = t
    per_fact: list[list[Candidate]] = []
    for f in facts:
        cands: list[Candidate] = []
        if f.kind == "figure":
            continue
        if f.kind == "date" and f.sub in ("year", "range") and t[f.start - 1 : f.start] == "(":
            continue  # years in brackets are life/term spans, not events
        if f.kind in ("programme", "organisation") and not f.extra.get("head") and f.sub != "acronym":
            continue
        if f.kind == "person" and not has_other:
            continue
        wh = wh_question(s, cl, f, src.ctx)
        if wh and (dangling(wh[:-1]) or _leaks(wh, f.answer) or has_foreign_script(wh)):
            wh = None
        if f.kind == "place" and not wh:
            continue
        if f.kind in ("programme", "organisation") and not wh and not (
                has_event and (f.extra.get("head") or f.sub == "quoted")):
            continue
        cloze = _cloze(stmt, off, f) if stmt_ok else None
        if f.kind == "place":
            cloze = None
        if cloze and _leaks(cloze, f.answer):
            cloze = None
        ans = f.answer
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
        dis = distractors(f, pool, seed + f.key)
        base = wh or cloze

        def add(type_: str, prompt: str | None, answer: object, _f: Fact = f,
                _cands: list[Candidate] = cands, **kw) -> None:
            if not prompt or type_ not in types:
                return
            _cands.append(Candidate(_f, type_, prompt, answer, explanation=explanation, **kw))

        if wh:
            add("short_answer", wh, ans, accept=accept)
        if len(dis) == 3 and base and f.sub != "acronym":
            add("multiple_choice", base, ans, choices=[ans, *dis])
        if cloze and f.sub != "acronym":
            add("cloze", cloze, f.answer if f.kind != "person" else f.extra["surface"],
                accept=[x for x in {ans, *accept} if x != (f.answer if f.kind != "person" else f.extra["surface"])])
        if stmt_ok and dis and (f.kind == "date" or f.kind == "person" and _same_role(f, dis[0], pool)):
            add("true_false", *_tf(stmt, off, f, dis, seed))
        per_fact.append(cands)
    return [c for c in per_fact if c] + [
        c for c in _figure_lists(s, facts, src, pool, types, seed, cl, stmt, off, stmt_ok)
        if c
    ]


def _figure_lists(s, facts, src, pool, types, seed, cl, stmt, off, stmt_ok):
    out = []
    for f in facts:
        if f.kind != "figure":
            continue
        wh = wh_question(s, cl, f, src.ctx)
        if wh and (dangling(wh[:-1]) or _leaks(wh, f.answer)):
            wh = None
        cloze = _cloze(stmt, off, f) if stmt_ok else None
        if cloze and _leaks(cloze, re.sub(r"^\D*", "", f.answer)):
            cloze = None
        base = wh or cloze
        if not base or (f.sub == "count" and (f.value or 0) <= 2):
            continue
        dis = distractors(f, pool, seed + f.key)
        a2, acc2, tol = number_accept(f)
        cands = []
        if "numeric" in types:
            cands.append(Candidate(f, "numeric", base, a2, accept=acc2, tolerance=tol,
                                   explanation=s.text))
        if len(dis) == 3 and "multiple_choice" in types:
            cands.append(Candidate(f, "multiple_choice", base, f.answer,
                                   choices=[f.answer, *dis], explanation=s.text))
        if stmt_ok and dis and "true_false" in types:
            p, a = _tf(stmt, off, f, dis, seed)
            if p:
                cands.append(Candidate(f, "true_false", p, a, explanation=s.text))
        out.append(cands)
    return out


def _same_role(f: Fact, other: str, pool: dict) -> bool:
    role = f.extra["entity"].role
    return any(e.name == other and e.role == role for e in pool["persons"])


def _tf(stmt: str, off: int, f: Fact, dis: list[str], seed: str) -> tuple[str | None, bool]:
    truth = int(h(seed, f.key, "tf")[:2], 16) % 2 == 0
    text = stmt if truth else _swap(stmt, off, f, dis[0])
    if not text:
        return None, truth
    text = text.rstrip()
    if not text.endswith("."):
        text += "."
    return f"True or false: {text}", truth


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
        desc = tidy(e.extra_desc)
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


def _topic(s: Sentence, src: Source) -> str:
    sec = s.section.strip()
    if sec and sec.lower() not in GENERIC_SECTIONS and len(sec) <= 60:
        return sec
    m = re.match(r"^([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}):\s", s.text)
    if m:
        return m.group(1)
    return src.title if len(src.title) <= 80 else src.title[:77] + "..."


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
        "source": {"id": src.id, "quote": s.text, "start": s.start, "end": s.end},
        "fact_kind": f.kind,
        "topic": _topic(s, src),
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


def generate_bank(paths, *, title=None, types=None, max_per_fact=3, progress=False) -> GenerationResult:
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
            src = load_source(p, f"s{len(sources) + 1}", i)
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
        for s in src.sentences:
            report.sentences += 1
            reason = sentence_skip_reason(s)
            if reason:
                report.skipped[reason] += 1
                report.skipped_examples.append((src.doc.path.name, reason, s.text[:100]))
                continue
            facts = extract_facts(s, src.ctx)
            if not facts:
                report.skipped["no facts found"] += 1
                report.skipped_examples.append((src.doc.path.name, "no facts found", s.text[:100]))
                continue
            all_facts.extend(facts)
            per_sentence.append((src, s, facts))
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
    seen_prompts: set[str] = set()
    seen_ids: set[str] = set()
    seen_facts: set[tuple] = set()
    for gi, (src, cands) in enumerate(groups):
        if not cands:
            continue
        f = cands[0].fact
        fkey = (src.id, f.kind, norm(f.answer), norm(f.sentence.text))
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
    questions = _balance(questions)
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
    for s in src.sentences:
        lines.append(f"[{s.start}:{s.end}] {s.text}")
        reason = sentence_skip_reason(s)
        if reason:
            lines.append(f"    skipped: {reason}")
            continue
        facts = extract_facts(s, src.ctx)
        if not facts:
            lines.append("    (no facts)")
        for f in facts:
            extra = f" [{f.sub}]" if f.sub else ""
            lines.append(f"    {f.kind}{extra}: {f.answer}")
    return "\n".join(lines) + "\n"
