"""Question generation from untrusted documents, inside limits: what the upload page's job
(teach/jobs.py) and `studyapp generate` both call.

The generator (studyapp.qgen) runs as it is, in a child process (studyapp.sandbox) with a
wall-clock and a memory limit, and reads each document with caps on its pages and
extracted characters. Every message that comes back names the document as the user knows
it, never a server path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from . import sandbox
from .config import GENERATION_DEFAULTS as DEFAULTS
from .qgen import GenerationError, GenerationResult, generate_bank


@dataclass(frozen=True)
class DocumentLimits:
    seconds: float = float(DEFAULTS["GENERATION_SECONDS"])
    memory_mb: int = int(DEFAULTS["GENERATION_MEMORY_MB"])
    max_pages: int = int(DEFAULTS["GENERATION_MAX_PAGES"])
    max_chars: int = int(DEFAULTS["GENERATION_MAX_CHARS"])

    @classmethod
    def from_env(cls, **overrides) -> DocumentLimits:
        """From GENERATION_* in the environment (the defaults otherwise), then `overrides`
        that are not None: what the command line uses, outside the web app."""
        import os

        limits = cls.from_config({k: os.environ.get(k) or v for k, v in DEFAULTS.items()})
        return replace(limits, **{k: v for k, v in overrides.items() if v is not None})

    @classmethod
    def from_config(cls, config) -> DocumentLimits:
        return cls(seconds=float(config["GENERATION_SECONDS"]),
                   memory_mb=int(config["GENERATION_MEMORY_MB"]),
                   max_pages=int(config["GENERATION_MAX_PAGES"]),
                   max_chars=int(config["GENERATION_MAX_CHARS"]))


def generate_limited(paths, limits: DocumentLimits, *, names: dict | None = None,
                     cancel=None, **options) -> GenerationResult:
    """generate_bank(paths, **options) within `limits`. `names` maps a path to the name shown
    for it in messages (an upload's own file name rather than its temporary path).
    Raises GenerationError, with a message fit for the user, when nothing can be made, and
    sandbox.Cancelled as soon as the threading.Event `cancel` is set."""
    paths = [Path(p) for p in paths]
    names = {str(Path(k)): v for k, v in (names or {}).items()}
    shown = ", ".join(names.get(str(p), p.name) for p in paths)
    read_limits = {"max_pages": limits.max_pages, "max_chars": limits.max_chars}
    try:
        result = sandbox.run(generate_bank, paths, read_limits=read_limits, cancel=cancel,
                             limits=sandbox.Limits(seconds=limits.seconds,
                                                   memory_mb=limits.memory_mb), **options)
    except sandbox.TimedOut as exc:
        raise GenerationError(f"{shown}: reading it and writing questions {exc}; the document is "
                              "probably built to be slow to read, or very long: split it, or "
                              "save it as plain text") from None
    except sandbox.LimitExceeded as exc:
        raise GenerationError(f"{shown}: reading it {exc}; split the document, or save it as "
                              "plain text") from None
    except GenerationError as exc:
        raise GenerationError(_shown_names(str(exc), paths, names)) from None
    result.report.warnings = [_shown_names(w, paths, names) for w in result.report.warnings]
    return result


def explain_limited(path, limits: DocumentLimits) -> str:
    """qgen.explain(path) (the facts found, sentence by sentence) within the same limits."""
    from .qgen import explain

    try:
        return sandbox.run(explain, path, limits=sandbox.Limits(seconds=limits.seconds,
                                                                memory_mb=limits.memory_mb))
    except sandbox.LimitExceeded as exc:
        raise GenerationError(f"{path}: reading it {exc}") from None


def _shown_names(message: str, paths: list[Path], names: dict) -> str:
    for p in paths:
        name = names.get(str(p), p.name)
        message = message.replace(str(p.resolve()), name).replace(str(p), name)
        message = message.replace(str(p.parent) + "/", "")
    return message
