"""SQLAlchemy 2.0 typed models.

Card scheduling state is derived data: it is always what replaying the card's
ReviewLog rows through the scheduler gives (see srs.py and study/service.py).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from .extensions import db
from .question import source_worth_showing
from .srs import DEFAULT_RETENTION, State


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime stored; use timezone-aware UTC")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


ROLES = ("student", "instructor")


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="student")
    display_name: Mapped[str] = mapped_column(String(120), default="")
    daily_new_limit: Mapped[int] = mapped_column(Integer, default=20)
    desired_retention: Mapped[float] = mapped_column(Float, default=DEFAULT_RETENTION)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Every session and remember-me cookie carries this token (see auth/sessions.py); a new
    # one (logout, password change, "log out everywhere") makes all the old cookies worthless.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    # Asked to be an instructor; an administrator decides (auth/instructors.py).
    instructor_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    def get_id(self) -> str:
        """What Flask-Login writes into the session and remember-me cookies."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]


class QuestionSet(db.Model):
    """A set of questions: a shipped bank, an import, a hand-made or generated set."""

    __tablename__ = "question_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable key for upserts: "bank:<file stem>" for shipped banks, "set:<token>" otherwise.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="published")  # draft | published
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(20), default="manual")  # bank|manual|import|generated
    sources: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[User | None] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="set", order_by="Question.position", cascade="all, delete-orphan"
    )

    @staticmethod
    def new_key() -> str:
        return "set:" + secrets.token_hex(8)


