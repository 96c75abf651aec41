"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json.

Written by hand to match api/views.py; tests/web/test_openapi.py fuzzes the API against it
with schemathesis, so a response that strays from it fails the tests.
"""

from __future__ import annotations

from flask import jsonify

from ..interchange import FORMATS
from ..question import TYPES, Input
from . import bp

INT = {"type": "integer"}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
NULLABLE_STR = {"type": ["string", "null"]}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required, **extra}


def json_body(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error(description: str) -> dict:
    return json_body(ref("Error"), description)


ANSWER = {"description": "The student's answer: text, a number or true/false; for multiple answer "
                         "the options ticked, for ordering the items in order (a list of texts); "
                         "for matching {left: right} or the right-hand items in the order of "
                         "'left'.",
          "anyOf": [{"type": ["string", "integer", "boolean", "null"]},
                    {"type": "array", "maxItems": 50, "items": {"type": ["string", "integer"]}},
                    {"type": "object", "maxProperties": 50, "additionalProperties": STR}]}
COUNTS = obj({"due": INT, "new": INT, "learning": INT, "total": INT, "new_today": INT})
CARD = obj({
    "question_id": INT, "set_id": INT,
    "type": {"type": "string", "enum": list(TYPES)},
    "input": {"type": "string", "enum": [i.value for i in Input],
              "description": "What the student answers with: typed text or number, one of the "
                             "choices, several of them (choices), a right-hand item for each "
                             "left one (match), the items in order (order), true/false, or "
                             "nothing (reveal the back and rate)."},
    "prompt": STR,
    "choices": {"type": ["array", "null"], "items": STR},
    "left": {"type": "array", "items": STR, "description": "Matching: the items to match."},
    "right": {"type": "array", "items": STR,
              "description": "Matching: what they match, shuffled (each once)."},
    "items": {"type": "array", "items": STR, "description": "Ordering: the items, shuffled."},
    "topic": STR, "fact_kind": STR, "is_new": BOOL,
    "state": {"type": "string", "enum": ["new", "learning", "review", "mastered"]},
    "due": {"type": ["string", "null"], "format": "date-time"},
    "intervals": {"type": "object", "description": "Rating (1-4) → the next interval, e.g. '10m'.",
                  "additionalProperties": STR},
    "answer_changed": BOOL,
    "back": STR, "explanation": STR, "source": NULLABLE_STR,
    "suggested_rating": {"type": "integer", "minimum": 1, "maximum": 4,
                         "description": "Self-rated cards: the rating to suggest on reveal."},
}, required=["question_id", "set_id", "type", "input", "prompt", "choices", "topic", "fact_kind", "is_new",
             "state", "due", "intervals", "answer_changed"])
REVEAL = obj({"correct": {"type": ["boolean", "null"]}, "near": BOOL, "message": STR,
              "score": {"type": ["number", "null"], "minimum": 0, "maximum": 1,
                        "description": "Share of the mark (partial credit)."},
              "feedback": {"type": "string", "description": "The teacher's feedback on this answer."},
              "expected": STR,
              "key": {"description": "The key in the answer's own shape (list, pairs, text)."},
              "explanation": STR, "source": NULLABLE_STR,
              "suggested_rating": {"type": ["integer", "null"], "minimum": 1, "maximum": 4}})
BREAKDOWN_ROW = obj({"name": STR, "total": INT, "learned": INT, "mastered": INT,
                     "mastery": {"type": "number"}})
PROGRESS = obj({
    "today": DATE, "total_reviews": INT, "reviews_today": INT, "streak": INT,
    "heatmap": {"type": "array", "items": obj({"date": DATE, "count": INT})},
    "forecast": {"type": "array", "items": obj({"date": DATE, "due": INT})},
    "retention": {"type": "array", "items": obj({"date": DATE, "reviews": INT,
                                                 "share_right": {"type": ["number", "null"]}})},
    "states": obj({"new": INT, "learning": INT, "review": INT, "mastered": INT}),
    "topics": {"type": "array", "items": BREAKDOWN_ROW},
    "fact_kinds": {"type": "array", "items": BREAKDOWN_ROW},
    "quizzes": {"type": "array", "items": obj({
        "id": INT, "set": STR, "started_at": DATETIME, "finished": BOOL, "questions": INT,
        "answered": INT, "right": {"type": "number", "description": "Marks, with partial credit."}})},
})

COMMON_ERRORS = {
    "401": error("Not logged in."),
    "429": error("Too many requests (per account)."),
}
WRITE_ERRORS = {
    "400": error("Malformed body, a field missing or of the wrong type, an answer that cannot "
                 "be graded, or a missing CSRF token; nothing was changed."),
    "413": error("Request body too large."),
}

SPEC = {
    "openapi": "3.1.0",
    "info": {
        "title": "studyapp API",
        "version": "1",
        "description": (
            "The JSON API the review page itself uses. Authentication is the session cookie "
            "set by logging in at /login; writes (POST) also need the page's CSRF token in the "
            "X-CSRFToken header. Every error is JSON {status, error}; a refused request changes "
            "nothing. Rate limits count per account."),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"session": []}],
    "paths": {
        "/sets": {"get": {
            "operationId": "listSets",
            "summary": "The sets this student may study, with due/new counts.",
            "responses": {
                "200": json_body(obj({"sets": {"type": "array", "items": obj(
                    {"id": INT, "title": STR, "counts": ref("Counts")})}}), "Visible sets."),
                **COMMON_ERRORS,
            }}},
        "/sets/{set_id}/next": {"get": {
            "operationId": "nextCards",
            "summary": "The next cards to review: due first, then new ones within today's limit.",
            "parameters": [
                {"name": "set_id", "in": "path", "required": True, "schema": INT},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5}},
                {"name": "exclude", "in": "query", "required": False,
                 "description": "Comma-separated question ids to leave out (cards already queued).",
                 "schema": STR},
            ],
            "responses": {
                "200": json_body(obj({"cards": {"type": "array", "items": ref("Card")},
                                      "counts": ref("Counts")}), "Cards, and the set's counts."),
                "400": error("limit out of range."),
                "404": error("No such set, or not visible to this student."),
                **COMMON_ERRORS,
            }}},
        "/check": {"post": {
            "operationId": "checkAnswer",
            "summary": "Grade an answer without recording anything.",
            "security": [{"session": [], "csrf": []}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": obj(
                {"question_id": INT, "answer": ANSWER}, required=["question_id"])}}},
            "responses": {
                "200": json_body(ref("Reveal"), "The verdict and the expected answer."),
                "404": error("No such card for this student."),
                **WRITE_ERRORS, **COMMON_ERRORS,
            }}},
        "/reviews": {"post": {
            "operationId": "submitReview",
            "summary": "Record a review and reschedule the card (idempotent by review_id).",
            "security": [{"session": [], "csrf": []}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": obj({
                "question_id": INT,
                "rating": {"type": "integer", "enum": [1, 2, 3, 4],
                           "description": "1 Again, 2 Hard, 3 Good, 4 Easy."},
                "review_id": {"type": "string", "minLength": 1, "maxLength": 64,
                              "description": "Client-chosen id: a retried submission is stored once."},
                "duration_ms": {"type": "integer", "minimum": 0, "maximum": 86400000},
                "answer": ANSWER,
                "next_set_id": {"type": "integer",
                                "description": "The set being studied: the reply then also carries "
                                               "its next cards (one round trip)."},
                "exclude": {"type": "array", "items": INT,
                            "description": "With next_set_id: card ids already queued."},
                "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 1,
                          "description": "With next_set_id: how many next cards."},
            }, required=["question_id", "rating"])}}},
            "responses": {
                "201": json_body(ref("ReviewResult"), "Recorded."),
                "200": json_body(ref("ReviewResult"),
                                 "Already recorded under that review_id; nothing changed."),
                "404": error("No such card (or next_set_id set) for this student."),
                **WRITE_ERRORS, **COMMON_ERRORS,
            }}},
        "/reviews/undo": {"post": {
            "operationId": "undoReview",
            "summary": "Remove the student's last review and restore the card's previous state.",
            "security": [{"session": [], "csrf": []}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": obj({
                "review_id": {"type": "string",
                              "description": "Must name the last review, else nothing is undone."},
                "set_id": INT,
            }, required=[])}}},
            "responses": {
                "200": json_body(obj({"undone": ref("Card"), "counts": ref("Counts")}),
                                 "The card to show again, and its set's counts."),
                "409": error("Nothing to undo."),
                **WRITE_ERRORS, **COMMON_ERRORS,
            }}},
        "/summary": {"get": {
            "operationId": "sessionSummary",
            "summary": "Reviews since a time (the end-of-session screen).",
            "parameters": [
                {"name": "since", "in": "query", "required": True,
                 "schema": {"type": "string", "format": "date-time"}},
                {"name": "set_id", "in": "query", "required": False, "schema": INT},
            ],
            "responses": {
                "200": json_body(obj({"reviewed": INT, "right": INT, "wrong": INT, "seconds": INT,
                                      "next_due": {"type": ["string", "null"], "format": "date-time"},
                                      "next_due_in": NULLABLE_STR}), "The summary."),
                "400": error("since is not an ISO 8601 date-time with a time zone."),
                "404": error("No such set, or not visible to this student."),
                **COMMON_ERRORS,
            }}},
        "/progress": {"get": {
            "operationId": "progress",
            "summary": "The student's progress data (what the progress page charts).",
            "responses": {"200": json_body(ref("Progress"), "Progress data."), **COMMON_ERRORS},
        }},
        "/sets/{set_id}/export/{fmt}": {"get": {
            "operationId": "exportSet",
            "summary": "An instructor's set as a file in one interchange format: "
                       + ", ".join(f"{f.name} ({f.label})" for f in FORMATS.values()) + ".",
            "parameters": [
                {"name": "set_id", "in": "path", "required": True, "schema": INT},
                {"name": "fmt", "in": "path", "required": True,
                 "schema": {"type": "string", "enum": list(FORMATS)}},
            ],
            "responses": {
                "200": {"description": "The file (as an attachment).",
                        "content": {f.media_type: {"schema": {}} for f in FORMATS.values()}},
                "404": error("No such set or format, or not a set this user may edit."),
                **COMMON_ERRORS,
            }}},
    },
    "components": {
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "session",
                        "description": "Flask's session cookie, set by logging in at /login."},
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                     "description": "The page's CSRF token (meta name=csrf-token)."},
        },
        "schemas": {
            "Error": obj({"status": INT, "error": STR}),
            "Counts": COUNTS,
            "Card": CARD,
            "Reveal": REVEAL,
            "ReviewResult": obj({
                "review": obj({"review_id": NULLABLE_STR, "rating": INT, "reviewed_at": DATETIME,
                               "correct": {"type": ["boolean", "null"]}}),
                "card": obj({"question_id": INT, "due": DATETIME, "state": INT, "reps": INT}),
                "created": BOOL,
                "was_new": {"type": "boolean", "description": "This was the card's first review."},
                "next": obj({"cards": {"type": "array", "items": ref("Card")},
                             "counts": obj({"due": INT, "learning": INT})},
                            description="Only with next_set_id: the set's next cards."),
            }, required=["review", "card", "created", "was_new"]),
            "Progress": PROGRESS,
        },
    },
}


def openapi():
    return jsonify(SPEC)


@bp.record_once
def _register(state) -> None:
    # On the app, not the blueprint: the description is public, the API's login check is not.
    state.app.add_url_rule(f"{state.url_prefix or ''}/openapi.json", "api_openapi", openapi)
