"""Every form and every JSON field, fed hostile values: NUL characters, numbers far past any
column's range, long and odd text. Never a 500 (the issue found several on PostgreSQL);
a NUL character anywhere is a 400 naming the field, and changes nothing.

The forms are found, not listed: every page a student, an instructor and a visitor can open
is fetched and its <form>s parsed, so a form added later is fuzzed too. Each field gets every
hostile value in turn, the other fields keeping a plausible valid value; hypothesis then
draws mixed values for whole forms. JSON fields come from the API's OpenAPI description.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

from flask import g
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from studyapp.api.openapi import SPEC
from studyapp.models import Classroom, ClassSet, Enrollment, Question, User
from studyapp.study import quiz
from studyapp.teach.service import create_class
from tests.conftest import PASSWORD

HOSTILE = ["\x00", "bad\x00value", "9" * 4300, "-" + "9" * 30, "99999999999999999999",
           "2147483648", "-1", "1e309", "NaN", "", "x" * 3000, "'; DROP TABLE users; --",
           "\u202eevil", "😀" * 10]
HOSTILE_JSON = ["\x00", "bad\x00value", 10**40, -(10**40), 2**31, -1, 1.5, 1e308, "", "x" * 3000,
                [], {}, [1, "\x00"], {"\x00": 1}, True, None]
SKIP_ACTIONS = ("/logout", "/account/sessions/revoke")  # would end the crawl's own session


class FormFinder(HTMLParser):
    """POST forms of a page: action, and each field's name, kind and a valid-looking value."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or self.page_path, "fields": {}, "files": [],
                          "enctype": a.get("enctype", "")}
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self._form["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if kind == "checkbox" or "checked" in a or name not in self._form["fields"]:
                    self._form["fields"][name] = a.get("value", "y")
            elif kind not in ("submit", "button"):
                self._form["fields"][name] = a.get("value") or _plausible(name, kind, a)
        elif tag == "select" and name:
            self._select = name
            self._form["fields"].setdefault(name, "")
        elif tag == "option" and self._select and not self._form["fields"][self._select]:
            self._form["fields"][self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["fields"][name] = "Some text."
        elif tag == "button" and name:
            self._form["fields"][name] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _plausible(name: str, kind: str, attrs: dict) -> str:
    if kind == "email" or "email" in name:
        return "someone@test.org"
    if kind == "password" or name in ("password", "confirm", "current"):
        return "lantern-orchard-mosaic"
    if kind == "number":
        return attrs.get("min") or "1"
    if kind == "date":
        return "2031-05-01"
    return "Plausible text"


def _paths(app, ids: dict) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.logout"):
            continue
        path = rule.rule
        try:
            for arg in rule.arguments:
                path = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{arg}>", str(ids[arg]), path)
        except KeyError:
            continue
        paths.append(path)
    return sorted(set(paths))


def _forms(client, paths) -> list[dict]:
    found: dict[tuple, dict] = {}
    for path in paths:
        r = client.get(path)
        if r.status_code != 200 or r.mimetype != "text/html":
            continue
        finder = FormFinder(path)
        finder.feed(r.get_data(as_text=True))
        for form in finder.forms:
            if form["action"].split("?")[0].endswith(SKIP_ACTIONS):
                continue
            fuzzable = [f for f in form["fields"] if f != "csrf_token"] + form["files"]
            if fuzzable:
                found.setdefault((form["action"], tuple(sorted(fuzzable))), form)
    return list(found.values())


def _submit(client, form: dict, values: dict):
    data = dict(values)
    for name in form["files"]:
        data[name] = (io.BytesIO(b"type,prompt,answer\nshort_answer,Capital of France?,Paris\n"),
                      "fuzz.csv")
    return client.post(form["action"], data=data,
                       content_type="multipart/form-data" if form["files"] else None)


def _check(response, form, field, value):
    where = (form["action"], field, repr(value)[:40])
    assert response.status_code < 500, where
    if isinstance(value, str) and "\x00" in value:
        assert response.status_code == 400, where
        assert b"contains a NUL character" in response.data, where


def _world(app, db, bank, student, instructor):
    """Something of everything, so every page and form exists."""
    from studyapp.teach.service import create_set, save_question

    app.config["GENERATION_JOBS_PER_USER"] = 0  # uploads are refused before any job starts
    qset = create_set(instructor, "Fuzzed set", status="published")
    save_question(qset, {"type": "short_answer", "prompt": "Capital of France?", "answer": "Paris"})
    c = create_class(instructor, "Fuzz class")
    db.session.add_all([ClassSet(class_id=c.id, set_id=qset.id),
                        Enrollment(class_id=c.id, user_id=student.id)])
    db.session.commit()
    attempt = quiz.start_quiz(student, bank, 3)
    q = db.session.scalar(select(Question).where(Question.set_id == qset.id))
    return {"set_id": qset.id, "attempt_id": attempt.id, "question_id": q.id,
            "user_id": student.id, "class_id": c.id, "code": c.join_code, "job_id": "nope",
            "fmt": "csv", "action": "retire", "token": "bad-token"}


def test_every_form_field_survives_hostile_values(app, client, db, bank, student, instructor):
    @app.before_request
    def forget_cached_user():  # one app context for all requests: judge each by its cookies
        g.pop("_login_user", None)

    ids = _world(app, db, bank, student, instructor)
    users_before = db.session.scalar(select(func.count(User.id)))
    tried = 0
    for email in (None, "student@test.org", "teacher@test.org"):
        client.post("/logout")
        if email:
            assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        forms = _forms(client, _paths(app, ids))
        assert forms, email
        for form in forms:
            for field in [f for f in form["fields"] if f != "csrf_token"]:
                for value in HOSTILE:
                    _check(_submit(client, form, form["fields"] | {field: value}), form, field, value)
                    tried += 1
    assert tried > 500
    # Hostile registrations and logins created nothing they should not have.
    assert db.session.scalar(select(func.count(User.id))) <= users_before + 2
    assert db.session.scalar(select(func.count(Classroom.id))) >= 1


FIELD_VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=50),
                         st.integers(min_value=-(10**30), max_value=10**30).map(str))


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def _fuzz_forms_randomly(client, forms, data):
    form = data.draw(st.sampled_from(forms))
    values = {name: data.draw(FIELD_VALUES) for name in form["fields"] if name != "csrf_token"}
    response = _submit(client, form, {**form["fields"], **values})
    assert response.status_code < 500, (form["action"], values)
    if any("\x00" in v for v in values.values()):
        assert response.status_code == 400, (form["action"], values)


