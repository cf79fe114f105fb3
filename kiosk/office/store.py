"""The office's database: registered kiosks, the records they sent, what each kiosk last reported.

One SQLite file in WAL mode with ``synchronous=FULL``: a batch the office acknowledged is on disk.
The record ``id`` is the primary key, so a record sent twice is stored once.

Tokens are long random strings (256 bits), so a plain SHA-256 of the token is a safe thing to keep:
the token itself is shown once by :meth:`OfficeStore.add_kiosk` and never stored. Checking a token
compares its hash with every kiosk's hash in constant time.

Tables::

    kiosks   name (key), token_hash, added_at
    records  id (key), kiosk, type, created_at, day, seq, location, json (the record as sent), received_at
    reports  kiosk (key), last_seen, sent_at, status (JSON: what the kiosk last reported)

One connection, one lock: every call is short, and SQLite writes one transaction at a time anyway.
Other processes (``kiosk office add-kiosk`` beside a running server) wait up to ``BUSY_TIMEOUT_S``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from os import PathLike
from pathlib import Path
from typing import Any, Iterable, Iterator

from kiosk.errors import KioskExistsError, OfficeError

#: The database file inside an office data folder.
DB_NAME = "office.sqlite3"
BUSY_TIMEOUT_S = 10
#: Kiosk names are the kiosk's id as ``kiosk status`` shows it, e.g. ``kiosk-3f2a9c0d11be``.
KIOSK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

SCHEMA = """
CREATE TABLE IF NOT EXISTS kiosks (
    name        TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL,
    added_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    id          TEXT PRIMARY KEY,
    kiosk       TEXT NOT NULL REFERENCES kiosks(name),
    type        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    day         TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    location    TEXT NOT NULL,
    json        TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_kiosk_day ON records (kiosk, day, seq);
CREATE TABLE IF NOT EXISTS reports (
    kiosk       TEXT PRIMARY KEY REFERENCES kiosks(name),
    last_seen   TEXT NOT NULL,
    sent_at     TEXT,
    status      TEXT
);
"""


@dataclass(frozen=True)
class StoredRecord:
    """A checked record, ready to store: the columns, and the record itself as JSON text."""

    id: str
    type: str
    created_at: str
    day: str
    seq: int
    location: str
    json: str


@dataclass(frozen=True)
class KioskReport:
    """What the office knows of one kiosk: when it was last heard from, and what it said then."""

    kiosk: str
    added_at: str
    last_seen: datetime | None
    sent_at: str | None
    status: dict[str, Any]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


class OfficeStore:
    """The office database. ``path`` is an office data folder (an existing folder, or a path without a
    suffix: the database is ``DB_NAME`` inside it, as :func:`kiosk.office.app.create_app` uses it), or
    the database file itself (``.../office.sqlite3``). Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | PathLike):
        path = Path(path)
        self.path = path / DB_NAME if path.is_dir() or not path.suffix else path
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                       check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise OfficeError(f"cannot open the office database {self.path}: {error}") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> "OfficeStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _transaction(self, doing: str) -> Iterator[None]:
        """One write transaction under the lock; a database failure becomes an :class:`OfficeError`."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise OfficeError(f"the office database is busy or unusable, could not {doing}: {error}") from None
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException as error:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise OfficeError(f"the office database could not {doing}: {error}") from None
                raise

    # --- kiosks and their tokens ---------------------------------------------------------------

    def add_kiosk(self, name: str, replace: bool = False) -> str:
        """Register kiosk ``name`` and return its new token (shown once; only its hash is kept).

        With ``replace=True`` an existing kiosk gets a new token and the old one stops working.
        """
        if not isinstance(name, str) or not KIOSK_NAME.fullmatch(name):
            raise OfficeError(f'"{name}" cannot be a kiosk name: use the kiosk\'s id as "kiosk status" shows it '
                              "(letters, digits, . _ -, at most 64 characters)")
        token = secrets.token_urlsafe(32)
        with self._transaction("register the kiosk"):
            exists = self._db.execute("SELECT 1 FROM kiosks WHERE name = ?", (name,)).fetchone()
            if exists and not replace:
                raise KioskExistsError(f'kiosk "{name}" is already registered; to give it a new token '
                                       "(the old one stops working), add it again with --replace")
            self._db.execute(
                "INSERT INTO kiosks (name, token_hash, added_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash",
                (name, token_hash(token), now_utc().isoformat(timespec="seconds")))
        return token

    def authenticate(self, token: str) -> str | None:
        """The name of the kiosk this token belongs to, or None. Every hash is compared, in constant time."""
        wanted = token_hash(token).encode("ascii")
        found = None
        with self._lock:
            rows = self._db.execute("SELECT name, token_hash FROM kiosks").fetchall()
        for name, stored in rows:
            if hmac.compare_digest(wanted, stored.encode("ascii")):
                found = name
        return found

    def kiosk_names(self) -> list[str]:
        with self._lock:
            return [row[0] for row in self._db.execute("SELECT name FROM kiosks ORDER BY name")]

    # --- records -------------------------------------------------------------------------------

    def store_batch(self, kiosk: str, records: Iterable[StoredRecord], sent_at: str | None,
                    status: dict[str, Any] | None) -> tuple[list[str], list[str]]:
        """Store a batch in one transaction; return (accepted ids, duplicate ids) in the order sent.

        A record whose id is already stored (earlier, or earlier in this batch) is a duplicate and
        changes nothing. The kiosk's report (last seen, status) is updated in the same transaction.
        """
        accepted: list[str] = []
        duplicates: list[str] = []
        received_at = now_utc().isoformat(timespec="seconds")
        with self._transaction("store the batch"):
            for r in records:
                cursor = self._db.execute(
                    "INSERT INTO records (id, kiosk, type, created_at, day, seq, location, json, received_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                    (r.id, kiosk, r.type, r.created_at, r.day, r.seq, r.location, r.json, received_at))
                (accepted if cursor.rowcount == 1 else duplicates).append(r.id)
            self._db.execute(
                "INSERT INTO reports (kiosk, last_seen, sent_at, status) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kiosk) DO UPDATE SET last_seen = excluded.last_seen, sent_at = excluded.sent_at, "
                "status = COALESCE(excluded.status, reports.status)",
                (kiosk, received_at, sent_at, None if status is None else json.dumps(status, ensure_ascii=False)))
        return accepted, duplicates

    def records_for(self, kiosk: str, day: str) -> list[dict[str, Any]]:
        """The records of one kiosk on one local day (``YYYY-MM-DD``), in the kiosk's order."""
        with self._lock:
            rows = self._db.execute("SELECT json FROM records WHERE kiosk = ? AND day = ? ORDER BY seq, created_at",
                                    (kiosk, day)).fetchall()
        return [json.loads(row[0]) for row in rows]

    def day_counts(self) -> dict[str, dict[str, dict[str, int]]]:
        """``{kiosk: {day: {type: count, "visitors": adults + children of the check-ins}}}``, newest day first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT kiosk, day, type, COUNT(*), "
                "SUM(CASE WHEN type = 'checkin' THEN "
                "  (CASE WHEN json_type(json, '$.data.adults') = 'integer' THEN json_extract(json, '$.data.adults') "
                "   ELSE 0 END) + "
                "  (CASE WHEN json_type(json, '$.data.children') = 'integer' "
                "   THEN json_extract(json, '$.data.children') ELSE 0 END) "
                "ELSE 0 END) "
                "FROM records GROUP BY kiosk, day, type ORDER BY kiosk, day DESC").fetchall()
        counts: dict[str, dict[str, dict[str, int]]] = {}
        for kiosk, day, rtype, count, visitors in rows:
            row = counts.setdefault(kiosk, {}).setdefault(day, {"visitors": 0})
            row[rtype] = count
            row["visitors"] += visitors
        return counts

    def reports(self) -> list[KioskReport]:
        """Every registered kiosk with its last report (if it ever sent one), by name."""
        with self._lock:
            rows = self._db.execute(
                "SELECT k.name, k.added_at, r.last_seen, r.sent_at, r.status "
                "FROM kiosks k LEFT JOIN reports r ON r.kiosk = k.name ORDER BY k.name").fetchall()
        return [KioskReport(name, added_at, datetime.fromisoformat(seen) if seen else None, sent_at,
                            json.loads(status) if status else {})
                for name, added_at, seen, sent_at, status in rows]
