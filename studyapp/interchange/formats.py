"""The registry of interchange formats: {name: parse, export, extension, media type}.

Views, the CLI and the API read it for their choices, file names and content types;
adding a format is one module and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from ..question import Question
from . import anki, bankio, csvio, gift, listio, moodlexml


@dataclass(frozen=True)
class SetInfo:
    """What an export says about the set besides its questions."""

    title: str
    description: str = ""
    key: str = ""  # stable across exports (Anki uses it to update notes, not duplicate them)
    sources: list = field(default_factory=list)


# parse(data, filename) -> (questions as bank dicts, problems, set metadata)
Parse = Callable[[bytes, str], tuple[list[dict], list[str], dict]]
Export = Callable[[list[Question], SetInfo], bytes]


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    extension: str  # of exported files
    media_type: str
    export: Export
    parse: Parse | None = None  # None: export only
    suffixes: tuple[str, ...] = ()  # file name endings an import recognises
    # For an ending several formats share (.txt, .tsv): whether the text is this format.
    sniff: Callable[[str], bool] | None = None
    # Export → import gives back the same questions (a term list keeps only their two sides).
    whole: bool = True


def _no_metadata(parse_questions) -> Parse:
    """A parser of questions only (CSV, GIFT): its files say nothing about the set."""
    def parse(data: bytes, filename: str):
        questions, problems = parse_questions(data, filename)
        return questions, problems, {}
    return parse


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("csv", "CSV (comma, semicolon or tab separated)", "csv", "text/csv", csvio.export,
           _no_metadata(csvio.parse_csv), (".csv", ".tsv"), csvio.looks_like_csv),
    Format("list", "Term and definition list (Quizlet, Anki notes in plain text)", "txt",
           "text/plain", listio.export_list, _no_metadata(listio.parse_list), (".txt", ".tsv"),
           listio.looks_like_list, whole=False),
    Format("gift", "Moodle GIFT", "gift.txt", "text/plain", gift.export, _no_metadata(gift.parse_gift),
           (".gift", ".txt")),
    Format("moodlexml", "Moodle XML", "moodle.xml", "application/xml", moodlexml.export,
           _no_metadata(moodlexml.parse_xml), (".xml",)),
    Format("bank", "studyapp-bank/1 JSON", "json", "application/json", bankio.export, bankio.parse, (".json",)),
    Format("apkg", "Anki deck", "apkg", "application/octet-stream", anki.export),
)}
IMPORTABLE = [f for f in FORMATS.values() if f.parse is not None]


class UnknownFormat(ValueError):
    pass


def _suffix_help() -> str:
    return ", ".join(f"{' or '.join(f.suffixes)} ({f.label})" for f in IMPORTABLE)


def detect_format(filename: str, data: bytes = b"") -> str:
    """The import format a file name says (its ending) and, for an ending several formats
    share, what the text looks like; UnknownFormat lists the endings."""
    ext = PurePath(filename or "").suffix.lower()
    candidates = [f for f in IMPORTABLE if ext in f.suffixes]
    if not candidates:
        raise UnknownFormat(f"{filename or 'the file'}: cannot tell the format from the name: use "
                            + _suffix_help())
    if len(candidates) > 1:
        text = data[:65536].decode("utf-8", "replace")
        for f in candidates:
            if f.sniff is not None and f.sniff(text):
                return f.name
    return candidates[-1].name


def parse(fmt: str, data: bytes, filename: str) -> tuple[list[dict], list[str], dict]:
    """(questions, problems, metadata) for one file in format `fmt`."""
    f = FORMATS.get(fmt)
    if f is None or f.parse is None:
        raise UnknownFormat(f"unknown import format {fmt!r} (use "
                            f"{', '.join(f.name for f in IMPORTABLE)})")
    return f.parse(data, filename)


def export_bytes(fmt: str, questions: list[Question], info: SetInfo) -> tuple[bytes, str, str]:
    """Questions in one format: (bytes, media type, file extension)."""
    f = FORMATS.get(fmt)
    if f is None:
        raise UnknownFormat(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    return f.export(questions, info), f.media_type, f.extension
