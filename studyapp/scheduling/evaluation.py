"""How well parameters predict a student's reviews: log loss and RMSE (bins), the two
figures of the srs-benchmark and of Anki's "Evaluate" button.

A prediction is the chance of recall FSRS gives at a first-of-the-day review, from the
memory fsrs-rs computes over the card's earlier reviews. Predictions are made here rather
than with fsrs-rs's `evaluate()` so that a card can start from the class's item difficulty
(`difficulty_offsets`). Each prediction equals fsrs-rs's own for that item (a test checks
it); fsrs-rs's batched `evaluate()` is not used because its figure changes with the order of
the items it is given.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fsrs.scheduler import MAX_DIFFICULTY, MIN_DIFFICULTY
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview, MemoryState

from ..srs import DEFAULT_RETENTION, Parameters, recall_probability
from .items import TrainingItem

# Predictions are kept inside (EPS, 1 - EPS): one confident miss must not be infinite.
EPS = 1e-6


@dataclass(frozen=True)
class Evaluation:
    log_loss: float
    rmse_bins: float
    count: int

    def beats(self, other: Evaluation) -> bool:
        """Strictly better at predicting the same reviews (log loss decides, as in Anki)."""
        return self.log_loss < other.log_loss


def _starting_memory(model: FSRS, rating: int, offset: float) -> MemoryState:
    first = model.next_states(None, DEFAULT_RETENTION, 0)
    memory = (first.again, first.hard, first.good, first.easy)[rating - 1].memory
    d = min(MAX_DIFFICULTY, max(MIN_DIFFICULTY, memory.difficulty + offset))
    return MemoryState(memory.stability, d)


def predict(parameters: Parameters, items: Sequence[TrainingItem],
            difficulty_offsets: Mapping[int, float] | None = None) -> list[float]:
    """The predicted chance of recall for each item's last review.

    A card's items are prefixes of one history, so fsrs-rs runs each card's longest history
    once and every item reads the memory just before its own last review. With
    `difficulty_offsets` (card id -> offset) the card's first review sets the starting
    memory, with the item's difficulty, and fsrs-rs runs the rest of the history from it.
    """
    model = FSRS(list(parameters))
    longest: dict[int, TrainingItem] = {}
    for it in items:
        if len(it.reviews) > len(longest.get(it.card_id, it).reviews) or it.card_id not in longest:
            longest[it.card_id] = it
    cards = list(longest)
    if difficulty_offsets is None:
        runs = model.historical_memory_state_batch(
            [FSRSItem([FSRSReview(r, t) for r, t in longest[c].history()]) for c in cards])
        before = {c: run for c, run in zip(cards, runs, strict=True)}
    else:
        starts = [_starting_memory(model, longest[c].reviews[0][0], difficulty_offsets.get(c, 0.0))
                  for c in cards]
        # The first review is replaced by its start; fsrs-rs lists the start first, then the
        # memory after each review (it wants at least one review to run).
        runs = model.historical_memory_state_batch(
            [FSRSItem([FSRSReview(r, t) for r, t in longest[c].history()[1:]] or [FSRSReview(3, 0)])
             for c in cards], starts)
        before = dict(zip(cards, runs, strict=True))
    return [recall_probability(before[it.card_id][len(it.reviews) - 2].stability, it.delta_t,
                               parameters) for it in items]


def log_loss(predictions: Sequence[float], items: Sequence[TrainingItem]) -> float:
    total = 0.0
    for p, it in zip(predictions, items, strict=True):
        p = min(1 - EPS, max(EPS, p))
        total -= math.log(p) if it.recalled else math.log(1 - p)
    return total / len(items)


def _bin(item: TrainingItem) -> tuple[int, int, int]:
    """fsrs-rs's bins (FSRSItem::r_matrix_index): by interval, by number of long-term
    reviews, by lapses, each on a log scale."""
    delta_t_bin = round(2.48 * 3.62 ** math.floor(math.log(item.delta_t, 3.62)) * 100)
    length = sum(1 for _, t in item.reviews if t > 0) + 1
    length_bin = round(1.99 * 1.89 ** math.floor(math.log(length, 1.89)))
    lapses = sum(1 for r, t in item.history() if r == 1 and t > 0)
    lapse_bin = round(1.65 * 1.73 ** math.floor(math.log(lapses, 1.73))) if lapses else 0
    return delta_t_bin, length_bin, lapse_bin


def rmse_bins(predictions: Sequence[float], items: Sequence[TrainingItem]) -> float:
    """Calibration: in each bin the mean prediction against the share recalled, weighted by
    the bin's size."""
    bins: dict[tuple[int, int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for p, it in zip(predictions, items, strict=True):
        b = bins[_bin(it)]
        b[0] += p
        b[1] += it.recalled
        b[2] += 1
    total = sum(n for _, _, n in bins.values())
    return math.sqrt(sum((p / n - y / n) ** 2 * n for p, y, n in bins.values()) / total)


def evaluate(parameters: Parameters, items: Sequence[TrainingItem],
             difficulty_offsets: Sequence[float] | None = None) -> Evaluation:
    if not items:
        raise ValueError("no reviews to evaluate on")
    predictions = predict(parameters, items, difficulty_offsets)
    return Evaluation(log_loss(predictions, items), rmse_bins(predictions, items), len(items))
