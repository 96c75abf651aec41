"""Anki deck export (.apkg) with genanki. Ids derive from the set's key, so a deck
exported again updates the notes already in a student's Anki instead of duplicating them."""

from __future__ import annotations

import hashlib
import html
import os
import tempfile

import genanki

from ..question import Question

CSS = """.card { font-family: system-ui, sans-serif; font-size: 20px; text-align: left; }
.choices { margin: .5em 0; } .explanation { color: #555; font-size: 16px; }
.source { color: #777; font-size: 14px; border-left: 3px solid #ccc; padding-left: .5em; }"""

FRONT = '{{Prompt}}{{#Choices}}<div class="choices">{{Choices}}</div>{{/Choices}}'
BACK = ('{{FrontSide}}<hr id="answer"><b>{{Answer}}</b>'
        '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}'
        '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}')


def stable_id(*parts: str) -> int:
    """A 31-bit id Anki accepts, the same for the same inputs on every run."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def _model(set_key: str) -> genanki.Model:
    return genanki.Model(
        stable_id("studyapp-model", set_key), "studyapp question",
        fields=[{"name": n} for n in ("Prompt", "Answer", "Explanation", "Source", "Choices",
                                      "Type", "Id")],
        templates=[{"name": "Card 1", "qfmt": FRONT, "afmt": BACK}],
        css=CSS, sort_field_index=0)


def _esc(s) -> str:
    return html.escape(str(s or "")).replace("\n", "<br>")


def _tag(s: str) -> str:
    return "_".join(str(s).split())[:60]


def build_deck(set_key: str, title: str, questions: list[Question]) -> genanki.Deck:
    model = _model(set_key)
    deck = genanki.Deck(stable_id("studyapp-deck", set_key), title or "studyapp")
    for q in questions:
        answer = q.answer_text()  # true/false as words, several options, pairs, the order
        shown = q.shown()  # what a student picks from, as on the study screen
        listed = shown.get("choices") or shown.get("items") or shown.get("right") or []
        choices = "<ol type=\"A\">" + "".join(f"<li>{_esc(c)}</li>" for c in listed) + "</ol>" if listed else ""
        tags = [_tag(t) for t in (q.tags or []) if _tag(t)]
        if q.topic:
            tags.append("topic::" + _tag(q.topic))
        deck.add_note(genanki.Note(
            model=model,
            fields=[_esc(q.prompt), _esc(answer), _esc(q.explanation),
                    _esc((q.source or {}).get("quote")), choices, q.type.value, _esc(q.uid)],
            guid=genanki.guid_for(set_key, q.uid), tags=tags))
    return deck


def export(questions: list[Question], info) -> bytes:
    deck = build_deck(info.key, info.title, questions)
    fd, path = tempfile.mkstemp(suffix=".apkg")
    os.close(fd)
    try:
        genanki.Package(deck).write_to_file(path)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)
