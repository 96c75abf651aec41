"""Moodle GIFT import and export, read as Moodle's own importer reads it.

Types: multiple choice (one `=`; `~%50%` options earn partial credit), multiple answer
(no `=`: every option weighted with `~%w%`), true/false, short answer (`=%50%` answers earn
partial credit; the catch-all `=%0%*` only carries feedback), numerical (`{#2:0.5}`,
`{#1..5}`, several answers), matching (`{=a -> b ...}`) and the missing-word form (text after
the answer block: a cloze, or a choice question with a blank). Per-answer feedback (`#...`)
is kept; format markers (`[html]`, `[moodle]`, `[plain]`, `[markdown]`) are removed and
HTML becomes clean text (html.py). What studyapp cannot represent without changing its
meaning is refused with its line and field: essays, descriptions, embedded answers,
wildcards, two fully right options in a one-answer question. `$CATEGORY:` sets the topic
of the questions after it.

Export writes a `// @studyapp {...}` comment before each question with what GIFT cannot
say (id, fact kind, tags, sibling group, source, ordering, flashcard); Moodle ignores
comments and our importer reads them back, so an export re-imports to the same questions.
"""

from __future__ import annotations

import json
import re

from ..question import ANY_OTHER, KINDS, TYPES, Question, option_weights, parse_number
from .common import (
    MAX_QUESTIONS,
    content_uid,
    decode_upload,
    merge_duplicate,
    question_problems,
    topic_from_category,
)
from .html import html_to_text

