"""How many options, pairs and items a question has: one place for the bank rules, the
authoring forms and the importers' messages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    low: int
    high: int
    noun: str

    def __contains__(self, n: object) -> bool:
        return isinstance(n, int) and self.low <= n <= self.high

    def __str__(self) -> str:
        return f"{self.low}-{self.high} {self.noun}"


CHOICES = Size(2, 10, "options")  # multiple choice and multiple answer
PAIRS = Size(3, 8, "pairs")  # matching
ITEMS = Size(3, 6, "items")  # ordering
