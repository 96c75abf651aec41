from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp import srs

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_new_card_buttons_show_intervals():
    labels = {r: srs.format_interval(d) for r, d in srs.preview(srs.CardState(), T0).items()}
    assert labels[1] == "1m" and labels[3] == "10m"
    assert labels[4].endswith("d")


def test_good_twice_graduates_to_days():
    cs = srs.review(srs.CardState(), 3, T0)
    cs = srs.review(cs, 3, T0 + timedelta(minutes=10))
    assert cs.state == 2 and cs.due - (T0 + timedelta(minutes=10)) >= timedelta(days=1)
    assert cs.reps == 2 and cs.lapses == 0


def test_again_on_review_card_is_a_lapse():
    cs = srs.replay([srs.LoggedReview(4, T0)])
    assert cs.state == 2
    cs = srs.review(cs, 1, cs.due)
    assert cs.state == 3 and cs.lapses == 1


def test_higher_retention_gives_shorter_intervals():
    cs = srs.replay([srs.LoggedReview(3, T0), srs.LoggedReview(3, T0 + timedelta(minutes=10))])
    when = cs.due
    low = srs.review(cs, 3, when, 0.80).due
    high = srs.review(cs, 3, when, 0.95).due
    assert high < low


@pytest.mark.parametrize("retention", [0.5, 0.99, 1.2])
def test_retention_outside_range_is_refused(retention):
    with pytest.raises(ValueError, match="between 0.7 and 0.97"):
        srs.review(srs.CardState(), 3, T0, retention)


def test_bad_rating_is_refused():
    with pytest.raises(ValueError, match=r"rating must be 1 \(Again\)"):
        srs.review(srs.CardState(), 5, T0)


@pytest.mark.parametrize("delta,label", [
    (timedelta(seconds=20), "<1m"), (timedelta(minutes=10), "10m"), (timedelta(hours=5), "5h"),
    (timedelta(days=3), "3d"), (timedelta(days=61), "2mo"), (timedelta(days=548), "1.5y"),
])
def test_format_interval(delta, label):
    assert srs.format_interval(delta) == label


def test_categories():
    assert srs.category(None, None) == "new"
    assert srs.category(1, 1.0) == "learning"
    assert srs.category(3, 1.0) == "learning"
    assert srs.category(2, 5.0) == "review"
    assert srs.category(2, 30.0) == "mastered"


reviews = st.lists(
    st.tuples(st.integers(1, 4), st.integers(0, 60 * 24 * 40), st.sampled_from([0.8, 0.9, 0.95])),
    min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(reviews)
def test_replay_equals_step_by_step(seq):
    """Applying reviews one at a time (what the server stores) equals replaying the log."""
    cs, log, when = srs.CardState(), [], T0
    for rating, gap_minutes, retention in seq:
        when = when + timedelta(minutes=gap_minutes)
        cs = srs.review(cs, rating, when, retention)
        log.append(srs.LoggedReview(rating, when, retention))
    assert srs.replay(log) == cs
    assert cs.reps == len(seq)
    assert cs.due >= when
