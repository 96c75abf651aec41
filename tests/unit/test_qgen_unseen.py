"""The generator on documents written for no rule: a Markdown report, a plain-text history
and a PDF (built here), plus the topics given to questions."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from studyapp.qgen import generate_bank
from studyapp.qgen.lexicon import DANGLING, PRONOUN_START
from studyapp.qgen.topics import heading_topic, title_topic

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "tests" / "data" / "docs"


def make_pdf(text: str) -> bytes:
    """A minimal one-font PDF with one text line per wrapped line (no blank lines, as PDF
    text extraction gives them)."""
    lines: list[str] = []
    for para in text.split("\n\n"):
        lines += textwrap.wrap(para.replace("\n", " "), 85)
    pages = [lines[i : i + 50] for i in range(0, len(lines), 50)]
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
                         b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for pg in pages:
        ops = ["BT /F1 10 Tf 14 TL 50 790 Td"]
        for ln in pg:
            esc = ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({esc}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objs.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                    f"<< /Font << /F1 3 0 R >> >> /Contents {len(objs)} 0 R >>".encode())
        kids.append(len(objs))
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@pytest.fixture(scope="module")
def unseen(tmp_path_factory) -> dict[str, list[dict]]:
    pdf = tmp_path_factory.mktemp("pdf") / "dam_project.pdf"
    pdf.write_bytes(make_pdf((DOCS / "dam_project.txt").read_text(encoding="utf-8")))
    paths = {"health": DOCS / "health_programme.md", "university": DOCS / "university_history.txt",
             "dam": pdf, "vaccine": DOCS / "vaccine_trial.md"}
    return {k: generate_bank([p]).bank["questions"] for k, p in paths.items()}


def _answers(qs: list[dict]) -> set[str]:
    return {str(q["answer"]) for q in qs}


def test_university_founders_and_dates(unseen):
    qs = unseen["university"]
    prompts = [q["prompt"] for q in qs]
    assert "Who founded the Institute of Tropical Agriculture in 1981?" in prompts
    assert {"1847", "Thomas Whitcombe", "Eleanor Price", "University of Ashford"} <= _answers(qs)
    assert not any(re.search(r"\bpersuad\b|\bcreat\b", p) for p in prompts)


def test_health_programme_figures_and_dates(unseen):
    qs = unseen["health"]
    ans = _answers(qs)
    assert {"National Malaria Control Programme", "2018", "2007"} <= ans
    assert any(q["type"] == "numeric" and q["answer"] in ("56%", "56") for q in qs)
    assert "Funding" in {q["topic"] for q in qs}  # a "Funding" section is not back matter


def test_pdf_dam_project(unseen):
    qs = unseen["dam"]
    ans = _answers(qs)
    assert {"African Development Bank", "World Bank", "12 August 2016"} <= ans
    topics = {q["topic"] for q in qs}
    assert {"Resettlement", "Cost and Financing"} <= topics  # PDF heading lines are sections
    assert not any(re.search(r"\blead by\b", q["prompt"]) for q in qs)


@pytest.mark.parametrize("name", ["health", "university", "dam", "vaccine"])
def test_unseen_nothing_dangling_or_leaking(unseen, name):
    for q in unseen[name]:
        p = q["prompt"]
        body = re.sub(r"^True or false:\s*", "", p)
        if q["type"] != "flashcard":
            assert not DANGLING.search(body), p
            assert not PRONOUN_START.match(re.sub(r"^(?:Which|Who|What|When|Where|How)\b", "", body)), p
        if q["type"] not in ("true_false", "flashcard"):
            assert str(q["answer"]).lower() not in p.lower(), p


@pytest.mark.parametrize("name", ["health", "university", "dam", "vaccine"])
def test_unseen_topics_few_and_short(unseen, name):
    topics = {q["topic"] for q in unseen[name]}
    assert 2 <= len(topics) <= 12
    assert all(1 <= len(t.split()) <= 4 for t in topics), topics


def test_heading_and_title_topics():
    assert heading_topic("### **Introduction**") is None
    assert heading_topic("Results and discussion") is None
    assert heading_topic("2.1 Royal Charter and Growth") == "Royal Charter and Growth"
    assert heading_topic("BED NETS") == "Bed Nets"
    assert title_topic("A SHORT HISTORY OF THE UNIVERSITY OF ASHFORD") == "University of Ashford"
    assert title_topic("Soft power of the Republic of Korea to the countries of Central Asia") == "Soft Power"


def test_shipped_banks_have_several_topics():
    for path in sorted((ROOT / "questions").glob("*.json")):
        qs = json.loads(path.read_text(encoding="utf-8"))["questions"]
        topics = {q["topic"] for q in qs}
        assert 3 <= len(topics) <= 12, (path.name, topics)
        assert all(len(t.split()) <= 4 for t in topics), topics
        top = max(sum(q["topic"] == t for q in qs) for t in topics)
        assert top <= 0.5 * len(qs), (path.name, top)  # not one topic for everything


def test_vaccine_trial_key_facts(unseen):
    qs = unseen["vaccine"]
    ans = _answers(qs)
    assert {"1998", "Hélène Castaing", "March 2014", "120", "1,800", "20,100", "European Medicines Agency",
            "14 December 2022", "Coalition for Tropical Vaccines", "2027"} <= ans
    prompts = [q["prompt"] for q in qs]
    # "Phase I" is a numeral, not the first person; a coordinated verb is cut from the question
    assert "When did the Phase I trial begin at the Pasteur Clinical Centre?" in prompts
    for q in qs:  # "from ____ to April 2020": no start after the end
        if q["type"] == "multiple_choice" and "from ____ to April 2020" in q["prompt"]:
            assert all(int(c[-4:]) <= 2020 for c in q["choices"]), q["choices"]


@pytest.mark.parametrize("name", ["health", "university", "dam", "vaccine"])
def test_unseen_no_implausible_or_misattached_values(unseen, name):
    for q in unseen[name]:
        shown = [q["prompt"], *(q.get("choices") or [])]
        for x in shown:  # a share of a whole never above 100%, no negative figure
            assert all(float(v) <= 100 for v in re.findall(r"(\d+(?:\.\d+)?)\s?%", x)), x
            assert not re.search(r"(?<![\w-])-\d", x), x
        # a date question rewritten from a comparison could pair a value with the wrong date
        if q["fact_kind"] == "date" and q["type"] != "flashcard" and len(
                re.findall(r"\b(?:19|20)\d\d\b", q["explanation"])) >= 2 and re.search(
                r"\d%|compared with|from .* to ", q["explanation"]):
            assert "____" in q["prompt"] or q["type"] == "true_false", q["prompt"]
        # ranges are no blanks and ordinal subjects without referent are not asked
        assert not re.match(r"(?:from|between)\s+\d{4}", str(q["answer"]), re.I), q["prompt"]
        assert not re.search(r"(?:^|: )(?:A|The) (?:second|third) [a-z]+ (?!of)", q["prompt"]), q["prompt"]
        assert not re.search(r"\(\d{4}\s*[-–]\s*\d{2,4}\)", q["prompt"]), q["prompt"]


def test_unseen_topics_are_not_passers_by(unseen):
    qs = unseen["university"]
    for q in qs:  # the founder named in the prompt is not what the founding is about
        if q["answer"] == "University of Ashford":
            assert q["topic"] != "Thomas Whitcombe"
