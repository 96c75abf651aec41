"""Spaced-repetition scheduling on top of the `fsrs` package, as pure functions.

A card's state is a plain `CardState`; `replay()` rebuilds it from the review log, and
`review()` applies one rating. Fuzzing is off so that replaying a log always gives the
stored state exactly (fsrs' fuzz draws from the global random generator); the spread that
fuzz gives is chosen deterministically instead (scheduling/balancing.py), and the chosen
due date is logged with the review. Each logged review also names the parameters it was
scheduled with, so replay uses the same ones; a refit of a student's parameters is logged
as a `Reschedule`: memory recomputed from the card's history with the new parameters, and
a new due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS, MAX_DIFFICULTY, MIN_DIFFICULTY

# FSRS-6's 21 weights; a student's own come from fitting (scheduling/fitting.py).
Parameters = tuple[float, ...]

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
    """One review as the log keeps it: with what the scheduler used for it."""

    rating: int
    reviewed_at: datetime
    retention: float = DEFAULT_RETENTION
    parameters: Parameters = DEFAULT_PARAMETERS
    due: datetime | None = None  # the chosen due date (None: FSRS's own interval)
    difficulty_offset: float = 0.0  # the class's item difficulty, on a first review


@dataclass(frozen=True)
class Reschedule:
    """New parameters for a card: its memory recomputed from its history with them, and a
    new due date (the reviews themselves are unchanged)."""

    at: datetime
    parameters: Parameters
    due: datetime


@lru_cache(maxsize=64)
def scheduler_for(retention: float, parameters: Parameters = DEFAULT_PARAMETERS) -> Scheduler:
    if not MIN_RETENTION <= retention <= MAX_RETENTION:
        raise ValueError(f"desired retention must be between {MIN_RETENTION} and {MAX_RETENTION}")
    return Scheduler(parameters=parameters, desired_retention=retention, enable_fuzzing=False)


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
           retention: float = DEFAULT_RETENTION, parameters: Parameters = DEFAULT_PARAMETERS,
           *, due: datetime | None = None, difficulty_offset: float = 0.0) -> CardState:
    """The state after rating a card `rating` (1-4) at `when` (aware UTC).

    `due` replaces FSRS's own due date (a day chosen within its fuzz range);
    `difficulty_offset` moves a new card's initial difficulty (the class's item difficulty).
    """
    rating = as_rating(rating)
    when = when.astimezone(UTC)
    card, _ = scheduler_for(retention, parameters).review_card(_to_fsrs(cs), rating, when)
    difficulty = card.difficulty
    if cs.stability is None and difficulty_offset:
        difficulty = min(MAX_DIFFICULTY, max(MIN_DIFFICULTY, difficulty + difficulty_offset))
    lapsed = cs.state == State.Review.value and rating is Rating.Again
    return CardState(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=difficulty,
        due=due or card.due,
        last_review=card.last_review,
        reps=cs.reps + 1,
        lapses=cs.lapses + (1 if lapsed else 0),
    )


def replay(log: Iterable[LoggedReview | Reschedule]) -> CardState:
    """The state a card reaches from new through every logged review and reschedule, in order."""
    cs = CardState()
    reviews: list[LoggedReview] = []
    for entry in log:
        if isinstance(entry, Reschedule):
            cs = rescheduled(cs, reviews, entry)
        else:
            reviews.append(entry)
            cs = review(cs, entry.rating, entry.reviewed_at, entry.retention, entry.parameters,
                        due=entry.due, difficulty_offset=entry.difficulty_offset)
    return cs


def rescheduled(cs: CardState, reviews: Iterable[LoggedReview], event: Reschedule) -> CardState:
    """`cs` with its memory (stability, difficulty) recomputed from its reviews with the new
    parameters, due at the new date; its state, steps and counts are the reviews' own."""
    memory = replay(replace(r, parameters=event.parameters, due=None) for r in reviews)
    return replace(cs, stability=memory.stability, difficulty=memory.difficulty, due=event.due)


def preview(cs: CardState, when: datetime, retention: float = DEFAULT_RETENTION,
            parameters: Parameters = DEFAULT_PARAMETERS) -> dict[Rating, timedelta]:
    """The interval each rating would give now, for the Again/Hard/Good/Easy buttons."""
    return {r: review(cs, r, when, retention, parameters).due - when for r in Rating}


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


def retrievability(cs: CardState, when: datetime,
                   parameters: Parameters = DEFAULT_PARAMETERS) -> float:
    """The probability of recalling the card at `when` (fsrs counts whole days elapsed)."""
    if cs.last_review is None:
        return 0.0
    return scheduler_for(DEFAULT_RETENTION, parameters).get_card_retrievability(_to_fsrs(cs), when)


_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def recall_probability(stability: float, elapsed_days: float,
                       parameters: Parameters = DEFAULT_PARAMETERS) -> float:
    """FSRS's forgetting curve: the chance of recall `elapsed_days` after a review that left
    this stability (fsrs's own formula, with these parameters' decay)."""
    cs = CardState(state=State.Review.value, step=None, stability=stability, difficulty=5.0,
                   due=_EPOCH, last_review=_EPOCH)
    return retrievability(cs, _EPOCH + timedelta(days=elapsed_days), parameters)



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
