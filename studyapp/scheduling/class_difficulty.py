"""Item difficulty from the class: how hard a question is, from every student who studied
it, to start a new student's card with a better initial difficulty than FSRS's default.

A question's difficulty is an offset to FSRS's initial difficulty (1-10 scale), the one
that best predicts the class's reviews of it: each student's reviews are predicted with
that student's own parameters, the card starting at the default difficulty plus the offset,
and the offset with the lowest total log loss wins (a weak prior keeps offsets from few
reviews near zero). The first long-term review of a card does not depend on difficulty
(only on the first rating's stability); difficulty shapes how stability grows after it, so
the reviews after the first day carry the signal.

Whether the offsets help is measured, not assumed (`held_out_gain`): offsets from one half
of the class predict the other half's early reviews, against no offsets.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fsrs.scheduler import MAX_DIFFICULTY, MIN_DIFFICULTY

from ..srs import Parameters
from .evaluation import EPS, Evaluation, evaluate, predict
from .items import TrainingItem

OFFSETS = tuple(x / 2 for x in range(-8, 9))  # -4 .. +4 in half points
MIN_STUDENTS = 5  # a question needs this many students' reviews to get a difficulty
PRIOR_SD = 3.0  # the prior on an offset: N(0, 3), a third of the 1-10 difficulty scale
EARLY_REVIEWS = 3  # "first reviews": a card's first three long-term reviews


@dataclass(frozen=True)
class StudentLog:
    """One student's training items, the parameters they are scheduled with, and which
    question each card is."""

    parameters: Parameters
    items: Sequence[TrainingItem]
    question_of: Mapping[int, int]  # card id -> question id


def item_offsets(students: Sequence[StudentLog], min_students: int = MIN_STUDENTS
                 ) -> dict[int, float]:
    """question id -> difficulty offset, for the questions enough students have reviewed."""
    losses: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(OFFSETS))
    seen: dict[int, set[int]] = defaultdict(set)
    for s, student in enumerate(students):
        if not student.items:
            continue
        for q in {student.question_of[it.card_id] for it in student.items}:
            seen[q].add(s)
        for g, offset in enumerate(OFFSETS):
            predictions = predict(student.parameters, student.items,
                                  dict.fromkeys(student.question_of, offset))
            for p, it in zip(predictions, student.items, strict=True):
                p = min(1 - EPS, max(EPS, p))
                losses[student.question_of[it.card_id]][g] -= math.log(p if it.recalled else 1 - p)
    out = {}
    for q, loss in losses.items():
        if len(seen[q]) >= min_students:
            scored = [(total + o * o / (2 * PRIOR_SD**2), abs(o), o) for total, o in zip(loss, OFFSETS, strict=True)]
            out[q] = min(scored)[2]
    return out


def initial_difficulty(offset: float, default: float) -> float:
    """The difficulty a new card starts at: the default for its first rating plus the offset."""
    return min(MAX_DIFFICULTY, max(MIN_DIFFICULTY, default + offset))


def early(items: Sequence[TrainingItem], n: int = EARLY_REVIEWS) -> list[TrainingItem]:
    """Each card's first `n` long-term reviews: where a starting difficulty matters most."""
    return [it for it in items if sum(1 for _, t in it.reviews if t > 0) <= n]


@dataclass(frozen=True)
class Gain:
    without: Evaluation
    with_offsets: Evaluation

    @property
    def helps(self) -> bool:
        return self.with_offsets.beats(self.without)


def held_out_gain(students: Sequence[StudentLog], min_students: int = MIN_STUDENTS) -> Gain:
    """Offsets from the even-numbered students predict the odd-numbered ones' early reviews
    and the other way round, against no offsets (each with their own parameters)."""
    halves = (students[0::2], students[1::2])
    without: list[tuple[float, float, int]] = []
    with_offsets: list[tuple[float, float, int]] = []
    for learn, test in (halves, halves[::-1]):
        offsets = item_offsets(learn, min_students)
        for student in test:
            items = early(student.items)
            if not items:
                continue
            by_card = {c: offsets.get(q, 0.0) for c, q in student.question_of.items()}
            for out, offs in ((without, None), (with_offsets, by_card)):
                e = evaluate(student.parameters, items, offs)
                out.append((e.log_loss * e.count, e.rmse_bins * e.count, e.count))
    return Gain(_pooled(without), _pooled(with_offsets))


def _pooled(parts: list[tuple[float, float, int]]) -> Evaluation:
    n = sum(c for _, _, c in parts)
    if not n:
        raise ValueError("no held-out reviews to measure item difficulty on")
    return Evaluation(sum(x for x, _, _ in parts) / n, sum(x for _, x, _ in parts) / n, n)
