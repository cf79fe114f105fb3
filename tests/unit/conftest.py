"""Fixtures the unit tests share: a kiosk repository in a temporary folder, and a throw-away PostgreSQL server
for the office tests (once per run)."""

from __future__ import annotations

import pytest

import postgres_support

from kiosk.storage import Repository

ENGINES = ("sqlite", "postgresql")


@pytest.fixture
def repo(tmp_path):
    """A kiosk repository in a folder of its own, closed after the test."""
    with Repository(tmp_path) as repository:
        yield repository


@pytest.fixture(scope="session")
def postgres_cluster():
    """A running PostgreSQL server, or a skip that says why there is none."""
    reason = postgres_support.why_not()
    if reason:
        pytest.skip(f"office tests on PostgreSQL skipped: {reason}")
    cluster = postgres_support.Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=ENGINES)
def office_database(request):
    """The office database to test against: None (SQLite in the data folder) or a fresh PostgreSQL one."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_cluster").new_database()
