"""JSON API under /api/v1: what the review page itself uses.

Errors are JSON `{"status": code, "error": message}`; a malformed body or an unknown
card gets 400/404 and changes nothing. Writes need the CSRF token (X-CSRFToken header).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, current_app, jsonify, request
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from .. import stats
from ..access import set_for_edit_or_404, set_for_study_or_404
from ..extensions import limiter
from ..study import service
from ..teach import service as teach_service
from . import bp

# Ids are 32-bit INTEGER columns on PostgreSQL; a bigger number is refused, not sent to the db.
MAX_INT = 2**31 - 1


def int_arg(name: str, default: int | None = None) -> int | None:
    """A query parameter that must be a whole number if given (not silently ignored)."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.strip().lstrip("-").isdigit() or abs(int(raw)) > MAX_INT:
        raise BadRequest(f"{name} must be a whole number.")
    return int(raw)


def API_LIMIT() -> str:
    """Read per request, so API_RATELIMIT in the environment can change it (e.g. the bench)."""
    return current_app.config.get("API_RATELIMIT", "600 per minute")


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        abort(401, "Log in first.")


def body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    return data


def field(data: dict, name: str, kind: type | tuple, required: bool = True):
    value = data.get(name)
    if value is None:
        if required:
            raise BadRequest(f"Field '{name}' is required.")
        return None
    if isinstance(value, bool) and kind is not bool and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise BadRequest(f"Field '{name}' has the wrong type.")
    if not isinstance(value, kind):
        raise BadRequest(f"Field '{name}' has the wrong type.")
    if isinstance(value, int) and not isinstance(value, bool) and not -MAX_INT <= value <= MAX_INT:
        raise BadRequest(f"Field '{name}' is out of range.")
    return value


MAX_ANSWER_PARTS = 50


def answer_field(data: dict):
    """An answer: text, a number or true/false; a list of texts (options ticked, items in
    order, right-hand items in the order of the left ones); or {left: right} for matching."""
    answer = data.get("answer")
    scalar = (str, bool, int)
    if answer is None or isinstance(answer, scalar):
        return answer
    if isinstance(answer, list) and len(answer) <= MAX_ANSWER_PARTS and all(
            isinstance(a, (str, int)) and not isinstance(a, bool) for a in answer):
        return answer
    if isinstance(answer, dict) and len(answer) <= MAX_ANSWER_PARTS and all(
            isinstance(v, str) for v in answer.values()):
        return answer
    raise BadRequest("Field 'answer' has the wrong type.")


@bp.get("/sets")
@limiter.limit(API_LIMIT)
def sets():
    from ..access import visible_sets

    qsets = visible_sets(current_user)
    counts = service.set_counts(current_user, [s.id for s in qsets])
    return jsonify(sets=[{"id": s.id, "title": s.title, "counts": counts[s.id].as_dict()} for s in qsets])


def queue_payload(set_id: int, limit: int, exclude: tuple[int, ...], full_counts: bool = True) -> dict:
    """The next cards of a set and its counts: what the review screen shows next.

    Without `full_counts` only due and learning are counted (cheap index ranges); the
    page keeps the new-card count itself from each reply's `was_new`.
    """
    if not 1 <= limit <= 50:
        raise BadRequest("limit must be between 1 and 50.")
    qset = set_for_study_or_404(current_user, set_id)
    now = service.now_utc()
    picked = service.next_cards(current_user, qset, limit=limit, now=now, exclude=exclude[:200])
    if full_counts:
        counts = service.set_counts(current_user, [qset.id], now)[qset.id].as_dict()
    else:
        counts = service.due_and_learning(current_user, qset.id, now)
    return {"cards": [service.card_payload(q, c, current_user, now) for q, c in picked],
            "counts": counts}


@bp.get("/sets/<int(max=2147483647):set_id>/next")
@limiter.limit(API_LIMIT)
def next_cards(set_id: int):
    limit = int_arg("limit", 5)
    exclude = tuple(int(x) for x in request.args.get("exclude", "").split(",") if x.strip().isdigit() and int(x) <= MAX_INT)
    return jsonify(queue_payload(set_id, limit, exclude))


