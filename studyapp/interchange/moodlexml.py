"""Moodle XML import and export: the format Moodle teachers export question banks in.

Read with defusedxml (no external entities, no entity expansion, so no "billion laughs").
Types: multichoice (one right answer, or several: multiple answer), truefalse,
shortanswer, numerical, matching, ordering (qtype_ordering). `<category>` becomes the topic
of the questions after it, `<generalfeedback>` the explanation, `<name>` the question's
name, `<idnumber>` its id; answer fractions become partial credit and each answer's
`<feedback>` is kept. HTML text becomes clean text (html.py). What studyapp cannot
represent without changing its meaning is refused by name with its line: essays,
descriptions, embedded answers (cloze), calculated and drag-and-drop types, images,
case-sensitive short answers, wildcards, distractors without a stem.

Export writes plain-text fields and a `<studyapp>` element with what Moodle has no place
for (fact kind, sibling group, source, flashcard); Moodle ignores it and our importer reads
it back, so an export re-imports to the same questions.
"""

from __future__ import annotations

import json
import re
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..question import ANY_OTHER, KINDS, Question, option_weights, parse_number
from .common import (
    MAX_QUESTIONS,
    content_uid,
    decode_upload,
    merge_duplicate,
    question_problems,
    topic_from_category,
)
from .html import html_to_text

MOODLE_TYPES = {"multichoice", "truefalse", "shortanswer", "numerical", "matching", "ordering"}
REFUSED = {"essay": "essay", "description": "description (text with no answer)",
           "multianswer": "embedded answers (cloze)", "calculated": "calculated",
           "calculatedsimple": "calculated", "calculatedmulti": "calculated multichoice",
           "ddwtos": "drag and drop into text", "ddimageortext": "drag and drop onto image",
           "ddmarker": "drag and drop markers", "gapselect": "select missing words",
           "randomsamatch": "random short-answer matching", "random": "random"}
_IMG = re.compile(r"<img\b", re.I)


class _Refused(ValueError):
    pass


def _text(el: Element | None, default_format: str = "html") -> str:
    """The <text> of a Moodle text element as students read it."""
    if el is None:
        return ""
    node = el.find("text")
    raw = (node.text if node is not None else el.text) or ""
    fmt = el.get("format", default_format)
    if fmt in ("html", "moodle_auto_format"):
        if _IMG.search(raw):
            raise _Refused(f"field {el.tag!r}: images are not supported")
        return html_to_text(raw) if fmt == "html" or "<" in raw or "&" in raw else raw.strip()
    return raw.strip()


def _fraction(answer: Element) -> float:
    try:
        return float(answer.get("fraction", "0")) / 100
    except ValueError:
        raise _Refused(f"field 'fraction': {answer.get('fraction')!r} is not a number") from None


def _answers(q_el: Element, fmt: str) -> list[tuple[str, float, str]]:
    """(text, share of the mark, feedback) for each <answer>."""
    return [(_text(a, a.get("format", fmt)), _fraction(a), _text(a.find("feedback")))
            for a in q_el.findall("answer")]


def _topic(category_el: Element) -> str:
    return topic_from_category(_text(category_el.find("category"), "plain_text"))


