"""Fitting a student's parameters: training items as fsrs-rs expects them, predictions as
fsrs-rs makes them, fitted parameters close to a simulated student's true ones, and a refit
kept only when it predicts the later reviews better."""

import math
import random
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import pytest
from fsrs_rs_python import FSRS

from studyapp.scheduling import evaluation, fitting, simulation
from studyapp.scheduling.items import Review, training_items
from studyapp.srs import DEFAULT_PARAMETERS

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def review(card, rating, when):
    return Review(card, rating, when, simulation.study_day(when))


def test_same_day_steps_stay_in_the_history_and_only_a_days_first_review_is_predicted():
    log = [review(1, 1, T0), review(1, 3, T0 + timedelta(minutes=1)),
           review(1, 3, T0 + timedelta(minutes=11)),
           review(1, 3, T0 + timedelta(days=2)), review(1, 1, T0 + timedelta(days=9)),
           review(1, 3, T0 + timedelta(days=9, minutes=10))]
    items = training_items(log)
    assert [it.reviews for it in items] == [
        ((1, 0), (3, 0), (3, 0), (3, 2)),
        ((1, 0), (3, 0), (3, 0), (3, 2), (1, 7)),
    ]
    assert [it.recalled for it in items] == [True, False]


def test_days_are_study_days_that_start_at_4am():
    late = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    after_midnight = late + timedelta(hours=3)  # 02:30: still the same study day
    next_morning = late + timedelta(hours=9)
    assert simulation.study_day(after_midnight) == date(2026, 3, 2)
    items = training_items([review(7, 3, late), review(7, 3, after_midnight),
                            review(7, 3, next_morning)])
    assert [it.reviews for it in items] == [((3, 0), (3, 0), (3, 1))]


# A student whose memory is plainly not the default one: first memories last half as long,
# and each successful review makes them grow more slowly.
FORGETFUL = tuple(w / 2 if i < 4 else w - 0.4 if i == 8 else w
                  for i, w in enumerate(DEFAULT_PARAMETERS))


@lru_cache(maxsize=4)
def simulated(seed: int, days: int = 200, cards: int = 1000):
    rng = random.Random(seed)
    sim = simulation.simulate(FORGETFUL, simulation.draw_item_offsets(rng, cards), days=days,
                              seed=seed)
    return FORGETFUL, training_items(sim.reviews())


def test_predictions_are_fsrs_rs_own():
    _, items = simulated(3)
    sample = items[::97]
    model = FSRS(list(DEFAULT_PARAMETERS))
    mine = evaluation.predict(DEFAULT_PARAMETERS, sample)
    for it, p in zip(sample, mine, strict=True):
        loss = model.evaluate([it.to_fsrs()]).log_loss
        theirs = math.exp(-loss) if it.recalled else 1 - math.exp(-loss)
        assert p == pytest.approx(theirs, abs=1e-4)
    # A zero item difficulty starts the card exactly where FSRS does.
    assert evaluation.predict(DEFAULT_PARAMETERS, sample, {}) == pytest.approx(mine, abs=1e-6)


def test_fitted_parameters_predict_like_the_true_ones_on_held_out_reviews():
    truth, items = simulated(3)
    earlier, later = fitting.time_split(items)
    fitted = fitting.fit(earlier)
    true_p = evaluation.predict(truth, later)
    gap_fitted = sum(abs(a - b) for a, b in zip(evaluation.predict(fitted, later), true_p,
                                                strict=True)) / len(later)
    gap_default = sum(abs(a - b) for a, b in zip(evaluation.predict(DEFAULT_PARAMETERS, later),
                                                 true_p, strict=True)) / len(later)
    assert gap_fitted < 0.015
    assert gap_fitted < gap_default / 2
    assert evaluation.evaluate(fitted, later).log_loss < evaluation.evaluate(
        DEFAULT_PARAMETERS, later).log_loss


def test_a_better_refit_is_kept_and_a_worse_one_discarded():
    truth, items = simulated(3)
    better = fitting.refit(items, current=DEFAULT_PARAMETERS)
    assert better.kept and better.evaluation.log_loss < better.current.log_loss
    # Against the student's true memory the same refit predicts worse: it is discarded.
    worse = fitting.refit(items, current=truth)
    assert not worse.kept and worse.evaluation.log_loss >= worse.current.log_loss
    assert worse.evaluation.count == worse.current.count > 0


def test_too_few_reviews_are_refused_with_the_number_needed():
    _, items = simulated(3)
    with pytest.raises(fitting.NotEnoughReviews, match=r"12 reviews to learn from; fitting needs 1000"):
        fitting.refit(items[:12])


def test_fitted_parameters_are_accepted_by_the_scheduler():
    _, items = simulated(3)
    from studyapp import srs
    fitted = fitting.fit(items[:2000])
    assert len(fitted) == len(DEFAULT_PARAMETERS)
    srs.scheduler_for(0.9, fitted)  # py-fsrs validates the bounds
