"""Question generation from factual documents (pure Python: no Flask, no database)."""

from ..question import FORMAT, KINDS, TYPES
from .generate import (
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
