"""The API matches its OpenAPI description, and hostile JSON never gets a 500 or a partial write."""

from __future__ import annotations

import re

import schemathesis
from flask import g
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.auths import AuthStorage
from schemathesis.checks import positive_data_acceptance
from sqlalchemy import func, select

from studyapp.api.openapi import SPEC
from studyapp.api.views import bp as api_bp
from studyapp.models import Card, Question, ReviewLog
from studyapp.study import service

FUZZ = settings(max_examples=25, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


def test_openapi_is_served_publicly_and_lists_every_endpoint(app, client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200 and r.get_json()["openapi"].startswith("3.")
    documented = {(m.upper(), "/api/v1" + p.replace("{", "<").replace("}", ">"))
                  for p, ops in SPEC["paths"].items() for m in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(api_bp.name + "."):
            path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"<\1>", rule.rule)
            served |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == served


def _login_cookie(client, auth) -> str:
    auth.login()
    return client.get_cookie("session").value


def test_api_conforms_to_its_openapi_description(app, client, auth, student, bank, db):
    """schemathesis: positive and negative cases for each operation, as a logged-in student."""

    @app.before_request
    def forget_cached_user():
        # The test app keeps one app context for every request, and Flask-Login caches the
        # user in `g`: drop it, so each request (and schemathesis' unauthenticated probes)
        # is judged by its own cookies, as in production.
        g.pop("_login_user", None)

    cookie = _login_cookie(client, auth)
    # A few reviews first, so undo, summary and progress have something to show.
    for uid in ("q-fc-1", "q-mc-1"):
        q = db.session.scalar(select(Question).where(Question.uid == uid))
        service.submit_review(student, q.id, 3, client_review_id=f"seed-{uid}")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    storage = AuthStorage()

    @storage.auth()
    class SessionCookie:
        """The logged-in student's cookie, set the way schemathesis knows it for auth."""

        def get(self, case, ctx):
            return cookie

        def set(self, case, data, ctx):
            case.cookies = {**(case.cookies or {}), "session": data}

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @FUZZ
            @given(case=op.as_strategy(generation_mode=mode, auth_storage=storage))
            def check(case):
                response = case.call()
                assert response.status_code < 500, (case.method, case.path, response.text)
                # A schema-valid body may still be refused with 400 for what no schema can
                    # say (an answer that does not fit its question type, a flashcard checked):
                    # that refusal is itself checked to be a documented error response.
                case.validate_response(response, excluded_checks=[positive_data_acceptance])

            check()


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                    | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=10)


def _bodies(question_ids: list[int]):
    """Mostly plausible bodies (real cards, near-valid fields), some arbitrary JSON."""
    answer = st.one_of(JSON, st.text(max_size=200), st.sampled_from(["1969", "true", "Nazarbayev",
                                                                      "$130 million", "", " "]))
    plausible = st.fixed_dictionaries(
        {"question_id": st.one_of(st.sampled_from(question_ids), st.integers(), JSON)},
        optional={"rating": st.one_of(st.integers(0, 5), JSON), "answer": answer,
                  "review_id": st.one_of(st.text(max_size=80), JSON),
                  "duration_ms": st.one_of(st.integers(-10, 10**9), JSON)})
    return st.one_of(plausible, JSON)


def test_hostile_json_to_check_and_reviews(app, client, auth, student, bank, db):
    _login_cookie(client, auth)
    question_ids = list(db.session.scalars(select(Question.id)))

    def counts():
        db.session.expire_all()
        return (db.session.scalar(select(func.count(ReviewLog.id))),
                db.session.scalar(select(func.count(Card.id))))

    @FUZZ
    @given(endpoint=st.sampled_from(["/api/v1/check", "/api/v1/reviews"]), body=_bodies(question_ids),
           raw=st.booleans())
    def fuzz(endpoint, body, raw):
        before = counts()
        if raw and isinstance(body, dict):
            r = client.post(endpoint, data=str(body), content_type="application/json")
        else:
            r = client.post(endpoint, json=body)
        assert r.status_code < 500, (endpoint, body, r.data)
        data = r.get_json()
        after = counts()
        if r.status_code >= 400:
            assert set(data) == {"status", "error"} and data["status"] == r.status_code
            assert after == before, (endpoint, body)  # refused: nothing written
        elif endpoint == "/api/v1/check":
            assert after == before  # checking never writes
        elif r.status_code == 201:
            assert after[0] == before[0] + 1  # exactly one review, with its card
            card = db.session.scalar(select(Card).where(Card.question_id == body["question_id"],
                                                        Card.user_id == student.id))
            assert service.card_state(card) == service.replay_card(card)
        else:
            assert r.status_code == 200 and data["created"] is False and after == before

    fuzz()
