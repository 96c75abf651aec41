"""Progress statistics as plain queries: one student's charts, reused for instructors."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, func, select

from . import srs
from .access import visible_sets_clause
from .class_stats import quiz_score
from .extensions import db
from .models import Card, Question, QuestionSet, QuizAnswer, QuizAttempt, ReviewLog, User


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _per_day(column, *where):
    # date() exists on both SQLite and PostgreSQL; timestamps are stored in UTC.
    day = func.date(column)
    return select(day, func.count()).where(*where).group_by(day)


def _reviews_in(set_ids) -> list:
    """Extra conditions on ReviewLog: only reviews of questions in these sets (None: all)."""
    if set_ids is None:
        return []
    return [ReviewLog.question_id.in_(select(Question.id).where(Question.set_id.in_(set_ids)))]


def reviews_per_day(user: User, since: date, set_ids=None) -> dict[str, int]:
    start = datetime.combine(since, datetime.min.time(), UTC)
    rows = db.session.execute(_per_day(ReviewLog.reviewed_at, ReviewLog.user_id == user.id,
                                       ReviewLog.reviewed_at >= start, *_reviews_in(set_ids)))
    return {_day(d).isoformat(): n for d, n in rows}


def retention_per_day(user: User, since: date, set_ids=None) -> dict[str, dict]:
    start = datetime.combine(since, datetime.min.time(), UTC)
    day = func.date(ReviewLog.reviewed_at)
    rows = db.session.execute(
        select(day, func.count(), func.sum(case((srs.recalled(ReviewLog.rating), 1), else_=0)))
        .where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= start,
               *_reviews_in(set_ids)).group_by(day))
    return {_day(d).isoformat(): {"reviews": n, "right": int(r or 0)} for d, n, r in rows}


def forecast(user: User, now: datetime, days: int = 30, set_ids=None) -> list[dict]:
    """Reviews due on each of the next `days` days; overdue cards count today."""
    end = now + timedelta(days=days)
    rows = db.session.execute(
        select(Card.due).join(Question, Question.id == Card.question_id)
        .where(Card.user_id == user.id, Card.due < end, Question.retired.is_(False),
               *([] if set_ids is None else [Card.set_id.in_(set_ids)])))
    counts: dict[date, int] = defaultdict(int)
    today = now.date()
    for (due,) in rows:
        counts[max(today, due.astimezone(UTC).date())] += 1
    return [{"date": (today + timedelta(days=i)).isoformat(), "due": counts[today + timedelta(days=i)]}
            for i in range(days)]


def streak(active_days: set[str], today: date) -> int:
    """Consecutive days with a review, ending today (or yesterday, if today has none yet)."""
    day = today if today.isoformat() in active_days else today - timedelta(days=1)
    n = 0
    while day.isoformat() in active_days:
        n += 1
        day -= timedelta(days=1)
    return n


def card_breakdown(user: User, set_ids=None) -> dict:
    """Cards by state, and mastery per topic and per fact kind, over the visible sets."""
    qfilter = [Question.retired.is_(False)]
    if set_ids is None:
        visible = select(QuestionSet.id).where(visible_sets_clause(user))
        qfilter.append(Question.set_id.in_(visible))
    else:
        qfilter.append(Question.set_id.in_(set_ids))
    rows = db.session.execute(
        select(Question.topic, Question.fact_kind, Card.state, Card.stability)
        .outerjoin(Card, (Card.question_id == Question.id) & (Card.user_id == user.id))
        .where(*qfilter))
    states = {"new": 0, "learning": 0, "review": 0, "mastered": 0}
    by_topic: dict[str, dict] = defaultdict(lambda: {"total": 0, "learned": 0, "mastered": 0})
    by_kind: dict[str, dict] = defaultdict(lambda: {"total": 0, "learned": 0, "mastered": 0})
    for topic, kind, state, stability in rows:
        cat = srs.category(state, stability)
        states[cat] += 1
        for bucket in (by_topic[topic or "(no topic)"], by_kind[kind or "other"]):
            bucket["total"] += 1
            bucket["learned"] += cat in ("review", "mastered")
            bucket["mastered"] += cat == "mastered"

    def listing(d):
        return [{"name": k, **v, "mastery": round(v["learned"] / v["total"], 3) if v["total"] else 0}
                for k, v in sorted(d.items())]

    return {"states": states, "topics": listing(by_topic), "fact_kinds": listing(by_kind)}


def quiz_history(user: User, limit: int = 20, set_ids=None) -> list[dict]:
    rows = db.session.execute(
        select(QuizAttempt.id, QuestionSet.title, QuizAttempt.started_at, QuizAttempt.finished_at,
               QuizAttempt.question_ids,
               func.count(QuizAnswer.id), func.sum(quiz_score()))
        .join(QuestionSet, QuestionSet.id == QuizAttempt.set_id)
        .outerjoin(QuizAnswer, QuizAnswer.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.user_id == user.id,
               *([] if set_ids is None else [QuizAttempt.set_id.in_(set_ids)]))
        .group_by(QuizAttempt.id, QuestionSet.title)
        .order_by(QuizAttempt.started_at.desc()).limit(limit))
    return [{"id": i, "set": title, "started_at": s.isoformat(),
             "finished": f is not None, "questions": len(qids or []), "answered": n,
             "right": _mark(r)} for i, title, s, f, qids, n, r in rows]


def _mark(total) -> float | int:
    """Marks with partial credit: whole numbers as integers."""
    total = round(float(total or 0), 2)
    return int(total) if total.is_integer() else total


def progress_data(user: User, now: datetime | None = None, set_ids=None) -> dict:
    """One student's charts; with `set_ids` (ids or a select of them) only those sets count,
    which is what an instructor sees of a student (access.sets_shown_to_instructor)."""
    now = now or datetime.now(UTC)
    today = now.date()
    heat = reviews_per_day(user, today - timedelta(days=364), set_ids)
    ret = retention_per_day(user, today - timedelta(days=29), set_ids)
    retention = []
    for i in range(30):
        d = (today - timedelta(days=29 - i)).isoformat()
        r = ret.get(d)
        retention.append({"date": d, "reviews": r["reviews"] if r else 0,
                          "share_right": round(r["right"] / r["reviews"], 3) if r else None})
    total_reviews = sum(heat.values())
    return {
        "today": today.isoformat(),
        "total_reviews": total_reviews,
        "reviews_today": heat.get(today.isoformat(), 0),
        "streak": streak(set(heat), today),
        "heatmap": [{"date": d, "count": n} for d, n in sorted(heat.items())],
        "forecast": forecast(user, now, set_ids=set_ids),
        "retention": retention,
        **card_breakdown(user, set_ids),
        "quizzes": quiz_history(user, set_ids=set_ids),
    }