def _question(q_el: Element, qtype: str, topic: str) -> dict:
    text_el = q_el.find("questiontext")
    fmt = text_el.get("format", "html") if text_el is not None else "html"
    q: dict = {"prompt": _text(q_el.find("questiontext")),
               "explanation": _text(q_el.find("generalfeedback")),
               "name": _text(q_el.find("name"), "plain_text")[:255], "topic": topic,
               "fact_kind": "other", "tags": [t.strip() for t in (x.text or "" for x in q_el.findall("tags/tag/text")) if t.strip()],
               "accept": []}
    feedback: dict[str, str] = {}
    if qtype == "multichoice":
        answers = _answers(q_el, fmt)
        single = (q_el.findtext("single") or "true").strip().lower() in ("true", "1")
        q["choices"] = [t for t, _, _ in answers]
        feedback = {t: f for t, _, f in answers if f}
        if single:
            right = [t for t, w, _ in answers if w >= 1 - 1e-6]
            if not right:
                raise _Refused("field 'answer': a one-answer question needs an option at 100%")
            q.update(type="multiple_choice", answer=right[0], accept=right[1:])  # any one is right
            credit = {t: w for t, w, _ in answers if 1e-6 < w < 1 - 1e-6}
        else:
            q.update(type="multiple_answer", answer=[t for t, w, _ in answers if w > 0])
            credit = {t: w for t, w, _ in answers}
            default = option_weights(Question.from_bank({**q, "type": "multiple_answer"}))
            if all(abs(credit[t] - default[t]) < 1e-3 for t in credit):
                credit = {}
        if credit:
            q["credit"] = credit
    elif qtype == "truefalse":
        answers = _answers(q_el, fmt)
        right = [t.lower() for t, w, _ in answers if w >= 1 - 1e-6]
        if len(right) != 1 or right[0] not in ("true", "false"):
            raise _Refused("field 'answer': a true/false question needs 'true' or 'false' at 100%")
        q.update(type="true_false", answer=right[0])
        feedback = {t.lower(): f for t, _, f in answers if f}
    elif qtype == "shortanswer":
        if (q_el.findtext("usecase") or "0").strip() not in ("0", "false", ""):
            raise _Refused("field 'usecase': case-sensitive answers are not supported (answers "
                           "are graded whatever their case)")
        _typed(q, _answers(q_el, fmt), feedback)
        q["type"] = "short_answer"
    elif qtype == "numerical":
        _numerical(q, q_el, fmt, feedback)
    elif qtype == "matching":
        pairs = []
        for sub in q_el.findall("subquestion"):
            # An empty stem offers an extra wrong right-hand item (Moodle's distractor).
            pairs.append([_text(sub, sub.get("format", fmt)), _text(sub.find("answer"), "plain_text")])
        q.update(type="matching", pairs=pairs)
    elif qtype == "ordering":
        q.update(type="ordering", items=[t for t, _, _ in _answers(q_el, fmt)])
    if feedback:
        q["feedback"] = feedback
    return q


def _typed(q: dict, answers, feedback: dict) -> None:
    right, credit = [], {}
    for raw, share, said in answers:
        # Moodle reads '*' in a short answer as a wildcard and '\\*' as an asterisk.
        wildcard = re.search(r"(?<!\\)\*", raw) is not None
        text = raw.replace("\\*", "*")
        if raw == "*":
            if share > 0:
                raise _Refused("field 'accept': the catch-all answer '*' earns credit, so every "
                               "answer would be right")
            if said:
                feedback[ANY_OTHER] = said
            continue
        if wildcard:
            raise _Refused(f"field 'answer': {raw!r}: wildcards ('*' inside an answer) are not supported")
        if share >= 1 - 1e-6:
            right.append(text)
        elif share > 0:
            credit[text] = share
        if said:
            feedback[text] = said
    if not right:
        raise _Refused("field 'answer': no answer at 100%")
    q.update(answer=right[0], accept=right[1:])
    if credit:
        q["credit"] = credit


def _numerical(q: dict, q_el: Element, fmt: str, feedback: dict) -> None:
    entries = []
    for a in q_el.findall("answer"):
        text, share, said = _text(a, a.get("format", "plain_text")), _fraction(a), _text(a.find("feedback"))
        if text == "*":
            if said:
                feedback[ANY_OTHER] = said
            continue
        if parse_number(text) is None:
            raise _Refused(f"field 'answer': {text!r} is not a number")
        tol = parse_number(a.findtext("tolerance") or "0")
        if tol is None or tol < 0:
            raise _Refused(f"field 'tolerance': {a.findtext('tolerance')!r} is not a tolerance")
        entries.append((text, share, _num(tol), said))
    right = [e for e in entries if e[1] >= 1 - 1e-6]
    if len({(t, tol) for t, _, tol, _ in right}) != 1:
        raise _Refused("field 'answer': a numerical question needs exactly one number at 100%")
    answer, _, tol, _ = right[0]
    q.update(type="numeric", answer=answer)
    if tol != "0":
        q["tolerance"] = tol
    for text, share, t, said in entries:
        if 1e-6 < share < 1 - 1e-6:  # a partly right number, with its own tolerance if it differs
            q.setdefault("credit", {})[text if t == tol else f"{text}:{t}"] = share
        if said:
            feedback[text] = said


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _apply_meta(q: dict, q_el: Element) -> None:
    """What our own export wrote: the id, and a <studyapp> element Moodle ignores."""
    idnumber = (q_el.findtext("idnumber") or "").strip()
    if 0 < len(idnumber) <= 80:
        q["id"] = idnumber
    raw = q_el.findtext("studyapp")
    try:
        meta = json.loads(raw) if raw else {}
    except (json.JSONDecodeError, RecursionError):
        meta = {}
    if not isinstance(meta, dict):
        return
    if meta.get("type") == "flashcard" and q["type"] == "short_answer":
        q["type"] = "flashcard"
    if meta.get("type") == "cloze" and q["type"] == "short_answer":
        q["type"] = "cloze"
    if isinstance(meta.get("name"), str):
        q["name"] = meta["name"]  # <name> was made up from the prompt when it had none
    if meta.get("fact_kind") in KINDS:
        q["fact_kind"] = meta["fact_kind"]
    for name, kind in (("sibling", str), ("source", dict), ("tolerance", str), ("answer", str),
                       ("accept", list), ("credit", dict), ("feedback", dict)):
        if isinstance(meta.get(name), kind) and (name not in ("tolerance", "answer") or q["type"] == "numeric"):
            q[name] = meta[name]


