"""The study loop: what to review next, recording a review, undo. Views and API call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, case, delete, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from .. import srs
from ..access import studyable_set
from ..errors import NotFound
from ..extensions import db
from ..models import Card, Question, QuestionSet, ReviewLog, User
from ..question import AnswerFormatError, Grade, QuestionError, QuestionType, grade
from ..question import Question as QuestionData

# Like Anki's "learn ahead limit": when nothing else is left, learning cards due within
# this window are shown now rather than making the student wait a few minutes.
LEARN_AHEAD = timedelta(minutes=20)


class ReviewError(ValueError):
    """A review that cannot be recorded; the message says why."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def start_of_day(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def card_state(card: Card | None) -> srs.CardState:
    if card is None:
        return srs.CardState()
    return srs.CardState(state=card.state, step=card.step, stability=card.stability,
                         difficulty=card.difficulty, due=card.due, last_review=card.last_review,
                         reps=card.reps, lapses=card.lapses)


def apply_state(card: Card, cs: srs.CardState) -> None:
    card.state, card.step = cs.state, cs.step
    card.stability, card.difficulty = cs.stability, cs.difficulty
    card.due, card.last_review = cs.due, cs.last_review
    card.reps, card.lapses = cs.reps, cs.lapses


@dataclass
class SetCounts:
    due: int = 0
    new: int = 0
    learning: int = 0
    total: int = 0
    new_today: int = 0  # new cards still allowed today in this set

    def as_dict(self) -> dict:
        return {"due": self.due, "new": self.new, "learning": self.learning, "total": self.total,
                "new_today": self.new_today}


def new_cards_left_today(user: User, now: datetime) -> int:
    introduced = db.session.scalar(
        select(func.count(Card.id)).where(Card.user_id == user.id,
                                          Card.created_at >= start_of_day(now))
    ) or 0
    return max(0, user.daily_new_limit - introduced)


def set_counts(user: User, set_ids: list[int], now: datetime | None = None) -> dict[int, SetCounts]:
    """Due, new and learning counts per set.

    Each count is an index range (cards by user+set+due, user+set+state; questions by
    set+retired), so the cost follows the number of due or learning cards, not the
    number of cards a student has. Grouped by set: no query per set.
    """
    now = now or now_utc()
    out = {sid: SetCounts() for sid in set_ids}
    if not set_ids:
        return out
    mine = (Card.user_id == user.id, Card.set_id.in_(set_ids))
    active = select(Question.set_id, func.count(Question.id)).where(
        Question.set_id.in_(set_ids), Question.retired.is_(False)).group_by(Question.set_id)
    for sid, n in db.session.execute(active):
        out[sid].total = out[sid].new = n
    n_cards = select(Card.set_id, func.count(Card.id)).where(*mine).group_by(Card.set_id)
    # Cards of retired questions are not "not new"; there are few of them.
    retired_cards = (select(Card.set_id, func.count(Card.id))
                     .where(*mine, Card.question_id.in_(retired_ids(set_ids))).group_by(Card.set_id))
    live = Card.question_id.not_in(retired_ids(set_ids))
    due = select(Card.set_id, func.count(Card.id)).where(*mine, live, Card.due <= now).group_by(Card.set_id)
    learning = (select(Card.set_id, func.count(Card.id)).where(*mine, live, Card.state.in_(srs.LEARNING_STATES))
                .group_by(Card.set_id))
    for sid, n in db.session.execute(n_cards):
        out[sid].new -= n
    for sid, n in db.session.execute(retired_cards):
        out[sid].new += n
    for sid, n in db.session.execute(due):
        out[sid].due = n
    for sid, n in db.session.execute(learning):
        out[sid].learning = n
    left = new_cards_left_today(user, now)
    for c in out.values():
        c.new_today = min(c.new, left)
    return out


@lru_cache(maxsize=1)
def _due_and_learning_stmt():
    mine = (Card.user_id == bindparam("user_id"), Card.set_id == bindparam("set_id"),
            Card.question_id.not_in(select(Question.id).where(Question.set_id == bindparam("set_id"),
                                                              Question.retired.is_(True))))
    due = select(func.count(Card.id)).where(*mine, Card.due <= bindparam("now")).scalar_subquery()
    learning = select(func.count(Card.id)).where(*mine, Card.state.in_(srs.LEARNING_STATES)).scalar_subquery()
    return select(due, learning)


def due_and_learning(user: User, set_id: int, now: datetime) -> dict[str, int]:
    """Counts for the review screen after each answer, in one statement: index ranges bounded
    by the number of due and learning cards (never a scan of all the student's cards)."""
    n_due, n_learning = db.session.execute(
        _due_and_learning_stmt(), {"user_id": user.id, "set_id": set_id, "now": now}).one()
    return {"due": n_due or 0, "learning": n_learning or 0}


