"""The office's database: registered kiosks, the records they sent, what each kiosk last reported.

SQLite (one file, WAL, ``synchronous=FULL``: a batch the office acknowledged is on disk) or PostgreSQL,
through :mod:`kiosk.office.database`; the tables and their changes are in :mod:`kiosk.office.migrations`.
A record is keyed on (kiosk, id): a record sent twice by its kiosk is stored once, and one kiosk can
neither hide, overwrite nor probe another kiosk's records. With every stored record its tally rows
(what it counts for, :func:`kiosk.core.period.tally`) are added in the same transaction: reports read
those, so they are as fast for a year as for a day, and equal to what the kiosk counts.

Tokens are long random strings (256 bits), so a plain SHA-256 of the token is a safe thing to keep:
the token itself is shown once by :meth:`OfficeStore.add_kiosk` and never stored. Checking a token
compares its hash with every kiosk's hash in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from os import PathLike
from typing import Any, Iterable

from kiosk.core.period import CARD_PREFIX, TallyRow
from kiosk.core.privacy import PERSONAL_FIELDS
from kiosk.errors import KioskExistsError, OfficeError
from kiosk.office.database import DB_NAME, Database, sqlite_path  # noqa: F401 (DB_NAME: imported from here)
from kiosk.office.migrations import add_tallies, migrate

#: Kiosk names are the kiosk's id as ``kiosk status`` shows it, e.g. ``kiosk-3f2a9c0d11be``.
KIOSK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
#: Records per INSERT statement (9 values each: well under either engine's limit of parameters).
INSERT_ROWS = 100
log = logging.getLogger(__name__)


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
    #: What the kiosk still had to send once the batch that brought its last status was stored.
    still_to_send: int | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


class OfficeStore:
    """The office database. ``where`` is an office data folder, the SQLite file, ``sqlite:///...`` or
    ``postgresql://...``. Opening it brings its tables up to date. Use as a context manager, or call
    :meth:`close`."""

    def __init__(self, where: str | PathLike):
        self.db = Database(where)
        self.path = getattr(self.db, "path", None)
        try:
            migrate(self.db)
        except BaseException:
            self.db.close()
            raise

    @property
    def engine(self) -> str:
        return self.db.engine

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "OfficeStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- kiosks and their tokens ---------------------------------------------------------------

    def add_kiosk(self, name: str, replace: bool = False) -> str:
        """Register kiosk ``name`` and return its new token (shown once; only its hash is kept).

        With ``replace=True`` an existing kiosk gets a new token and the old one stops working.
        """
        if not isinstance(name, str) or not KIOSK_NAME.fullmatch(name):
            raise OfficeError(f'"{name}" cannot be a kiosk name: use the kiosk\'s id as "kiosk status" shows it '
                              "(letters, digits, . _ -, at most 64 characters)")
        token = secrets.token_urlsafe(32)
        with self.db.transaction("register the kiosk"):
            exists = self.db.fetchall("SELECT 1 FROM kiosks WHERE name = ?", (name,))
            if exists and not replace:
                raise KioskExistsError(f'kiosk "{name}" is already registered; to give it a new token '
                                       "(the old one stops working), add it again with --replace")
            self.db.execute(
                "INSERT INTO kiosks (name, token_hash, added_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash",
                (name, token_hash(token), now_utc().isoformat(timespec="seconds")))
        return token

    def authenticate(self, token: str) -> str | None:
        """The name of the kiosk this token belongs to, or None. Every hash is compared, in constant time."""
        wanted = token_hash(token).encode("ascii")
        found = None
        for name, stored in self.db.fetchall("SELECT name, token_hash FROM kiosks"):
            if hmac.compare_digest(wanted, stored.encode("ascii")):
                found = name
        return found

    def kiosk_names(self) -> list[str]:
        return [row[0] for row in self.db.fetchall("SELECT name FROM kiosks ORDER BY name")]

    # --- records -------------------------------------------------------------------------------

    def store_batch(self, kiosk: str, records: Iterable[StoredRecord], sent_at: str | None,
                    status: dict[str, Any] | None) -> tuple[list[str], list[str]]:
        """Store a batch in one transaction; return (accepted ids, duplicate ids) in the order sent.

        A record whose id this kiosk already sent (earlier, or earlier in this batch) is a duplicate
        and changes nothing; another kiosk's records never count. The kiosk's report (last seen,
        status, still to send) is updated in the same transaction.
        """
        accepted: list[str] = []
        duplicates: list[str] = []
        fresh: list[dict[str, Any]] = []
        received_at = now_utc().isoformat(timespec="seconds")
        records = list(records)
        first: dict[str, StoredRecord] = {}
        for r in records:
            first.setdefault(r.id, r)
        with self.db.transaction("store the batch"):
            # A few statements of many rows each, in the order of their ids (two batches that share ids
            # never wait on each other in opposite orders); the database says which rows were new.
            new: set[str] = set()
            ordered = sorted(first.values(), key=lambda r: r.id)
            for start in range(0, len(ordered), INSERT_ROWS):
                part = ordered[start:start + INSERT_ROWS]
                new.update(row[0] for row in self.db.fetchall(
                    "INSERT INTO records (kiosk, id, type, created_at, day, seq, location, json, received_at) VALUES "
                    + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(part))
                    + " ON CONFLICT (kiosk, id) DO NOTHING RETURNING id",
                    [value for r in part for value in
                     (kiosk, r.id, r.type, r.created_at, r.day, r.seq, r.location, r.json, received_at)]))
            for r in records:
                if r.id in new and first[r.id] is r:
                    accepted.append(r.id)
                    fresh.append(json.loads(r.json))
                else:
                    duplicates.append(r.id)
            add_tallies(self.db, fresh, kiosk=kiosk)
            self.db.execute(
                "INSERT INTO reports (kiosk, last_seen, sent_at, status, still_to_send) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (kiosk) DO UPDATE SET last_seen = excluded.last_seen, sent_at = excluded.sent_at, "
                "status = COALESCE(excluded.status, reports.status), "
                "still_to_send = COALESCE(excluded.still_to_send, reports.still_to_send)",
                (kiosk, received_at, sent_at, None if status is None else json.dumps(status, ensure_ascii=False),
                 still_to_send(status, len(accepted) + len(duplicates))))
        return accepted, duplicates

    def records_for(self, kiosk: str, day: str) -> list[dict[str, Any]]:
        """The records of one kiosk on one local day (``YYYY-MM-DD``), in the kiosk's order."""
        rows = self.db.fetchall("SELECT json FROM records WHERE kiosk = ? AND day = ? ORDER BY seq, created_at",
                                (kiosk, day))
        return [json.loads(row[0]) for row in rows]

    def day_counts(self, start: str = "0000-00-00", end: str = "9999-99-99",
                   kiosk: str | None = None) -> dict[str, dict[str, dict[str, int]]]:
        """``{kiosk: {day: {type: count, "visitors": adults + children of the check-ins}}}``, newest day
        first, for the days ``start`` to ``end`` (default: all) of every kiosk or of ``kiosk``."""
        where, params = "day >= ? AND day <= ?", [start, end]
        if kiosk is not None:
            where, params = where + " AND kiosk = ?", [start, end, kiosk]
        counts: dict[str, dict[str, dict[str, int]]] = {}
        for rkiosk, day, rtype, count in self.db.fetchall(
                f"SELECT kiosk, day, type, COUNT(*) FROM records WHERE {where} GROUP BY kiosk, day, type "
                "ORDER BY kiosk, day DESC", params):
            counts.setdefault(rkiosk, {}).setdefault(day, {"visitors": 0})[rtype] = count
        for rkiosk, day, persons in self.db.fetchall(
                f"SELECT kiosk, day, SUM(n) FROM tallies WHERE {where} AND key = 'persons' GROUP BY kiosk, day",
                params):
            if day in counts.get(rkiosk, {}):
                counts[rkiosk][day]["visitors"] = int(persons)
        return counts

    def tally_rows(self, start: str, end: str, kiosk: str | None = None, place: str | None = None) -> list[TallyRow]:
        """The tally rows of the days ``start`` to ``end`` (included), of one kiosk or place if given."""
        filters, extra = _kiosk_place_filter(kiosk, place)
        sql = "SELECT kiosk, place, day, hour, key, n FROM tallies WHERE day >= ? AND day <= ?" + filters
        return [TallyRow(*row) for row in self.db.fetchall(sql, [start, end, *extra])]

    def report_rows(self, start: str, end: str, kiosk: str | None = None,
                    place: str | None = None) -> tuple[list[tuple], list[str], dict[str, str]]:
        """The tally rows the report of ``start`` to ``end`` needs, the days that have records, and
        the first day of every member card seen in the period.

        Whole months come from ``month_tallies`` (already added up per month; visits and persons per
        weekday and hour, each standing on the first day of the month with that weekday), the days
        of a month the period only partly covers from ``tallies``. Member cards are one row per card
        seen in the period (on its first day), with its first day ever (at ``kiosk``, if given; at any
        place): one pass over the index ``tallies_by_key``. The core adds the rows up the same way
        whatever the grain: the sums are equal."""
        first, last = date.fromisoformat(start), date.fromisoformat(end)
        full_from = first if first.day == 1 else _next_month(first)
        full_to = last if _next_month(last) - timedelta(days=1) == last else last.replace(day=1) - timedelta(days=1)
        filters, extra = _kiosk_place_filter(kiosk, place)
        rows: list[tuple] = []
        day_ranges = [(first, last)]
        if full_from <= full_to:
            day_ranges = [(first, full_from - timedelta(days=1)), (full_to + timedelta(days=1), last)]
            for month, rkiosk, rplace, weekday, hour, key, n in self.db.fetchall(
                    "SELECT month, kiosk, place, weekday, hour, key, n FROM month_tallies "
                    f"WHERE month >= ? AND month <= ?{filters}",
                    [full_from.isoformat()[:7], full_to.isoformat()[:7], *extra]):
                rows.append((rkiosk, rplace, _day_in(month, weekday), hour, key, n))
        for low, high in day_ranges:
            if low <= high:
                rows += self.db.fetchall(
                    "SELECT kiosk, place, day, hour, key, n FROM tallies WHERE day >= ? AND day <= ? "
                    f"AND (key < ? OR key >= ?){filters}", [low.isoformat(), high.isoformat(), *CARD_KEYS, *extra])
        first_seen = self.cards_first_seen(start, end, kiosk=kiosk, place=place)
        rows += [("", "", start, -1, CARD_PREFIX + card, 1) for card in first_seen]
        days = [row[0] for row in self.db.fetchall(
            f"SELECT DISTINCT day FROM kiosk_days WHERE day >= ? AND day <= ?{filters}", [start, end, *extra])]
        return rows, days, first_seen

    def cards_first_seen(self, start: str, end: str, kiosk: str | None = None,
                         place: str | None = None) -> dict[str, str]:
        """Card id -> the first day it ever checked in (at ``kiosk``, or anywhere), for every card that
        checked in from ``start`` to ``end`` (at ``kiosk`` and ``place``, if given)."""
        in_period, params = "day >= ?", [start]
        if place is not None:
            in_period, params = in_period + " AND place = ?", [start, place]
        sql = ("SELECT key, MIN(day) FROM tallies WHERE key >= ? AND key < ? AND day <= ?"
               + (" AND kiosk = ?" if kiosk is not None else "")
               + f" GROUP BY key HAVING MAX(CASE WHEN {in_period} THEN 1 ELSE 0 END) = 1")
        rows = self.db.fetchall(sql, [*CARD_KEYS, end, *([kiosk] if kiosk is not None else []), *params])
        return {key[len(CARD_PREFIX):]: day for key, day in rows}

    def places(self) -> list[str]:
        """The places records came from (read from ``kiosk_days``, not from the far larger ``tallies``)."""
        return [row[0] for row in self.db.fetchall("SELECT DISTINCT place FROM kiosk_days ORDER BY place")]

    def reports(self) -> list[KioskReport]:
        """Every registered kiosk with its last report (if it ever sent one), by name."""
        rows = self.db.fetchall(
            "SELECT k.name, k.added_at, r.last_seen, r.sent_at, r.status, r.still_to_send "
            "FROM kiosks k LEFT JOIN reports r ON r.kiosk = k.name ORDER BY k.name")
        return [KioskReport(name, added_at, _moment(seen), sent_at, _status(status),
                            None if left is None else int(left))
                for name, added_at, seen, sent_at, status, left in rows]


    # --- erasure and retention ------------------------------------------------------------------

    def erase_record(self, record_id: str, kiosk: str | None = None) -> int:
        """Blank the personal details of one record (of ``kiosk``, if given); how many were erased."""
        sql, params = "SELECT kiosk, id, type, json FROM records WHERE id = ?", [record_id]
        if kiosk is not None:
            sql, params = sql + " AND kiosk = ?", [record_id, kiosk]
        return self._erase(sql, params, "erase --record", kiosk, record_id, None)

    def erase_before(self, kiosk: str, day: str) -> int:
        """Blank the personal details of every record of ``kiosk`` before ``day``; how many were erased."""
        return self._erase(f"SELECT kiosk, id, type, json FROM records WHERE kiosk = ? AND day < ? AND {PERSONAL_TYPES}",
                           [kiosk, day, ERASED], "erase --kiosk --before", kiosk, None, day)

    def apply_retention(self, days: int, today: date | None = None) -> int:
        """Blank the personal details of every record older than ``days`` days; how many were erased."""
        cutoff = ((today or now_utc().date()) - timedelta(days=days)).isoformat()
        return self._erase(f"SELECT kiosk, id, type, json FROM records WHERE day < ? AND {PERSONAL_TYPES}",
                           [cutoff, ERASED], f"retention of {days} days", None, None, cutoff)

    def _erase(self, sql: str, params: list[Any], what: str, kiosk: str | None, record: str | None,
               before: str | None) -> int:
        erased = 0
        with self.db.transaction("erase personal details"):
            for rkiosk, rid, rtype, text in self.db.fetchall(sql, params):
                blanked = _blanked(rtype, text)
                if blanked is not None:
                    self.db.execute("UPDATE records SET json = ? WHERE kiosk = ? AND id = ?", (blanked, rkiosk, rid))
                    erased += 1
            if erased or what.startswith("erase"):
                self.db.execute("INSERT INTO erasures (at, what, kiosk, record, before_day, records) "
                                "VALUES (?, ?, ?, ?, ?, ?)",
                                (now_utc().isoformat(timespec="seconds"), what, kiosk, record, before, erased))
        if erased or what.startswith("erase"):
            log.warning("personal details erased (%s): %d record(s)%s%s", what, erased,
                        f", kiosk {kiosk}" if kiosk else "", f", record {record}" if record else "")
        return erased

    def erasures(self) -> list[tuple]:
        """The erasure log, oldest first: (at, what, kiosk, record, before_day, records)."""
        return self.db.fetchall("SELECT at, what, kiosk, record, before_day, records FROM erasures ORDER BY at")