def test_forms_with_random_values_never_fail(app, client, db, bank, student, instructor):
    @app.before_request
    def forget_cached_user():
        g.pop("_login_user", None)

    ids = _world(app, db, bank, student, instructor)
    client.post("/login", data={"email": "teacher@test.org", "password": PASSWORD})
    _fuzz_forms_randomly(client, _forms(client, _paths(app, ids)))


def _json_operations():
    for path, ops in SPEC["paths"].items():
        for method, op in ops.items():
            schema = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
            props = (schema.get("schema") or {}).get("properties")
            if props:
                yield method.upper(), "/api/v1" + path, props


def test_every_json_field_survives_hostile_values(app, client, auth, db, bank, student):
    auth.login()
    q = db.session.scalar(select(Question).where(Question.uid == "q-fc-1"))
    valid = {"question_id": q.id, "rating": 3, "review_id": "fuzz-1", "answer": "x",
             "duration_ms": 1000, "next_set_id": bank.id, "exclude": [], "limit": 1,
             "set_id": bank.id}
    tried = 0
    for method, path, props in _json_operations():
        base = {name: valid[name] for name in props if name in valid}
        for name in props:
            for value in HOSTILE_JSON:
                r = client.open(path, method=method, json=base | {name: value})
                nul = "\x00" in json.dumps(value, ensure_ascii=False)
                assert r.status_code < 500, (path, name, repr(value)[:40])
                assert r.is_json, (path, name)
                if nul:
                    assert r.status_code == 400 and "NUL character" in r.get_json()["error"]
                tried += 1
            # 4,300 digits (as many as Python turns into an int) and 5,000 (refused by json).
            for digits in (4300, 5000):
                raw = json.dumps(base | {name: 0}).replace(f'"{name}": 0', f'"{name}": {"9" * digits}')
                r = client.open(path, method=method, data=raw, content_type="application/json")
                assert r.status_code < 500 and r.is_json, (path, name, digits)
                assert r.status_code != 201, (path, name, digits)  # nothing new recorded
    assert tried > 100
    for path in ("/api/v1/sets/1/next?limit=" + "9" * 4300, "/api/v1/sets/1/next?exclude=%00",
                 "/api/v1/summary?since=%00", "/api/v1/summary?since=0001-01-01T00:00:00%2B00:01",
                 "/api/v1/summary?since=2030-01-01T00:00:00%2B00:00"
                 "&set_id=" + "9" * 30, f"/api/v1/sets/{'9' * 30}/next"):
        assert client.get(path).status_code in (400, 404), path


def test_bank_import_with_huge_numbers_is_refused_with_a_message(client, db, instructor):
    client.post("/login", data={"email": "teacher@test.org", "password": PASSWORD})
    bank = {"format": "studyapp-bank/1", "title": "Huge", "questions": [
        {"id": "q1", "type": "numeric", "prompt": "How many?", "answer": 1, "tolerance": 0,
         "fact_kind": "figure", "source": {"id": "s1", "quote": "x", "start": 0, "end": 1}}]}
    for field in ("answer", "tolerance"):
        raw = json.dumps(bank).replace(f'"{field}": {bank["questions"][0][field]}',
                                       f'"{field}": {"9" * 4300}')
        r = client.post("/teach/import", data={"file": (io.BytesIO(raw.encode()), "huge.json")},
                        content_type="multipart/form-data", follow_redirects=True)
        assert r.status_code == 400 and b"digits is too long" in r.data, field