def retired_ids(set_ids: list[int]):
    """Subquery: the retired questions of these sets (few), to leave their cards out of counts
    without joining every card to its question."""
    return select(Question.id).where(Question.set_id.in_(set_ids), Question.retired.is_(True))


def siblings_seen_today(user: User, qset: QuestionSet, now: datetime):
    """Subquery: sibling groups of the cards this user first saw today in this set.

    Like Anki's sibling burying: the other questions made from the same fact (its
    cloze, its flashcard) wait for another day instead of giving the answer away now.
    """
    q2 = aliased(Question)
    return (select(q2.sibling).join(Card, Card.question_id == q2.id)
            .where(Card.user_id == user.id, Card.set_id == qset.id,
                   Card.created_at >= start_of_day(now), q2.sibling.is_not(None)))


@lru_cache(maxsize=1)
def _due_stmt():
    # Built once (the hot path): ordered by due alone, the (user, set, due) index gives the
    # order and the LIMIT stops early.
    return (select(Question, Card).join(Card, Card.question_id == Question.id)
            .where(Card.user_id == bindparam("user_id"), Card.set_id == bindparam("set_id"),
                   Question.retired.is_(False), Card.due <= bindparam("now"),
                   Question.id.not_in(bindparam("exclude", expanding=True)))
            .order_by(Card.due).limit(bindparam("limit")))


def next_cards(user: User, qset: QuestionSet, limit: int = 5, now: datetime | None = None,
               exclude: tuple[int, ...] = ()) -> list[tuple[Question, Card | None]]:
    """Due cards first (most overdue first), then new cards within today's limit."""
    now = now or now_utc()
    base = (select(Question, Card).join(Card, Card.question_id == Question.id)
            .where(Card.user_id == user.id, Card.set_id == qset.id, Question.retired.is_(False)))
    if exclude:
        base = base.where(Question.id.not_in(exclude))
    picked = list(db.session.execute(_due_stmt(), {"user_id": user.id, "set_id": qset.id, "now": now,
                                                   "exclude": list(exclude), "limit": limit}))
    if len(picked) < limit:
        left = min(limit - len(picked), new_cards_left_today(user, now))
        if left:
            has_card = select(Card.id).where(Card.user_id == user.id, Card.question_id == Question.id)
            new_q = (select(Question).where(Question.set_id == qset.id, Question.retired.is_(False),
                                            ~has_card.exists(),
                                            or_(Question.sibling.is_(None),
                                                Question.sibling.not_in(siblings_seen_today(user, qset, now))))
                     .order_by(Question.position, Question.id).limit(left))
            if exclude:
                new_q = new_q.where(Question.id.not_in(exclude))
            picked += [(q, None) for q in db.session.scalars(new_q)]
    if not picked:
        ahead = (base.where(Card.due <= now + LEARN_AHEAD, Card.state.in_(srs.LEARNING_STATES))
                 .order_by(Card.due).limit(limit))
        picked = list(db.session.execute(ahead))
    return [(q, c) for q, c in picked]


def card_payload(question: Question, card: Card | None, user: User, now: datetime) -> dict:
    """What the review screen needs for one card. The answer of a graded type is withheld."""
    cs = card_state(card)
    qtype = QuestionType(question.type)
    intervals = srs.preview(cs, now, user.desired_retention)
    out = {
        "question_id": question.id,
        "set_id": question.set_id,
        "type": question.type,
        "input": qtype.traits.input.value,
        "prompt": question.prompt,
        "choices": question.choices if qtype.traits.has_choices else None,
        # Matching: "left" and "right" (shuffled); ordering: "items" (shuffled).
        **{k: v for k, v in QuestionData.from_row(question).shown().items() if k != "choices"},
        "topic": question.topic,
        "fact_kind": question.fact_kind,
        "is_new": card is None,
        "state": srs.category(card.state if card else None, card.stability if card else None),
        "due": card.due.isoformat() if card else None,
        "intervals": {str(r.value): srs.format_interval(d) for r, d in intervals.items()},
        # The instructor changed the answer since this student last saw the card.
        "answer_changed": bool(card and question.answer_changed_at and card.last_review
                               and question.answer_changed_at > card.last_review),
    }
    if qtype.traits.self_rated:  # the back is no secret
        out["suggested_rating"] = srs.suggested_rating(None).value
        out["back"] = question.answer
        out["explanation"] = question.explanation
        out["source"] = question.source_to_show
    return out