SPECIAL = "~=#{}:"
META_PREFIX = "// @studyapp "
FORMATS = ("html", "moodle", "plain", "markdown")
_WEIGHT = re.compile(r"\s*%(-?\d+(?:\.\d*)?)%")
_BLANK = re.compile(r"_{4,}")  # a blank written as underscores
# A comment after text on a line (the GIFT grammar of many editors; not '://' in a URL).
_INLINE_COMMENT = re.compile(r"(?<![:\\])(?:^|(?<=\s))//.*$")
_TAGS = re.compile(r"\[tag:([^\]]+)\]")
_ID = re.compile(r"\[id:([^\]]+)\]")
# Moodle's default text format ("moodle") lets HTML through: such text is read as HTML too.
_LOOKS_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^<>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>|<!--|&(?:[a-z]+|#\d+);")


class _GiftError(ValueError):
    pass


# Moodle's escapes (\\\\ \\~ \\= \\# \\{ \\} \\: and \\n), and ours for '->', a leading '%'
# and a typed answer's literal '*'; any other backslash is kept, as Moodle keeps it.
ESCAPED = set("\\~=#{}:>%*")


def _unescape(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and (s[i + 1] in ESCAPED or s[i + 1] == "n"):
            nxt = s[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _escape(s: str, also: str = "") -> str:
    """GIFT text: specials escaped (and `also`, e.g. a typed answer's '*', which Moodle would
    read as a wildcard); a leading '%' escaped so it is not read as a weight."""
    s = str(s).replace("\\", "\\\\")
    for ch in SPECIAL + also:
        s = s.replace(ch, "\\" + ch)
    if s.startswith("%"):
        s = "\\" + s
    # '->' makes Moodle read a block as matching: '-\\>' keeps it text.
    return s.replace("->", "-\\>").replace("\r\n", "\n").replace("\n", "\\n")


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


def _marker(raw: str, default: str) -> tuple[str, str]:
    """A leading format marker ([html], [moodle], [plain], [markdown]): (format, rest)."""
    m = re.match(r"\s*\[(html|moodle|plain|markdown)\]", raw)
    return (m.group(1), raw[m.end():]) if m else (default, raw)


def _text(raw: str, default: str = "moodle") -> str:
    """GIFT text as students read it: marker removed, escapes resolved, HTML made text."""
    fmt, raw = _marker(raw, default)
    text = _unescape(raw)
    if fmt == "html" or (fmt == "moodle" and _LOOKS_HTML.search(text)):
        return html_to_text(text)
    return text.strip()


def _answer(token: str, fmt: str) -> tuple[float | None, str, str]:
    """'%50%text#feedback' → (weight as a share or None, text, feedback)."""
    weight = None
    m = _WEIGHT.match(token)
    if m:
        weight, token = float(m.group(1)) / 100, token[m.end():]
    fb = _find_unescaped(token, "#")
    feedback = ""
    if fb >= 0:
        token, feedback = token[:fb], _text(token[fb + 1:], fmt)
    return weight, _text(token, fmt), feedback


def _num(x: float) -> str:
    x = float(f"{x:.12g}")  # (3.141 + 3.142) / 2 is 3.1415, not 3.1414999999999997
    return str(int(x)) if x.is_integer() else repr(x)


def _number_and_tolerance(value: str) -> tuple[str, str | None]:
    value = value.strip()
    if ".." in value:
        lo_s, hi_s = value.split("..", 1)
        lo, hi = parse_number(lo_s), parse_number(hi_s)
        if lo is None or hi is None or hi < lo:
            raise _GiftError(f"field 'answer': {value!r} is not a range min..max")
        return _num((lo + hi) / 2), _num((hi - lo) / 2)
    if ":" in value:
        num_s, tol_s = value.split(":", 1)
        if parse_number(num_s) is None:
            raise _GiftError(f"field 'answer': {num_s.strip()!r} is not a number")
        tol = parse_number(tol_s)
        if tol is None or tol < 0:
            raise _GiftError(f"field 'tolerance': {tol_s.strip()!r} is not a tolerance (a number after ':')")
        return num_s.strip(), _num(tol)
    if parse_number(value) is None:
        raise _GiftError(f"field 'answer': {value!r} is not a number")
    return value, None


def _numeric(body: str, fmt: str, q: dict) -> None:
    wrong_at = _find_unescaped(body, "~")
    if wrong_at >= 0:  # Moodle: feedback for any other answer
        _, _, said = _answer(body[wrong_at + 1:], fmt)
        if said:
            q.setdefault("feedback", {})[ANY_OTHER] = said
        body = body[:wrong_at]
    entries = [t for sep, t in _split_unescaped(body, "=") if t.strip()]
    if not entries:
        raise _GiftError("field 'answer': a numerical answer needs a number after #")
    parsed = []
    for entry in entries:
        weight, value, said = _answer(entry, fmt)
        if value == "*":
            if said:
                q.setdefault("feedback", {})[ANY_OTHER] = said
            continue
        number, tol = _number_and_tolerance(value)
        parsed.append((1.0 if weight is None else weight, number, tol, said))
    right = [p for p in parsed if p[0] >= 1]
    if not right:
        raise _GiftError("field 'answer': no fully right number (=%100%)")
    if len({(n, t) for _, n, t, _ in right}) > 1:
        raise _GiftError("field 'answer': more than one fully right number or tolerance "
                         "(studyapp keeps one number and its tolerance)")
    _, number, tol, _ = right[0]
    q.update(type="numeric", answer=number)
    if tol not in (None, "0"):
        q["tolerance"] = tol
    for weight, n, t, said in parsed:
        if 0 < weight < 1:  # a partly right number, with its own tolerance if it differs
            q.setdefault("credit", {})[n if (t or "0") == (tol or "0") else f"{n}:{t or '0'}"] = weight
        if said:
            q.setdefault("feedback", {})[n] = said


def _choices(body: str, fmt: str, q: dict) -> None:
    """Moodle: any '=' makes a one-answer question; none makes it 'multiple answers'."""
    tokens = [(sep, t) for sep, t in _split_unescaped(body, "=~") if sep or t.strip()]
    if not tokens or tokens[0][0] == "":
        raise _GiftError("field 'answer': each option must start with = (right) or ~ (wrong)")
    single = any(sep == "=" for sep, _ in tokens)
    options: list[tuple[str, float, str]] = []
    for sep, token in tokens:
        weight, text, said = _answer(token, fmt)
        if not text:
            raise _GiftError("field 'choices': an empty option")
        options.append((text, 1.0 if sep == "=" else (weight or 0.0), said))
    q["choices"] = [text for text, _, _ in options]
    feedback = {text: said for text, _, said in options if said}
    if feedback:
        q["feedback"] = feedback
    if single:
        # Several '=' options: any one of them is fully right (Moodle's reading).
        right = [text for text, w, _ in options if w >= 1]
        credit = {text: w for text, w, _ in options if 0 < w < 1}
        q.update(type="multiple_choice", answer=right[0], accept=right[1:])
        if credit:
            q["credit"] = credit
        return
    right = [text for text, w, _ in options if w > 0]
    if not right:
        raise _GiftError("field 'answer': no option has a positive weight (~%50%...)")
    q.update(type="multiple_answer", answer=right)
    weights = {text: w for text, w, _ in options}
    default = option_weights(Question.from_bank({**q, "credit": None}))
    if any(abs(weights[t] - default[t]) > 1e-3 for t in weights):
        q["credit"] = weights  # the teacher's own weights, not the usual split


def _short_answer(body: str, fmt: str, q: dict) -> None:
    entries = [t for sep, t in _split_unescaped(body, "=") if t.strip()]
    answers, credit, feedback = [], {}, {}
    for entry in entries:
        weight, text, said = _answer(entry, fmt)
        weight = 1.0 if weight is None else weight
        wildcard = _find_unescaped(entry.split("#")[0], "*") >= 0  # '\\*' is a literal asterisk
        if text == "*" and wildcard:
            if weight > 0:
                raise _GiftError("field 'accept': the catch-all answer '*' earns credit, so "
                                 "every answer would be right")
            if said:
                feedback[ANY_OTHER] = said
            continue
        if not text:
            raise _GiftError("field 'answer': an empty answer")
        if wildcard:
            raise _GiftError(f"field 'answer': {text!r}: wildcards ('*' inside an answer) are not supported")
        if weight >= 1:
            answers.append(text)
        elif weight > 0:
            credit[text] = weight
        if said:
            feedback[text] = said
    if not answers:
        raise _GiftError("field 'answer': no fully right answer (=answer or =%100%answer)")
    q.update(answer=answers[0], accept=answers[1:])
    if credit:
        q["credit"] = credit
    if feedback:
        q["feedback"] = feedback


def _matching(body: str, fmt: str, q: dict) -> None:
    pairs = []
    for _, token in [(s, t) for s, t in _split_unescaped(body, "=") if t.strip()]:
        at = token.find("->")
        if at < 0:
            raise _GiftError("field 'pairs': every pair is written =left -> right")
        # An empty left side (Moodle's '= -> Chat') offers an extra wrong right-hand item.
        pairs.append([_text(token[:at], fmt), _text(token[at + 2:], "plain")])
    q.update(type="matching", pairs=pairs)


def _true_false(body: str, fmt: str, q: dict) -> None:
    bits = _split_unescaped(body, "#")
    value = bits[0][1].strip().upper()
    truth = value in ("T", "TRUE")
    wrong = _text(bits[1][1], fmt) if len(bits) > 1 else ""
    right = _text("#".join(t for _, t in bits[2:]), fmt) if len(bits) > 2 else ""
    q.update(type="true_false", answer="true" if truth else "false")
    said = {k: v for k, v in ((q["answer"], right), ("false" if truth else "true", wrong)) if v}
    if said:
        q["feedback"] = said


def _parse_question(text: str, topic: str, meta: dict) -> dict:
    text = text.strip()
    name = ""
    if text.startswith("::"):
        title_end = _find_unescaped(text, "::", 2)
        if title_end < 0:
            raise _GiftError("field 'title': '::' title is not closed")
        name = _unescape(text[2:title_end]).strip()
        text = text[title_end + 2:]
    fmt, text = _marker(text, "moodle")
    open_at = _find_unescaped(text, "{")
    if open_at < 0:
        raise _GiftError("field 'type': a description (text with no answer block { … }) is "
                         "not a question")
    close_at = _find_unescaped(text, "}", open_at + 1)
    if close_at < 0:
        raise _GiftError("field 'answer': the answer block '{' is not closed by '}'")
    before, body, after = text[:open_at], text[open_at + 1:close_at], text[close_at + 1:]
    if _find_unescaped(after, "{") >= 0:
        raise _GiftError("field 'answer': more than one answer block (embedded answers are not supported)")
    explanation = ""
    gf = body.rfind("####")
    if gf >= 0:
        explanation = _text(body[gf + 4:], fmt)
        body = body[:gf]
    body = body.strip()
    # The missing-word form: the answer block stands for a blank in the sentence. Moodle
    # writes such a question back with the blank as underscores in the text.
    blank_prompt = _text(before + "____" + after, fmt)
    missing_word = bool(_text(after, fmt))
    if not missing_word and _BLANK.search(before):
        blank_prompt, missing_word = _BLANK.sub("____", _text(before, fmt), count=1), True
    q: dict = {"explanation": explanation, "topic": topic, "fact_kind": "other", "tags": [],
               "accept": [], "name": name}
    if not body:
        raise _GiftError("field 'type': essay questions (an empty answer block) are not supported")
    if body.startswith("#"):
        _numeric(body[1:], fmt, q)
    elif _find_unescaped(body, "~") >= 0:
        _choices(body, fmt, q)
    elif _find_unescaped(body, "=") >= 0 and "->" in body:
        _matching(body, fmt, q)
    elif re.fullmatch(r"(T|TRUE|F|FALSE)", _split_unescaped(body, "#")[0][1].strip()):
        _true_false(body, fmt, q)
    else:
        _short_answer(body, fmt, q)
        q["type"] = "cloze" if missing_word else "short_answer"
    q["prompt"] = blank_prompt if missing_word else _text(before, fmt)
    if missing_word and q["type"] in ("true_false", "numeric") and not _text(after, fmt):
        q["prompt"] = _text(before, fmt)  # underscores in a statement or a sum are no blank to fill
    _apply_meta(q, meta, blank_prompt)
    return q


def _apply_meta(q: dict, meta: dict, blank_prompt: str) -> None:
    """What our own export wrote in its comment; unknown keys are ignored."""
    mtype = meta.get("type")
    if mtype in TYPES and mtype != q["type"]:
        if mtype == "flashcard" and q["type"] == "short_answer":
            q["type"] = "flashcard"
        elif mtype == "cloze" and q["type"] == "short_answer":  # its blank was at the end
            q.update(type="cloze", prompt=blank_prompt)
        elif mtype == "ordering" and q["type"] == "matching" and isinstance(meta.get("items"), list):
            q.update(type="ordering", items=meta["items"])
            q.pop("pairs", None)
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
    for name in ("credit", "feedback"):  # exactly, where GIFT rounds weights or splits keys
        if isinstance(meta.get(name), dict):
            q[name] = meta[name]
    source = meta.get("source")
    if isinstance(source, str) and source:
        q["source"] = {"quote": source}
    elif isinstance(source, dict) and isinstance(source.get("quote"), str):
        q["source"] = source
    if isinstance(meta.get("sibling"), str) and meta["sibling"]:
        q["sibling"] = meta["sibling"]
    if isinstance(meta.get("id"), str) and 0 < len(meta["id"]) <= 80:
        q["id"] = meta["id"]


def parse_gift(data: bytes, filename: str = "questions.gift") -> tuple[list[dict], list[str]]:
    """(questions, problems): each problem as 'FILE: line N, field F: what'. The same
    question twice in a file is one question."""
    text, problem = decode_upload(data, filename, "GIFT text")
    if problem:
        return [], [problem]
    problems: list[str] = []
    questions: list[dict] = []
    seen: dict[str, tuple[int, dict]] = {}
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
                # Moodle's own '// [id:...]' and '// [tag:...]' lines name the id and tags.
                tags = [t.strip() for t in _TAGS.findall(stripped) if t.strip()]
                if tags:
                    meta.setdefault("tags", [])
                    meta["tags"] = [*meta["tags"], *tags]
                found = _ID.search(stripped)
                if found and found.group(1).strip():
                    meta.setdefault("id", found.group(1).strip())
                continue
            elif stripped.startswith("$CATEGORY:"):
                topic = topic_from_category(stripped[len("$CATEGORY:"):])
            else:
                body_lines.append((n, _INLINE_COMMENT.sub("", line)))
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
        if q["id"] in seen:  # the same question twice is one (Moodle's own examples repeat some)
            line, earlier = seen[q["id"]]
            if not merge_duplicate(earlier, q):
                problems.append(f"{where}, field 'answer': the same question as line {line} "
                                "with another answer, tolerance or credit")
            continue
        seen[q["id"]] = (first, q)
        questions.append(q)
        if len(questions) > MAX_QUESTIONS:
            return [], [f"{filename}: more than {MAX_QUESTIONS} questions in one file"]
    if not questions and not problems:
        problems.append(f"{filename}: line 1: no questions found")
    return questions, problems  # the valid ones: all or nothing is the caller's choice


def export_gift(questions: list[Question], title: str = "") -> bytes:
    """Questions → GIFT text."""
    out = [f"// {title}".rstrip() if title else "// studyapp export", ""]
    for q in questions:
        out.append(_gift_question(q))
        out.append("")
    return "\n".join(out).encode("utf-8")


def export(questions: list[Question], info) -> bytes:
    return export_gift(questions, info.title)


def _weight(share: float) -> str:
    return f"%{_num(round(share * 100, 5))}%"


def _said(q: Question, key: str) -> str:
    text = (q.feedback or {}).get(key)
    return "#" + _escape(text) if text else ""


def _gift_question(question: Question) -> str:
    q = question.to_bank()
    qtype, prompt = q["type"], q["prompt"]
    meta = {"id": q.get("id"), "type": qtype, "fact_kind": q.get("fact_kind") or "other",
            "topic": q.get("topic") or "", "tags": list(q.get("tags") or [])}
    if question.sibling:
        meta["sibling"] = question.sibling
    source = q.get("source") or {}
    if source.get("quote") or len(source) > 1:
        meta["source"] = source if set(source) - {"quote"} else source["quote"]
    for name in ("credit", "feedback"):
        if q.get(name):
            meta[name] = q[name]
    if q.get("accept") and qtype in ("numeric", "true_false"):
        meta["accept"] = list(q["accept"])  # GIFT has no place for these
    before, after = _escape(prompt), ""
    if "____" in prompt and (qtype == "cloze" or (
            qtype in ("multiple_choice", "multiple_answer") and prompt.split("____", 1)[1].strip())):
        b, a = prompt.split("____", 1)  # the answer block takes the blank's place
        before, after = _escape(b), _escape(a)
    if qtype == "multiple_choice":
        credit = question.credit or {}
        right = {question.answer, *question.accept}
        body = " ".join(("=" if c in right else "~" + (_weight(credit[c]) if c in credit else ""))
                        + _escape(c) + _said(question, c) for c in question.choices or ())
    elif qtype == "multiple_answer":
        weights = option_weights(question)
        body = " ".join("~" + (_weight(weights[c]) if weights[c] else "") + _escape(c) + _said(question, c)
                        for c in question.choices or ())
    elif qtype == "true_false":
        truth = question.answer == "true"
        right, wrong = (question.feedback or {}).get(question.answer, ""), \
            (question.feedback or {}).get("false" if truth else "true", "")
        body = "TRUE" if truth else "FALSE"
        if wrong or right:
            body += "#" + _escape(wrong) + ("#" + _escape(right) if right else "")
    elif qtype == "numeric":
        body = _numeric_body(question, meta)
    elif qtype == "matching":
        body = " ".join(f"={_escape(a)} -> {_escape(b)}" for a, b in question.pairs or ())
    elif qtype == "ordering":  # no GIFT ordering: Moodle reads it as matching items to positions
        meta["items"] = list(question.items or ())
        body = " ".join(f"={_escape(item)} -> {i}" for i, item in enumerate(question.items or (), 1))
    else:  # short answer, cloze, flashcard (asked as a short answer in Moodle)
        credit = question.credit or {}
        entries = ["=" + _escape(question.answer, "*") + _said(question, question.answer)]
        entries += ["=" + _escape(a, "*") + _said(question, a) for a in question.accept]
        entries += ["=" + _weight(share) + _escape(k, "*") + _said(question, k) for k, share in credit.items()]
        if (question.feedback or {}).get(ANY_OTHER):
            entries.append("=%0%*" + _said(question, ANY_OTHER))
        body = " ".join(entries)
    if q.get("explanation"):
        body += " ####" + _escape(q["explanation"])
    head = f"::{_escape(question.name)}::" if question.name else ""
    # Our text is plain: say so where Moodle would otherwise read '<' or '&' as HTML.
    marker = "[plain]" if _LOOKS_HTML.search(json.dumps(q, ensure_ascii=False)) else ""
    meta_line = META_PREFIX + json.dumps(meta, ensure_ascii=False)
    return f"{meta_line}\n{head}{marker}{before}{{{body}}}{after}"


def _numeric_body(question: Question, meta: dict) -> str:
    answer, tol = question.answer, question.tolerance
    value = parse_number(answer)
    meta["answer"] = answer
    shown = _num(value) if value is not None else answer
    abs_tol = 0.0
    if tol:
        meta["tolerance"] = str(tol)
        if str(tol).strip().endswith("%") and value is not None:
            abs_tol = abs(value) * float(str(tol).strip().rstrip("%")) / 100
        else:
            abs_tol = parse_number(str(tol)) or 0
    entries = [f"={shown}:{_num(abs_tol)}" if tol else f"={shown}"]
    entries[0] += _said(question, answer)
    for key, share in (question.credit or {}).items():
        own = ":" in key  # a number with its own tolerance
        entries.append(f"={_weight(share)}{key}" + ("" if own or not tol else f":{_num(abs_tol)}")
                       + _said(question, key))
    if (question.feedback or {}).get(ANY_OTHER):
        entries.append("~" + _said(question, ANY_OTHER))
    return "#" + " ".join(entries)

