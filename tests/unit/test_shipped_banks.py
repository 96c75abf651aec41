"""The banks in questions/ are what `make run` loads: each must pass validation."""

from pathlib import Path

import pytest

from studyapp.bank import read_bank

BANKS = sorted((Path(__file__).resolve().parents[2] / "questions").glob("*.json"))


def test_there_are_shipped_banks():
    assert BANKS, "questions/ holds no bank"


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.name)
def test_shipped_bank_is_valid(path):
    data = read_bank(path)
    assert data["questions"], f"{path.name} has no questions"
