"""Moodle GIFT import and export, for the question types GIFT shares with ours.

Supported: multiple choice (one right answer), true/false, short answer, numerical
(`{#2:0.5}`, `{#1..5}`), and missing word (text after the answer block: a cloze, or a
multiple choice with a blank). Matching, essay, description and multiple-answer questions
are rejected by name. `$CATEGORY:` sets the topic of the questions after it.

Export writes a `// @studyapp {...}` comment before each question with what GIFT cannot
say (fact kind, tags, flashcard, relative tolerance, source); Moodle ignores comments and
our importer reads them back, so an export re-imports to the same questions.
"""

from __future__ import annotations

import html
import json
import re

from ..question import KINDS, TYPES, Question, parse_number
from .common import MAX_QUESTIONS, content_uid, decode_upload, question_problems

SPECIAL = "~=#{}:"
META_PREFIX = "// @studyapp "


class _GiftError(ValueError):
    pass


def _unescape(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s):
            nxt = s[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _escape(s: str) -> str:
    s = str(s).replace("\\", "\\\\")
    for ch in SPECIAL:
        s = s.replace(ch, "\\" + ch)
    return s.replace("\r\n", "\n").replace("\n", "\\n")


def _split_unescaped(s: str, seps: str) -> list[tuple[str, str]]:
    """Split at unescaped separator characters: [(separator or '', text), ...]."""
    parts: list[tuple[str, str]] = []
    sep, buf, i = "", [], 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s):
            buf.append(s[i:i + 2])
            i += 2
            continue
        if ch in seps:
            parts.append((sep, "".join(buf)))
            sep, buf = ch, []
        else:
            buf.append(ch)
        i += 1
    parts.append((sep, "".join(buf)))
    return parts


def _find_unescaped(s: str, target: str, start: int = 0) -> int:
    i = start
    while i < len(s):
        if s[i] == "\\":
            i += 2
            continue
        if s.startswith(target, i):
            return i
        i += 1
    return -1


def _blocks(text: str):
    """(first line number, lines) of each question: blank lines separate questions."""
    block: list[str] = []
    start = 0
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                start = n
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _strip_format(s: str) -> str:
    m = re.match(r"\s*\[(html|moodle|plain|markdown)\]", s)
    if not m:
        return s
    s = s[m.end():]
    if m.group(1) == "html":
        s = html.unescape(re.sub(r"<[^>]*>", "", s))
    return s


def _answer_parts(token: str) -> tuple[str, str]:
    """'%50%text#feedback' → ('50' or '', text)."""
    weight = ""
    m = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", token)
    if m:
        weight, token = m.group(1), token[m.end():]
    fb = _find_unescaped(token, "#")
    if fb >= 0:
        token = token[:fb]
    return weight, _unescape(token).strip()


