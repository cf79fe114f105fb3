"""The repository: every record of the kiosk, one durable TinyDB file per local day.

Layout of the data folder::

    state.json            kiosk id, sequence checkpoint, bookkeeping (atomic replace)
    days/2027-04-20.jsonl the records of that day (TinyDB through JournalStorage), table "records",
                          and the upload bookkeeping of those records, table "uploads"
    damaged/              copies of files that could not be read, for staff or a technician
    .lock                 held by the one process that writes (the app, or a command)

The cost of adding a record depends on the size of its day, never on history. One re-entrant lock
guards every public method: TinyDB is not thread-safe and the UI and the upload worker share this.

Sequence numbers: ``state.json`` holds a checkpoint ``seq`` and the days written since
(``touched_days``). Before the first record of a day is written, the day is added to ``touched_days``
durably; at start the sequence resumes from the largest ``seq`` found in those days (with a gap when
a file was damaged, as lost lines may have held the next numbers). So ``seq`` never repeats, even after
``kill -9``, and no state write is needed per record.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from tinydb import TinyDB, where

from kiosk.errors import DataFolderError, KioskBusyError, StorageError
from kiosk.storage.files import DAMAGED_DIR, move_aside
from kiosk.storage.journal import JournalStorage
from kiosk.storage.state import StateFile, new_kiosk_id

log = logging.getLogger(__name__)

DAYS_DIR = "days"
DAY_SUFFIX = ".jsonl"
RECORDS = "records"
UPLOADS = "uploads"
OPEN_DAYS = 4  # day files kept open (today, and a few the upload worker is reading)
#: After damage, lost records may have had the next numbers: skip ahead so that ``seq`` never repeats.
SEQ_GAP_AFTER_DAMAGE = 1000


class Repository:
    """All records of one kiosk data folder. Use as a context manager, or call :meth:`close`.

    ``writer=True`` (the default) takes the folder's lock: only one process writes at a time.
    A reader (``kiosk status``, ``kiosk log``) never writes, repairs nothing, and may run beside it.
    """

    def __init__(self, data_dir: str | os.PathLike, writer: bool = True):
        self.data_dir = Path(data_dir)
        self.writer = writer
        self._lock = threading.RLock()
        self._dbs: dict[str, TinyDB] = {}
        self._lock_fd: int | None = None
        #: Problems found while reading files, in words, for staff (``kiosk status``, staff screen).
        self.damage: list[str] = []
        self._prepare_folder()
        self.state = StateFile(self.data_dir / "state.json", self._report_damage)
        # Without a readable state file, every day file is scanned (slow, but only after damage).
        self._state_lost = self.state.was_damaged or (self.state.is_new and bool(self.days()))
        self._seq, self._latest = self._recover_sequence()
        if self.damage:
            self._seq += SEQ_GAP_AFTER_DAMAGE
        if writer:
            self._checkpoint()

    # -- opening ------------------------------------------------------------------------------------
    def _prepare_folder(self) -> None:
        try:
            (self.data_dir / DAYS_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DataFolderError(
                f"The data folder {self.data_dir} cannot be created ({error.strerror}). "
                "Choose another folder with KIOSK_DATA_DIR or [data] folder."
            ) from None
        if not self.writer:
            return
        if not os.access(self.data_dir, os.W_OK):
            raise DataFolderError(
                f"The data folder {self.data_dir} is not writable. "
                "Give the kiosk's user write access, or choose another folder."
            )
        import fcntl  # POSIX only (Linux, Raspberry Pi OS, Android)

        self._lock_fd = os.open(self.data_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock_fd)
            self._lock_fd = None
            raise KioskBusyError(
                f"Another kiosk program is writing to {self.data_dir} (the kiosk app, or a command). "
                "Close it first, or use another data folder."
            ) from None

    def _report_damage(self, path: Path, detail: str) -> None:
        message = f"{path.name} was damaged ({detail})"
        if self.writer:
            try:
                copy = move_aside(path, self.data_dir)
                message += f"; the original is kept as {DAMAGED_DIR}/{copy.name}, the readable part is kept"
            except OSError as error:
                message += f"; could not copy it aside ({error.strerror})"
        log.warning(message)
        self.damage.append(message)

    def _recover_sequence(self) -> tuple[int, datetime | None]:
        """Largest ``seq`` and newest trustworthy time written so far (see the module docstring)."""
        seq = int(self.state.get("seq", 0))
        latest = _parse_time(self.state.get("latest_time"))
        days = self.days() if self._state_lost else self.state.get("touched_days", [])
        for day in days:
            for record in self._table(day, RECORDS).all():
                seq = max(seq, int(record.get("seq", 0)))
                if record.get("clock_ok"):
                    created = _parse_time(record.get("created_at"))
                    if created and (latest is None or created > latest):
                        latest = created
        return seq, latest

    def _checkpoint(self) -> None:
        kiosk_id = self.state.get("kiosk_id") or (self._kiosk_id_from_records() or new_kiosk_id())
        pending = set(self.state.get("pending_days", []))
        if self._state_lost:
            pending |= set(self.days())  # over-inclusive is safe: uploads are deduplicated
        self.state.update(
            kiosk_id=kiosk_id,
            seq=self._seq,
            latest_time=self._latest.isoformat() if self._latest else None,
            touched_days=[],
            pending_days=sorted(pending),
        )

    def _kiosk_id_from_records(self) -> str | None:
        for day in reversed(self.days()):
            for record in self._table(day, RECORDS).all():
                if isinstance(record.get("kiosk"), str):
                    return record["kiosk"]
        return None

    # -- day files ----------------------------------------------------------------------------------
    def _db(self, day: str) -> TinyDB:
        db = self._dbs.pop(day, None)
        if db is None:
            path = self.data_dir / DAYS_DIR / f"{day}{DAY_SUFFIX}"
            db = TinyDB(path, storage=JournalStorage, on_damage=self._report_damage, repair=self.writer)
            if len(self._dbs) >= OPEN_DAYS:
                oldest = next(iter(self._dbs))
                self._dbs.pop(oldest).close()
        self._dbs[day] = db  # most recently used last
        return db

    def _table(self, day: str, name: str):
        return self._db(day).table(name, cache_size=0)

    # -- public API ---------------------------------------------------------------------------------
    @property
    def kiosk_id(self) -> str:
        return self.state.get("kiosk_id") or "kiosk-unknown"

    def latest_time(self) -> datetime | None:
        """The newest ``created_at`` written with a trustworthy clock (for the clock check)."""
        with self._lock:
            return self._latest

    def add(self, record: dict[str, Any]) -> dict[str, Any]:
        """Give ``record`` the next ``seq`` and store it durably; return it. Raises StorageError."""
        if not self.writer:
            raise StorageError("This repository was opened read-only.")
        with self._lock:
            day = record["created_at"][:10]
            touched = self.state.get("touched_days", [])
            pending = self.state.get("pending_days", [])
            if day not in touched or day not in pending:
                self.state.update(
                    touched_days=sorted({*touched, day}), pending_days=sorted({*pending, day})
                )
            stored = {**record, "seq": self._seq + 1}
            self._table(day, RECORDS).insert(stored)
            self._seq += 1
            if stored["clock_ok"]:
                created = _parse_time(stored["created_at"])
                if created and (self._latest is None or created > self._latest):
                    self._latest = created
            return stored

    def days(self) -> list[str]:
        """The days that have a file, oldest first (``YYYY-MM-DD``)."""
        folder = self.data_dir / DAYS_DIR
        names = (p.name[: -len(DAY_SUFFIX)] for p in folder.glob(f"*{DAY_SUFFIX}"))
        return sorted(name for name in names if _is_day(name))

    def records_for_day(self, day: date | str) -> list[dict[str, Any]]:
        """The records of one local day, in the order they were written."""
        day = str(day)
        with self._lock:
            if not (self.data_dir / DAYS_DIR / f"{day}{DAY_SUFFIX}").exists():
                return []
            return sorted((dict(r) for r in self._table(day, RECORDS).all()), key=lambda r: r["seq"])

    def records_since(self, first_day: date | str) -> list[dict[str, Any]]:
        """The records of ``first_day`` and every later day, in the order they were written."""
        with self._lock:
            days = [day for day in self.days() if day >= str(first_day)]
            records = [record for day in days for record in self.records_for_day(day)]
            return sorted(records, key=lambda r: r["seq"])

    def count_for_day(self, day: date | str) -> int:
        day = str(day)
        with self._lock:
            if not (self.data_dir / DAYS_DIR / f"{day}{DAY_SUFFIX}").exists():
                return 0
            return len(self._table(day, RECORDS))

    # -- upload bookkeeping (used by the outbox worker) ---------------------------------------------
    def pending(self, limit: int = 500) -> list[dict[str, Any]]:
        """Records not yet accepted by the office nor set aside as rejected, oldest day first."""
        with self._lock:
            found: list[dict[str, Any]] = []
            for day in self.state.get("pending_days", []):
                found.extend(self._pending_in(day))
                if len(found) >= limit:
                    break
            return found[:limit]

    def pending_count(self) -> int:
        with self._lock:
            return sum(len(self._pending_in(day)) for day in self.state.get("pending_days", []))

    def _pending_in(self, day: str) -> list[dict[str, Any]]:
        if not (self.data_dir / DAYS_DIR / f"{day}{DAY_SUFFIX}").exists():
            return []
        done = {u["id"] for u in self._table(day, UPLOADS).all()}
        return sorted(
            (dict(r) for r in self._table(day, RECORDS).all() if r["id"] not in done), key=lambda r: r["seq"]
        )

    def mark_done(self, outcomes: Iterable[tuple[str, str, str, str]], at: str) -> None:
        """Record upload outcomes: ``(day, record_id, status, reason)`` with status
        ``uploaded`` or ``rejected``. Days left with nothing pending leave ``pending_days``."""
        with self._lock:
            by_day: dict[str, list[dict[str, str]]] = {}
            for day, record_id, status, reason in outcomes:
                by_day.setdefault(day, []).append({"id": record_id, "status": status, "reason": reason, "at": at})
            for day, docs in by_day.items():
                self._table(day, UPLOADS).insert_multiple(docs)
            finished = [day for day in by_day if not self._pending_in(day)]
            if finished:
                self.state.update(pending_days=[d for d in self.state.get("pending_days", []) if d not in finished])

    def uploads_for_day(self, day: str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(u) for u in self._table(day, UPLOADS).all()]

    def rejected(self) -> list[dict[str, Any]]:
        """Records the office refused, with its reason (for staff)."""
        with self._lock:
            out = []
            for day in self.days():
                out.extend(dict(u, day=day) for u in self._table(day, UPLOADS).search(where("status") == "rejected"))
            return out

    # -- bookkeeping --------------------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._lock:
            return self.state.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        if not self.writer:
            raise StorageError("This repository was opened read-only.")
        with self._lock:
            self.state.update(**{key: value})

    def damaged_files(self) -> list[Path]:
        folder = self.data_dir / DAMAGED_DIR
        return sorted(folder.iterdir()) if folder.is_dir() else []

    def close(self) -> None:
        with self._lock:
            for db in self._dbs.values():
                db.close()
            self._dbs.clear()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None

    def __enter__(self) -> "Repository":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _is_day(name: str) -> bool:
    try:
        date.fromisoformat(name)
        return True
    except ValueError:
        return False


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None

