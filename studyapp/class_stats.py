"""Class statistics for instructors: an overview per student, item analysis per question
(as in Moodle's quiz statistics) and mastery per topic and kind of fact.

Every function runs a fixed number of grouped queries whatever the class size (no N+1);
per-student and per-question arithmetic happens in Python on the grouped rows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from fsrs import State
from sqlalchemy import and_, case, func, select

from . import srs
from .csvcells import to_csv
from .extensions import db
from .models import (
    Card,
    Classroom,
    ClassSet,
    Enrollment,
    Question,
    QuestionSet,
    QuizAnswer,
    QuizAttempt,
    ReviewLog,
    User,
)

MIN_ATTEMPTS_FOR_FLAG = 10  # facility below FLAG_FACILITY flags an item only with this many attempts
FLAG_FACILITY = 0.2
MIN_STUDENTS_FOR_DISCRIMINATION = 5
OVERDUE_AFTER = timedelta(days=1)
REVIEW = State.Review.value  # past the learning steps: "learned"

OVERVIEW_SORTS = {
    "name": lambda r: (r["name"].casefold(),),
    "reviews_7d": lambda r: (r["reviews_7d"],),
    "reviews_30d": lambda r: (r["reviews_30d"],),
    "retention": lambda r: (-1 if r["retention"] is None else r["retention"],),
    "due": lambda r: (r["due"],),
    "overdue": lambda r: (r["overdue"],),
    "progress": lambda r: (r["progress_mean"],),
    "last_activity": lambda r: (r["last_activity"] or datetime.min.replace(tzinfo=UTC),),
}


def _students_q(c: Classroom):
    return select(Enrollment.user_id).where(Enrollment.class_id == c.id)


def class_sizes(class_ids: list[int]) -> dict[int, dict]:
    out = {cid: {"students": 0, "sets": 0} for cid in class_ids}
    if class_ids:
        for cid, n in db.session.execute(select(Enrollment.class_id, func.count()).where(
                Enrollment.class_id.in_(class_ids)).group_by(Enrollment.class_id)):
            out[cid]["students"] = n
        for cid, n in db.session.execute(select(ClassSet.class_id, func.count()).where(
                ClassSet.class_id.in_(class_ids)).group_by(ClassSet.class_id)):
            out[cid]["sets"] = n
    return out


def _class_sets(c: Classroom) -> list[dict]:
    rows = db.session.execute(
        select(ClassSet.set_id, QuestionSet.title, ClassSet.target, ClassSet.due_date)
        .join(QuestionSet, QuestionSet.id == ClassSet.set_id)
        .where(ClassSet.class_id == c.id).order_by(QuestionSet.title))
    sets = [{"id": sid, "title": title, "target": target, "due_date": due, "questions": 0}
            for sid, title, target, due in rows]
    if sets:
        counts = dict(db.session.execute(
            select(Question.set_id, func.count()).where(Question.set_id.in_([s["id"] for s in sets]),
                                                       Question.retired.is_(False))
            .group_by(Question.set_id)).all())
        for s in sets:
            s["questions"] = counts.get(s["id"], 0)
    return sets


def class_overview(c: Classroom, sort: str = "name", now: datetime | None = None) -> dict:
    now = now or datetime.now(UTC)
    sets = _class_sets(c)
    set_ids = [s["id"] for s in sets]
    students = list(db.session.execute(
        select(User.id, User.email, User.display_name)
        .join(Enrollment, Enrollment.user_id == User.id).where(Enrollment.class_id == c.id)))
    rows: dict[int, dict] = {}
    for uid, email, display in students:
        rows[uid] = {"id": uid, "email": email, "name": display or email.split("@")[0],
                     "reviews_7d": 0, "reviews_30d": 0, "right_30d": 0, "retention": None,
                     "due": 0, "overdue": 0, "last_activity": None,
                     "progress": {sid: {"done": 0, "total": s["questions"], "share": 0.0}
                                  for sid, s in zip(set_ids, sets, strict=True)}}
    if rows and set_ids:
        d7, d30 = now - timedelta(days=7), now - timedelta(days=30)
        review_rows = db.session.execute(
            select(ReviewLog.user_id,
                   func.sum(case((ReviewLog.reviewed_at >= d7, 1), else_=0)),
                   func.sum(case((ReviewLog.reviewed_at >= d30, 1), else_=0)),
                   func.sum(case((and_(ReviewLog.reviewed_at >= d30, srs.recalled(ReviewLog.rating)), 1), else_=0)),
                   func.max(ReviewLog.reviewed_at))
            .join(Card, Card.id == ReviewLog.card_id)
            .where(ReviewLog.user_id.in_(_students_q(c)), Card.set_id.in_(set_ids))
            .group_by(ReviewLog.user_id))
        for uid, n7, n30, right30, last in review_rows:
            r = rows[uid]
            r["reviews_7d"], r["reviews_30d"], r["right_30d"] = int(n7 or 0), int(n30 or 0), int(right30 or 0)
            r["retention"] = round(r["right_30d"] / r["reviews_30d"], 3) if r["reviews_30d"] else None
            if last is not None and last.tzinfo is None:
                last = last.replace(tzinfo=UTC)
            r["last_activity"] = last
        card_rows = db.session.execute(
            select(Card.user_id, Card.set_id,
                   func.count(Card.id),
                   func.sum(case((Card.state == REVIEW, 1), else_=0)),
                   func.sum(case((Card.due <= now, 1), else_=0)),
                   func.sum(case((Card.due < now - OVERDUE_AFTER, 1), else_=0)))
            .join(Question, Question.id == Card.question_id)
            .where(Card.user_id.in_(_students_q(c)), Card.set_id.in_(set_ids),
                   Question.retired.is_(False))
            .group_by(Card.user_id, Card.set_id))
        targets = {s["id"]: s["target"] for s in sets}
        for uid, sid, n_cards, n_learned, n_due, n_overdue in card_rows:
            r = rows[uid]
            r["due"] += int(n_due or 0)
            r["overdue"] += int(n_overdue or 0)
            p = r["progress"][sid]
            p["done"] = int(n_learned or 0) if targets[sid] == "all_learned" else int(n_cards or 0)
    for r in rows.values():
        for p in r["progress"].values():
            p["share"] = round(p["done"] / p["total"], 3) if p["total"] else 0.0
            p["met"] = p["total"] > 0 and p["done"] >= p["total"]
        shares = [p["share"] for p in r["progress"].values()]
        r["progress_mean"] = round(sum(shares) / len(shares), 3) if shares else 0.0
    key = sort.lstrip("-")
    if key not in OVERVIEW_SORTS:
        sort, key = "name", "name"
    ordered = sorted(rows.values(), key=lambda r: (*OVERVIEW_SORTS[key](r), r["name"].casefold()),
                     reverse=sort.startswith("-"))
    return {"class": {"id": c.id, "name": c.name}, "sets": sets, "students": ordered, "sort": sort,
            "now": now}


def overview_csv(ov: dict) -> bytes:
    header = ["student", "email", "reviews_7d", "reviews_30d", "retention_30d", "due", "overdue",
              "last_activity", *[f"progress: {s['title']}" for s in ov["sets"]]]
    rows = ([r["name"], r["email"], r["reviews_7d"], r["reviews_30d"],
             "" if r["retention"] is None else r["retention"], r["due"], r["overdue"],
             r["last_activity"].isoformat() if r["last_activity"] else "",
             *[f"{r['progress'][s['id']]['done']}/{r['progress'][s['id']]['total']}"
               for s in ov["sets"]]] for r in ov["students"])
    return to_csv(header, rows)  # names and set titles are user text: no formulas


def chart_data(c: Classroom, now: datetime | None = None, days: int = 30) -> dict:
    """Reviews and share right per day over the class's sets, for the overview chart."""
    now = now or datetime.now(UTC)
    start = (now - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    set_ids = select(ClassSet.set_id).where(ClassSet.class_id == c.id)
    day = func.date(ReviewLog.reviewed_at)
    rows = db.session.execute(
        select(day, func.count(), func.sum(case((srs.recalled(ReviewLog.rating), 1), else_=0)))
        .join(Card, Card.id == ReviewLog.card_id)
        .where(ReviewLog.user_id.in_(_students_q(c)), Card.set_id.in_(set_ids),
               ReviewLog.reviewed_at >= start).group_by(day))
    per_day = {str(d)[:10]: (n, int(r or 0)) for d, n, r in rows}
    out = []
    for i in range(days):
        d = (start + timedelta(days=i)).date().isoformat()
        n, r = per_day.get(d, (0, 0))
        out.append({"date": d, "reviews": n, "share_right": round(r / n, 3) if n else None})
    return {"days": out}


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / math.sqrt(sxx * syy)


ITEM_SORTS = {
    "flagged": lambda i: (not i["flags"], -i["attempts"]),
    "facility": lambda i: (i["facility"] is None, i["facility"] or 0),
    "discrimination": lambda i: (i["discrimination"] is None, i["discrimination"] or 0),
    "attempts": lambda i: (-i["attempts"],),
    "time": lambda i: (i["mean_time_s"] is None, -(i["mean_time_s"] or 0)),
    "position": lambda i: (0,),
}


def item_analysis(c: Classroom, sort: str = "flagged") -> dict:
    """Per question: attempts, facility, discrimination, mean time, most-chosen wrong answer."""
    set_ids = [s["id"] for s in _class_sets(c)]
    questions = list(db.session.execute(
        select(Question.id, Question.set_id, Question.prompt, Question.type, Question.topic,
               Question.fact_kind, Question.retired, Question.position)
        .where(Question.set_id.in_(set_ids)).order_by(Question.set_id, Question.position, Question.id)
    )) if set_ids else []
    students = _students_q(c)
    cells: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    wrong: dict[int, dict[str, list]] = defaultdict(dict)
    if questions:
        in_sets = select(Question.id).where(Question.set_id.in_(set_ids))
        cells = _attempt_cells(students, in_sets)
        wrong = _wrong_answers(students, in_sets)
    per_student: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    per_item: dict[int, list[tuple[int, list[int]]]] = defaultdict(list)
    for (uid, qid), cell in cells.items():
        per_student[uid][0] += cell[0]
        per_student[uid][1] += cell[1]
        per_item[qid].append((uid, cell))
    items = [_item(q, per_item.get(q[0], []), per_student, wrong.get(q[0], {})) for q in questions]
    if sort not in ITEM_SORTS:
        sort = "flagged"
    items.sort(key=ITEM_SORTS[sort])
    return {"items": items, "sort": sort, "flagged": sum(bool(i["flags"]) for i in items),
            "mastery": class_mastery(c, questions)}


def quiz_score():
    """A quiz answer's share of the mark (answers before partial credit: 1 or 0)."""
    return case((QuizAnswer.score.is_not(None), QuizAnswer.score),
                (QuizAnswer.correct, 1.0), else_=0.0)


def _attempt_cells(students, in_sets) -> dict[tuple[int, int], list]:
    """(student, question) -> [attempts, marks, total ms, timed attempts], from study
    reviews and quiz answers (a quiz answer's own review is not counted twice); marks add
    up each answer's share of the mark."""
    cells: dict[tuple[int, int], list] = defaultdict(lambda: [0, 0.0, 0, 0])
    # A graded answer counts its share of the mark (partial credit, as Moodle's facility
    # index does); a self-rated card counts as right when recalled.
    right = case((ReviewLog.score.is_not(None), ReviewLog.score),
                 (ReviewLog.correct.is_not(None), case((ReviewLog.correct, 1.0), else_=0.0)),
                 (srs.recalled(ReviewLog.rating), 1.0), else_=0.0)
    review_rows = db.session.execute(
        select(ReviewLog.user_id, ReviewLog.question_id, func.count(), func.sum(right),
               func.sum(ReviewLog.duration_ms), func.count(ReviewLog.duration_ms))
        .where(ReviewLog.user_id.in_(students), ReviewLog.question_id.in_(in_sets),
               ReviewLog.origin != "quiz")
        .group_by(ReviewLog.user_id, ReviewLog.question_id))
    quiz_rows = db.session.execute(
        select(QuizAttempt.user_id, QuizAnswer.question_id, func.count(),
               func.sum(quiz_score()),
               func.sum(QuizAnswer.duration_ms), func.count(QuizAnswer.duration_ms))
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(QuizAttempt.user_id.in_(students), QuizAnswer.question_id.in_(in_sets))
        .group_by(QuizAttempt.user_id, QuizAnswer.question_id))
    for rows in (review_rows, quiz_rows):
        for uid, qid, n, r, ms, timed in rows:
            cell = cells[(uid, qid)]
            cell[0] += n
            cell[1] += float(r or 0)
            cell[2] += int(ms or 0)
            cell[3] += int(timed or 0)
    return cells


def _wrong_answers(students, in_sets) -> dict[int, dict[str, list]]:
    """question -> {folded answer: [answer as given, times]} over wrong reviews and quiz answers."""
    wrong: dict[int, dict[str, list]] = defaultdict(dict)
    wrong_reviews = db.session.execute(
        select(ReviewLog.question_id, ReviewLog.answer_given, func.count())
        .where(ReviewLog.user_id.in_(students), ReviewLog.question_id.in_(in_sets),
               ReviewLog.correct.is_(False), ReviewLog.answer_given.is_not(None),
               ReviewLog.origin != "quiz")
        .group_by(ReviewLog.question_id, ReviewLog.answer_given))
    wrong_quiz = db.session.execute(
        select(QuizAnswer.question_id, QuizAnswer.given, func.count())
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(QuizAttempt.user_id.in_(students), QuizAnswer.question_id.in_(in_sets),
               QuizAnswer.correct.is_(False))
        .group_by(QuizAnswer.question_id, QuizAnswer.given))
    for rows in (wrong_reviews, wrong_quiz):
        for qid, given, n in rows:
            text = " ".join(str(given).split())
            if not text:
                continue
            entry = wrong[qid].setdefault(text.casefold(), [text, 0])
            entry[1] += n
    return wrong


def _item(question, entries, per_student, wrong: dict[str, list]) -> dict:
    """One question's row of the item analysis."""
    qid, set_id, prompt, qtype, topic, kind, retired, _pos = question
    attempts = sum(cell[0] for _, cell in entries)
    right = sum(cell[1] for _, cell in entries)
    timed = sum(cell[3] for _, cell in entries)
    xs, ys = [], []
    for uid, cell in entries:
        rest_n = per_student[uid][0] - cell[0]
        if rest_n > 0:
            xs.append(cell[1] / cell[0])
            ys.append((per_student[uid][1] - cell[1]) / rest_n)
    disc = _pearson(xs, ys) if len(xs) >= MIN_STUDENTS_FOR_DISCRIMINATION else None
    facility = right / attempts if attempts else None
    top_wrong = max(wrong.values(), key=lambda e: (e[1], e[0]), default=None)
    flags = []
    if facility is not None and attempts >= MIN_ATTEMPTS_FOR_FLAG and facility < FLAG_FACILITY:
        flags.append(f"facility below {FLAG_FACILITY:.0%}: check the answer key")
    if disc is not None and disc < 0:
        flags.append("negative discrimination: stronger students get it wrong more often")
    return {"id": qid, "set_id": set_id, "prompt": prompt, "type": qtype, "topic": topic,
            "fact_kind": kind, "retired": retired, "attempts": attempts,
            "students": len(entries),
            "facility": round(facility, 3) if facility is not None else None,
            "discrimination": round(disc, 3) if disc is not None else None,
            "mean_time_s": round(sum(c[2] for _, c in entries) / timed / 1000, 1) if timed else None,
            "top_wrong": top_wrong[0] if top_wrong else None,
            "top_wrong_count": top_wrong[1] if top_wrong else 0,
            "flags": flags}


def class_mastery(c: Classroom, questions: list) -> dict:
    """Per topic and per kind of fact: share of (student, question) pairs learned / mastered.

    `questions` are (id, set_id, prompt, type, topic, fact_kind, retired, position) rows; the
    card counts come grouped per question and are rolled up here (one cheap query).
    """
    n_students = db.session.scalar(select(func.count()).select_from(_students_q(c).subquery())) or 0
    active = {q[0]: (q[4], q[5]) for q in questions if not q[6]}
    set_ids = sorted({q[1] for q in questions})
    per_question = db.session.execute(
        select(Card.question_id,
               func.sum(case((Card.state == REVIEW, 1), else_=0)),
               func.sum(case((and_(Card.state == REVIEW, Card.stability >= srs.MASTERED_STABILITY_DAYS), 1),
                             else_=0)))
        .where(Card.user_id.in_(_students_q(c)), Card.set_id.in_(set_ids))
        .group_by(Card.question_id)) if set_ids else []
    by: dict[str, dict[str, dict]] = {"topics": defaultdict(lambda: {"questions": 0, "learned": 0, "mastered": 0}),
                                      "fact_kinds": defaultdict(lambda: {"questions": 0, "learned": 0, "mastered": 0})}
    for topic, kind in active.values():
        by["topics"][topic or "(no topic)"]["questions"] += 1
        by["fact_kinds"][kind or "other"]["questions"] += 1
    for qid, learned, mastered in per_question:
        if qid not in active:
            continue
        topic, kind = active[qid]
        for bucket in (by["topics"][topic or "(no topic)"], by["fact_kinds"][kind or "other"]):
            bucket["learned"] += int(learned or 0)
            bucket["mastered"] += int(mastered or 0)
    out = {}
    for name, groups in by.items():
        out[name] = []
        for key, v in sorted(groups.items()):
            pairs = v["questions"] * n_students
            out[name].append({"name": key, **v, "learned_share": round(v["learned"] / pairs, 3) if pairs else 0.0,
                              "mastered_share": round(v["mastered"] / pairs, 3) if pairs else 0.0})
    out["students"] = n_students
    return out
