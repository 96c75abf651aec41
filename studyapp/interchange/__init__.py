"""Question interchange: CSV, Moodle GIFT and studyapp-bank/1 in; those and Anki out.

Importers are pure: bytes in, `(questions, problems)` out, each problem worded
"FILE: line N, field F: what". A file with any problem yields no questions at all.
"""

from __future__ import annotations

from pathlib import PurePath

from .bankio import export_bank, parse_bank
from .common import content_uid
from .csvio import export_csv, parse_csv, template_csv
from .gift import export_gift, parse_gift

IMPORT_FORMATS = {"csv": "CSV", "gift": "Moodle GIFT", "bank": "studyapp-bank/1 JSON"}
EXPORT_FORMATS = {"csv": ("text/csv", "csv"), "gift": ("text/plain", "gift.txt"),
                  "bank": ("application/json", "json"), "apkg": ("application/octet-stream", "apkg")}
EXTENSIONS = {".csv": "csv", ".gift": "gift", ".txt": "gift", ".json": "bank"}


class UnknownFormat(ValueError):
    pass


def detect_format(filename: str) -> str:
    ext = PurePath(filename or "").suffix.lower()
    if ext not in EXTENSIONS:
        raise UnknownFormat(f"{filename or 'the file'}: cannot tell the format from the name: use "
                            ".csv (CSV), .gift or .txt (Moodle GIFT), or .json (studyapp-bank/1)")
    return EXTENSIONS[ext]


def parse(fmt: str, data: bytes, filename: str) -> tuple[list[dict], list[str], dict]:
    """(questions, problems, metadata) for one file in format `fmt`."""
    if fmt == "csv":
        qs, problems = parse_csv(data, filename)
        return qs, problems, {}
    if fmt == "gift":
        qs, problems = parse_gift(data, filename)
        return qs, problems, {}
    if fmt == "bank":
        return parse_bank(data, filename)
    raise UnknownFormat(f"unknown import format {fmt!r} (use csv, gift or bank)")


__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "UnknownFormat", "content_uid", "detect_format",
           "export_bank", "export_csv", "export_gift", "parse", "parse_bank", "parse_csv",
           "parse_gift", "template_csv"]