def reveal_payload(question: Question, g: Grade | None) -> dict:
    """The answer side after a check: the verdict, a note only when it adds something, the
    expected answer, the explanation, and the source only when it is not the explanation."""
    data = QuestionData.from_row(question)
    return {
        "correct": g.correct if g else None,
        "near": g.near if g else False,
        "score": g.score if g else None,
        "message": g.message if g else "",
        "note": g.note if g else "",
        "feedback": g.feedback if g else "",
        # One line to read; "key" in the answer's own shape, for the widgets to mark.
        "expected": data.answer_text() if data.traits.input.value in STRUCTURED else question.answer,
        "key": data.key(),
        "explanation": question.explanation,
        "source": question.source_to_show,
        "suggested_rating": suggested(g).value,
    }


# Ways of answering whose answer is more than one text (the widgets in static/widgets.js).
STRUCTURED = ("choices", "match", "order")


def suggested(g: Grade | None):
    """The rating the screen suggests after a grade (None: self-rated)."""
    return srs.suggested_rating(g.correct if g else None, partial=bool(g and g.partial))


def question_for_user(user: User, question_id: int) -> Question:
    q = db.session.get(Question, question_id)
    if q is None or studyable_set(user, q.set_id) is None:
        raise NotFound(f"no card {question_id}")
    return q


def grade_answer(q: Question, answer) -> Grade:
    """Grade one answer; a malformed answer or a broken question becomes a ReviewError."""
    try:
        return grade(QuestionData.from_row(q), answer)
    except AnswerFormatError as exc:
        raise ReviewError(str(exc)) from exc
    except QuestionError as exc:
        raise ReviewError(f"This question cannot be graded ({exc}); tell your instructor.") from exc


def check_answer(user: User, question_id: int, answer) -> tuple[Question, Grade]:
    """Grade an answer without recording anything (the review screen's "Check")."""
    q = question_for_user(user, question_id)
    if QuestionType(q.type).traits.self_rated:
        raise ReviewError("flashcards are self-rated: reveal the back and choose a rating")
    return q, grade_answer(q, answer)


def user_card(user_id: int, question_id: int) -> Card | None:
    return db.session.scalar(select(Card).where(Card.user_id == user_id, Card.question_id == question_id))


def _lock_card(user_id: int, question_id: int) -> Card | None:
    # FOR UPDATE serialises two tabs reviewing the same card on PostgreSQL (no lost update).
    # SQLite ignores FOR UPDATE and runs a SELECT outside any transaction, so a no-op write
    # first takes its single writer lock: the card is then read under that lock.
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("UPDATE cards SET id = id WHERE 0"))
    return db.session.scalar(_lock_stmt(), {"user_id": user_id, "question_id": question_id})


@lru_cache(maxsize=1)
def _lock_stmt():
    return (select(Card).where(Card.user_id == bindparam("user_id"),
                               Card.question_id == bindparam("question_id"))
            .with_for_update().execution_options(populate_existing=True))


def _card_for_update(user_id: int, q: Question, now: datetime) -> Card:
    """The card row, locked; created on its first review. ON CONFLICT DO NOTHING lets two
    first reviews at once (two tabs) both go on to lock the one row instead of one failing."""
    card = _lock_card(user_id, q.id)
    if card is None:
        dialect = db.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        db.session.execute(
            insert(Card).values(user_id=user_id, question_id=q.id, set_id=q.set_id, created_at=now)
            .on_conflict_do_nothing(index_elements=["user_id", "question_id"]))
        card = _lock_card(user_id, q.id)
    return card


def submit_review(user: User, question_id: int, rating: int, *, answer=None,
                  duration_ms: int | None = None, client_review_id: str | None = None,
                  origin: str = "study", now: datetime | None = None) -> tuple[ReviewLog, Card, bool]:
    """Record one review and reschedule the card. Returns (log, card, created).

    With a `client_review_id` the call is idempotent: a retried or double-clicked
    submission returns the review already recorded and changes nothing.
    """
    try:
        rating = srs.as_rating(rating)
    except ValueError as exc:
        raise ReviewError(str(exc)) from exc
    if duration_ms is not None and not (0 <= duration_ms <= 24 * 3600 * 1000):
        raise ReviewError("duration_ms must be between 0 and 86400000")
    if client_review_id is not None and not (0 < len(client_review_id) <= 64):
        raise ReviewError("review_id must be 1-64 characters")
    if client_review_id:
        existing = _existing_review(user.id, client_review_id)
        if existing is not None:
            return existing, db.session.get(Card, existing.card_id), False
    q = question_for_user(user, question_id)
    correct, score, given = None, None, None
    if answer is not None and answer != "" and answer != []:
        given = str(answer)[:2000]
        if not QuestionType(q.type).traits.self_rated:
            g = grade_answer(q, answer)
            correct, score, given = g.correct, g.score, g.given[:2000]
    now = now or now_utc()
    try:
        card = _card_for_update(user.id, q, now)
        cs = card_state(card if card.reps else None)
        # Reviews must be in time order for replay; a worker's clock a little behind
        # another's must not put this review before the previous one.
        when = max(now, card.last_review) if card.last_review else now
        new_state = srs.review(cs, rating, when, user.desired_retention)
        apply_state(card, new_state)
        log = ReviewLog(card_id=card.id, user_id=user.id, question_id=q.id, rating=rating,
                        reviewed_at=when, duration_ms=duration_ms, answer_given=given,
                        correct=correct, score=score, retention=user.desired_retention,
                        client_review_id=client_review_id or None, origin=origin)
        db.session.add(log)
        commit_keeping_loaded()
    except IntegrityError:
        # The same client id (or the same new card) was recorded concurrently: keep the first.
        db.session.rollback()
        if client_review_id:
            existing = _existing_review(user.id, client_review_id)
            if existing is not None:
                return existing, db.session.get(Card, existing.card_id), False
        raise
    return log, card, True


