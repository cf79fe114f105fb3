"""The office's database connection: SQLite (the default, one file) or PostgreSQL (through psycopg 3).

:func:`open_database` takes ``sqlite:///path/office.sqlite3``, ``postgresql://user@host/db`` (or
``postgres://``), or a plain path (an office data folder or the SQLite file). Queries are written once,
with ``?`` placeholders; for PostgreSQL they become ``%s``. Both engines give the same guarantees the
store relies on: one transaction at a time per connection, a unique key enforced by the database.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from kiosk.errors import OfficeError

#: The database file inside an office data folder.
DB_NAME = "office.sqlite3"
BUSY_TIMEOUT_S = 10
DATABASE_ENV = "KIOSK_OFFICE_DATABASE"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(url: str | PathLike) -> bool:
    return isinstance(url, str) and url.startswith(POSTGRES_SCHEMES)


def sqlite_path(where: str | PathLike) -> Path:
    """The SQLite file for ``sqlite:///path``, a data folder (or a path without suffix), or the file."""
    text = str(where)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite://"):]
    elif text.startswith("sqlite:"):
        raise OfficeError(f'"{where}" is not a SQLite address: write sqlite:///path/to/office.sqlite3')
    path = Path(text).expanduser()
    return path / DB_NAME if path.is_dir() or not path.suffix else path


def shown(url: str | PathLike) -> str:
    """The address without its password, for messages and logs."""
    text = str(url)
    if is_postgres(text) and "@" in text:
        scheme, rest = text.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"
    return text


class Database:
    """One connection and its lock. ``engine`` is ``"sqlite"`` or ``"postgresql"``."""

    engine: str

    def __init__(self, where: str | PathLike):
        self._lock = threading.RLock()
        self.where = shown(where)
        if is_postgres(where):
            self.engine = "postgresql"
            try:
                import psycopg
            except ModuleNotFoundError:
                raise OfficeError("PostgreSQL needs psycopg: pip install 'psycopg[binary]'") from None
            self._errors: tuple[type[BaseException], ...] = (psycopg.Error,)
            try:
                self._conn = psycopg.connect(str(where), autocommit=True, connect_timeout=BUSY_TIMEOUT_S)
            except psycopg.Error as error:
                raise OfficeError(f"cannot open the office database {self.where}: {_first_line(error)}") from None
        else:
            self.engine = "sqlite"
            self.path = sqlite_path(where)
            self._errors = (sqlite3.Error,)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                             check_same_thread=False)
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=FULL")
                self._conn.execute("PRAGMA foreign_keys=ON")
            except (OSError, sqlite3.Error) as error:
                raise OfficeError(f"cannot open the office database {self.path}: {error}") from None
        self._in_transaction = False

    @property
    def errors(self) -> tuple[type[BaseException], ...]:
        return self._errors

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.engine == "postgresql" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; return its cursor (``rowcount``, ``fetchall``)."""
        with self._lock:
            return self._conn.execute(self._sql(sql), params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._lock:
            if self.engine == "postgresql":
                with self._conn.cursor() as cursor:
                    cursor.executemany(self._sql(sql), list(rows))
            else:
                self._conn.executemany(sql, rows)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            return [tuple(row) for row in self._conn.execute(self._sql(sql), params).fetchall()]

    def chunks(self, sql: str, size: int) -> Iterator[list[tuple]]:
        """The rows of a query, ``size`` at a time (for copying large tables)."""
        with self._lock:
            cursor = self._conn.cursor()
            try:
                cursor.execute(self._sql(sql))
                while rows := cursor.fetchmany(size):
                    yield [tuple(row) for row in rows]
            finally:
                cursor.close()

    def script(self, statements: str) -> None:
        """Several statements separated by ``;`` (no ``;`` inside them)."""
        for statement in statements.split(";"):
            if statement.strip():
                self.execute(statement)

    @contextmanager
    def transaction(self, doing: str) -> Iterator["Database"]:
        """One write transaction under the lock; a database failure becomes an :class:`OfficeError`."""
        with self._lock:
            if self._in_transaction:  # nested: part of the outer one
                yield self
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE" if self.engine == "sqlite" else "BEGIN")
            except self._errors as error:
                raise OfficeError(f"the office database is busy or unusable, could not {doing}: "
                                  f"{_first_line(error)}") from None
            self._in_transaction = True
            try:
                yield self
                self._conn.execute("COMMIT")
            except BaseException as error:
                try:
                    self._conn.execute("ROLLBACK")
                except self._errors:
                    pass
                if isinstance(error, self._errors):
                    raise OfficeError(f"the office database could not {doing}: {_first_line(error)}") from None
                raise
            finally:
                self._in_transaction = False

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
