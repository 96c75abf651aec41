"""Imports as a teacher meets them: the formats page, the paste box, partial imports on
request, separators named in messages, Moodle XML and Anki text files, no server paths."""

from __future__ import annotations

import io

from sqlalchemy import select

from studyapp.models import Question, QuestionSet
from studyapp.question import Question as QuestionData


def login(client):
    r = client.post("/login", data={"email": "teacher@test.org", "password": "correct-horse-9"})
    assert r.status_code == 302


def upload(client, data: bytes, name: str, **extra):
    return client.post("/teach/import", data={"file": (io.BytesIO(data), name), **extra},
                       content_type="multipart/form-data", follow_redirects=True)


def set_questions(db, title):
    qset = db.session.scalar(select(QuestionSet).where(QuestionSet.title == title))
    return qset, [QuestionData.from_row(q) for q in db.session.scalars(
        select(Question).where(Question.set_id == qset.id).order_by(Question.position))]


def test_import_page_links_the_formats_page(client, instructor):
    login(client)
    page = client.get("/teach/import").get_data(as_text=True)
    assert 'href="/teach/import/formats"' in page and 'name="pasted"' in page and 'name="partial"' in page
    formats = client.get("/teach/import/formats").get_data(as_text=True)
    for words in ("Moodle XML", "Limits", "2–10 options", "3–8 pairs", "3–6 items", "{#12:0.5}", "\\|"):
        assert words in formats, words


def test_paste_box_takes_a_quizlet_list(client, db, instructor):
    login(client)
    r = client.post("/teach/import", data={"pasted": "Seoul\tcapital of South Korea\nAstana\tcapital of Kazakhstan\n",
                                            "title": "Capitals"}, follow_redirects=True)
    assert r.status_code == 200 and "2 added" in r.get_data(as_text=True)
    _, qs = set_questions(db, "Capitals")
    assert [(q.type.value, q.prompt, q.answer) for q in qs] == [
        ("flashcard", "Seoul", "capital of South Korea"), ("flashcard", "Astana", "capital of Kazakhstan")]
    r = client.post("/teach/import", data={"pasted": "no tab on this line\n"}, follow_redirects=True)
    assert "pasted list: line 1, field &#39;answer&#39;: no definition after the term (read as tab-separated)" \
        in r.get_data(as_text=True)


def test_anki_notes_in_plain_text_are_not_read_as_gift(client, db, instructor):
    login(client)
    anki = b"#separator:tab\n#html:true\n#tags column:3\nISS\tInternational <b>Space</b> Station<br>since 1998\tspace orbit\n"
    r = upload(client, anki, "notes.txt", title="Anki")
    assert "1 added" in r.get_data(as_text=True)
    _, [q] = set_questions(db, "Anki")
    assert (q.prompt, q.answer, q.tags) == ("ISS", "International Space Station\nsince 1998", ("space", "orbit"))


def test_separator_is_sniffed_and_named(client, db, instructor):
    login(client)
    r = upload(client, b"type;prompt;answer\nshort_answer;Capital of Korea?;Seoul\n", "q.csv", title="Semi")
    assert "1 added" in r.get_data(as_text=True)
    r = upload(client, b"typ\tprompt\tanswer\nshort_answer\tCapital?\tSeoul\n", "q.tsv", format="csv")
    text = r.get_data(as_text=True)
    assert "field &#39;typ&#39;: unknown column (read as tab-separated" in text and "nothing was changed" in text


def test_partial_import_only_when_asked(client, db, instructor):
    login(client)
    gift = b"Capital of Korea? {=Seoul}\n\nDiscuss the economy. {}\n\nPick {~a =b ~c}\n"
    r = upload(client, gift, "mixed.gift", title="Mixed")
    assert "nothing was changed" in r.get_data(as_text=True)
    assert db.session.scalar(select(QuestionSet).where(QuestionSet.title == "Mixed")) is None
    r = upload(client, gift, "mixed.gift", title="Mixed", partial="y")
    text = r.get_data(as_text=True)
    assert "2 added" in text and "1 problems: these questions were left out of mixed.gift" in text
    assert "mixed.gift: line 3, field &#39;type&#39;: essay questions" in text
    _, qs = set_questions(db, "Mixed")
    assert [q.type.value for q in qs] == ["short_answer", "multiple_choice"]


MOODLE_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Planets</text></category></question>
  <question type="multichoice">
    <name><text>Rings</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which planets have <b>rings</b>?</p>]]></text></questiontext>
    <generalfeedback format="html"><text>All four giants do.</text></generalfeedback>
    <single>false</single>
    <answer fraction="50" format="html"><text>Saturn</text><feedback format="html"><text>Yes.</text></feedback></answer>
    <answer fraction="50" format="html"><text>Uranus</text></answer>
    <answer fraction="-100" format="html"><text>Mars</text></answer>
  </question>
  <question type="essay"><name><text>Essay</text></name><questiontext format="html"><text>Discuss.</text></questiontext></question>
</quiz>
"""


def test_moodle_xml_through_the_page(client, db, instructor):
    login(client)
    r = upload(client, MOODLE_XML, "moodle.xml", title="XML", partial="y")
    text = r.get_data(as_text=True)
    assert "1 added" in text and "moodle.xml: line 13, field &#39;type&#39;: essay questions are not supported" in text
    qset, [q] = set_questions(db, "XML")
    assert (q.type.value, q.name, q.topic, q.answer) == ("multiple_answer", "Rings", "Planets", ("Saturn", "Uranus"))
    assert q.prompt == "Which planets have rings?" and q.feedback == {"Saturn": "Yes."}
    out = client.get(f"/teach/sets/{qset.id}/export.moodlexml")
    r = client.post(f"/teach/sets/{qset.id}/import", data={"file": (io.BytesIO(out.data), "again.xml")},
                    content_type="multipart/form-data", follow_redirects=True)
    assert "0 added, 0 updated, 1 unchanged" in r.get_data(as_text=True)
