"""Rules of the question generator, checked on the project's own documents (never the seeds)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studyapp.qgen import generate_bank
from studyapp.qgen.extract import Sentence, analyze, build_context, extract_facts, find_dates
from studyapp.qgen.generate import MAX_STATEMENT_WORDS, frame
from studyapp.qgen.questions import parse_day, wh_question
from studyapp.qgen.rewrite import (
    recent_names,
    relative_facts,
    repair_quotes,
    resolve_definites,
    split_coordination,
)

DOCS = Path(__file__).resolve().parents[1] / "data" / "docs"
BIO = DOCS / "biography_marie_laurent.md"
CITY = DOCS / "city_harbourton.txt"
SPACE = DOCS / "space_programme.txt"
GHANA = DOCS / "ghana_independence.md"


def _sent(text: str) -> Sentence:
    return Sentence(text, 0, len(text), "", 0)


@pytest.fixture(scope="module")
def banks() -> dict[str, list[dict]]:
    return {p.name: generate_bank([p]).bank["questions"] for p in (BIO, CITY, SPACE, GHANA)}


def _prompts(qs: list[dict]) -> list[str]:
    return [q["prompt"] for q in qs]


def _qa(qs: list[dict]) -> dict[str, object]:
    return {q["prompt"]: q["answer"] for q in qs}


# --------------------------------------------------------------------------- sentence repairs


def test_unbalanced_quotes_are_repaired():
    t = ("In 2009, the 'Blue Sky Initiative' 'was adopted, aimed at expanding the role of the "
         "region and making the city a global player'\".")
    assert repair_quotes(t) == ("In 2009, the 'Blue Sky Initiative' was adopted, aimed at expanding "
                                "the role of the region and making the city a global player.")
    # balanced quotations and apostrophes are left alone
    for ok in ('He called it "the ability to attract others to one\'s side" in 1990.',
               "The states' rights were part of the 'Blue Harbour' plan."):
        assert repair_quotes(ok) == ok


def test_definite_description_resolves_to_nearest_matching_name():
    s1 = _sent("The Harbourton Port Authority (HPA) was established in 1921.")
    ctx = build_context([s1])
    history = [recent_names(extract_facts(s1, ctx))]
    assert resolve_definites("The Authority handled 4 million tonnes in 1930.", history) == (
        "The Harbourton Port Authority handled 4 million tonnes in 1930.")
    # a head that matches nothing, or a longer name, stays as it is
    assert resolve_definites("The Forum met in 1930.", history) == "The Forum met in 1930."
    assert resolve_definites("The Authority of the Port met.", history) == "The Authority of the Port met."


def test_resolution_in_generated_questions(banks):
    city = _prompts(banks["city_harbourton.txt"])
    assert "How many tonnes of cargo did the Harbourton Port Authority handle in 1930?" in city
    space = _qa(banks["space_programme.txt"])
    # "The agency" -> the agency named (in brackets) just before
    assert space.get("When was the European Space Research Agency established in Paris?") == "1975"
    bio = _qa(banks["biography_marie_laurent.md"])
    assert bio.get("Which agency received 40 million euros from the city between 1985 and 1990?") == (
        "Lyon Water Agency")
    # "Its population" -> "Harbourton's population"
    assert any(p.startswith("Harbourton's population grew") for p in city)


def test_coordinated_clauses_and_relative_clauses_give_their_own_facts():
    s = _sent("The railway was opened in May 1879, and the North Pier was completed in 1881.")
    parts = split_coordination(s)
    assert [p.text for p in parts] == ["The railway was opened in May 1879.",
                                      "The North Pier was completed in 1881."]
    assert all(p.quote == s.text for p in parts)
    rel = relative_facts(_sent('He praised books such as "Open Roads", which won the Prix Delta in 2004, '
                               "and others."))
    assert [r.text for r in rel] == ['The book "Open Roads" won the Prix Delta in 2004.']


# --------------------------------------------------------------------------- wh-questions


def test_wh_rules_on_own_docs(banks):
    bio = _qa(banks["biography_marie_laurent.md"])
    assert bio["Under which prime minister did the Transport Ministry reduce rail fares by 15 percent?"] == (
        "Alain Moreau")
    assert bio["During which minister's tenure was the \"Clean Rails\" programme adopted in 1996?"] == (
        "Marie Laurent")
    assert bio["Which year was declared the year of 'Urban Renewal' in Lyon?"] == "2008"
    city = _qa(banks["city_harbourton.txt"])
    assert city["When was the North Pier completed?"] == "1881"
    assert city["Which mayor launched the \"Green Harbour\" plan in 1978?"] == "Edith Crane"
    ghana = _qa(banks["ghana_independence.md"])
    assert ghana["When did Prime Minister Kwame Nkrumah declare the independence of Ghana in Accra?"] == (
        "March 6, 1957")
    # the title is asked only where the sentence gives it: Nkrumah was not yet prime minister in 1949
    assert "Who founded the Convention People's Party (CPP) on June 12, 1949?" in ghana


def test_when_clause_after_a_date():
    from studyapp.qgen.extract import DocContext

    t = "The theory was first published in 1990, when Professor Ana Ruiz wrote an article titled \"Reach\"."
    s = _sent(t)
    f = find_dates(s)[0]
    assert wh_question(s, analyze(t), f, DocContext()) == (
        "When did Professor Ana Ruiz write an article titled \"Reach\"?")


def test_no_date_question_when_another_date_remains(banks):
    city = _prompts(banks["city_harbourton.txt"])
    assert not any(p.startswith("When did Harbourton's population grow") for p in city)


def test_where_only_for_the_event_place():
    from studyapp.qgen.extract import DocContext

    ctx = DocContext(cities={"Bergen"})
    for t, ok in [("Northwind opened an office in Bergen in 1958.", True),
                  ("Exchange programs were implemented with universities in Bergen in 1958.", False)]:
        s = _sent(t)
        places = [f for f in extract_facts(s, ctx) if f.kind == "place"]
        assert places, t
        q = wh_question(s, analyze(t), places[0], ctx)
        assert (q is not None and q.startswith("Where")) is ok, (t, q)


# --------------------------------------------------------------------------- cloze and figures


def test_cloze_is_trimmed_to_its_clause():
    t = ("According to the Ministry of Labor of Freedonia, on the basis of an agreement signed with "
         "Ruritania, 3,200 people were sent to work through the Free Employment program in 2019, "
         "which was a record for the programme and for the region as a whole.")
    s = _sent(t)
    cl = analyze(t)
    f = next(x for x in extract_facts(s, build_context([s])) if x.kind == "figure")
    pre, post = frame(t, cl, 0, f)
    assert pre + "____" + post == (
        "____ people were sent to work through the Free Employment program in 2019.")
    t2 = "The plan guiding the city is the 'Green Harbour Plan,' which was introduced by Mayor Edith Crane in 1978."
    s2 = _sent(t2)
    ctx = build_context([s2])
    f2 = next(x for x in extract_facts(s2, ctx) if x.kind == "person")
    pre, post = frame(t2, analyze(t2), 0, f2)
    assert pre + "____" + post == "The 'Green Harbour Plan' was introduced by Mayor ____ in 1978."


def test_prompts_are_short_and_anchored(banks):
    for qs in banks.values():
        for q in qs:
            body = re.sub(r"^True or false:\s*", "", q["prompt"])
            if q["type"] in ("cloze", "true_false", "numeric", "multiple_choice"):
                assert len(body.split()) <= MAX_STATEMENT_WORDS + 1, body
            assert body.count('"') % 2 == 0, body


def test_vague_figures_are_not_asked():
    doc = ("There are about ten harbours in the region and branches open every year in Freedonia. "
           "The Harbour Forum meets at the level of Freedonia + 5 partner states since 2007. "
           "The Harbour Forum spent 12 million dollars on 40 new cranes in 2009.")
    p = DOCS.parent / "tmp_vague.txt"
    try:
        p.write_text(doc, encoding="utf-8")
        qs = generate_bank([p]).bank["questions"]
    finally:
        p.unlink()
    answers = {str(q["answer"]) for q in qs if q["fact_kind"] == "figure"}
    assert "about ten" not in answers and "5" not in answers
    assert {"12 million dollars", "40"} <= answers


# --------------------------------------------------------------------------- flashcards, dates


def test_person_flashcard_gets_country_and_term(banks):
    cards = {q["prompt"]: q["answer"] for q in banks["ghana_independence.md"] if q["type"] == "flashcard"}
    assert cards["Kwame Nkrumah"] == "Prime Minister of Ghana"
    bio = {q["prompt"]: q["answer"] for q in banks["biography_marie_laurent.md"] if q["type"] == "flashcard"}
    assert bio["Alain Moreau"].startswith("Prime Minister") and bio["Alain Moreau"].endswith("(1997–2002)")


def test_parse_day():
    assert parse_day("December 30, 1991") == (1991, 12, 30)
    assert parse_day("30 December 1991") == (1991, 12, 30)
    assert parse_day("Dec. 3, 1991") == (1991, 12, 3)
    assert parse_day("the 1990s") is None


def test_when_clause_after_until_and_named_frame_kept():
    qs = generate_bank([DOCS / "smallpox_eradication.txt"]).bank["questions"]
    qa = _qa(qs)
    # "Progress was slow until 1967, when the Organization launched X" (the Organization resolved)
    assert qa["When did the World Health Organization launch the Intensified Eradication Programme?"] == "1967"
    # "Under the programme, ..." keeps its (resolved) frame so the question says what it is about
    assert qa["How many health workers were trained in 40 countries under the Intensified Eradication "
              "Programme?"] == "more than 150,000"
    # "During his tenure, the Organization launched ..." drops the dangling frame, keeps the fact
    assert qa["Which organization launched the \"Health for All\" strategy in 1978?"] == "World Health Organization"
    assert qa["Who led the World Health Organization from 1973 to 1988?"] == "Halfdan Mahler"


def test_wh_questions_name_what_they_ask_about(banks):
    from studyapp.qgen.generate import _anchored, _wh_body

    for qs in banks.values():
        for q in qs:
            if q["type"] in ("short_answer", "multiple_choice", "numeric") and q["prompt"].endswith("?") \
                    and not q["prompt"].startswith("What does the abbreviation"):
                assert _anchored(_wh_body(q["prompt"])), q["prompt"]
    assert not _anchored("were trained in 40 countries")


def test_long_names_are_not_typed_answers():
    doc = ("In 2007, the State Comprehensive Strategy for Promoting the Republic of Freedonia in "
           "Western Ruritania was adopted by the Freedonian Parliament.")
    p = DOCS.parent / "tmp_long_name.txt"
    try:
        p.write_text(doc + " The Blue Plan was adopted in 2009 by the Freedonian Parliament.\n", encoding="utf-8")
        qs = generate_bank([p]).bank["questions"]
    finally:
        p.unlink()
    for q in qs:
        if q["type"] in ("short_answer", "cloze"):
            assert len(str(q["answer"]).split()) <= 7, q


def test_definite_description_with_adjective():
    s1 = _sent("A National Children's Medical Center was opened in Freedonia in 2020.")
    ctx = build_context([s1])
    history = [recent_names(extract_facts(s1, ctx))]
    assert resolve_definites("Doctors of the medical center were trained abroad.", history) == (
        "Doctors of the National Children's Medical Center were trained abroad.")
    # an adjective the name does not have: left alone
    assert resolve_definites("Doctors of the dental center were trained.", history) == (
        "Doctors of the dental center were trained.")
    # "The center was ..." (the optional adjective slot must not swallow the head noun)
    assert resolve_definites("The center was rebuilt.", history) == (
        "The National Children's Medical Center was rebuilt.")


def test_relative_clause_in_subject_and_unqualified_titles():
    t = "President Ana Ruiz, who supported the plan, visited Freedonia in November 1906."
    cl = analyze(t)
    assert cl.verb == "visited" and t[cl.subj[0] : cl.subj[1]].startswith("President Ana Ruiz")
    qs = generate_bank([DOCS / "panama_canal.md"]).bank["questions"]
    cards = {q["prompt"]: q["answer"] for q in qs if q["type"] == "flashcard"}
    # the text is mostly about Panama, but nothing says Roosevelt was Panama's president
    assert not any("Panama" in str(a) for p, a in cards.items() if "Roosevelt" in p)
    assert not any("the site" in q["prompt"] for q in qs)


def test_appositive_agent_noun_makes_a_person():
    qs = generate_bank([DOCS / "smallpox_eradication.txt"]).bank["questions"]
    qa = _qa(qs)
    # "Donald Henderson, an American physician and epidemiologist": no title, an agent noun
    assert qa["Who led the Intensified Eradication Programme?"] == "Donald Henderson"
    cards = {q["prompt"]: q["answer"] for q in qs if q["type"] == "flashcard"}
    assert cards["Donald Henderson"] == "American physician and epidemiologist"


def test_he_she_resolved_to_the_previous_subject_person(banks):
    bio = _qa(banks["biography_marie_laurent.md"])
    # "Marie Laurent was born in Lyon ... . She studied law ... and graduated in 1971."
    assert bio["Who studied law at the University of Geneva and graduated in 1971?"] == "Marie Laurent"
    # the date belongs to the second verb: no "When did she study ... and graduated?"
    assert not any(p.startswith("When did Marie Laurent study") for p in bio)


def test_a_name_is_not_resolved_twice_in_one_sentence():
    s1 = _sent("A National Children's Medical Center was opened in Freedonia in 2020.")
    ctx = build_context([s1])
    history = [recent_names(extract_facts(s1, ctx))]
    two = "Doctors of the center were trained abroad to work at the medical center."
    assert resolve_definites(two, history) == two
    held = "The National Children's Medical Center hired doctors for the center in 2021."
    assert resolve_definites(held, history) == held


def _doc(tmp_path, text: str, name: str = "doc.txt") -> list[dict]:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return generate_bank([p]).bank["questions"]


COMPARE = (
    "The Freedonia Health Service was created in 1990 to fight river fever in the lowlands.\n\n"
    "By 2021, 82% of households in Freedonia owned at least one net, compared with 27% in 2004.\n\n"
    "The share of patients treated within a day rose from 21% in 2010 to 96% in 2019.\n\n"
    "A second campaign followed in 2015 and a third in 2018.\n\n"
    "Professor Anna Berg, director from 1978 to 1994, founded the Lowland Institute of Medicine in 1981.\n\n"
    "The novelist Clara Benn studied medicine at the Lowland Institute of Medicine between 1952 and 1955.\n"
)


def test_no_date_question_rewritten_from_a_comparison(tmp_path):
    qs = _doc(tmp_path, COMPARE)
    for q in qs:
        if q["fact_kind"] == "date" and q["type"] in ("short_answer", "multiple_choice") and (
                "82%" in q["prompt"] or "21%" in q["prompt"]):
            # only the sentence as written may ask: each value keeps its own date
            assert "____" in q["prompt"], q["prompt"]
    by = {q["prompt"]: q["answer"] for q in qs if "____" in q["prompt"]}
    for p, a in by.items():
        if p.startswith("By ____, 82%"):
            assert a == "2021"
        if p.endswith("compared with 27% in ____."):
            assert a == "2004"


def test_false_figures_are_plausible(tmp_path):
    qs = _doc(tmp_path, COMPARE)
    for q in qs:
        if q["fact_kind"] != "figure":
            continue
        texts = list(q.get("choices") or []) + ([q["prompt"]] if q["type"] == "true_false" else [])
        for x in texts:
            for v in re.findall(r"(\d+(?:\.\d+)?)%", x):
                assert 0 < float(v) <= 100, x
        for c in q.get("choices") or []:
            if c != q["answer"]:
                # never another figure of the same sentence
                assert not re.search(rf"(?<!\d){re.escape(c)}(?!\d)", q["explanation"]), (c, q["prompt"])


def test_year_distractors_not_after_the_latest_year(tmp_path):
    qs = _doc(tmp_path, COMPARE)
    for q in qs:
        if q["fact_kind"] == "date" and q["type"] == "multiple_choice":
            assert all(int(re.search(r"\d{4}", c).group(0)) <= 2021 for c in q["choices"]), q


def test_ordinal_subject_and_range_fragments_are_skipped(tmp_path):
    qs = _doc(tmp_path, COMPARE)
    prompts = [q["prompt"] for q in qs]
    assert not any(p.startswith(("A second campaign", "True or false: A second campaign")) for p in prompts)
    assert not any("second campaign" in p for p in prompts)
    for q in qs:
        assert not re.match(r"(?:from|between)\s+\d{4}", str(q["answer"]), re.I), q["prompt"]
        assert not re.match(r"\d{4} (?:and|to) \d{4}$", str(q["answer"])), q["prompt"]


def test_span_brackets_dropped_and_naming_phrase_not_asked(tmp_path):
    text = (
        "Freedonia adopted the Northern Trade Policy in 2009.\n\n"
        "The Freedonian government under President Karl Ostrom (2010-2015) designated the "
        "Northern Trade Policy as a priority in 2011.\n\n"
        "Also known as the Blue Road Initiative, the Northern Trade Policy was extended by "
        "President Karl Ostrom in 2013.\n\n"
        "President Lena Vik signed the River Accord in 2016.\n"
    )
    qs = _doc(tmp_path, text)
    assert not any(re.search(r"\(\d{4}-\d{4}\)", q["prompt"]) for q in qs if q["type"] == "true_false")
    assert not any(q["prompt"].startswith(("Known as", "Also known as")) and "____" in q["prompt"]
                   for q in qs)
    for q in qs:  # a distractor is never the answer's other name given in the sentence
        if q["type"] == "multiple_choice" and q["answer"] == "Northern Trade Policy":
            assert "Blue Road Initiative" not in q["choices"]


def test_place_distractor_is_not_an_alias_of_a_named_country(tmp_path):
    text = (
        "A children's hospital was opened in Uzbekistan jointly with South Korea in 2019.\n\n"
        "The Tashkent Medical Academy trained nurses in Kazakhstan in 2015.\n\n"
        "Doctors from Kyrgyzstan trained in China in 2016.\n\n"
        "The Republic of Korea opened an embassy in Tajikistan in 2008.\n"
    )
    from studyapp.qgen.questions import _canon
    for q in _doc(tmp_path, text):
        if q["type"] == "multiple_choice" and q["fact_kind"] == "place":
            for c in q["choices"]:
                if c != q["answer"]:
                    assert _canon(c) != "South Korea", q


def test_roman_numeral_is_not_first_person_and_iso_money():
    from studyapp.qgen import lexicon as lx
    from studyapp.qgen.generate import sentence_skip_reason

    assert sentence_skip_reason(_sent("The Phase I trial began in March 2014 and enrolled 120 adults.")) is None
    assert lx.FIRST_PERSON.search("In 1990 I moved to Paris with my family.")
    s = _sent("The Coalition for Tropical Vaccines contributed EUR 210 million in 2019.")
    figs = [f.answer for f in extract_facts(s, build_context([s])) if f.kind == "figure"]
    assert "EUR 210 million" in figs


def test_day_month_ranges_are_not_dates_or_figures():
    s = _sent("The Week of Freedonian Culture was held in Tashkent on 24.09-5.10.2021 with 40 concerts.")
    facts = extract_facts(s, build_context([s]))
    assert not any(f.kind == "date" for f in facts)
    assert not any(f.kind == "figure" and re.search(r"\d\.\d", f.answer) for f in facts)
