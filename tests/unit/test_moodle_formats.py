"""GIFT and Moodle XML read as Moodle reads them, on fixtures written for these tests in
the style of Moodle's documented examples (Moodle's own test files are GPL and stay out)."""

from __future__ import annotations

from studyapp.interchange.gift import parse_gift
from studyapp.interchange.moodlexml import parse_xml
from studyapp.question import grade
from tests.conftest import DATA

GIFT = (DATA / "import" / "moodle_style.gift").read_bytes()


def by_prompt(questions, start):
    [q] = [q for q in questions if q["prompt"].startswith(start)]
    return q


def test_moodle_style_gift_reads_with_meaning_kept():
    qs, problems = parse_gift(GIFT, "m.gift")
    assert problems == [
        "m.gift: line 45, field 'type': essay questions (an empty answer block) are not supported",
        "m.gift: line 47, field 'type': a description (text with no answer block { … }) is not a question"]
    rings = by_prompt(qs, "Which planet is famous")
    # Format markers gone, HTML turned into text: the line break kept, the comment dropped.
    assert rings["prompt"] == "Which planet is famous for its rings?\nPick one."
    assert (rings["name"], rings["topic"], rings["tags"]) == ("Rings", "Planets", ["planets", "moons"])
    assert rings["credit"] == {"Jupiter": 0.5} and rings["feedback"]["Saturn"] == "Right, and Jupiter has faint ones too."
    assert grade(rings, "Jupiter").score == 0.5
    red = by_prompt(qs, "Which planet is called")
    # =%50% is partial credit, and the catch-all =%0%* is feedback, not an accepted '*'.
    assert red["answer"] == "Mars" and red["accept"] == [] and red["credit"] == {"Marz": 0.5}
    assert grade(red, "*").score == 0 and grade(red, "*").feedback == "Think of its colour."
    assert grade(red, "Marz").score == 0.5 and not grade(red, "Marz").correct
    titan = by_prompt(qs, "The largest moon")
    assert titan["type"] == "cloze" and titan["prompt"] == "The largest moon of Saturn is ____ and it has a thick atmosphere."
    giants = by_prompt(qs, "Pick every gas giant")
    assert giants["type"] == "multiple_answer" and giants["answer"] == ["Jupiter", "Saturn"]
    assert grade(giants, ["Jupiter", "Saturn"]).correct and grade(giants, ["Jupiter", "Mars"]).score == 0
    moons = by_prompt(qs, "Match each moon")
    assert moons["pairs"][-1] == ["", "Neptune"]  # an extra wrong right-hand item
    assert grade(moons, {"Titan": "Neptune", "Europa": "Jupiter", "Phobos": "Mars"}).score == 2 / 3
    mars = by_prompt(qs, "How many moons")
    assert (mars["answer"], mars.get("tolerance"), mars["credit"]) == ("2", None, {"2:1": 0.5})
    assert grade(mars, "3").score == 0.5 and grade(mars, "4").feedback == "Count again."
    pluto = by_prompt(qs, "Pluto is a planet")
    assert pluto["feedback"] == {"false": "Right: a dwarf planet since 2006.", "true": "It was reclassified in 2006."}
    seasons = by_prompt(qs, "Which of these are seasons")
    assert seasons["answer"] == "spring" and seasons["accept"] == ["summer"]  # either is fully right
    assert grade(seasons, "summer").correct and not grade(seasons, "Easter").correct
    assert by_prompt(qs, "Who wrote")["answer"] == "Gustav Holst"  # the comment after it is no answer


def test_refusals_name_their_line_and_field():
    cases = {
        b"Spell it {=Ne*ton}": "line 1, field 'answer': 'Ne*ton': wildcards",
        b"Anything {=%50%*}": "line 1, field 'accept': the catch-all answer '*' earns credit",
        b"One {=a} two {=b}": "line 1, field 'answer': more than one answer block",
        b"Which? {~a ~b}": "line 1, field 'answer': no option has a positive weight",
        b"Sum? {#=4:0 =5:0}": "line 1, field 'answer': more than one fully right number",
    }
    for text, words in cases.items():
        qs, problems = parse_gift(text, "r.gift")
        assert qs == [] and any(words in p for p in problems), (text, problems)