def commit_keeping_loaded() -> None:
    """Commit without expiring what this request loaded: the user, set, question and card
    were just read (the card under its lock) and written here, so reloading them for the
    reply would only repeat queries on the hot path."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _existing_review(user_id: int, client_review_id: str) -> ReviewLog | None:
    return db.session.scalar(_existing_review_stmt(), {"user_id": user_id, "client_id": client_review_id})


@lru_cache(maxsize=1)
def _existing_review_stmt():
    return select(ReviewLog).where(ReviewLog.user_id == bindparam("user_id"),
                                   ReviewLog.client_review_id == bindparam("client_id"))


def replay_card(card: Card) -> srs.CardState:
    logs = db.session.scalars(select(ReviewLog).where(ReviewLog.card_id == card.id).order_by(ReviewLog.id))
    return srs.replay(srs.LoggedReview(r.rating, r.reviewed_at, r.retention) for r in logs)


def undo_last(user: User, review_id: str | None = None, set_id: int | None = None) -> Question | None:
    """Remove the user's last review and restore the card's previous state exactly.

    `review_id`, when given, must name that last review: a second Ctrl+Z sent twice
    by accident then undoes nothing more. Returns the question to show again.
    """
    stmt = select(ReviewLog).where(ReviewLog.user_id == user.id)
    if set_id is not None:
        stmt = stmt.join(Card, Card.id == ReviewLog.card_id).where(Card.set_id == set_id)
    last = db.session.scalar(stmt.order_by(ReviewLog.id.desc()).limit(1))
    if last is None:
        return None
    if review_id is not None and last.client_review_id != review_id:
        return None
    card = _lock_card(user.id, last.question_id)
    # Two undos at once (two tabs): the one that got the lock second finds the review gone
    # or no longer the card's last, and undoes nothing.
    newest = db.session.scalar(select(func.max(ReviewLog.id)).where(ReviewLog.card_id == last.card_id))
    if card is None or newest != last.id:
        db.session.rollback()
        return None
    question = db.session.get(Question, last.question_id)
    db.session.execute(delete(ReviewLog).where(ReviewLog.id == last.id))
    db.session.expunge(last)
    remaining = replay_card(card)
    if remaining.reps == 0:
        db.session.delete(card)
    else:
        apply_state(card, remaining)
    db.session.commit()
    return question


def session_summary(user: User, since: datetime, set_id: int | None = None,
                    now: datetime | None = None) -> dict:
    now = now or now_utc()
    stmt = select(
        func.count(ReviewLog.id),
        func.sum(case((srs.recalled(ReviewLog.rating), 1), else_=0)),
        func.sum(ReviewLog.duration_ms),
    ).where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= since)
    nxt = select(func.min(Card.due)).where(Card.user_id == user.id, Card.due > now)
    if set_id is not None:
        stmt = stmt.join(Card, Card.id == ReviewLog.card_id).where(Card.set_id == set_id)
        nxt = nxt.where(Card.set_id == set_id)
    n, right, ms = db.session.execute(stmt).one()
    next_due = db.session.scalar(nxt)
    if next_due is not None and next_due.tzinfo is None:
        next_due = next_due.replace(tzinfo=UTC)
    return {
        "reviewed": int(n or 0), "right": int(right or 0), "wrong": int(n or 0) - int(right or 0),
        "seconds": round((ms or 0) / 1000), "next_due": next_due.isoformat() if next_due else None,
        "next_due_in": srs.format_interval(next_due - now) if next_due else None,
    }
