from datetime import timedelta

from sqlalchemy import select

from studyapp import stats
from studyapp.models import Question
from studyapp.study import service


def test_progress_empty_state(client, auth, student, bank):
    auth.login()
    r = client.get("/progress")
    assert r.status_code == 200 and b"No reviews yet" in r.data and b"chart-4.6.1.umd.min.js" in r.data
    data = client.get("/api/v1/progress").get_json()
    assert data["total_reviews"] == 0 and data["streak"] == 0
    assert data["states"] == {"new": 7, "learning": 0, "review": 0, "mastered": 0}
    assert len(data["forecast"]) == 30 and len(data["retention"]) == 30


def test_progress_counts_reviews_streak_forecast_and_mastery(app, db, student, bank):
    now = service.now_utc()
    ids = db.session.scalars(select(Question.id).order_by(Question.id)).all()
    # Three consecutive days of study ending today.
    for day in (2, 1, 0):
        service.submit_review(student, ids[day], 4 if day else 1, now=now - timedelta(days=day))
    service.submit_review(student, ids[3], 3, now=now)
    data = stats.progress_data(student, now)
    assert data["total_reviews"] == 4 and data["reviews_today"] == 2 and data["streak"] == 3
    assert sum(h["count"] for h in data["heatmap"]) == 4
    today = [r for r in data["retention"] if r["date"] == now.date().isoformat()][0]
    assert today == {"date": now.date().isoformat(), "reviews": 2, "share_right": 0.5}
    assert sum(data["states"].values()) == 7 and data["states"]["new"] == 3
    assert sum(f["due"] for f in data["forecast"]) >= 2
    topics = {t["name"]: t for t in data["topics"]}
    assert topics["Space"]["total"] == 3
    kinds = {k["name"] for k in data["fact_kinds"]}
    assert {"date", "person", "figure", "organisation"} <= kinds


def test_streak_allows_today_without_reviews_yet():
    from datetime import date

    days = {"2026-03-01", "2026-03-02"}
    assert stats.streak(days, date(2026, 3, 3)) == 2
    assert stats.streak(days, date(2026, 3, 4)) == 0
    assert stats.streak(days | {"2026-03-03"}, date(2026, 3, 3)) == 3