#: Only these record types hold personal details.
PERSONAL_TYPES = ("type IN (" + ", ".join(f"'{t}'" for t in PERSONAL_FIELDS) + ")"
                  " AND json NOT LIKE ?")
#: What :data:`PERSONAL_TYPES` leaves out: records already erased.
ERASED = '%"erased": true%'
#: The range of tally keys that are member cards (``card:<id>``): ``key >= ? AND key < ?``.
CARD_KEYS = (CARD_PREFIX, CARD_PREFIX[:-1] + chr(ord(CARD_PREFIX[-1]) + 1))
RETENTION_ENV = "KIOSK_OFFICE_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30


def retention_days(explicit: int | None = None, configured: int | None = None) -> int:
    """Days the office keeps personal details: ``explicit`` (``--days``), else
    ``$KIOSK_OFFICE_RETENTION_DAYS``, else ``configured`` (``[office] retention_days``), else 30."""
    value: Any = next(v for v in (explicit, os.environ.get(RETENTION_ENV) or None, configured,
                                  DEFAULT_RETENTION_DAYS) if v is not None)
    try:
        days = int(value)
    except ValueError:
        raise OfficeError(f"{RETENTION_ENV} must be a number of days, got {str(value)[:20]!r}") from None
    if not 1 <= days <= 3650:
        raise OfficeError(f"the retention time must be 1 to 3650 days, got {days}")
    return days