class SetOwner(db.Model):
    """Co-owners an owner added; they may change the set too."""

    __tablename__ = "set_owners"

    set_id: Mapped[int] = mapped_column(
        ForeignKey("question_sets.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("set_id", "uid", name="uq_question_set_uid"),
        Index("ix_questions_set_retired", "set_id", "retired"),
        # Sibling burying looks up the groups of the cards a student first saw today.
        Index("ix_questions_set_sibling", "set_id", "sibling"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("question_sets.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(80))  # the bank's stable id
    type: Mapped[str] = mapped_column(String(20))  # a question.QuestionType value
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    accept: Mapped[list] = mapped_column(JSON, default=list)
    choices: Mapped[list | None] = mapped_column(JSON, nullable=True)
    tolerance: Mapped[str | None] = mapped_column(String(40), nullable=True)
    pairs: Mapped[list | None] = mapped_column(JSON, nullable=True)  # matching: [[left, right], ...]
    items: Mapped[list | None] = mapped_column(JSON, nullable=True)  # ordering: in the right order
    credit: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # answer -> share of the mark
    feedback: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # answer -> what to tell
    name: Mapped[str | None] = mapped_column(String(255), nullable=True)  # Moodle's <name>, GIFT's ::title::
    explanation: Mapped[str] = mapped_column(Text, default="")
    fact_kind: Mapped[str] = mapped_column(String(20), default="other")  # a question.FactKind value
    topic: Mapped[str] = mapped_column(String(200), default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # Questions made from the same fact share a group, so a student meets one a day.
    sibling: Mapped[str | None] = mapped_column(String(80), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when an edit changed the answer, so students who reviewed it can be told.
    answer_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    set: Mapped[QuestionSet] = relationship(back_populates="questions")

    @property
    def source_to_show(self) -> str | None:
        """The source sentence when it adds to the explanation (question.source_worth_showing)."""
        return source_worth_showing(self.explanation, self.source)


class Card(db.Model):
    """One student's scheduling state for one question; exists once it was first reviewed."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id", name="uq_card_user_question"),
        # The due queue: one user's cards in one set, by due time.
        # question_id last: due/learning counts that leave out retired questions stay
        # inside the index (no table lookups).
        Index("ix_cards_user_set_due", "user_id", "set_id", "due", "question_id"),
        Index("ix_cards_user_due", "user_id", "due"),
        Index("ix_cards_user_set_state", "user_id", "set_id", "state", "question_id"),
        Index("ix_cards_user_created", "user_id", "created_at"),
        Index("ix_cards_question", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    set_id: Mapped[int] = mapped_column(ForeignKey("question_sets.id", ondelete="CASCADE"))
    state: Mapped[int] = mapped_column(Integer, default=State.Learning.value)  # an fsrs.State value
    step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stability: Mapped[float | None] = mapped_column(Float, nullable=True)
    difficulty: Mapped[float | None] = mapped_column(Float, nullable=True)
    due: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship()


class ReviewLog(db.Model):
    __tablename__ = "review_logs"
    __table_args__ = (
        UniqueConstraint("user_id", "client_review_id", name="uq_review_client_id"),
        Index("ix_review_logs_card", "card_id", "id"),
        Index("ix_review_logs_user_time", "user_id", "reviewed_at"),
        Index("ix_review_logs_question", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)  # an fsrs.Rating value: 1 Again ... 4 Easy
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answer_given: Mapped[str | None] = mapped_column(Text, nullable=True)
    correct: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # Share of the mark (partial credit), 0-1; None for self-rated cards.
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    # The retention in force at review time: replay must use the same scheduler.
    retention: Mapped[float] = mapped_column(Float, default=DEFAULT_RETENTION)
    client_review_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    origin: Mapped[str] = mapped_column(String(10), default="study")  # study | quiz


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (Index("ix_quiz_attempts_user", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    set_id: Mapped[int] = mapped_column(ForeignKey("question_sets.id", ondelete="CASCADE"))
    question_ids: Mapped[list] = mapped_column(JSON)  # the drawn questions, in order
    immediate_feedback: Mapped[bool] = mapped_column(Boolean, default=False)
    topic: Mapped[str | None] = mapped_column(String(200), nullable=True)
    fact_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    set: Mapped[QuestionSet] = relationship()
    answers: Mapped[list[QuizAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="QuizAnswer.position"
    )


class QuizAnswer(db.Model):
    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id", name="uq_quiz_answer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    given: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean)
    near: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)  # share of the mark, 0-1
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class Classroom(db.Model):
    __tablename__ = "classrooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship()

    @staticmethod
    def new_join_code() -> str:
        # No 0/O/1/I: codes are read aloud and typed from a board.
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "".join(secrets.choice(alphabet) for _ in range(8))


class Enrollment(db.Model):
    __tablename__ = "enrollments"

    class_id: Mapped[int] = mapped_column(
        ForeignKey("classrooms.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class ClassSet(db.Model):
    """A set assigned to a class, optionally with a due date and a target."""

    __tablename__ = "class_sets"

    class_id: Mapped[int] = mapped_column(
        ForeignKey("classrooms.id", ondelete="CASCADE"), primary_key=True
    )
    set_id: Mapped[int] = mapped_column(
        ForeignKey("question_sets.id", ondelete="CASCADE"), primary_key=True
    )
    due_date: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    target: Mapped[str | None] = mapped_column(String(40), nullable=True)  # e.g. "all_reviewed"

    set: Mapped[QuestionSet] = relationship()


# --- the job queue (studyapp/jobs) ----------------------------------------------------------

JOB_STATES = ("queued", "running", "done", "failed", "cancelled")
UNFINISHED_JOB_STATES = ("queued", "running")


class Job(db.Model):
    """Work done outside a web request (a document turned into questions, a big import or
    export, later refits and statistics refreshes). Its state lives here rather than in one
    process's memory, so any web worker serves its status page and any job worker can take
    it up again after a crash (studyapp/jobs/store.py has every rule about these rows)."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_state_created", "state", "created_at"),
        Index("ix_jobs_owner_kind_state", "owner_id", "kind", "state"),
        # One unfinished job per key (e.g. one pending refit per student): a second enqueue
        # with the key gets the first job back.
        Index("uq_jobs_unfinished_key", "key", unique=True,
              sqlite_where=text("state IN ('queued', 'running')"),
              postgresql_where=text("state IN ('queued', 'running')")),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    # None for the system's own jobs (refits, refreshes), which no status page shows.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300), default="")  # what it works on, for people
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    key: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[float | None] = mapped_column(Float)  # 0..1 when known
    message: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[list] = mapped_column(JSON, default=list)  # warnings, or every problem found
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # runs started (a crash retries)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    worker: Mapped[str] = mapped_column(String(120), default="")  # host:pid of the last run
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def finished(self) -> bool:
        return self.state not in UNFINISHED_JOB_STATES


class JobFile(db.Model):
    """A job's input (an uploaded file) or output (an export), kept in the database so a job
    worker on another machine can read it; deleted with its job."""

    __tablename__ = "job_files"
    __table_args__ = (UniqueConstraint("job_id", "role", name="uq_job_file_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))  # input | output
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    data: Mapped[bytes] = mapped_column(LargeBinary)
