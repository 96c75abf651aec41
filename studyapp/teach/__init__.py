"""Instructor side: question sets, imports/exports, classes and their statistics."""

from flask import Blueprint

bp = Blueprint("teach", __name__)

from . import views  # noqa: E402,F401  (routes register on bp)