def test_a_question_twice_is_one_question_and_keeps_its_feedback():
    qs, problems = parse_gift(b"Capital? {=Seoul}\n\n::Named::Capital? {=Seoul#Yes, since 1394.}\n", "d.gift")
    assert problems == [] and len(qs) == 1
    assert qs[0]["feedback"] == {"Seoul": "Yes, since 1394."} and qs[0]["name"] == "Named"
    _, problems = parse_gift(b"Capital? {=Seoul}\n\nCapital? {=Seoul ~Busan}\n", "d.gift")
    assert problems == []  # a multiple choice is another question
    _, problems = parse_gift(b"Year? {#1945}\n\nYear? {#1945:2}\n", "d.gift")
    assert problems == ["d.gift: line 3, field 'answer': the same question as line 1 with another answer, tolerance or credit"]


XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Unit 1//2/Cells</text></category></question>
  <question type="shortanswer">
    <name><text>Powerhouse</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which organelle releases energy?</p>]]></text></questiontext>
    <usecase>0</usecase>
    <answer fraction="100"><text>mitochondrion</text><feedback><text>Yes.</text></feedback></answer>
    <answer fraction="100"><text>mitochondria</text></answer>
    <answer fraction="50"><text>chloroplast</text><feedback><text>That makes sugar.</text></feedback></answer>
    <answer fraction="0"><text>*</text><feedback><text>Think of respiration.</text></feedback></answer>
  </question>
  <question type="numerical">
    <name><text>Chromosomes</text></name>
    <questiontext format="plain_text"><text>How many chromosomes in a human body cell?</text></questiontext>
    <answer fraction="100"><text>46</text><tolerance>0</tolerance></answer>
    <answer fraction="50"><text>23</text><tolerance>0</tolerance><feedback><text>That is a gamete.</text></feedback></answer>
  </question>
  <question type="ordering">
    <name><text>Mitosis</text></name>
    <questiontext format="html"><text>Put the phases in order.</text></questiontext>
    <answer fraction="1"><text>Prophase</text></answer>
    <answer fraction="2"><text>Metaphase</text></answer>
    <answer fraction="3"><text>Anaphase</text></answer>
    <answer fraction="4"><text>Telophase</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>Case</text></name>
    <questiontext><text>Symbol of sodium?</text></questiontext>
    <usecase>1</usecase>
    <answer fraction="100"><text>Na</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Picture</text></name>
    <questiontext format="html"><text><![CDATA[<p><img src="@@PLUGINFILE@@/cell.png"> What is shown?</p>]]></text></questiontext>
    <answer fraction="100"><text>A cell</text></answer><answer fraction="0"><text>A leaf</text></answer>
  </question>
</quiz>
"""


def test_moodle_xml_keeps_names_topics_credit_and_feedback():
    qs, problems = parse_xml(XML, "cells.xml")
    assert problems == [
        "cells.xml: line 27, field 'usecase': case-sensitive answers are not supported (answers are "
        "graded whatever their case) (question 'Case')",
        "cells.xml: line 33, field 'questiontext': images are not supported (question 'Picture')"]
    power, chromosomes, mitosis = qs
    assert power["topic"] == "Cells" and power["name"] == "Powerhouse"
    assert (power["answer"], power["accept"], power["credit"]) == ("mitochondrion", ["mitochondria"], {"chloroplast": 0.5})
    assert power["feedback"] == {"mitochondrion": "Yes.", "chloroplast": "That makes sugar.", "*": "Think of respiration."}
    assert chromosomes["credit"] == {"23": 0.5} and grade(chromosomes, "23").feedback == "That is a gamete."
    assert mitosis["type"] == "ordering" and mitosis["items"] == ["Prophase", "Metaphase", "Anaphase", "Telophase"]


def test_moodle_xml_refuses_entities_and_dtds():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<quiz><question type='shortanswer'><questiontext><text>&b;</text></questiontext></question></quiz>")
    qs, problems = parse_xml(bomb, "bomb.xml")
    assert qs == [] and problems == ["bomb.xml: line 1: refused: the file declares entities or a DTD (DTDForbidden)"]
    external = b'<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "file:///etc/passwd"><quiz/>'
    assert parse_xml(external, "e.xml")[1][0].startswith("e.xml: line 1: refused")
