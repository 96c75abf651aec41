from flask import Blueprint

bp = Blueprint("study", __name__)

from . import views  # noqa: E402,F401
