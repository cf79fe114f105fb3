"""``kiosk office copy``: every table of one office database into another, empty one (SQLite ->
PostgreSQL, or back), in one transaction on the target. Both are first brought up to date."""

from __future__ import annotations

from os import PathLike

from kiosk.errors import OfficeError
from kiosk.office.database import Database
from kiosk.office.migrations import migrate

#: Tables in the order foreign keys need them, with their columns.
TABLES = {
    "kiosks": ("name", "token_hash", "added_at"),
    "records": ("kiosk", "id", "type", "created_at", "day", "seq", "location", "json", "received_at"),
    "reports": ("kiosk", "last_seen", "sent_at", "status", "still_to_send"),
    "tallies": ("day", "kiosk", "place", "hour", "key", "n"),
    "month_tallies": ("month", "kiosk", "place", "weekday", "hour", "key", "n"),
    "kiosk_days": ("day", "kiosk", "place"),
    "erasures": ("at", "what", "kiosk", "record", "before_day", "records"),
}
CHUNK = 5000


def copy_database(source: str | PathLike, target: str | PathLike) -> dict[str, int]:
    """Copy everything; return rows copied per table. The target must hold no kiosks or records."""
    src, dst = Database(source), Database(target)
    try:
        migrate(src)
        migrate(dst)
        for table in ("kiosks", "records"):
            if dst.fetchall(f"SELECT COUNT(*) FROM {table}")[0][0]:
                raise OfficeError(f"the target database {dst.where} already holds {table}: copy into an empty one")
        counts = {}
        with dst.transaction("copy the office database"):
            for table, columns in TABLES.items():
                names = ", ".join(columns)
                insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
                counts[table] = 0
                for rows in src.chunks(f"SELECT {names} FROM {table}", CHUNK):
                    dst.executemany(insert, rows)
                    counts[table] += len(rows)
        return counts
    finally:
        src.close()
        dst.close()
