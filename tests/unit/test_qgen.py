"""Tests for the question generator (studyapp.qgen)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyapp.qgen import GenerationError, dumps, explain, generate_bank, write_bank
from studyapp.qgen.command import generate
from studyapp.qgen.extract import (
    Sentence,
    acronym_match,
    build_context,
    extract_facts,
    find_dates,
    find_figures,
    norm,
    split_sentences,
)
from studyapp.qgen.lexicon import DANGLING, lemma_past
from studyapp.qgen.make_banks import make_banks, slugify
from studyapp.qgen.text import clean, has_foreign_script

HERE = Path(__file__).resolve()
DOCS = HERE.parents[1] / "data" / "docs"
REPO = HERE.parents[2]
SEEDS = HERE.parents[2].parent / "shared" / "seeds"
BANKS = sorted((REPO / "questions").glob("*.json"))
OWN_DOCS = sorted(p for p in DOCS.iterdir() if p.name != "repeated.txt")


def _sent(text: str) -> Sentence:
    return Sentence(text, 0, len(text), "", 0)


def _words_in_order(quote: str, original: str) -> bool:
    pos = 0
    for w in re.findall(r"\w+", quote):
        i = original.find(w, pos)
        if i < 0:
            return False
        pos = i + len(w)
    return True


# --------------------------------------------------------------------------- cleaning


def test_clean_removes_footnotes_urls_markup_and_references():
    raw = (
        "# A Title Of The Document\n\nJane Roe\n\n"
        "The treaty was signed in **Vienna** in 1815.¹ It is cited often [12] and [5, p. 3] "
        "and <sup>3</sup> here, see <https://example.org/x> or www.example.com/page.\n\n"
        "¹ Footnote text that must go <https://example.org>\n\n"
        "## References\n\n[1] Some Author. A Book. 1999.\n"
    )
    c = clean(raw)
    text = " ".join(b.text.text for b in c.blocks)
    assert c.title == "A Title Of The Document"
    assert c.authors == ["Jane Roe"]
    assert "¹" not in text and "[12]" not in text and "[5, p. 3]" not in text
    assert "http" not in text and "www." not in text and "**" not in text and "<sup>" not in text
    assert "Footnote text" not in text and "Some Author" not in text
    assert "The treaty was signed in Vienna in 1815." in text


def test_clean_foreign_script_repeated_paragraphs_hyphenation_and_page_breaks():
    para = "The committee met in Geneva in 1990 to discuss the reform of the statutes again."
    raw = (
        "Title Words Here\n\n"
        f"{para}\n\n{para}\n\n"
        "The agreement was the result of long nego-\ntiations between the two delegations and the\n\n"
        "¹ A footnote between the two halves of a sentence.\n\n"
        "secretariat in the spring of that year.\n\n"
        "Это абзац на русском языке, который нужно удалить полностью.\n"
    )
    c = clean(raw)
    texts = [b.text.text for b in c.blocks]
    assert texts.count(para) == 1
    assert any("negotiations between the two delegations and the secretariat" in t for t in texts)
    assert not any(has_foreign_script(t) for t in texts)


def test_clean_keeps_offsets_into_original():
    raw = "Intro Title\n\nThe **bridge** was opened on May 3, 1931.² Traffic grew quickly after that date."
    c = clean(raw)
    b = c.blocks[0]
    i = b.text.text.index("bridge")
    a, e = b.text.span(i, i + len("bridge"))
    assert raw[a:e] == "bridge"
    a, e = b.text.span(0, len(b.text.text))
    assert _words_in_order(b.text.text, raw[a:e])


# --------------------------------------------------------------------------- extractors


def test_dates():
    s = _sent("Relations were established on December 30, 1991, and an embassy opened in May 1993; "
              "from 1995 to 2021 it grew, since the late 1990s, and in 2007 a forum began.")
    got = {(f.sub, f.answer) for f in find_dates(s)}
    assert ("day", "December 30, 1991") in got
    assert ("month", "May 1993") in got
    assert ("range", "from 1995 to 2021") in got
    assert ("decade", "the late 1990s") in got
    assert ("year", "2007") in got


def test_figures():
    s = _sent("The agency allocated 130 million US dollars for 30 projects, and more than "
              "2 thousand internships and 1,500 unique surgical operations; 45 percent went to fuel.")
    figs = find_figures(s, [])
    by = {f.answer: f for f in figs}
    assert by["130 million US dollars"].sub == "money"
    assert by["130 million US dollars"].value == 130e6
    assert by["30"].extra["noun"] == "projects"
    assert by["more than 2 thousand"].value == 2000
    assert by["1,500"].extra["noun"] == "operations"
    assert by["45 percent"].sub == "percent"


def test_people_acronyms_places_on_own_docs():
    from studyapp.qgen.generate import load_source

    src = load_source(DOCS / "ghana_independence.md", "s1")
    assert "Kwame Nkrumah" in src.ctx.persons
    assert src.ctx.persons["Kwame Nkrumah"].role in ("Prime Minister", "scholar")
    assert src.ctx.acronyms["CPP"].expansion == "Convention People's Party"
    assert src.ctx.acronyms["UGCC"].expansion == "United Gold Coast Convention"
    assert "Accra" in src.ctx.cities
    kinds = {f.kind for s in src.sentences for f in extract_facts(s, src.ctx)}
    assert {"date", "person", "figure", "place"} <= kinds

    src = load_source(DOCS / "space_programme.txt", "s1")
    assert src.cleaned.title == "The Lunar Horizon Programme"
    assert src.ctx.acronyms["ESRA"].expansion == "European Space Research Agency"
    assert "Marta Kowalski" in src.ctx.persons


def test_acronym_match_and_lemmas():
    assert acronym_match("KOICA", "Korean Agency for International Cooperation") >= 0.75
    assert acronym_match("OECD", "Organization for Economic Cooperation and Development") == 1
    assert acronym_match("XYZ", "Korean Agency") < 0.5
    for past, base in [("recognized", "recognize"), ("opened", "open"), ("established", "establish"),
                       ("proposed", "propose"), ("allocated", "allocate"), ("took", "take"),
                       ("stopped", "stop"), ("declared", "declare"), ("handed", "hand"),
                       ("adopted", "adopt"), ("introduced", "introduce"), ("agreed", "agree")]:
        assert lemma_past(past) == base


def test_sentences_keep_offsets():
    raw = (DOCS / "ghana_independence.md").read_text(encoding="utf-8")
    c = clean(raw)
    sents = split_sentences(c.blocks)
    assert sents
    for s in sents:
        assert _words_in_order(s.text, raw[s.start : s.end]), s.text
    ctx = build_context(sents)
    assert ctx.persons


# --------------------------------------------------------------------------- generation


@pytest.fixture(scope="module")
def own_bank():
    return generate_bank(OWN_DOCS).bank


def _check_question(q: dict, originals: dict[str, str]) -> None:
    assert set(q) >= {"id", "type", "prompt", "answer", "accept", "explanation", "source",
                      "fact_kind", "topic", "tags"}
    p = q["prompt"]
    body = re.sub(r"^True or false:\s*", "", p)
    if q["type"] != "flashcard":
        assert not DANGLING.search(body), p
    if q["type"] not in ("true_false", "flashcard"):
        a = norm(str(q["answer"]))
        assert not re.search(rf"(?<!\w){re.escape(a)}(?!\w)", norm(p)), p
    if q["type"] == "multiple_choice":
        ch = q["choices"]
        assert len(ch) == 4 and len(set(ch)) == 4 and ch.count(q["answer"]) == 1
    else:
        assert "choices" not in q
    if q["type"] == "true_false":
        assert isinstance(q["answer"], bool)
    if q["type"] == "cloze":
        assert "____" in p
    if q["type"] == "numeric":
        assert "tolerance" in q
    assert not has_foreign_script(p + str(q["answer"]))
    assert "http" not in p
    src = q["source"]
    assert _words_in_order(src["quote"], originals[src["id"]][src["start"] : src["end"]])


def _originals(bank: dict, paths) -> dict[str, str]:
    by_name = {Path(p).name: Path(p) for p in paths}
    return {s["id"]: by_name[s["file"]].read_text(encoding="utf-8") for s in bank["sources"]}


def test_own_docs_invariants(own_bank):
    qs = own_bank["questions"]
    assert len(qs) >= 15
    originals = _originals(own_bank, OWN_DOCS)
    ids = [q["id"] for q in qs]
    assert len(ids) == len(set(ids))
    for q in qs:
        _check_question(q, originals)
    kinds = {q["fact_kind"] for q in qs}
    assert {"date", "person", "figure"} <= kinds
    types = {q["type"] for q in qs}
    assert {"short_answer", "multiple_choice", "numeric", "flashcard"} <= types
    prompts = " | ".join(q["prompt"] for q in qs)
    assert "When was the Akosombo Dam completed?" in prompts
    assert any(q["answer"] == "European Space Research Agency" for q in qs)


def test_determinism_and_stable_ids(tmp_path, own_bank):
    again = generate_bank(OWN_DOCS).bank
    assert dumps(again) == dumps(own_bank)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_bank(own_bank, a)
    write_bank(again, b)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_text(encoding="utf-8").endswith("}\n")


def test_types_and_max_per_fact():
    bank = generate_bank([DOCS / "ghana_independence.md"], types={"cloze"}, max_per_fact=1).bank
    assert bank["questions"] and {q["type"] for q in bank["questions"]} == {"cloze"}


def test_pdf_input(tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    lines = [
        "The Harbour Bridge was opened on March 19, 1932, in Sydney.",
        "Engineer John Bradfield, an Australian civil engineer, designed the bridge.",
        "The construction cost 6.25 million pounds and employed 1,400 workers.",
    ]
    ops = ["BT /F1 11 Tf 50 740 Td 14 TL"] + [f"({ln}) Tj T*" for ln in lines] + ["ET"]
    stream = DecodedStreamObject()
    stream.set_data(" ".join(ops).encode())
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    page[NameObject("/Contents")] = writer._add_object(stream)
    pdf = tmp_path / "bridge.pdf"
    with pdf.open("wb") as fh:
        writer.write(fh)
    res = generate_bank([pdf])
    qs = res.bank["questions"]
    assert res.bank["sources"][0]["file"] == "bridge.pdf"
    assert any(q["answer"] == "March 19, 1932" for q in qs)


def test_unreadable_and_empty_files_warn(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    res = generate_bank([empty, missing, DOCS / "ghana_independence.md"])
    assert res.bank["questions"]
    assert any("empty.txt" in w for w in res.report.warnings)
    assert any("missing.txt" in w for w in res.report.warnings)
    with pytest.raises(GenerationError, match="empty.txt"):
        generate_bank([empty])
    nofacts = tmp_path / "nofacts.txt"
    nofacts.write_text("Hello there.\n\nThis is nothing much at all, really.\n", encoding="utf-8")
    with pytest.raises(GenerationError, match="nofacts.txt"):
        generate_bank([nofacts])


def test_repeated_document_paragraph_once():
    res = generate_bank([DOCS / "repeated.txt"])
    quotes = [q["source"]["quote"] for q in res.bank["questions"]]
    assert quotes and len(set(quotes)) == 1


def test_explain_and_cli(tmp_path):
    text = explain(DOCS / "ghana_independence.md")
    assert "Kwame Nkrumah" in text and "date" in text
    runner = CliRunner()
    out = tmp_path / "bank.json"
    r = runner.invoke(generate, [str(DOCS / "ghana_independence.md"), str(DOCS / "space_programme.txt"),
                                 "--out", str(out), "--types", "multiple_choice,cloze,numeric",
                                 "--max-per-fact", "2"])
    assert r.exit_code == 0, r.output
    bank = json.loads(out.read_text(encoding="utf-8"))
    assert {q["type"] for q in bank["questions"]} <= {"multiple_choice", "cloze", "numeric"}
    assert "by type" in r.output
    r = runner.invoke(generate, [str(DOCS / "ghana_independence.md"), "--explain"])
    assert r.exit_code == 0 and "person" in r.output
    r = runner.invoke(generate, [str(DOCS / "ghana_independence.md"), "--out", str(out),
                                 "--types", "essay"])
    assert r.exit_code != 0 and "essay" in r.output
    r = runner.invoke(generate, [str(tmp_path / "nope.txt"), "--out", str(out)])
    assert r.exit_code != 0 and "nope.txt" in r.output


def test_slugify():
    assert slugify("South Korea's Policy: An Overview") == "south-korea-s-policy-an-overview"
    long = slugify("word " * 40)
    assert len(long) <= 60 and not long.endswith("-")


# --------------------------------------------------------------------------- shipped banks


@pytest.mark.parametrize("path", BANKS, ids=[p.name for p in BANKS])
def test_shipped_bank_invariants(path):
    bank = json.loads(path.read_text(encoding="utf-8"))
    assert bank["format"] == "studyapp-bank/1" and bank["language"] == "en"
    assert list(bank) == ["format", "title", "description", "language", "sources", "generator",
                          "questions"]
    qs = bank["questions"]
    assert qs and len({q["id"] for q in qs}) == len(qs)
    if SEEDS.is_dir():
        originals = {s["id"]: (SEEDS / s["file"]).read_text(encoding="utf-8") for s in bank["sources"]}
        for q in qs:
            _check_question(q, originals)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_shipped_banks_match_fresh_generation(tmp_path):
    written = make_banks(SEEDS, tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in BANKS)
    for p in written:
        assert p.read_bytes() == (REPO / "questions" / p.name).read_bytes(), p.name
