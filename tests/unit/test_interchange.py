"""Importers and exporters: parsing, round trips, Anki, and fuzzing (never an unhandled
error, never a partial import)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from studyapp.interchange import FORMATS, content_uid, detect_format, template_csv
from studyapp.interchange.anki import build_deck, stable_id
from studyapp.interchange.bankio import parse_bank
from studyapp.interchange.csvio import parse_csv
from studyapp.interchange.gift import parse_gift
from studyapp.models import Question, QuestionSet
from studyapp.question import TYPES
from studyapp.question import Question as QuestionData
from studyapp.teach.service import export_set
from tests.conftest import DATA, MINI_BANK

IMPORT = DATA / "import"
FIELDS = ("type", "prompt", "answer", "accept", "choices", "tolerance", "explanation", "fact_kind",
          "topic", "tags")


def same(a: dict, b: dict) -> bool:
    def norm(q):
        out = {k: q.get(k) for k in FIELDS}
        out["answer"] = str(out["answer"]).lower() if isinstance(out["answer"], bool) else str(out["answer"])
        out["choices"] = out["choices"] or None
        out["accept"] = out["accept"] or []
        out["tags"] = out["tags"] or []
        out["tolerance"] = None if out["tolerance"] in (None, "") else str(out["tolerance"])
        out["quote"] = (q.get("source") or {}).get("quote") or None
        return out
    return norm(a) == norm(b)


def test_csv_parses_every_type():
    qs, problems = parse_csv((IMPORT / "good.csv").read_bytes(), "good.csv")
    assert problems == []
    assert [q["type"] for q in qs] == ["multiple_choice", "true_false", "short_answer", "numeric", "cloze", "flashcard"]
    assert qs[0]["choices"] == ["1965", "1967", "1969", "1971"] and qs[0]["tags"] == ["apollo", "moon"]
    assert qs[2]["accept"] == ["Armstrong"]
    assert qs[4]["source"] == {"quote": "The Saturn V rocket was designed under the direction of Wernher von Braun."}
    assert all(q["id"].startswith("c") for q in qs)


def test_csv_problems_name_line_and_field():
    qs, problems = parse_csv((IMPORT / "bad.csv").read_bytes(), "bad.csv")
    assert qs == []
    assert problems == [
        "bad.csv: line 2, field 'choices': needs 2-10 options, has 1",
        "bad.csv: line 3, field 'answer': a true/false answer must be true or false, got 'maybe'",
        "bad.csv: line 4, field 'answer': 'twelve-ish' is not a number",
        "bad.csv: line 5, field 'prompt': a cloze prompt needs a blank written ____",
        "bad.csv: line 6, field 'fact_kind': must be one of date, person, programme, figure, place, "
        "organisation, other, got 'planet'",
    ]


@pytest.mark.parametrize("data, message", [
    (b"", "line 1: the first row must name the columns"),
    (b"type,answer\n", "line 1, field 'prompt': required column is missing"),
    (b"type,prompt\nshort_answer,Who?\n", "line 2, field 'answer': must be non-empty text"),
    (b"type,prompt,answer,colour\n", "line 1, field 'colour': unknown column"),
    (b"type,prompt,answer\n", "line 2: no questions"),
    (b"type,prompt,answer\nflashcard,a,b,c\n", "line 2: 4 cells but 3 columns"),
    (b"type,prompt,answer\nessay,a,b\n", "line 2, field 'type': 'essay' is not a question type"),
    (b"id,type,prompt,answer\nx,flashcard,a,b\nx,flashcard,a,c\n", "line 3, field 'id': 'x' is already the id of line 2"),
    (b"type,prompt,answer\n\xff\xfe,x,y\n", "line 2: not UTF-8 text"),
    (b'type,prompt,answer\nflashcard,"multi\nline",b\nessay,a,b\n', "line 4, field 'type'"),
])
def test_csv_structure_problems(data, message):
    qs, problems = parse_csv(data, "f.csv")
    assert any(message in p for p in problems), problems


def test_gift_parses_supported_types():
    qs, problems = parse_gift((IMPORT / "good.gift").read_bytes(), "good.gift")
    assert problems == []
    assert [q["type"] for q in qs] == ["multiple_choice", "true_false", "short_answer", "numeric", "cloze"]
    assert qs[0]["answer"] == "1969" and qs[0]["topic"] == "Apollo"
    assert qs[2]["accept"] == ["Armstrong"] and qs[2]["explanation"] == "He was the mission commander."
    assert qs[4]["prompt"] == "The command module of Apollo 11 was named ____ by its crew."


def test_gift_details():
    text = (b"::T:: 1 \\{braces\\} and a \\= sign {=yes}\n\n"
            b"Missing {~a =b ~c} word.\n\n"
            b"Range {#1..5}\n\nTolerance {#10:0.5}\n\n"
            b"[html]<p>Rich &amp; <b>bold</b></p>{TRUE}\n\n"
            b"Partial {~%50%a ~%50%b ~c}\n\nEssay {}\n\nA description, no answer block.\n")
    qs, problems = parse_gift(text, "d.gift")
    assert problems == ["d.gift: line 13, field 'type': essay questions (an empty answer block) are not supported",
                        "d.gift: line 15, field 'type': a description (text with no answer block { … }) is not a question"]
    assert qs[0]["prompt"] == "1 {braces} and a = sign" and qs[0]["type"] == "short_answer"
    assert qs[1]["type"] == "multiple_choice" and qs[1]["prompt"] == "Missing ____ word."
    assert (qs[2]["answer"], qs[2]["tolerance"]) == ("3", "2")
    assert (qs[3]["answer"], qs[3]["tolerance"]) == ("10", "0.5")
    assert qs[4]["prompt"] == "Rich & bold" and qs[4]["answer"] == "true"
    # Moodle's weights are kept: ticking c costs nothing here (the usual split would take 100%).
    assert qs[5]["type"] == "multiple_answer" and qs[5]["answer"] == ["a", "b"]
    assert qs[5]["credit"] == {"a": 0.5, "b": 0.5, "c": 0.0}


def test_bank_import_uses_validate_bank():
    qs, problems, meta = parse_bank(MINI_BANK.read_bytes(), "mini.json")
    assert problems == [] and meta["title"] == "Mini history bank" and len(qs) > 3
    qs, problems, _ = parse_bank(b'{"format": "studyapp-bank/1", "title": "x", "questions": [{"id": "a"}]}', "b.json")
    assert qs == [] and any("field 'type'" in p for p in problems)
    qs, problems, _ = parse_bank(b'{"format": ', "b.json")
    assert problems[0].startswith("b.json: line 1, column")


def test_detect_format():
    assert detect_format("a.CSV") == "csv" and detect_format("q.gift") == "gift"
    assert detect_format("q.txt") == "gift" and detect_format("bank.json") == "bank"
    assert detect_format("q.txt", b"#separator:tab\n#html:false\nterm\tdefinition\n") == "list"
    assert detect_format("q.txt", b"Seoul\tcapital of South Korea\n") == "list"
    assert detect_format("q.txt", b"Capital? {=Seoul}\n") == "gift"
    assert detect_format("q.tsv", b"type\tprompt\tanswer\n") == "csv"
    with pytest.raises(ValueError):
        detect_format("slides.pptx")


def test_content_uid_ignores_case_spacing_and_choice_order():
    a = {"type": "multiple_choice", "prompt": "Year?", "answer": "1969", "choices": ["1969", "1970", "1971"]}
    b = {"type": "multiple_choice", "prompt": "  year? ", "answer": "1969", "choices": ["1971", "1969", "1970"]}
    assert content_uid(a) == content_uid(b)
    assert content_uid(a) != content_uid({**a, "answer": "1970"})


def test_template_is_valid():
    qs, problems = parse_csv(template_csv(), "template.csv")
    assert problems == [] and {q["type"] for q in qs} == set(TYPES)


# --- round trips through the database ---------------------------------------------------------

def bank_questions(qset) -> list[dict]:
    return [QuestionData.from_row(q).to_bank() for q in qset.questions if not q.retired]


def _mini_set(db):
    from studyapp.bank import load_banks

    [(_, qset, _)] = load_banks([MINI_BANK])
    return qset


def _import(db, fmt, data, name):
    from studyapp.teach.service import import_file

    return import_file(None, data, name, fmt=fmt, title=f"re-{fmt}")


@pytest.mark.parametrize("fmt", [f.name for f in FORMATS.values() if f.parse and f.whole])
def test_export_reimports_to_the_same_questions(app, db, fmt):
    qset = _mini_set(db)
    original = bank_questions(qset)
    assert {q["type"] for q in original} >= {"flashcard", "multiple_choice", "true_false"}
    data = export_set(qset, fmt).data
    outcome = _import(db, fmt, data, f"x.{fmt}")
    again = bank_questions(outcome.qset)
    assert len(again) == len(original)
    for a, b in zip(original, again, strict=True):
        assert same(a, b), (a, b)
        assert a["id"] == b["id"]
    # Importing the export again changes nothing.
    from studyapp.teach.service import import_file
    result = import_file(None, data, f"x.{fmt}", fmt=fmt, qset=outcome.qset).result
    assert (result.added, result.updated, result.unchanged) == (0, 0, len(original))


def test_anki_export_imports_into_a_real_collection(app, db, tmp_path):
    from anki.collection import Collection, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions

    qset = _mini_set(db)
    active = [q for q in qset.questions if not q.retired]
    data = export_set(qset, "apkg").data
    assert data[:2] == b"PK"
    deck_obj = build_deck(qset.key, qset.title, [QuestionData.from_row(q) for q in active])
    assert deck_obj.deck_id == stable_id("studyapp-deck", qset.key) == build_deck(qset.key, "x", []).deck_id
    assert deck_obj.notes[0].model.model_id == stable_id("studyapp-model", qset.key)
    path = tmp_path / "deck.apkg"
    path.write_bytes(data)
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False)))
        assert col.card_count() == len(active)
        assert col.note_count() == len(active)
        deck = col.decks.by_name(qset.title)
        assert deck is not None  # Anki gives an imported deck its own id; ours is stable (below)
        fronts = {col.get_note(nid)["Prompt"] for nid in col.find_notes("")}
        assert {q.prompt for q in active} <= {f.replace("&amp;", "&") for f in fronts}
        note = col.get_note(col.find_notes(f'"Id:{active[1].uid}"')[0])
        assert note["Answer"] and note["Explanation"] == active[1].explanation
        assert note["Source"] == (active[1].source or {}).get("quote")
        # A second export of the same set updates the same notes rather than adding new ones.
        col.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False)))
        assert col.note_count() == len(active)
    finally:
        col.close()


# --- fuzzing -------------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
csv_cells = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["multiple_choice", "true_false", "numeric", "cloze", "flashcard", "a|b|c", "1969", "____", "true", '"', ",", "\n"])
csv_docs = st.lists(st.lists(csv_cells, min_size=1, max_size=8), max_size=6).map(
    lambda rows: "\n".join(",".join(r) for r in [["type", "prompt", "answer", "choices", "tolerance"]] + rows))
gift_tokens = st.sampled_from(["{", "}", "=", "~", "#", "::", "\\", "\n\n", "\n", " ", "T", "F", "%50%", "->",
                               "..", ":", "1", "2.5", "word", "$CATEGORY: a/b", "// @studyapp {", "####", "[html]"])
gift_docs = st.lists(gift_tokens | st.text(max_size=5), max_size=40).map("".join)


def _no_partial_import(db, fmt, data):
    from studyapp.teach.service import TeachError, import_file

    before = db.session.scalar(select(func.count()).select_from(Question))
    sets_before = db.session.scalar(select(func.count()).select_from(QuestionSet))
    try:
        import_file(None, data, f"fuzz.{fmt}", fmt=fmt, title="fuzz")
    except TeachError as exc:
        assert exc.problems and all(isinstance(p, str) for p in exc.problems)
        assert db.session.scalar(select(func.count()).select_from(Question)) == before
        assert db.session.scalar(select(func.count()).select_from(QuestionSet)) == sets_before


@FUZZ
@given(doc=csv_docs | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_fuzz_csv(app, db, doc):
    parse_csv(doc.encode("utf-8"), "f.csv")
    _no_partial_import(db, "csv", doc.encode("utf-8"))


@FUZZ
@given(doc=gift_docs)
def test_fuzz_gift(app, db, doc):
    parse_gift(doc.encode("utf-8"), "f.gift")
    _no_partial_import(db, "gift", doc.encode("utf-8"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=15)
question_like = st.fixed_dictionaries({}, optional={
    "id": st.text(max_size=10) | json_values, "type": st.sampled_from(["flashcard", "multiple_choice", "numeric", "cloze", "x"]),
    "prompt": st.text(max_size=10) | json_values, "answer": json_values, "choices": json_values,
    "tolerance": json_values, "accept": json_values, "tags": json_values, "source": json_values,
    "fact_kind": json_values, "topic": json_values})


@FUZZ
@given(bank=st.fixed_dictionaries({"format": st.just("studyapp-bank/1") | json_values,
                                   "title": st.text(max_size=5) | json_values,
                                   "questions": st.lists(question_like, max_size=5) | json_values}))
def test_fuzz_bank(app, db, bank):
    data = json.dumps(bank).encode()
    qs, problems, _ = parse_bank(data, "f.json")
    assert not (qs and problems)
    _no_partial_import(db, "bank", data)
