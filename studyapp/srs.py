"""Spaced-repetition scheduling on top of the `fsrs` package, as pure functions.

A card's state is a plain `CardState`; `replay()` rebuilds it from the review log, and
`review()` applies one rating. Fuzzing is off so that replaying a log always gives the
stored state exactly (fsrs' fuzz draws from the global random generator).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
MIN_RETENTION, MAX_RETENTION = 0.70, 0.97


@dataclass(frozen=True)
class CardState:
    state: int = int(State.Learning)
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0


@dataclass(frozen=True)
class LoggedReview:
    rating: int
    reviewed_at: datetime
    retention: float = 0.90


@lru_cache(maxsize=64)
def scheduler_for(retention: float) -> Scheduler:
    if not MIN_RETENTION <= retention <= MAX_RETENTION:
        raise ValueError(f"desired retention must be between {MIN_RETENTION} and {MAX_RETENTION}")
    return Scheduler(desired_retention=retention, enable_fuzzing=False)


def _to_fsrs(cs: CardState) -> FsrsCard:
    return FsrsCard(
        card_id=1,
        state=State(cs.state),
        step=cs.step,
        stability=cs.stability,
        difficulty=cs.difficulty,
        due=cs.due or datetime.now(UTC),
        last_review=cs.last_review,
    )


def review(cs: CardState, rating: int, when: datetime, retention: float = 0.90) -> CardState:
    """The state after rating a card `rating` (1-4) at `when` (aware UTC)."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be 1-4, got {rating!r}")
    when = when.astimezone(UTC)
    card, _ = scheduler_for(retention).review_card(_to_fsrs(cs), Rating(rating), when)
    lapsed = cs.state == int(State.Review) and rating == 1
    return CardState(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=cs.reps + 1,
        lapses=cs.lapses + (1 if lapsed else 0),
    )


def replay(log: Iterable[LoggedReview]) -> CardState:
    """The state a card reaches from new through every logged review, in order."""
    cs = CardState()
    for entry in log:
        cs = review(cs, entry.rating, entry.reviewed_at, entry.retention)
    return cs


def preview(cs: CardState, when: datetime, retention: float = 0.90) -> dict[int, timedelta]:
    """The interval each rating would give now, for the Again/Hard/Good/Easy buttons."""
    return {r: review(cs, r, when, retention).due - when for r in RATINGS}


def format_interval(delta: timedelta) -> str:
    """Anki-style short interval: "<1m", "10m", "5h", "3d", "2mo", "1.5y"."""
    seconds = max(0, delta.total_seconds())
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        months = days / 30.4
        return f"{months:.1f}".rstrip("0").rstrip(".") + "mo"
    years = days / 365
    return f"{years:.1f}".rstrip("0").rstrip(".") + "y"


def suggested_rating(correct: bool | None) -> int:
    """Wrong → Again, right → Good (the student may change it)."""
    return 3 if correct or correct is None else 1


def retrievability(cs: CardState, when: datetime, retention: float = 0.90) -> float:
    if cs.last_review is None:
        return 0.0
    return scheduler_for(retention).get_card_retrievability(_to_fsrs(cs), when)


# A card counts as mastered once its stability says it would be recalled for three weeks.
MASTERED_STABILITY_DAYS = 21.0


def category(state: int | None, stability: float | None) -> str:
    """new | learning | review | mastered, for the progress page."""
    if state is None:
        return "new"
    if state in (int(State.Learning), int(State.Relearning)):
        return "learning"
    if stability is not None and stability >= MASTERED_STABILITY_DAYS:
        return "mastered"
    return "review"
