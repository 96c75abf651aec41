"""The Flask application factory: extensions, blueprints, error handlers, commands, headers."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from . import config
from .extensions import csrf, db, limiter, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("STUDYAPP_INSTANCE") or None,
                instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config.from_env(Path(app.instance_path)))
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = config.normalise_db_url(
        app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Dates in statistics are UTC days whatever the server's own time zone.
        opts = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        opts.setdefault("connect_args", {"options": "-c timezone=utc"})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = opts
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_security_headers(app)
    from .ops import install_test_pause_hook

    install_test_pause_hook()  # no-op unless STUDYAPP_TEST_PAUSE_IN is set (crash tests)

    from .question import Question as QuestionData

    # A question row as the dataclass: its key, its answer as one line, what a student is shown.
    app.add_template_filter(QuestionData.from_row, "question")

    @app.context_processor
    def template_helpers():
        return {"has_endpoint": lambda name: name in app.view_functions}

    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
            state, code = "ok", 200
        except Exception as exc:  # the health check reports, never raises
            db.session.rollback()
            state, code = f"error: {exc.__class__.__name__}", 503
        return jsonify(status="ok" if code == 200 else "degraded",
                       database={"state": state, "backend": db.engine.dialect.name}), code

    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL (readers don't block the writer), foreign keys on, wait rather than fail when busy."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA journal_mode=WAL")  # an in-memory database just answers "memory"
        cur.close()


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (tables known to Flask-Migrate)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    limiter.init_app(app)

    from . import jobs
    from .auth.sessions import user_for_cookie

    jobs.init_app(app)

    login_manager.user_loader(user_for_cookie)


def register_blueprints(app: Flask) -> None:
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .study import bp as study_bp
    from .teach import bp as teach_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(study_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(teach_bp, url_prefix="/teach")


RETRY_AFTER_S = 30  # what a database outage page tells browsers and API clients


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register_errorhandlers(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError
    from sqlalchemy import exc as sqlalchemy_exc
    from werkzeug.exceptions import HTTPException

    from .errors import DomainError

    def render(code: int, message: str):
        if _wants_json():
            return jsonify(status=code, error=message), code
        return render_template("error.html", code=code, message=message), code

    @app.errorhandler(DomainError)
    def domain_error(exc):  # a service refused: not found, not allowed, or bad input
        return render(exc.status, str(exc))

    @app.errorhandler(sqlalchemy_exc.OperationalError)
    @app.errorhandler(sqlalchemy_exc.InterfaceError)
    @app.errorhandler(sqlalchemy_exc.TimeoutError)
    def database_unavailable(exc):
        """The database is down or unreachable (or a pool is exhausted): 503 with Retry-After,
        from a page that needs no database, instead of a bare 500."""
        app.logger.error("database unavailable: %s", exc.__class__.__name__)
        with contextlib.suppress(Exception):  # the connection may be gone: nothing to undo
            db.session.rollback()
        headers = {"Retry-After": str(RETRY_AFTER_S)}
        if _wants_json():
            return jsonify(status=503, error="Temporarily unavailable: the database cannot be "
                                             "reached. Try again in a minute."), 503, headers
        # Straight from the Jinja environment: render_template's context processors would
        # load current_user, from the database that is down.
        return app.jinja_env.get_template("unavailable.html").render(), 503, headers

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render(400, f"The form's security token is missing or invalid ({exc.description}). "
                           "Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(exc):
        messages = {
            404: "Not found.",
            403: "You do not have access to that.",
            413: f"That upload is too large (limit {app.config['MAX_CONTENT_LENGTH'] // (1024 * 1024)} MB).",
            429: "Too many requests: slow down and try again in a minute.",
        }
        message = messages.get(exc.code, exc.description or exc.name)
        if exc.description and exc.description != type(exc).description:
            message = exc.description  # a view's own message says more than the default
        if exc.code == 429:  # flask-limiter's description is only the limit ("10 per 1 minute")
            message = f"Too many requests (limit: {exc.description}): slow down and try again in a minute."
        return render(exc.code or 500, message)


def register_commands(app: Flask) -> None:
    from .cli import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from .security import init_app

    init_app(app)  # proxy headers and Secure cookies, from the configuration
    # No inline script and no third-party origin: every asset is vendored under /static.
    csp = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
           "form-action 'self'; frame-ancestors 'none'")

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
