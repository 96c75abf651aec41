"""Question interchange: CSV, Moodle GIFT and studyapp-bank/1 in; those and Anki out.

Pure: it knows questions (studyapp.question), not the database or the web. Importers
take bytes and give `(questions, problems, metadata)`, each problem worded
"FILE: line N, field F: what"; a file with any problem yields no questions at all.
Exporters take `Question`s and a `SetInfo`. The formats are a registry (formats.py).
"""

from __future__ import annotations

from .common import content_uid
from .csvio import template_csv
from .formats import (
    FORMATS,
    IMPORTABLE,
    Format,
    SetInfo,
    UnknownFormat,
    detect_format,
    export_bytes,
    parse,
)

__all__ = ["FORMATS", "IMPORTABLE", "Format", "SetInfo", "UnknownFormat", "content_uid",
           "detect_format", "export_bytes", "parse", "template_csv"]
