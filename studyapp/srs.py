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

# The desired retention a student may choose, and what they get until they choose.
MIN_RETENTION, MAX_RETENTION = 0.70, 0.97
DEFAULT_RETENTION = 0.90
# Cards still in (re)learning steps: shown again within the session, counted as "learning".
LEARNING_STATES = (State.Learning.value, State.Relearning.value)


def recalled(rating):
    """Whether a review counts as right: anything but Again. Works on a rating and on a
    SQL column alike (`recalled(ReviewLog.rating)`), so statistics share this one rule."""
    return rating >= Rating.Hard.value


def as_rating(value: object) -> Rating:
    """A rating 1-4 (Again, Hard, Good, Easy) as fsrs's Rating; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in {r.value for r in Rating}:
        raise ValueError("rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")
    return Rating(value)


@dataclass(frozen=True)
class CardState:
    state: int = State.Learning.value
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
    retention: float = DEFAULT_RETENTION


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


def review(cs: CardState, rating: int, when: datetime,
           retention: float = DEFAULT_RETENTION) -> CardState:
    """The state after rating a card `rating` (1-4) at `when` (aware UTC)."""
    rating = as_rating(rating)
    when = when.astimezone(UTC)
    card, _ = scheduler_for(retention).review_card(_to_fsrs(cs), rating, when)
    lapsed = cs.state == State.Review.value and rating is Rating.Again
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


def preview(cs: CardState, when: datetime,
            retention: float = DEFAULT_RETENTION) -> dict[Rating, timedelta]:
    """The interval each rating would give now, for the Again/Hard/Good/Easy buttons."""
    return {r: review(cs, r, when, retention).due - when for r in Rating}


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


def suggested_rating(correct: bool | None, partial: bool = False) -> Rating:
    """Wrong → Again, partly right → Hard, right (or self-rated, None) → Good; the student
    may change it."""
    if partial and not correct:
        return Rating.Hard
    return Rating.Good if correct or correct is None else Rating.Again


def retrievability(cs: CardState, when: datetime, retention: float = DEFAULT_RETENTION) -> float:
    if cs.last_review is None:
        return 0.0
    return scheduler_for(retention).get_card_retrievability(_to_fsrs(cs), when)


# A card counts as mastered once its stability says it would be recalled for three weeks.
MASTERED_STABILITY_DAYS = 21.0


def category(state: int | None, stability: float | None) -> str:
    """new | learning | review | mastered, for the progress page."""
    if state is None:
        return "new"
    if state in LEARNING_STATES:
        return "learning"
    if stability is not None and stability >= MASTERED_STABILITY_DAYS:
        return "mastered"
    return "review"
