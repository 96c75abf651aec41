"""Fitting a student's own FSRS parameters with fsrs-rs (the optimiser Anki ships), and
keeping them only when they predict the student's later reviews better.

The decision is made on a time-ordered split: parameters are fitted on the reviews before
a cut-off and both they and the parameters in use predict the reviews after it (the newest
`HOLDOUT_SHARE`). The parameters kept are exactly the ones that were tested; as the log
grows the cut-off moves forward, so the parameters in use never saw the reviews they are
next compared on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
from fsrs_rs_python import FSRS

from ..srs import DEFAULT_PARAMETERS, Parameters
from .evaluation import Evaluation, evaluate
from .items import TrainingItem

# Reviews to predict (first-of-the-day reviews after a card's first day; about 1,500-2,000
# logged reviews) before a fit is tried. Anki suggests "a few hundred", but bench/scheduler.py
# measures how often a fit on a student's first N reviews beats the defaults on the next
# ones: about a third of the time at 400, half at 1,000, most students by 4,000. From 1,000
# the held-out fifth (200 reviews) is also enough to tell a better fit from luck.
MIN_REVIEWS = 1000
HOLDOUT_SHARE = 0.2


class NotEnoughReviews(ValueError):
    """Too few reviews to fit or to judge a fit; the message says how many are needed."""


@dataclass(frozen=True)
class Refit:
    parameters: Parameters  # the new fit
    evaluation: Evaluation  # the new fit, on the held-out reviews
    current: Evaluation  # the parameters in use, on the same reviews
    review_count: int  # reviews fitted on

    @property
    def kept(self) -> bool:
        return self.evaluation.beats(self.current)


def time_split(items: Sequence[TrainingItem], holdout_share: float = HOLDOUT_SHARE
               ) -> tuple[list[TrainingItem], list[TrainingItem]]:
    """(earlier, later): the later part starts at the review where its share begins; reviews
    at the same instant stay together."""
    ordered = sorted(items, key=lambda it: (it.reviewed_at, it.card_id))
    if len(ordered) < 2:
        raise NotEnoughReviews("at least two reviews are needed to hold some out")
    cut = ordered[min(len(ordered) - 1, int(len(ordered) * (1 - holdout_share)))].reviewed_at
    return ([it for it in ordered if it.reviewed_at < cut],
            [it for it in ordered if it.reviewed_at >= cut])


def fit(items: Sequence[TrainingItem]) -> Parameters:
    """fsrs-rs's fit of FSRS-6 to these items (short-term memory on: same-day steps count),
    kept inside the bounds the scheduler (py-fsrs) accepts."""
    if not items:
        raise NotEnoughReviews("no reviews to fit")
    fitted = FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(
        [it.to_fsrs() for it in items], enable_short_term=True)
    return tuple(min(hi, max(lo, w)) for w, lo, hi in
                 zip(fitted, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True))


def refit(items: Sequence[TrainingItem], current: Parameters = DEFAULT_PARAMETERS,
          min_reviews: int = MIN_REVIEWS) -> Refit:
    """A fit on the earlier reviews, judged against `current` on the later ones."""
    if len(items) < min_reviews:
        raise NotEnoughReviews(f"{len(items)} reviews to learn from; fitting needs {min_reviews}")
    earlier, later = time_split(items)
    candidate = fit(earlier)
    return Refit(candidate, evaluate(candidate, later), evaluate(current, later), len(earlier))