def _blanked(rtype: str, text: str) -> str | None:
    """The record without its personal fields, marked erased; None when it holds none."""
    try:
        record = json.loads(text)
    except ValueError:
        return None
    data = record.get("data") if isinstance(record, dict) else None
    fields = [key for key in PERSONAL_FIELDS.get(rtype, ()) if isinstance(data, dict) and key in data]
    if not fields:
        return None
    record["data"] = {**{k: v for k, v in data.items() if k not in fields}, "erased": True}
    return json.dumps(record, ensure_ascii=False)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@lru_cache(maxsize=4096)
def _day_in(month: str, weekday: int) -> str:
    """The first day of ``month`` (YYYY-MM) on ``weekday`` (1 Monday .. 7 Sunday; 0: the 1st)."""
    first = date.fromisoformat(month + "-01")
    if not weekday:
        return first.isoformat()
    return (first + timedelta(days=(weekday - first.isoweekday()) % 7)).isoformat()


def still_to_send(status: dict[str, Any] | None, in_this_batch: int) -> int | None:
    """What a kiosk still has to send after this batch: it counts the batch in its ``pending``."""
    pending = (status or {}).get("pending")
    if isinstance(pending, bool) or not isinstance(pending, int):
        return None
    return max(pending - in_this_batch, 0)


def _moment(text: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None
    return moment.replace(tzinfo=timezone.utc) if moment and moment.tzinfo is None else moment


def _status(text: Any) -> dict[str, Any]:
    """A stored status, whatever it holds (an older office stored numbers like 1e400 as Infinity)."""
    try:
        value = json.loads(text) if text else {}
    except (TypeError, ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def _kiosk_place_filter(kiosk: str | None, place: str | None) -> tuple[str, list[str]]:
    """SQL to add to a ``WHERE`` for one kiosk and/or one place (if given), and its parameters."""
    filters, params = "", []
    if kiosk is not None:
        filters, params = filters + " AND kiosk = ?", params + [kiosk]
    if place is not None:
        filters, params = filters + " AND place = ?", params + [place]
    return filters, params
