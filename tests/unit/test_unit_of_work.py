"""@commits: the outermost service call is the transaction; nested calls do not commit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from studyapp.models import QuestionSet
from studyapp.teach import service
from studyapp.unit_of_work import commits


def _titles(db) -> list[str]:
    return sorted(db.session.scalars(select(QuestionSet.title)))


def test_a_service_call_commits_on_its_own(app, db, instructor):
    service.create_set(instructor, "Kept")
    db.session.rollback()  # nothing left to roll back: it was committed
    assert _titles(db) == ["Kept"]


def test_a_service_built_from_services_is_all_or_nothing(app, db, instructor):
    @commits
    def two_sets_then_a_problem():
        service.create_set(instructor, "First")
        service.create_set(instructor, "Second")
        raise service.TeachError("field 'x': refused")

    with pytest.raises(service.TeachError):
        two_sets_then_a_problem()
    assert db.session.scalar(select(func.count()).select_from(QuestionSet)) == 0


def test_a_refused_action_changes_nothing(app, db, instructor):
    qset = service.create_set(instructor, "Draft")
    with pytest.raises(service.TeachError):
        service.update_set(qset, "   ", "new description", True)
    db.session.expire_all()
    again = db.session.get(QuestionSet, qset.id)
    assert (again.title, again.description, again.is_public) == ("Draft", "", False)