def _numeric(body: str) -> tuple[str, str | None]:
    entries = [t for sep, t in _split_unescaped(body, "=") if t.strip() or sep]
    if not entries:
        raise _GiftError("field 'answer': a numerical answer needs a number after #")
    for entry in entries:
        weight, value = _answer_parts(entry)
        if weight and float(weight) < 100:
            continue
        value = value.strip()
        if ".." in value:
            lo_s, hi_s = value.split("..", 1)
            lo, hi = parse_number(lo_s), parse_number(hi_s)
            if lo is None or hi is None or hi < lo:
                raise _GiftError(f"field 'answer': {value!r} is not a range min..max")
            mid, tol = (lo + hi) / 2, (hi - lo) / 2
            return _num(mid), _num(tol)
        if ":" in value:
            num_s, tol_s = value.split(":", 1)
            if parse_number(num_s) is None:
                raise _GiftError(f"field 'answer': {num_s.strip()!r} is not a number")
            tol = parse_number(tol_s)
            if tol is None or tol < 0:
                raise _GiftError(f"field 'tolerance': {tol_s.strip()!r} is not a tolerance")
            return num_s.strip(), _num(tol)
        if parse_number(value) is None:
            raise _GiftError(f"field 'answer': {value!r} is not a number")
        return value, None
    raise _GiftError("field 'answer': no fully right numerical answer")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _parse_question(text: str, topic: str, meta: dict) -> dict:
    title_end = -1
    if text.lstrip().startswith("::"):
        text = text.lstrip()
        title_end = _find_unescaped(text, "::", 2)
        if title_end < 0:
            raise _GiftError("field 'title': '::' title is not closed")
        text = text[title_end + 2:]
    text = _strip_format(text)
    open_at = _find_unescaped(text, "{")
    if open_at < 0:
        raise _GiftError("field 'answer': no answer block { … } (description questions are not supported)")
    close_at = _find_unescaped(text, "}", open_at + 1)
    if close_at < 0:
        raise _GiftError("field 'answer': the answer block '{' is not closed by '}'")
    before, body, after = text[:open_at], text[open_at + 1:close_at], text[close_at + 1:]
    if _find_unescaped(after, "{") >= 0:
        raise _GiftError("field 'answer': more than one answer block (embedded answers are not supported)")
    explanation = ""
    gf = body.find("####")
    if gf >= 0:
        explanation = _unescape(body[gf + 4:]).strip()
        body = body[:gf]
    body = _strip_format(body).strip()
    before_t, after_t = _unescape(before), _unescape(after)
    missing_word = bool(after_t.strip())
    q: dict = {"explanation": explanation, "topic": topic, "fact_kind": "other", "tags": [],
               "accept": []}
    if not body:
        raise _GiftError("field 'type': essay questions are not supported")
    if re.fullmatch(r"(T|TRUE|F|FALSE)(\s*#.*)?", body, flags=re.S | re.I):
        q.update(type="true_false", answer="true" if body[0] in "Tt" else "false",
                 prompt=(before_t + after_t).strip())
    elif body.startswith("#"):
        answer, tol = _numeric(body[1:])
        q.update(type="numeric", answer=answer, prompt=before_t.strip())
        if tol is not None and tol != "0":
            q["tolerance"] = tol
    else:
        tokens = [(sep, t) for sep, t in _split_unescaped(body, "=~") if sep or t.strip()]
        if not tokens or tokens[0][0] == "":
            raise _GiftError("field 'answer': each answer must start with = (right) or ~ (wrong)")
        if any("->" in t for _, t in tokens):
            raise _GiftError("field 'type': matching questions are not supported")
        parsed = [(sep, *_answer_parts(t)) for sep, t in tokens]
        if any(not text_ for _, _, text_ in parsed):
            raise _GiftError("field 'answer': an empty answer")
        if any(sep == "~" for sep, _, _ in parsed):
            right = [t for sep, w, t in parsed if sep == "=" or (w and float(w) >= 100)]
            partial = [t for sep, w, t in parsed if sep == "~" and w and 0 < float(w) < 100]
            if partial or len(right) != 1:
                raise _GiftError("field 'answer': multiple-answer questions are not supported: "
                                 "mark exactly one option with =")
            q.update(type="multiple_choice", answer=right[0], choices=[t for _, _, t in parsed],
                     prompt=(before_t + "____" + after_t).strip() if missing_word else before_t.strip())
        else:
            answers = [t for _, _, t in parsed]
            q.update(answer=answers[0], accept=answers[1:])
            if missing_word:
                q.update(type="cloze", prompt=(before_t + "____" + after_t).strip())
            else:
                q.update(type="short_answer", prompt=before_t.strip())
    _apply_meta(q, meta, before_t)
    return q


def _apply_meta(q: dict, meta: dict, before: str) -> None:
    """What our own export wrote in its comment; unknown keys are ignored."""
    mtype = meta.get("type")
    if mtype in TYPES and mtype != q["type"]:
        if mtype == "flashcard" and q["type"] == "short_answer":
            q["type"] = "flashcard"
        elif mtype == "cloze" and q["type"] == "short_answer":
            q.update(type="cloze", prompt=(before + "____").strip())
    if meta.get("fact_kind") in KINDS:
        q["fact_kind"] = meta["fact_kind"]
    if isinstance(meta.get("topic"), str):
        q["topic"] = meta["topic"]
    if isinstance(meta.get("tags"), list) and all(isinstance(t, str) for t in meta["tags"]):
        q["tags"] = meta["tags"]
    if q["type"] == "numeric" and isinstance(meta.get("tolerance"), str):
        q["tolerance"] = meta["tolerance"]
    if isinstance(meta.get("answer"), str) and q["type"] == "numeric":
        q["answer"] = meta["answer"]
    if (q["type"] in ("numeric", "multiple_choice", "true_false") and isinstance(meta.get("accept"), list)
            and all(isinstance(a, str) for a in meta["accept"])):
        q["accept"] = meta["accept"]
    if isinstance(meta.get("source"), str) and meta["source"]:
        q["source"] = {"quote": meta["source"]}
    if isinstance(meta.get("id"), str) and 0 < len(meta["id"]) <= 80:
        q["id"] = meta["id"]


