"""Simulated students, for the bench and the tests.

Each student has a true memory: FSRS-6 with their own weights, drawn around the defaults
(each weight times e^N(0, `spread`), kept inside fsrs's bounds), and each question has a
true difficulty shared by the class (an offset to the initial difficulty, N(0, `spread`)).
They study every day with the app's own scheduler (`srs.review`, the parameters it is
given, optional load balancing) and every answer comes from their true memory: a review a
day or more after the last one is recalled with the true forgetting curve's probability,
rated Hard/Good/Easy as fsrs-rs's simulator rates (its default rating shares); first
answers and same-day steps follow its default rating shares and step transitions.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from fsrs.scheduler import (
    LOWER_BOUNDS_PARAMETERS,
    MAX_DIFFICULTY,
    MIN_DIFFICULTY,
    UPPER_BOUNDS_PARAMETERS,
)
from fsrs_rs_python import FSRS, MemoryState, default_simulator_config

from .. import srs
from ..srs import DEFAULT_PARAMETERS, CardState, LoggedReview, Parameters, State
from .balancing import balanced_due
from .items import Review

PARAMETER_SPREAD = 0.25
ITEM_SPREAD = 1.5
START = datetime(2025, 1, 6, 18, 0, tzinfo=UTC)  # a Monday, 6 p.m.: one session a day


def study_day(when: datetime) -> date:
    """The simulated students' day starts at 4 a.m. UTC."""
    return (when - timedelta(hours=4)).date()


def draw_parameters(rng: random.Random, spread: float = PARAMETER_SPREAD) -> Parameters:
    return tuple(min(hi, max(lo, w * math.exp(rng.gauss(0.0, spread))))
                 for w, lo, hi in zip(DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS,
                                      UPPER_BOUNDS_PARAMETERS, strict=True))


def draw_item_offsets(rng: random.Random, n: int, spread: float = ITEM_SPREAD) -> list[float]:
    return [rng.gauss(0.0, spread) for _ in range(n)]


@dataclass
class Simulation:
    """What one simulated student did: each card's log as the app keeps it."""

    logs: dict[int, list[LoggedReview]] = field(default_factory=lambda: defaultdict(list))
    states: dict[int, CardState] = field(default_factory=dict)
    reviews_per_day: list[int] = field(default_factory=list)
    # Of those, reviews of cards learnt on an earlier day: the ones scheduling decides.
    due_reviews_per_day: list[int] = field(default_factory=list)
    # Long-term reviews (a day or more after the last) and how many were recalled.
    long_term: int = 0
    long_term_recalled: int = 0

    def reviews(self) -> list[Review]:
        return [Review(card, r.rating, r.reviewed_at, study_day(r.reviewed_at))
                for card, log in self.logs.items() for r in log]

    @property
    def true_retention(self) -> float:
        return self.long_term_recalled / self.long_term if self.long_term else 0.0


@dataclass
class _Truth:
    memory: MemoryState | None = None
    last_day: date | None = None
    last_rating: int = 0


class _Student:
    def __init__(self, parameters: Parameters, offsets: Sequence[float], rng: random.Random):
        self.parameters, self.offsets, self.rng = parameters, offsets, rng
        self.model = FSRS(list(parameters))
        config = default_simulator_config()
        self.first = config.first_rating_prob
        self.recall_ratings = config.review_rating_prob  # Hard, Good, Easy
        self.learning = config.learning_step_transitions
        self.relearning = config.relearning_step_transitions

    def pick(self, weights: Sequence[float], ratings: Sequence[int] = (1, 2, 3, 4)) -> int:
        return self.rng.choices(ratings, weights=weights)[0]

    def answer(self, card: int, truth: _Truth, state: CardState, day: date, sim: Simulation) -> int:
        """The student's rating, and their true memory after it."""
        elapsed = (day - truth.last_day).days if truth.last_day else 0
        if truth.memory is None:
            rating = self.pick(self.first)
        elif elapsed == 0:
            rows = self.learning if state.state == State.Learning.value else self.relearning
            rating = self.pick(rows[min(truth.last_rating, 3) - 1])
        else:
            recalled = self.rng.random() < srs.recall_probability(
                truth.memory.stability, elapsed, self.parameters)
            rating = self.pick(self.recall_ratings, (2, 3, 4)) if recalled else 1
            sim.long_term += 1
            sim.long_term_recalled += recalled
        after = self.model.next_states(truth.memory, 0.9, elapsed)
        memory = (after.again, after.hard, after.good, after.easy)[rating - 1].memory
        if truth.memory is None:
            d = min(MAX_DIFFICULTY, max(MIN_DIFFICULTY, memory.difficulty + self.offsets[card]))
            memory = MemoryState(memory.stability, d)
        truth.memory, truth.last_day, truth.last_rating = memory, day, rating
        return rating


def simulate(true_parameters: Parameters, item_offsets: Sequence[float], *, days: int = 365,
             new_per_day: int = 20, new_every: int = 1, retention: float = srs.DEFAULT_RETENTION,
             parameters: Parameters = DEFAULT_PARAMETERS, balance: bool = False,
             easy_days: frozenset[int] = frozenset(), seed: int = 0,
             start: datetime = START) -> Simulation:
    """One student studying the set (one card per offset) every day for `days` days, taking
    new cards every `new_every` days (`new_per_day` for each of those days at once)."""
    rng = random.Random(seed)
    student = _Student(true_parameters, item_offsets, rng)
    sim = Simulation()
    truths: dict[int, _Truth] = defaultdict(_Truth)
    due_by_day: dict[date, set[int]] = defaultdict(set)
    next_new = 0
    for d in range(days):
        now = start + timedelta(days=d, seconds=rng.randint(0, 1800))
        today = study_day(now)
        day_end = start.replace(hour=4) + timedelta(days=d + 1)
        queue = [(sim.states[c].due, c) for c in sorted(due_by_day.pop(today, ()))]
        heapq.heapify(queue)
        new_left = (min(new_per_day * new_every, len(item_offsets) - next_new)
                    if d % new_every == 0 else 0)
        done = due_done = 0
        while queue or new_left:
            if queue and queue[0][0] <= now:
                card = heapq.heappop(queue)[1]
            elif new_left:
                card, next_new, new_left = next_new, next_new + 1, new_left - 1
            else:
                now = max(now, queue[0][0])
                continue
            state = sim.states.get(card, CardState())
            due_done += state.last_review is not None and study_day(state.last_review) < today
            rating = student.answer(card, truths[card], state, today, sim)
            after = srs.review(state, rating, now, retention, parameters)
            due = (balanced_due(after, now, today, lambda day: len(due_by_day[day]), easy_days)
                   if balance else None)
            after = CardState(**{**after.__dict__, "due": due or after.due})
            sim.logs[card].append(LoggedReview(rating, now, retention, parameters=parameters, due=due))
            sim.states[card] = after
            if after.due < day_end:
                heapq.heappush(queue, (after.due, card))
            else:
                due_by_day[study_day(after.due)].add(card)
            done += 1
            now += timedelta(seconds=rng.randint(6, 20))
        sim.reviews_per_day.append(done)
        sim.due_reviews_per_day.append(due_done)
    return sim
