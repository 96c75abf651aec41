"""The memory statistics Anki users trust, as pure functions: true retention beside the
desired one, retrievability now, and a forecast of reviews per day.

True retention counts the reviews FSRS makes a prediction for (a card's first review of a
study day, a day or more after the last: the `TrainingItem`s), which is what desired
retention is a target for; a review passes unless rated Again. As in Anki, a card is
"mature" when that review came 21 days or more after the previous one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs_rs_python import FSRS, MemoryState

from ..srs import DEFAULT_RETENTION, CardState, Parameters, retrievability
from .items import TrainingItem

MATURE_DAYS = 21
# (label, how many study days back the period reaches; None: all time)
PERIODS = (("Today", 0), ("Yesterday", 1), ("Last week", 7), ("Last month", 30),
           ("Last year", 365), ("All time", None))


@dataclass(frozen=True)
class Retention:
    passed: int = 0
    failed: int = 0

    @property
    def reviews(self) -> int:
        return self.passed + self.failed

    @property
    def share(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None

    def add(self, passed: bool) -> Retention:
        return Retention(self.passed + passed, self.failed + (not passed))


@dataclass(frozen=True)
class RetentionRow:
    period: str
    young: Retention
    mature: Retention

    @property
    def total(self) -> Retention:
        return Retention(self.young.passed + self.mature.passed,
                         self.young.failed + self.mature.failed)


def _in_period(day: date, today: date, back: int | None, label: str) -> bool:
    if back is None:
        return True
    if label == "Yesterday":
        return day == today - timedelta(days=1)
    return today - timedelta(days=max(back - 1, 0)) <= day <= today


def true_retention(items: Iterable[TrainingItem], today: date) -> list[RetentionRow]:
    """Anki's true-retention table: each period's young and mature reviews, passed and failed."""
    cells: dict[tuple[str, bool], Retention] = defaultdict(Retention)
    for it in items:
        mature = it.delta_t >= MATURE_DAYS
        for label, back in PERIODS:
            if _in_period(it.day, today, back, label):
                cells[label, mature] = cells[label, mature].add(it.recalled)
    return [RetentionRow(label, cells[label, False], cells[label, True]) for label, _ in PERIODS]


@dataclass(frozen=True)
class Recall:
    """Retrievability now: each studied card's chance of recall, and their mean ("how much
    of this set would you recall today")."""

    per_card: dict[int, float]

    @property
    def average(self) -> float | None:
        return sum(self.per_card.values()) / len(self.per_card) if self.per_card else None


def recall_now(cards: dict[int, CardState], now: datetime,
               parameters: Parameters) -> Recall:
    return Recall({cid: retrievability(cs, now, parameters) for cid, cs in cards.items()
                   if cs.stability is not None and cs.last_review is not None})


def forecast(cards: Sequence[CardState], today: date, day_of, days: int,
             parameters: Parameters, retention: float = DEFAULT_RETENTION) -> list[int]:
    """Reviews due on each of the next `days` study days (overdue cards today), counting
    the reviews a card will come back for within the window if each is answered Good:
    a projection along the likeliest path (a lapse would add a relearning review)."""
    counts = [0] * days
    model = FSRS(list(parameters))
    for cs in cards:
        if cs.due is None:
            continue
        day = max(today, day_of(cs.due))
        memory = (MemoryState(cs.stability, cs.difficulty)
                  if cs.stability is not None and cs.difficulty is not None else None)
        last = day_of(cs.last_review) if cs.last_review else day
        while (offset := (day - today).days) < days:
            counts[offset] += 1
            after = model.next_states(memory, retention, max(0, (day - last).days)).good
            memory, last = after.memory, day
            day = day + timedelta(days=max(1, round(after.interval)))
    return counts
