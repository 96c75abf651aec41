"""copy-db, backup and restore: every table, every id, all or nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import create_engine, select

from studyapp import ops
from studyapp.models import (
    Card,
    Classroom,
    ClassSet,
    Enrollment,
    Question,
    QuizAnswer,
    QuizAttempt,
    ReviewLog,
    SetOwner,
    User,
    utcnow,
)
from studyapp.study import quiz, service
from tests.conftest import make_user


def populate(db, bank) -> None:
    """One or more rows in every table, with gaps in the ids (deleted rows)."""
    alice = make_user("alice@test.org")
    teacher = make_user("teach@test.org", "instructor")
    questions = list(db.session.scalars(select(Question).order_by(Question.id)))
    for i, q in enumerate(questions[:4]):
        service.submit_review(alice, q.id, 3, client_review_id=f"r{i}")
    service.submit_review(alice, questions[0].id, 1, client_review_id="again")
    service.undo_last(alice)  # leaves a gap in review_logs ids
    attempt = quiz.start_quiz(alice, bank, 3)
    first = db.session.get(Question, attempt.question_ids[0])
    quiz.record_answer(attempt, first.id, first.answer)
    db.session.commit()
    room = Classroom(name="Class <b>1</b>", owner_id=teacher.id, join_code="ABCD2345")
    db.session.add(room)
    db.session.flush()
    db.session.add_all([Enrollment(class_id=room.id, user_id=alice.id),
                        ClassSet(class_id=room.id, set_id=bank.id, due_date=utcnow() + timedelta(days=3),
                                 target="all_reviewed"),
                        SetOwner(set_id=bank.id, user_id=teacher.id)])
    db.session.commit()


def dump(conn) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order, as comparable tuples."""
    out = {}
    for t in ops.tables():
        rows = conn.execute(select(t).order_by(*t.primary_key.columns)).all()
        out[t.name] = [tuple(r) for r in rows]
    return out


def test_copy_db_copies_every_table_and_id(app, db, bank, runner, tmp_path):
    populate(db, bank)
    for model in (Card, ReviewLog, QuizAttempt, QuizAnswer, Classroom, Enrollment, ClassSet, SetOwner):
        assert db.session.scalar(select(model).limit(1)) is not None, model
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    r = runner.invoke(args=["copy-db", "--to", target])
    assert r.exit_code == 0, r.output
    assert "verified row counts" in r.output and "review_logs" in r.output
    with db.engine.connect() as c:
        source = dump(c)
    eng = create_engine(target)
    with eng.connect() as c:
        assert dump(c) == source
        assert ops._revision(c) is not None  # the schema came from the migrations
    eng.dispose()
    # A second copy onto a target holding data is refused and changes nothing.
    r = runner.invoke(args=["copy-db", "--to", target])
    assert r.exit_code != 0 and "already holds data" in r.output
    r = runner.invoke(args=["copy-db", "--to", target, "--force"])
    assert r.exit_code == 0, r.output


def test_copied_database_serves_the_app(app, db, bank, tmp_path):
    """The copy is a working database: the app logs in and keeps reviewing on it."""
    from studyapp import create_app
    from tests.conftest import PASSWORD

    populate(db, bank)
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    ops.copy_database(db.engine, target)
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": target, "RATELIMIT_ENABLED": False,
                        "WTF_CSRF_ENABLED": False, "SECRET_KEY": "x"})
    client = other.test_client()
    assert client.post("/login", data={"email": "alice@test.org", "password": PASSWORD}).status_code == 302
    r = client.post("/api/v1/reviews", json={"question_id": 1, "rating": 4, "review_id": "after-copy"})
    assert r.status_code in (200, 201), r.get_json()
    with other.app_context():
        from studyapp.extensions import db as odb

        card = odb.session.scalar(select(Card).where(Card.question_id == 1))
        assert service.replay_card(card) == service.card_state(card)
        odb.session.remove()
        odb.engine.dispose()


def test_backup_and_restore_round_trip(app, db, bank, runner, tmp_path):
    populate(db, bank)
    with db.engine.connect() as c:
        before = dump(c)
    file = tmp_path / "backup.db"
    r = runner.invoke(args=["backup", str(file)])
    assert r.exit_code == 0, r.output
    assert file.exists() and not (tmp_path / "backup.db.partial").exists()
    assert file.stat().st_mode & 0o777 == 0o600  # it holds every password hash
    # Later changes...
    alice = db.session.scalar(select(User).where(User.email == "alice@test.org"))
    service.submit_review(alice, 2, 1, client_review_id="later")
    make_user("later@test.org")
    db.session.remove()
    # ...are undone by the restore.
    r = runner.invoke(args=["restore", str(file), "--yes"])
    assert r.exit_code == 0, r.output
    with db.engine.connect() as c:
        assert dump(c) == before
    # Restoring does not consume or change the backup; backing up over it needs --force.
    assert runner.invoke(args=["backup", str(file)]).exit_code != 0
    assert runner.invoke(args=["backup", str(file), "--force"]).exit_code == 0


def test_restore_refuses_unreadable_files_and_changes_nothing(app, db, bank, runner, tmp_path):
    populate(db, bank)
    with db.engine.connect() as c:
        before = dump(c)
    good = tmp_path / "good.db"
    assert runner.invoke(args=["backup", str(good)]).exit_code == 0
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 3])
    text_file = tmp_path / "notes.txt"
    text_file.write_text("this is not a backup")
    empty_sqlite = tmp_path / "empty.db"
    eng = create_engine(f"sqlite:///{empty_sqlite}")
    with eng.begin() as c:
        c.exec_driver_sql("CREATE TABLE x (a int)")
    eng.dispose()
    cases = [
        (tmp_path / "missing.db", "cannot read"),
        (text_file, "not a studyapp backup"),
        (truncated, "nothing restored"),
        (empty_sqlite, "no table"),
    ]
    for path, message in cases:
        r = runner.invoke(args=["restore", str(path), "--yes"])
        assert r.exit_code != 0, path
        assert message in r.output and "nothing restored" in r.output, (path, r.output)
    with db.engine.connect() as c:
        assert dump(c) == before


def test_restore_asks_before_replacing_data(app, db, bank, runner, tmp_path):
    file = tmp_path / "b.db"
    assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    make_user("new@test.org")
    r = runner.invoke(args=["restore", str(file)], input="n\n")
    assert r.exit_code != 0 and "replace them" in r.output
    assert db.session.scalar(select(User).where(User.email == "new@test.org")) is not None
