"""Every change to the office's database, in order, for SQLite and PostgreSQL alike (one place).

``schema_version`` holds the numbers of the steps applied. :func:`migrate` applies the missing ones,
each in its own transaction; a database made before this table existed is at step 1 already (its
``CREATE TABLE IF NOT EXISTS`` statements find the tables). ``kiosk office migrate`` runs it by hand;
opening the store runs it too.

Indexes, and why:
    records  primary key (kiosk, id): one row per kiosk and record id (dedup, enforced by the database)
             records_by_kiosk_day (kiosk, day, seq): a kiosk's day, for the CSV download
             records_by_day (day, kiosk, type): the overview's counts per kiosk and day of a period
    tallies  primary key (day, kiosk, place, hour, key): a period's rows are one range scan (reports)
             tallies_by_key (key, day, kiosk, place): member cards seen in a period, and the first day
             of each, read from the index alone
    month_tallies  the same rows added up per month (visits and persons per weekday and hour too),
             primary key (month, kiosk, place, weekday, hour, key): whole months of a period read these,
             about 15 times fewer rows than the days (a year across 50 kiosks in well under a second)
    kiosk_days  primary key (day, kiosk, place): the days that have records
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Callable

from kiosk.core.period import BY_HOUR_KEYS, CARD_PREFIX, NO_HOUR, tally
from kiosk.office.database import Database

SCHEMA_V1 = """
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
    seq         BIGINT NOT NULL,
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
)
"""

RECORDS_V2 = """
CREATE TABLE records_v2 (
    kiosk       TEXT NOT NULL REFERENCES kiosks(name),
    id          TEXT NOT NULL,
    type        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    day         TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    location    TEXT NOT NULL,
    json        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (kiosk, id)
);
INSERT INTO records_v2 (kiosk, id, type, created_at, day, seq, location, json, received_at)
    SELECT kiosk, id, type, created_at, day, seq, location, json, received_at FROM records;
DROP TABLE records;
ALTER TABLE records_v2 RENAME TO records;
CREATE INDEX IF NOT EXISTS records_by_kiosk_day_v2 ON records (kiosk, day, seq);
CREATE INDEX records_by_day ON records (day, kiosk, type);
CREATE TABLE tallies (
    day         TEXT NOT NULL,
    kiosk       TEXT NOT NULL,
    place       TEXT NOT NULL,
    hour        INTEGER NOT NULL,
    key         TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (day, kiosk, place, hour, key)
);
CREATE INDEX tallies_by_key ON tallies (key, day, kiosk, place);
CREATE TABLE month_tallies (
    month       TEXT NOT NULL,
    kiosk       TEXT NOT NULL,
    place       TEXT NOT NULL,
    weekday     INTEGER NOT NULL,
    hour        INTEGER NOT NULL,
    key         TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (month, kiosk, place, weekday, hour, key)
);
CREATE TABLE kiosk_days (
    day         TEXT NOT NULL,
    kiosk       TEXT NOT NULL,
    place       TEXT NOT NULL,
    PRIMARY KEY (day, kiosk, place)
);
ALTER TABLE reports ADD COLUMN still_to_send BIGINT;
CREATE TABLE erasures (
    at          TEXT NOT NULL,
    what        TEXT NOT NULL,
    kiosk       TEXT,
    record      TEXT,
    before_day  TEXT,
    records     BIGINT NOT NULL
)
"""


def _step1(db: Database) -> None:
    db.script(SCHEMA_V1)


def _step2(db: Database) -> None:
    """Records keyed on (kiosk, id), so one kiosk can neither hide nor overwrite another's records; the
    tally rows of every stored record, for reports; what is still to send; the erasure log."""
    db.script(RECORDS_V2)
    add_tallies(db, (json.loads(row[0]) for row in db.fetchall(
        "SELECT json FROM records WHERE type <> 'moderation'")))  # moderation records: step 3


TALLY_UPSERT = ("INSERT INTO tallies (day, kiosk, place, hour, key, n) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (day, kiosk, place, hour, key) DO UPDATE SET n = tallies.n + excluded.n")


MONTH_UPSERT = ("INSERT INTO month_tallies (month, kiosk, place, weekday, hour, key, n) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (month, kiosk, place, weekday, hour, key) DO UPDATE SET n = month_tallies.n + excluded.n")
DAY_INSERT = "INSERT INTO kiosk_days (day, kiosk, place) VALUES (?, ?, ?) ON CONFLICT (day, kiosk, place) DO NOTHING"


def add_tallies(db: Database, records, kiosk: str | None = None) -> None:
    """Add the tally rows of ``records`` (counted by the core) to the tables; ``kiosk`` overrides theirs.

    Rows go in sorted order, so that two transactions never wait on each other in opposite orders."""
    rows = [row._replace(kiosk=kiosk) if kiosk is not None else row for row in tally(records)]
    db.executemany(TALLY_UPSERT, sorted((row.day, row.kiosk, row.place, row.hour, row.key, row.n) for row in rows))
    db.executemany(MONTH_UPSERT, [(*where, n) for where, n in sorted(month_rows(rows).items())])
    db.executemany(DAY_INSERT, sorted({(row.day, row.kiosk, row.place) for row in rows}))


def month_rows(rows) -> dict[tuple, int]:
    """Tally rows added up per (month, kiosk, place, weekday, hour, key): weekday and hour only for
    visits and persons (else 0 and -1); member cards stay in the day rows only."""
    months: dict[tuple, int] = {}
    for row in rows:
        if row.key.startswith(CARD_PREFIX):
            continue
        if row.key in BY_HOUR_KEYS:
            where = (row.day[:7], row.kiosk, row.place, date.fromisoformat(row.day).isoweekday(), row.hour, row.key)
        else:
            where = (row.day[:7], row.kiosk, row.place, 0, NO_HOUR, row.key)
        months[where] = months.get(where, 0) + row.n
    return months


def _step3(db: Database) -> None:
    """Staff's decisions on the idea wall (``moderation`` records) count in reports since this step:
    add the tally rows of those already stored."""
    by_kiosk: dict[str, list] = {}
    for kiosk, text in db.fetchall("SELECT kiosk, json FROM records WHERE type = 'moderation' ORDER BY kiosk"):
        by_kiosk.setdefault(kiosk, []).append(json.loads(text))
    for kiosk, records in by_kiosk.items():
        add_tallies(db, records, kiosk=kiosk)


MIGRATIONS: list[tuple[int, str, Callable[[Database], None]]] = [
    (1, "kiosks, records, reports", _step1),
    (2, "records keyed on (kiosk, id); tally rows for reports; still to send; erasure log", _step2),
    (3, "decisions on the idea wall counted in reports", _step3),
]


def current_version(db: Database) -> int:
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
               "description TEXT NOT NULL, applied_at TEXT NOT NULL)")
    return max((row[0] for row in db.fetchall("SELECT version FROM schema_version")), default=0)


def migrate(db: Database) -> list[str]:
    """Apply the steps the database lacks; return what was done, in words."""
    done = []
    with db.transaction("check the database version"):
        current_version(db)
    for version, description, step in MIGRATIONS:
        with db.transaction(f"apply database step {version}"):
            if db.engine == "postgresql":  # two receivers starting at once: one migrates, the other waits
                db.execute("SELECT pg_advisory_xact_lock(7316001)")
            if version <= current_version(db):
                continue
            step(db)
            db.execute("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                       (version, description, datetime.now(timezone.utc).isoformat(timespec="seconds")))
            done.append(f"{version}: {description}")
    return done
