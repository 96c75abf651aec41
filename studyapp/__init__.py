"""studyapp: quiz and flashcard study app. `create_app()` is the app factory (app.py).

This package's own import stays free of Flask and the database, so that the pure parts
(`studyapp.question`, `studyapp.qgen`) can be used without them.
"""

from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str):
    # `studyapp.create_app` (gunicorn's 'studyapp:create_app()', `flask --app studyapp`)
    # loads the web app only when asked for.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module 'studyapp' has no attribute {name!r}")