@bp.post("/check")
@limiter.limit(API_LIMIT)
def check():
    data = body()
    qid = field(data, "question_id", int)
    answer = answer_field(data)
    try:
        question, g = service.check_answer(current_user, qid, answer)
    except service.NotFound:
        abort(404, f"No card {qid}.")
    except service.ReviewError as exc:
        raise BadRequest(str(exc)) from exc
    return jsonify(service.reveal_payload(question, g))


@bp.post("/reviews")
@limiter.limit(API_LIMIT)
def submit_review():
    data = body()
    qid = field(data, "question_id", int)
    rating = field(data, "rating", int)
    review_id = field(data, "review_id", str, required=False)
    duration = field(data, "duration_ms", int, required=False)
    answer = answer_field(data)
    # Optional: the set being studied, so the reply also carries the next card (one round trip).
    next_set = field(data, "next_set_id", int, required=False)
    exclude = field(data, "exclude", list, required=False) or []
    if not all(isinstance(x, int) and not isinstance(x, bool) and abs(x) <= MAX_INT for x in exclude):
        raise BadRequest("Field 'exclude' must be a list of card ids.")
    next_limit = field(data, "limit", int, required=False) or 1
    if not 1 <= next_limit <= 50:  # checked before the review is written, not after
        raise BadRequest("limit must be between 1 and 50.")
    if next_set is not None:
        set_for_study_or_404(current_user, next_set)
    try:
        log, card, created = service.submit_review(current_user, qid, rating, answer=answer,
                                                   duration_ms=duration, client_review_id=review_id)
    except service.NotFound:
        abort(404, f"No card {qid}.")
    except service.ReviewError as exc:
        raise BadRequest(str(exc)) from exc
    out = {"review": {"review_id": log.client_review_id, "rating": log.rating,
                      "reviewed_at": log.reviewed_at.isoformat(), "correct": log.correct},
           "card": {"question_id": card.question_id, "due": card.due.isoformat(),
                    "state": card.state, "reps": card.reps},
           "created": created,
           "was_new": card.reps == 1}
    if next_set is not None:
        out["next"] = queue_payload(next_set, next_limit,
                                    tuple(exclude) + (card.question_id,), full_counts=False)
    return jsonify(out), (201 if created else 200)


@bp.post("/reviews/undo")
@limiter.limit(API_LIMIT)
def undo():
    data = body()
    review_id = field(data, "review_id", str, required=False)
    set_id = field(data, "set_id", int, required=False)
    question = service.undo_last(current_user, review_id=review_id, set_id=set_id)
    if question is None:
        return jsonify(status=409, error="Nothing to undo."), 409
    now = service.now_utc()
    card = service.user_card(current_user.id, question.id)
    counts = service.set_counts(current_user, [question.set_id], now)[question.set_id]
    return jsonify(undone=service.card_payload(question, card, current_user, now),
                   counts=counts.as_dict())


@bp.get("/summary")
@limiter.limit(API_LIMIT)
def summary():
    since_raw = request.args.get("since", "")
    try:
        since = datetime.fromisoformat(since_raw)
    except ValueError as exc:
        raise BadRequest("since must be an ISO 8601 date-time with a time zone.") from exc
    if since.tzinfo is None:
        raise BadRequest("since must be an ISO 8601 date-time with a time zone.")
    try:
        since = since.astimezone(UTC)
    except OverflowError as exc:  # 0001-01-01T00:00+00:01 is before the first UTC instant
        raise BadRequest("since is out of range.") from exc
    set_id = int_arg("set_id")
    if set_id is not None and not 0 < set_id <= MAX_INT:
        abort(404, "No such set.")
    if set_id is not None:
        set_for_study_or_404(current_user, set_id)
    return jsonify(service.session_summary(current_user, since, set_id))


@bp.get("/sets/<int(max=2147483647):set_id>/export/<fmt>")
@limiter.limit(API_LIMIT)
def export_set(set_id: int, fmt: str):
    """The instructor pages' export, for scripts: same registry, same service."""
    out = teach_service.export_set(set_for_edit_or_404(current_user, set_id), fmt)
    return Response(out.data, mimetype=out.media_type,
                    headers={"Content-Disposition": f"attachment; filename={out.filename}"})


@bp.get("/progress")
@limiter.limit(API_LIMIT)
def progress():
    return jsonify(stats.progress_data(current_user))
