"""Load balancing and easy days: which day a card falls due, among the days FSRS's fuzz
would allow.

FSRS fuzzes intervals (a card due in 30 days may come in 28-32) so that cards learnt
together do not stay together. The app keeps fuzz's range but not its dice: it picks the
day in the range with the fewest reviews already due, counting an easy day's reviews as if
it had half the room, and the chosen due date is logged with the review so that replay
stays exact (like Anki's load balancer and easy days, but deterministic).

A later day always looks emptier than it will be (cards reviewed before then will land on
it too), so a plain "fewest due" would stretch intervals and lower retention; a later day
must be emptier by the square root of its stretch to win. bench/scheduler.py measures the
peak day and the true retention with and without balancing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime, timedelta

from fsrs import State
from fsrs.scheduler import FUZZ_RANGES

from ..srs import CardState

# An easy day has room for about this share of a normal day's reviews.
EASY_DAY_ROOM = 0.5
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def fuzz_range(interval_days: int, maximum_interval: int = 36500) -> tuple[int, int]:
    """The intervals fuzz may give instead of `interval_days` (the range fsrs and Anki
    compute: none below 2.5 days, then a share of the interval that shrinks as it grows)."""
    if interval_days < 2.5:
        return interval_days, interval_days
    delta = 1.0 + sum(r["factor"] * max(min(float(interval_days), r["end"]) - r["start"], 0.0)
                      for r in FUZZ_RANGES)
    high = min(round(interval_days + delta), maximum_interval)
    low = min(max(2, round(interval_days - delta)), high)
    return low, high


def choose_interval(interval_days: int, today: date, due_on: Callable[[date], int],
                    easy_days: Collection[int] = ()) -> int:
    """The interval in the fuzz range whose day has the most room: the fewest reviews due
    (`due_on(day)`) for its room, an easy day (weekday 0 = Monday) having half the room,
    times sqrt(interval / FSRS's interval). Ties go to the interval nearest FSRS's own."""
    low, high = fuzz_range(interval_days)

    def crowding(days: int) -> tuple[float, int, int]:
        day = today + timedelta(days=days)
        room = EASY_DAY_ROOM if day.weekday() in easy_days else 1.0
        return (due_on(day) + 1) / room * (days / interval_days) ** 0.5, abs(days - interval_days), days

    return min(range(low, high + 1), key=crowding)


def balanced_due(after: CardState, when: datetime, today: date, due_on: Callable[[date], int],
                 easy_days: Collection[int] = ()) -> datetime | None:
    """The due date to log for a card just reviewed (None: FSRS's own, which is a learning
    step or an interval too short to move)."""
    if after.state != State.Review.value or after.due is None:
        return None
    interval = (after.due - when).days
    chosen = choose_interval(interval, today, due_on, easy_days)
    return None if chosen == interval else when + timedelta(days=chosen)
