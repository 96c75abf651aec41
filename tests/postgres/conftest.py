"""Tests that need PostgreSQL: skipped unless TEST_DATABASE_URL is a postgresql URL."""

from __future__ import annotations

import os

import pytest

from tests.system.pgutil import IS_PG, fresh_pg_database


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    skip = pytest.mark.skip(reason="needs TEST_DATABASE_URL=postgresql://...")
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.postgres)
            if not IS_PG:
                item.add_marker(skip)


@pytest.fixture
def fresh_pg_url():
    """A new, empty PostgreSQL database beside the test one, dropped afterwards."""
    with fresh_pg_database() as url:
        yield url
