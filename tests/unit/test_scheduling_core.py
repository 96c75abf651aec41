"""Load balancing and easy days, replay with what the scheduler used, memory statistics and
the desired-retention what-if."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Scheduler
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp import srs
from studyapp.scheduling import balancing, memory_stats, whatif
from studyapp.scheduling.items import TrainingItem
from studyapp.srs import DEFAULT_PARAMETERS

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize("interval", [1, 2, 3, 10, 30, 100, 400])
def test_fuzz_range_is_the_one_fsrs_draws_from(interval):
    fuzzing = Scheduler(enable_fuzzing=True)
    random.seed(interval)
    drawn = {fuzzing._get_fuzzed_interval(interval=timedelta(days=interval)).days
             for _ in range(2000)}
    low, high = balancing.fuzz_range(interval)
    # py-fsrs rounds a draw from [low, high + 1), so it now and then gives high + 1 too.
    assert {low, high} <= drawn <= set(range(low, high + 2))


def test_the_least_crowded_day_in_the_range_is_chosen():
    today = date(2026, 3, 2)
    load = {today + timedelta(days=d): n
            for d, n in [(8, 41), (9, 40), (10, 35), (11, 12), (12, 30)]}
    assert balancing.fuzz_range(10) == (8, 12)
    assert balancing.choose_interval(10, today, lambda d: load.get(d, 0)) == 11
    # Equal load: the shortest, since a later day's load is not all known yet.
    assert balancing.choose_interval(10, today, lambda d: 5) == 8
    # Nothing to choose from below 2.5 days.
    assert balancing.choose_interval(2, today, lambda d: 100 if d == today + timedelta(days=2)
                                     else 0) == 2


def test_an_easy_day_takes_about_half_the_reviews():
    today = date(2026, 3, 2)  # Monday; +10 days is a Thursday
    thursday = (today + timedelta(days=10)).weekday()
    assert balancing.choose_interval(10, today, lambda d: 10, easy_days={thursday}) != 10
    # Well under half as full as the other days, an easy day is chosen all the same.
    load = {today + timedelta(days=10): 5}
    assert balancing.choose_interval(10, today, lambda d: load.get(d, 20),
                                     easy_days={thursday}) == 10


def test_balanced_due_moves_only_review_intervals():
    learning = srs.review(srs.CardState(), 1, T0)
    assert balancing.balanced_due(learning, T0, T0.date(), lambda d: 0) is None
    cs = srs.replay([srs.LoggedReview(3, T0), srs.LoggedReview(3, T0 + timedelta(minutes=10))])
    cs = srs.review(cs, 3, cs.due)
    when = cs.last_review
    interval = (cs.due - when).days
    crowded = when.date() + timedelta(days=interval)
    due = balancing.balanced_due(cs, when, when.date(), lambda d: 50 if d == crowded else 0)
    low, high = balancing.fuzz_range(interval)
    assert due is not None and due != cs.due and low <= (due - when).days <= high


reviews = st.lists(st.tuples(st.integers(1, 4), st.integers(0, 60 * 24 * 30), st.booleans(),
                             st.floats(-3, 3), st.booleans()), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(reviews)
def test_replay_reproduces_reviews_with_chosen_dues_offsets_and_reschedules(steps):
    """Stored state (each review applied as it happened, a refit applied to the card as it
    then was) equals replaying the log."""
    fitted = tuple(w * 1.1 if i < 4 else w for i, w in enumerate(DEFAULT_PARAMETERS))
    cs, log, reviews_so_far = srs.CardState(), [], []
    when = T0
    params = DEFAULT_PARAMETERS
    for rating, gap, spread, offset, refit in steps:
        when = when + timedelta(minutes=gap)
        due = None
        plain = srs.review(cs, rating, when, 0.9, params, difficulty_offset=offset)
        if spread and plain.state == srs.State.Review.value:
            due = plain.due + timedelta(days=1)
        entry = srs.LoggedReview(rating, when, 0.9, parameters=params, due=due,
                                 difficulty_offset=offset)
        cs = srs.review(cs, rating, when, 0.9, params, due=due, difficulty_offset=offset)
        log.append(entry)
        reviews_so_far.append(entry)
        if refit:
            params = fitted if params == DEFAULT_PARAMETERS else DEFAULT_PARAMETERS
            event = srs.Reschedule(when, params, cs.due + timedelta(days=2))
            cs = srs.rescheduled(cs, reviews_so_far, event)
            log.append(event)
        assert srs.replay(log) == cs


def test_a_reschedule_recomputes_memory_with_the_new_parameters():
    fitted = tuple(w * 2 if i < 4 else w for i, w in enumerate(DEFAULT_PARAMETERS))
    log = [srs.LoggedReview(3, T0), srs.LoggedReview(3, T0 + timedelta(days=3))]
    before = srs.replay(log)
    new_due = T0 + timedelta(days=20)
    after = srs.replay([*log, srs.Reschedule(T0 + timedelta(days=4), fitted, new_due)])
    with_fitted = srs.replay([srs.LoggedReview(r.rating, r.reviewed_at, parameters=fitted)
                              for r in log])
    assert after.stability == with_fitted.stability != before.stability
    assert after.difficulty == with_fitted.difficulty
    assert (after.due, after.reps, after.state) == (new_due, before.reps, before.state)


def test_a_first_review_starts_at_the_class_difficulty():
    plain = srs.review(srs.CardState(), 3, T0)
    harder = srs.review(srs.CardState(), 3, T0, difficulty_offset=2.0)
    assert harder.difficulty == pytest.approx(plain.difficulty + 2.0)
    assert srs.review(srs.CardState(), 3, T0, difficulty_offset=-50).difficulty == 1.0
    # Only a new card: later reviews ignore it.
    assert srs.review(plain, 3, T0 + timedelta(minutes=10), difficulty_offset=2.0) == \
        srs.review(plain, 3, T0 + timedelta(minutes=10))


def item(day, delta_t, rating):
    when = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)
    return TrainingItem(1, when, day, ((3, 0), (rating, delta_t)))


def test_true_retention_table_by_period_young_and_mature():
    today = date(2026, 3, 20)
    items = [item(today, 3, 3), item(today, 3, 1), item(today, 30, 3),
             item(today - timedelta(days=1), 5, 3),
             item(today - timedelta(days=6), 40, 1),
             item(today - timedelta(days=20), 2, 3),
             item(today - timedelta(days=200), 25, 3)]
    rows = {r.period: r for r in memory_stats.true_retention(items, today)}
    assert [r.period for r in memory_stats.true_retention(items, today)] == [
        "Today", "Yesterday", "Last week", "Last month", "Last year", "All time"]
    assert (rows["Today"].young.passed, rows["Today"].young.failed) == (1, 1)
    assert rows["Today"].mature.share == 1.0
    assert rows["Yesterday"].total.reviews == 1
    assert (rows["Last week"].young.reviews, rows["Last week"].mature.reviews) == (3, 2)
    assert rows["Last week"].mature.share == 0.5
    assert rows["Last month"].total.reviews == 6
    assert rows["All time"].total.reviews == 7 and rows["All time"].mature.reviews == 3
    assert rows["Yesterday"].mature.share is None


def test_recall_now_and_its_average():
    fresh = srs.review(srs.CardState(), 3, T0)
    old = srs.replay([srs.LoggedReview(3, T0 - timedelta(days=60))])
    recall = memory_stats.recall_now({1: fresh, 2: old, 3: srs.CardState()},
                                     T0 + timedelta(days=1), DEFAULT_PARAMETERS)
    assert set(recall.per_card) == {1, 2}
    assert recall.per_card[2] < recall.per_card[1] <= 1
    assert recall.average == pytest.approx((recall.per_card[1] + recall.per_card[2]) / 2)


def test_forecast_counts_due_cards_and_their_next_reviews():
    def day_of(t):
        return (t - timedelta(hours=4)).date()
    today = date(2026, 3, 2)
    young = srs.replay([srs.LoggedReview(3, T0 - timedelta(days=1)),
                        srs.LoggedReview(3, T0 - timedelta(days=1, minutes=-10))])
    overdue = srs.replace(young, due=T0 - timedelta(days=3))
    counts = memory_stats.forecast([young, overdue], today, day_of, 30, DEFAULT_PARAMETERS)
    assert counts[0] >= 1  # overdue: today
    assert counts[(day_of(young.due) - today).days] >= 1
    assert sum(counts) > 2  # they come back within the month
    assert memory_stats.forecast([], today, day_of, 7, DEFAULT_PARAMETERS) == [0] * 7


def test_what_if_higher_retention_costs_more_reviews_and_keeps_more():
    outcomes = whatif.what_if(DEFAULT_PARAMETERS, cards=500, new_per_day=10)
    assert [o.desired_retention for o in outcomes] == [0.80, 0.85, 0.90, 0.95]
    per_day = [o.reviews_per_day for o in outcomes]
    kept = [o.retention for o in outcomes]
    assert per_day == sorted(per_day) and per_day[0] < per_day[-1]
    assert kept == sorted(kept)
    assert whatif.what_if(DEFAULT_PARAMETERS, 500, 10) == outcomes  # the same every time
    with pytest.raises(ValueError, match="at least one card"):
        whatif.what_if(DEFAULT_PARAMETERS, cards=0, new_per_day=10)
