import copy
import json

import pytest
from sqlalchemy import func, select

from studyapp.bank import BankError, load_banks, read_bank
from studyapp.models import Card, Question, QuestionSet, ReviewLog
from studyapp.question import validate_bank
from studyapp.study import service
from tests.conftest import MINI_BANK


def bank_data():
    return json.loads(MINI_BANK.read_text())


def write(tmp_path, data, name="b.json"):
    p = tmp_path / name
    p.write_text(json.dumps(data))
    return p


def test_mini_bank_is_valid():
    assert validate_bank(bank_data(), "mini") == []


@pytest.mark.parametrize("mutate,expected", [
    (lambda d: d.update(format="other/1"), "field 'format'"),
    (lambda d: d["questions"][1].update(choices=["1969", "1969", "1970"]), "question 'q-mc-1', field 'choices': options must be distinct"),
    (lambda d: d["questions"][1].update(answer="2001"), "question 'q-mc-1', field 'choices': the answer must be among"),
    (lambda d: d["questions"][2].update(answer="maybe"), "question 'q-tf-1', field 'answer'"),
    (lambda d: d["questions"][4].update(answer="lots"), "question 'q-num-1', field 'answer'"),
    (lambda d: d["questions"][5].update(prompt="No blank here."), "question 'q-cl-1', field 'prompt': a cloze prompt needs a blank"),
    (lambda d: d["questions"][0].update(type="essay"), "field 'type'"),
    (lambda d: d["questions"][3].update(id="q-mc-1"), "question 'q-mc-1', field 'id': appears more than once"),
    (lambda d: d["questions"][3].update(fact_kind="weird"), "field 'fact_kind'"),
])
def test_bad_bank_names_file_question_and_field(tmp_path, app, mutate, expected):
    data = bank_data()
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(BankError) as err:
        read_bank(path)
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_not_json_is_rejected(tmp_path, app):
    p = tmp_path / "x.json"
    p.write_text("{nope")
    with pytest.raises(BankError, match="not valid JSON"):
        read_bank(p)


def test_load_twice_changes_nothing(app, db):
    [(_, qset, first)] = load_banks([MINI_BANK])
    assert first.added == 7
    [(_, _, second)] = load_banks([MINI_BANK])
    assert (second.added, second.updated, second.retired, second.unchanged) == (0, 0, 0, 7)
    assert db.session.scalar(select(func.count(Question.id))) == 7
    assert qset.is_public and qset.status == "published"


def test_bad_file_among_good_loads_nothing(tmp_path, app, db):
    bad = bank_data()
    bad["questions"][0]["prompt"] = ""
    with pytest.raises(BankError):
        load_banks([MINI_BANK, write(tmp_path, bad, "bad.json")])
    assert db.session.scalar(select(func.count(QuestionSet.id))) == 0


def test_regenerated_bank_updates_wording_keeps_history_retires_missing(tmp_path, app, db, student):
    path = write(tmp_path, bank_data(), "mini.json")
    [(_, qset, _)] = load_banks([path])
    sa = db.session.scalar(select(Question).where(Question.uid == "q-sa-1"))
    service.submit_review(student, sa.id, 3, answer="Nursultan Nazarbayev")
    service.submit_review(student, db.session.scalar(select(Question.id).where(Question.uid == "q-fc-1")), 3)

    data = bank_data()
    data["questions"][3]["prompt"] = "Who became the first president of Kazakhstan?"
    data["questions"][3]["answer"] = "N. Nazarbayev"
    data["questions"] = [q for q in data["questions"] if q["id"] != "q-fc-1"]
    data["questions"].append(dict(copy.deepcopy(data["questions"][0]), id="q-new-1", prompt="A brand new card?"))
    path.write_text(json.dumps(data))
    [(_, _, result)] = load_banks([path])
    assert (result.added, result.updated, result.retired) == (1, 1, 1)
    assert result.answer_changed == ["q-sa-1"]

    db.session.refresh(sa)
    assert sa.prompt.startswith("Who became") and sa.answer_changed_at is not None
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 2  # history kept
    assert db.session.scalar(select(func.count(Card.id))) == 2
    retired = db.session.scalar(select(Question).where(Question.uid == "q-fc-1"))
    assert retired.retired
    # Retired cards leave the study queue but their reviews stay.
    ids = [q.uid for q, _ in service.next_cards(student, qset, limit=50)]
    assert "q-fc-1" not in ids and "q-new-1" in ids


def test_load_banks_command(runner, app):
    r = runner.invoke(args=["load-banks", str(MINI_BANK)])
    assert r.exit_code == 0 and "7 added" in r.output
    r = runner.invoke(args=["load-banks", str(MINI_BANK)])
    assert "0 added, 0 updated, 7 unchanged, 0 retired" in r.output


def test_load_banks_command_reports_problem(runner, tmp_path, app):
    data = bank_data()
    del data["questions"][2]["answer"]
    r = runner.invoke(args=["load-banks", str(write(tmp_path, data))])
    assert r.exit_code != 0
    assert "question 'q-tf-1', field 'answer'" in r.output and "nothing loaded" in r.output


def test_sibling_groups_load_from_the_bank_and_bury_each_other(tmp_path, app, db, student):
    data = bank_data()
    by_id = {q["id"]: q for q in data["questions"]}
    by_id["q-sa-1"]["sibling"] = by_id["q-cl-1"]["sibling"] = "fact-president"
    [(_, qset, _)] = load_banks([write(tmp_path, data)])
    rows = {q.uid: q for q in qset.questions}
    assert rows["q-sa-1"].sibling == rows["q-cl-1"].sibling == "fact-president"
    assert rows["q-sa-1"].explanation != rows["q-cl-1"].explanation
    service.submit_review(student, rows["q-sa-1"].id, 3)
    new_ids = {q.id for q, c in service.next_cards(student, qset, limit=50) if c is None}
    assert rows["q-cl-1"].id not in new_ids and rows["q-tf-1"].id in new_ids


def test_a_bank_without_sibling_fields_still_loads(app, db):
    [(_, qset, result)] = load_banks([MINI_BANK])
    assert result.added == len(bank_data()["questions"])
    assert all(q.sibling for q in qset.questions if q.explanation)