def _question_lines(text: str) -> list[int]:
    """The line of each <question> start tag, in document order (ElementTree keeps none)."""
    return [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<question\b", text)]


def parse_xml(data: bytes, filename: str = "questions.xml") -> tuple[list[dict], list[str]]:
    """(questions, problems): each problem as 'FILE: line N, field F: what'; the valid
    questions are returned too (all or nothing is the caller's choice)."""
    text, problem = decode_upload(data, filename, "Moodle XML")
    if problem:
        return [], [problem]
    try:
        root = SafeET.fromstring(text.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException as exc:
        return [], [f"{filename}: line 1: refused: the file declares entities or a DTD ({type(exc).__name__})"]
    except ParseError as exc:
        line = getattr(exc, "position", (1, 0))[0]
        return [], [f"{filename}: line {line}: not well-formed XML ({exc.msg if hasattr(exc, 'msg') else exc})"]
    if root.tag != "quiz":
        return [], [f"{filename}: line 1: a Moodle XML file starts with <quiz>, not <{root.tag}>"]
    lines = _question_lines(text)
    questions, problems, seen, topic = [], [], {}, ""
    for i, q_el in enumerate(root.findall("question")):
        where = f"{filename}: line {lines[i] if i < len(lines) else 1}"
        qtype = q_el.get("type", "")
        if qtype == "category":
            topic = _topic(q_el)
            continue
        try:
            if qtype in REFUSED:
                raise _Refused(f"field 'type': {REFUSED[qtype]} questions are not supported")
            if qtype not in MOODLE_TYPES:
                raise _Refused(f"field 'type': {qtype!r} questions are not supported")
            q = _question(q_el, qtype, topic)
            _apply_meta(q, q_el)
        except _Refused as exc:
            name = _text(q_el.find("name"), "plain_text")
            problems.append(f"{where}, {exc}" + (f" (question {name!r})" if name else ""))
            continue
        q.setdefault("id", content_uid(q))
        found = question_problems(q, where)
        if found:
            problems += found
            continue
        if q["id"] in seen:  # the same question twice is one question
            if not merge_duplicate(seen[q["id"]], q):
                problems.append(f"{where}, field 'answer': the same question as an earlier one "
                                "with another answer, tolerance or credit")
            continue
        seen[q["id"]] = q
        questions.append(q)
        if len(questions) > MAX_QUESTIONS:
            return [], [f"{filename}: more than {MAX_QUESTIONS} questions in one file"]
    if not questions and not problems:
        problems.append(f"{filename}: line 1: no questions found")
    return questions, problems


# --- export ---------------------------------------------------------------------------------

def _put_text(parent: Element, tag: str, text: str, fmt: str | None = "plain_text") -> Element:
    el = SubElement(parent, tag, {"format": fmt} if fmt else {})
    SubElement(el, "text").text = text
    return el


def _answer_el(parent: Element, text: str, share: float, said: str = "", **extra: str) -> None:
    a = SubElement(parent, "answer", {"fraction": _num(round(share * 100, 5)), "format": "plain_text"})
    SubElement(a, "text").text = text
    for tag, value in extra.items():
        SubElement(a, tag).text = value
    _put_text(a, "feedback", said)


def _export_question(quiz: Element, question: Question) -> None:
    q = question
    kind = {"multiple_choice": "multichoice", "multiple_answer": "multichoice", "true_false": "truefalse",
            "numeric": "numerical", "matching": "matching", "ordering": "ordering"}.get(q.type.value, "shortanswer")
    el = SubElement(quiz, "question", {"type": kind})
    _put_text(el, "name", q.name or q.prompt[:80] or q.uid, None)
    _put_text(el, "questiontext", q.prompt)
    _put_text(el, "generalfeedback", q.explanation)
    SubElement(el, "idnumber").text = q.uid
    said = q.feedback or {}
    credit = q.credit or {}
    if q.type.value == "multiple_choice":
        SubElement(el, "single").text = "true"
        SubElement(el, "shuffleanswers").text = "0"
        for c in q.choices or ():
            _answer_el(el, c, 1.0 if c == q.answer or c in q.accept else credit.get(c, 0.0), said.get(c, ""))
    elif q.type.value == "multiple_answer":
        SubElement(el, "single").text = "false"
        SubElement(el, "shuffleanswers").text = "0"
        weights = option_weights(q)
        for c in q.choices or ():
            _answer_el(el, c, weights[c], said.get(c, ""))
    elif q.type.value == "true_false":
        for value in ("true", "false"):
            _answer_el(el, value, 1.0 if q.answer == value else 0.0, said.get(value, ""))
    elif q.type.value == "numeric":
        value, tol = parse_number(q.answer), q.tolerance or "0"
        if str(tol).strip().endswith("%") and value is not None:
            abs_tol = abs(value) * float(str(tol).strip().rstrip("%")) / 100
        else:
            abs_tol = parse_number(str(tol)) or 0
        _answer_el(el, q.answer, 1.0, said.get(q.answer, ""), tolerance=_num(abs_tol))
        for key, share in credit.items():
            number, _, own = key.partition(":")
            _answer_el(el, number.strip(), share, said.get(key, ""), tolerance=own.strip() or _num(abs_tol))
        if said.get(ANY_OTHER):
            _answer_el(el, "*", 0.0, said[ANY_OTHER], tolerance="0")
    elif q.type.value == "matching":
        SubElement(el, "shuffleanswers").text = "true"
        for left, right in q.pairs or ():
            sub = _put_text(el, "subquestion", left)
            SubElement(SubElement(sub, "answer"), "text").text = right
    elif q.type.value == "ordering":
        for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", "0"),
                           ("gradingtype", "RELATIVE_NEXT_EXCLUDE_LAST")):
            SubElement(el, tag).text = value
        for i, item in enumerate(q.items or (), 1):
            _answer_el(el, item, float(i) / 100)
    else:  # short answer, cloze, flashcard
        SubElement(el, "usecase").text = "0"
        for a in (q.answer, *q.accept):
            _answer_el(el, a.replace("*", "\\*"), 1.0, said.get(a, ""))
        for key, share in credit.items():
            _answer_el(el, key.replace("*", "\\*"), share, said.get(key, ""))
        if said.get(ANY_OTHER):
            _answer_el(el, "*", 0.0, said[ANY_OTHER])
    if q.tags:
        tags = SubElement(el, "tags")
        for t in q.tags:
            SubElement(SubElement(tags, "tag"), "text").text = t
    meta = {"name": q.name, "type": q.type.value, "fact_kind": q.fact_kind.value, "sibling": q.sibling,
            "source": q.source, "answer": q.answer if q.type.value == "numeric" else None,
            "tolerance": q.tolerance, "accept": list(q.accept) if q.type.value == "numeric" and q.accept else None,
            "credit": dict(credit) if credit else None, "feedback": dict(said) if said else None}
    SubElement(el, "studyapp").text = json.dumps({k: v for k, v in meta.items() if v or k == "name"},
                                                 ensure_ascii=False)


def export(questions: list[Question], info) -> bytes:
    quiz = Element("quiz")
    topic = None
    for q in questions:
        if q.topic != topic:
            topic = q.topic
            cat = SubElement(quiz, "question", {"type": "category"})
            _put_text(cat, "category", "$course$/top" + (f"/{topic.replace('/', '//')}" if topic else ""), None)
        _export_question(quiz, q)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(quiz, encoding="utf-8", xml_declaration=False) + b"\n"
