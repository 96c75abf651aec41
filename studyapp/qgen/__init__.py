"""Question generation from factual documents (pure Python: no Flask, no database)."""

from .generate import (
    FORMAT,
    KINDS,
    TYPES,
    GenerationError,
    GenerationResult,
    Report,
    dumps,
    explain,
    generate_bank,
    write_bank,
)

__all__ = [
    "FORMAT",
    "KINDS",
    "TYPES",
    "GenerationError",
    "GenerationResult",
    "Report",
    "dumps",
    "explain",
    "generate_bank",
    "write_bank",
]