def parse_gift(data: bytes, filename: str = "questions.gift") -> tuple[list[dict], list[str]]:
    """(questions, problems): each problem as 'FILE: line N, field F: what'."""
    text, problem = decode_upload(data, filename, "GIFT text")
    if problem:
        return [], [problem]
    problems: list[str] = []
    questions: list[dict] = []
    seen: dict[str, int] = {}
    topic = ""
    for start, lines in _blocks(text):
        meta: dict = {}
        body_lines: list[tuple[int, str]] = []
        for offset, line in enumerate(lines):
            n = start + offset
            stripped = line.strip()
            if stripped.startswith(META_PREFIX.strip()):
                try:
                    value = json.loads(stripped[len(META_PREFIX.strip()):])
                except (json.JSONDecodeError, RecursionError):
                    problems.append(f"{filename}: line {n}, field 'metadata': not valid JSON")
                    value = {}
                meta = value if isinstance(value, dict) else {}
            elif stripped.startswith("//"):
                continue
            elif stripped.startswith("$CATEGORY:"):
                topic = stripped[len("$CATEGORY:"):].strip().strip("/").split("/")[-1].strip()
                if topic.startswith("$course$") or topic.startswith("$system$"):
                    topic = ""
            else:
                body_lines.append((n, line))
        if not body_lines:
            continue
        first = body_lines[0][0]
        where = f"{filename}: line {first}"
        try:
            q = _parse_question("\n".join(line for _, line in body_lines), topic, meta)
        except _GiftError as exc:
            problems.append(f"{where}, {exc}")
            continue
        except (ValueError, OverflowError) as exc:  # a malformed number deep in a token
            problems.append(f"{where}, field 'answer': {exc}")
            continue
        q.setdefault("id", content_uid(q))
        found = question_problems(q, where)
        if found:
            problems += found
            continue
        if q["id"] in seen:
            problems.append(f"{where}, field 'id': the same question as line {seen[q['id']]}")
            continue
        seen[q["id"]] = first
        questions.append(q)
        if len(questions) > MAX_QUESTIONS:
            return [], [f"{filename}: more than {MAX_QUESTIONS} questions in one file"]
    if not questions and not problems:
        problems.append(f"{filename}: line 1: no questions found")
    return ([] if problems else questions), problems


def export_gift(questions: list[Question], title: str = "") -> bytes:
    """Questions → GIFT text."""
    out = [f"// {title}".rstrip() if title else "// studyapp export", ""]
    for q in questions:
        out.append(_gift_question(q.to_bank()))
        out.append("")
    return "\n".join(out).encode("utf-8")


def export(questions: list[Question], info) -> bytes:
    return export_gift(questions, info.title)


def _gift_question(q: dict) -> str:
    qtype, prompt = q["type"], q["prompt"]
    answer = q["answer"]
    if isinstance(answer, bool):
        answer = "true" if answer else "false"
    answer = str(answer)
    meta = {"id": q.get("id"), "type": qtype, "fact_kind": q.get("fact_kind") or "other",
            "topic": q.get("topic") or "", "tags": list(q.get("tags") or [])}
    quote = (q.get("source") or {}).get("quote")
    if quote:
        meta["source"] = quote
    accept = [_escape(a) for a in (q.get("accept") or [])]
    if q.get("accept") and qtype in ("numeric", "multiple_choice", "true_false"):
        meta["accept"] = list(q["accept"])  # GIFT has no place for these
    before, after = _escape(prompt), ""
    if qtype == "multiple_choice":
        opts = " ".join(("=" if c == answer else "~") + _escape(c) for c in q.get("choices") or [])
        body = opts
        if "____" in prompt and prompt.split("____", 1)[1].strip():
            b, a = prompt.split("____", 1)
            before, after = _escape(b), _escape(a)
    elif qtype == "true_false":
        body = "TRUE" if answer.lower() == "true" else "FALSE"
    elif qtype == "numeric":
        tol = q.get("tolerance")
        value = parse_number(answer)
        meta["answer"] = answer
        shown = _num(value) if value is not None else answer
        if tol:
            meta["tolerance"] = str(tol)
            if str(tol).strip().endswith("%") and value is not None:
                abs_tol = abs(value) * float(str(tol).strip().rstrip("%")) / 100
            else:
                abs_tol = parse_number(str(tol)) or 0
            body = f"#{shown}:{_num(abs_tol)}"
        else:
            body = f"#{shown}"
    elif qtype == "cloze" and "____" in prompt:
        b, a = prompt.split("____", 1)
        before, after = _escape(b), _escape(a)
        body = " ".join(["=" + _escape(answer)] + ["=" + a for a in accept])
    else:  # short answer, flashcard (asked as a short answer in Moodle)
        body = " ".join(["=" + _escape(answer)] + ["=" + a for a in accept])
    if q.get("explanation"):
        body += " ####" + _escape(q["explanation"])
    name = _escape((q.get("id") or "")[:80])
    head = f"::{name}::" if name else ""
    meta_line = META_PREFIX + json.dumps(meta, ensure_ascii=False)
    return f"{meta_line}\n{head}{before}{{{body}}}{after}"
