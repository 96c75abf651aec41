"""A student's review log as fsrs-rs training items.

fsrs-rs learns from one item per prediction: a card's history up to a review, the last
review being the outcome to predict. As in Anki (and fsrs-rs's own examples), a prediction
is made only for the first review of each study day; the same-day reviews (learning and
relearning steps) stay in the history with `delta_t = 0`, which fsrs-rs reads with its
short-term stability parameters. `delta_t` counts study days (the student's own day, which
starts at 4 a.m. in their time zone), not 24-hour periods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from fsrs_rs_python import FSRSItem, FSRSReview


@dataclass(frozen=True)
class Review:
    """One scheduled review of one card, as fitting needs it."""

    card_id: int
    rating: int  # 1 Again .. 4 Easy
    reviewed_at: datetime
    day: date  # the student's study day of `reviewed_at`


@dataclass(frozen=True)
class TrainingItem:
    """A card's history up to one first-of-the-day review, which is the one to predict."""

    card_id: int
    reviewed_at: datetime  # when the predicted review happened (for time-ordered splits)
    day: date  # its study day
    reviews: tuple[tuple[int, int], ...]  # (rating, delta_t in days), the first with delta_t 0

    @property
    def recalled(self) -> bool:
        return self.reviews[-1][0] > 1

    @property
    def delta_t(self) -> int:
        return self.reviews[-1][1]

    def history(self) -> tuple[tuple[int, int], ...]:
        return self.reviews[:-1]

    def to_fsrs(self) -> FSRSItem:
        return FSRSItem([FSRSReview(r, t) for r, t in self.reviews])


def by_card(reviews: Iterable[Review]) -> dict[int, list[Review]]:
    """Each card's reviews in time order."""
    cards: dict[int, list[Review]] = defaultdict(list)
    for r in reviews:
        cards[r.card_id].append(r)
    for log in cards.values():
        log.sort(key=lambda r: r.reviewed_at)
    return cards


def card_items(log: list[Review]) -> list[TrainingItem]:
    """The training items of one card's log (in time order)."""
    out: list[TrainingItem] = []
    history: list[tuple[int, int]] = []
    for i, r in enumerate(log):
        delta_t = (r.day - log[i - 1].day).days if i else 0
        history.append((r.rating, delta_t))
        if delta_t > 0:
            out.append(TrainingItem(log[0].card_id, r.reviewed_at, r.day, tuple(history)))
    return out


def training_items(reviews: Iterable[Review]) -> list[TrainingItem]:
    """Every card's training items, oldest prediction first."""
    items = [item for log in by_card(reviews).values() for item in card_items(log)]
    items.sort(key=lambda it: (it.reviewed_at, it.card_id))
    return items
