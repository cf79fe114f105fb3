"""The repository: every record of the kiosk, one durable TinyDB file per local day.

Layout of the data folder::

    state.json            kiosk id, sequence checkpoint, bookkeeping (atomic replace)
    days/2027-04-20.jsonl the records of that day (TinyDB through JournalStorage), table "records",
                          and the upload bookkeeping of those records, table "uploads"
    damaged/              copies of files that could not be read, for staff or a technician
    .lock                 held by the one process that writes (the app, or a command)

The cost of adding a record depends on the size of its day, never on history. One re-entrant lock
guards every public method that reads or changes the day files or the bookkeeping: TinyDB is not
thread-safe and the UI and the upload worker share this. (Listing day and damaged files needs no lock.)

Upload bookkeeping: ``state.json`` lists the days that still hold records to upload (``pending_days``);
the ids of the records of such a day not yet in its ``uploads`` table are kept in memory once read (the
records themselves stay in their files: weeks without network are thousands of them), so that the
upload worker's ``mark_done()`` costs what a batch costs, not what the day holds.
Retention removes whole day files once every record in them was uploaded long enough ago.

Sequence numbers: ``state.json`` holds a checkpoint ``seq`` and the days written since
(``touched_days``). Before the first record of a day is written, the day is added to ``touched_days``
durably; at start the sequence resumes from the largest ``seq`` found in those days (with a gap when
a file was damaged, as lost lines may have held the next numbers). So ``seq`` never repeats, even after
``kill -9``, and no state write is needed per record.

Record counts: ``state.json`` also holds how many records each day file held when the state was last
written (``day_counts``: at start, at the first record of a day, after uploads, at close). A day file
never loses records, so one that holds fewer (emptied to 0 bytes, cut short, removed) is damage: it is
copied aside and reported like any other, and its count follows what is left so it is reported once.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from tinydb import TinyDB, where

from kiosk.clock import EARLIEST_PLAUSIBLE, parse_time
from kiosk.errors import DataFolderError, DiskFullError, KioskBusyError, StorageError
from kiosk.storage.files import (
    DAMAGED_DIR,
    PRIVATE_FILE,
    fsync_dir,
    move_aside,
    private_folder,
    tighten,
    tighten_tree,
)
from kiosk.storage.journal import JournalDB
from kiosk.storage.state import StateFile, new_kiosk_id

log = logging.getLogger(__name__)

DAYS_DIR = "days"
DAY_SUFFIX = ".jsonl"
RECORDS = "records"
UPLOADS = "uploads"
OPEN_DAYS = 4  # day files kept open (today, and a few the upload worker is reading)
#: After damage, lost records may have had the next numbers: skip ahead so that ``seq`` never repeats.
SEQ_GAP_AFTER_DAMAGE = 1000
#: Key in ``state.json``: day -> how many records its file held when the state was last written.
DAY_COUNTS = "day_counts"


class Repository:
    """All records of one kiosk data folder. Use as a context manager, or call :meth:`close`.

    ``writer=True`` (the default) takes the folder's lock: only one process writes at a time.
    A reader (``kiosk status``, ``kiosk log``) writes nothing (no folder, no state file, no repair) and
    may run beside it; a folder no writer has made yet is empty to a reader.
    """

    def __init__(self, data_dir: str | os.PathLike, writer: bool = True):
        self.data_dir = Path(data_dir)
        self.writer = writer
        self._lock = threading.RLock()
        self._dbs: dict[str, TinyDB] = {}
        self._lock_fd: int | None = None
        self._closed = False
        #: day -> ids of its records not yet uploaded nor rejected, in ``seq`` order (read lazily).
        self._pending: dict[str, dict[str, None]] = {}
        self._rejected_count: int | None = None
        self._rejections = 0  # refusals recorded by this object (tells rejected() its count is current)
        #: (day, types) -> that day's records of those types, for records_since(types=...): the idea wall
        #: reads two months of ideas and votes at every visit. A day's entries go whenever its file changes.
        self._picked: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = {}
        #: Problems found while reading files, in words, for staff (``kiosk status``, staff screen).
        self.damage: list[str] = []
        self._damaged_paths: set[Path] = set()
        self._prepare_folder()
        self.state = StateFile(self.data_dir / "state.json", self._report_damage)
        self._counts = _day_counts(self.state.get(DAY_COUNTS))
        self._check_removed_days()
        # Without a readable state file, every day file is scanned (slow, but only after damage).
        self._state_lost = self.state.was_damaged or (self.state.is_new and bool(self.days()))
        self._seq, self._latest = self._recover_sequence()
        if self.damage:
            self._seq += SEQ_GAP_AFTER_DAMAGE
        if writer:
            try:
                self._checkpoint()
            except DiskFullError as error:
                # Start anyway: records cannot be kept until there is room (each says so), but the
                # kiosk is up, and the old state file still lists what recovery needs.
                log.warning("%s", error)
                self.damage.append(str(error))

    # -- opening ------------------------------------------------------------------------------------
    def _prepare_folder(self) -> None:
        if not self.writer:
            return  # a reader writes nothing: a folder not made yet simply holds no records
        try:
            private_folder(self.data_dir)
            private_folder(self.data_dir / DAYS_DIR)
        except OSError as error:
            raise DataFolderError(
                f"The data folder {self.data_dir} cannot be created ({error.strerror}). "
                "Choose another folder with KIOSK_DATA_DIR or [data] folder."
            ) from None
        if not os.access(self.data_dir, os.W_OK):
            raise DataFolderError(
                f"The data folder {self.data_dir} is not writable. "
                "Give the kiosk's user write access, or choose another folder."
            )
        import fcntl  # POSIX only (Linux, Raspberry Pi OS, Android)

        self._tighten_modes()
        self._lock_fd = os.open(self.data_dir / ".lock", os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock_fd)
            self._lock_fd = None
            raise KioskBusyError(
                f"Another kiosk program is writing to {self.data_dir} (the kiosk app, or a command). "
                "Close it first, or use another data folder."
            ) from None

    def _tighten_modes(self) -> None:
        """What a version that made files readable by all left behind: the kiosk's own files only (the
        data folder may be shared with other things)."""
        for name in ("state.json", ".lock"):
            tighten(self.data_dir / name, PRIVATE_FILE)
        for name in (DAYS_DIR, DAMAGED_DIR, "calendar"):
            if (self.data_dir / name).is_dir():
                tighten_tree(self.data_dir / name)

    def _report_damage(self, path: Path, detail: str) -> None:
        self._damaged_paths.add(path)
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
        latest = parse_time(self.state.get("latest_time"))
        days = self.days() if self._state_lost else self.state.get("touched_days", [])
        for day in days:
            for record in self._table(day, RECORDS).all():
                seq = max(seq, int(record.get("seq", 0)))
                if record.get("clock_ok"):
                    created = parse_time(record.get("created_at"))
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
            **{DAY_COUNTS: self._current_counts()},
        )

    def _kiosk_id_from_records(self) -> str | None:
        for day in reversed(self.days()):
            for record in self._table(day, RECORDS).all():
                if isinstance(record.get("kiosk"), str):
                    return record["kiosk"]
        return None

    # -- day files ----------------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise StorageError("The kiosk's records are closed (the kiosk is stopping).")

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """Hold the lock for a change: refused to a reader, and once closed."""
        if not self.writer:
            raise StorageError("This repository was opened read-only.")
        with self._lock:
            self._check_open()
            yield

    def _db(self, day: str) -> TinyDB:
        self._check_open()
        db = self._dbs.pop(day, None)
        if db is None:
            path = self.data_dir / DAYS_DIR / f"{day}{DAY_SUFFIX}"
            db = JournalDB(path, on_damage=self._report_damage, repair=self.writer,
                        keeps_documents=True)
            if len(self._dbs) >= OPEN_DAYS:
                oldest = next(iter(self._dbs))
                self._note_count(oldest, self._dbs[oldest])
                self._dbs.pop(oldest).close()
            self._check_count(day, path, db)
        self._dbs[day] = db  # most recently used last
        return db

    # -- record counts (see the module docstring) ---------------------------------------------------
    def _check_count(self, day: str, path: Path, db: TinyDB) -> None:
        """A day file holding fewer records than it held before is damage: kept aside, reported once."""
        expected = self._counts.get(day)
        if expected is None:
            return
        have = db.storage.documents(RECORDS)
        if have >= expected:
            return
        message = f"{path.name} holds {have} records but held {expected} (emptied or cut short)"
        if self.writer:
            if path in self._damaged_paths:
                message += "; the damaged file is kept as said above"
            elif path.exists():
                try:
                    kept = move_aside(path, self.data_dir)
                    message += f"; it is kept as {DAMAGED_DIR}/{kept.name}"
                except OSError as error:
                    message += f"; could not copy it aside ({error.strerror})"
            self._counts[day] = have
            try:
                self.state.update(**{DAY_COUNTS: dict(self._counts)})
            except StorageError:
                pass  # reported again next time: better twice than never
        log.warning(message)
        self.damage.append(message)

    def _check_removed_days(self) -> None:
        for day, expected in sorted(self._counts.items()):
            if expected and not self._day_path(day).exists():
                self.damage.append(f"{day}{DAY_SUFFIX} held {expected} records and is gone")
                log.warning("%s", self.damage[-1])
                if self.writer:
                    self._counts[day] = 0

    def _note_count(self, day: str, db: TinyDB) -> None:
        self._counts[day] = max(self._counts.get(day, 0), db.storage.documents(RECORDS))

    def _current_counts(self) -> dict[str, int]:
        """``day_counts`` as it should be written now: the stored counts, with every open day counted again."""
        for day, db in self._dbs.items():
            self._note_count(day, db)
        return dict(self._counts)

    def _table(self, day: str, name: str):
        return self._db(day).table(name, cache_size=0)

    def _day_path(self, day: str) -> Path:
        return self.data_dir / DAYS_DIR / f"{day}{DAY_SUFFIX}"

    # -- public API ---------------------------------------------------------------------------------
    @property
    def kiosk_id(self) -> str:
        """The id in ``state.json`` (a writer makes it when it first opens the folder; see :func:`kiosk_id_of`)."""
        return self.state.get("kiosk_id") or "kiosk-unknown"

    def latest_time(self) -> datetime | None:
        """The newest ``created_at`` written with a trustworthy clock (for the clock check)."""
        with self._lock:
            return self._latest

    def trust_clock(self, now: datetime) -> bool:
        """A trusted source (the office) confirms that ``now`` is the right time: forget a newest time
        beyond it, left by a clock that ran ahead, so that right times are no longer flagged as wrong.
        True when something changed."""
        with self._changing():
            if self._latest is None or self._latest <= now:
                return False
            # A checkpoint of seq as well: recovery must not bring the time ahead back from touched days.
            self.state.update(seq=self._seq, latest_time=now.isoformat(), touched_days=[])
            self._latest = now
            return True

    def add(self, record: dict[str, Any]) -> dict[str, Any]:
        """Give ``record`` the next ``seq`` and store it durably; return it. Raises StorageError."""
        with self._changing():
            day = record["created_at"][:10]
            touched = self.state.get("touched_days", [])
            pending = self.state.get("pending_days", [])
            if day not in touched or day not in pending:
                self.state.update(
                    touched_days=sorted({*touched, day}), pending_days=sorted({*pending, day}),
                    **{DAY_COUNTS: self._current_counts()},
                )
            stored = {**record, "seq": self._seq + 1}
            self._forget_picked(day)
            self._table(day, RECORDS).insert(stored)
            self._seq += 1
            if day in self._pending:
                self._pending[day][stored["id"]] = None
            if stored["clock_ok"]:
                created = parse_time(stored["created_at"])
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

    def records_since(self, first_day: date | str, types: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The records of ``first_day`` and every later day, in the order they were written; only those
        of ``types`` when given (picked day by day: two months of check-ins are never all in memory)."""
        wanted = None if types is None else frozenset(str(t) for t in types)
        with self._lock:
            days = [day for day in self.days() if day >= str(first_day)]
            if wanted is None:
                records = [record for day in days for record in self.records_for_day(day)]
            else:
                records = [copy.deepcopy(record) for day in days for record in self._picked_in(day, wanted)]
            return sorted(records, key=lambda r: r["seq"])

    def _picked_in(self, day: str, wanted: frozenset[str]) -> list[dict[str, Any]]:
        picked = self._picked.get((day, wanted))
        if picked is None:
            picked = [record for record in self.records_for_day(day) if record["type"] in wanted]
            self._picked[(day, wanted)] = picked
        return picked

    def _forget_picked(self, day: str) -> None:
        for key in [key for key in self._picked if key[0] == day]:
            del self._picked[key]

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
                if len(found) >= limit:
                    break
                ids = self._pending_in(day)
                if ids:
                    by_id = {record["id"]: record for record in self._table(day, RECORDS).all()}
                    for record_id in [i for i in ids if i not in by_id]:  # its file was repaired meanwhile
                        del ids[record_id]
                    found += [dict(by_id[i]) for i in list(ids)[: limit - len(found)]]
            return found

    def pending_count(self) -> int:
        # The lock is taken day by day: the first count reads every pending day file, and a visitor's
        # record must not wait for all of them (the upload worker counts at its start).
        with self._lock:
            days = list(self.state.get("pending_days", []))
        count = 0
        for day in days:
            with self._lock:
                count += len(self._pending_in(day))
        return count

    def _pending_in(self, day: str) -> dict[str, None]:
        cached = self._pending.get(day)
        if cached is not None:
            return cached
        if not self._day_path(day).exists():
            return {}
        done = {u["id"] for u in self._table(day, UPLOADS).all()}
        records = sorted((r for r in self._table(day, RECORDS).all() if r["id"] not in done), key=_by_seq)
        self._pending[day] = dict.fromkeys(r["id"] for r in records)
        return self._pending[day]

    def mark_done(self, outcomes: Iterable[tuple[str, str, str, str]], at: str) -> None:
        """Record upload outcomes: ``(day, record_id, status, reason)`` with status
        ``uploaded`` or ``rejected``. Outcomes for records that are not pending (already done, or
        unknown) are ignored, so this is safe to repeat. Days left with nothing pending leave
        ``pending_days``."""
        with self._changing():
            by_day: dict[str, dict[str, dict[str, str]]] = {}
            for day, record_id, status, reason in outcomes:
                if status not in ("uploaded", "rejected"):
                    raise ValueError(f"unknown upload status {status!r}")
                if record_id in self._pending_in(day):
                    by_day.setdefault(day, {})[record_id] = {
                        "id": record_id, "status": status, "reason": reason, "at": at
                    }
            for day, docs in by_day.items():
                self._table(day, UPLOADS).insert_multiple(docs.values())
                pending = self._pending_in(day)
                for record_id, doc in docs.items():
                    del pending[record_id]
                    if doc["status"] == "rejected":
                        self._rejections += 1
                        if self._rejected_count is not None:
                            self._rejected_count += 1
            finished = [day for day in by_day if not self._pending_in(day)]
            for day in finished:
                self._pending.pop(day, None)
            if finished:
                self.state.update(pending_days=[d for d in self.state.get("pending_days", []) if d not in finished],
                                  **{DAY_COUNTS: self._current_counts()})

    # -- privacy ------------------------------------------------------------------------------------
    def erase_personal(self, day: str, record_id: str, fields: Iterable[str]) -> "Erasure":
        """Wipe ``fields`` from a record's ``data`` in its day file and mark it ``"erased": true``.

        The one exception to "a record never changes": a person's right to have their details erased.
        The day file is then rewritten (compacted), so the earlier version is no longer in it, and a
        record not yet uploaded goes to the office in its erased form. The statistics stay: only the
        named fields go. Raises StorageError when the record is not in that day's file.
        """
        fields = tuple(fields)
        with self._changing():
            if not self._day_path(day).exists():
                raise StorageError(f"There is no record {record_id} on {day}.")
            table = self._table(day, RECORDS)
            found = table.search(where("id") == record_id)
            if not found:
                raise StorageError(f"There is no record {record_id} on {day}.")
            doc = found[0]
            data = {key: value for key, value in doc["data"].items() if key not in fields}
            erased = [key for key in fields if key in doc["data"]]
            if erased or not doc["data"].get("erased"):
                data["erased"] = True
                self._forget_picked(day)
                table.update({"data": data}, doc_ids=[doc.doc_id])
                self._db(day).storage.compact()
            outcome = {u["id"]: u["status"] for u in self._table(day, UPLOADS).search(where("id") == record_id)}
            return Erasure(erased=erased, uploaded=outcome.get(record_id) == "uploaded")

    def uploads_for_day(self, day: str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(u) for u in self._table(day, UPLOADS).all()]

    def rejected(self) -> list[dict[str, Any]]:
        """Records the office refused, with its reason (for staff)."""
        while True:
            with self._lock:
                seen = self._rejections
            out = []
            for day in self.days():  # day by day, like pending_count()
                with self._lock:
                    out.extend(dict(u, day=day) for u in self._table(day, UPLOADS).search(where("status") == "rejected"))
            with self._lock:
                if self._rejections == seen:  # no refusal was recorded meanwhile: the count is right
                    self._rejected_count = len(out)
                    return out

    def rejected_count(self) -> int:
        """How many records the office refused (counted once, then kept up to date)."""
        with self._lock:
            if self._rejected_count is None:
                self.rejected()
            assert self._rejected_count is not None
            return self._rejected_count

    # -- retention ----------------------------------------------------------------------------------
    def purge_uploaded(self, uploaded_before: datetime, dry_run: bool = False) -> "PurgeReport":
        """Remove the day files whose every record was uploaded before ``uploaded_before``.

        A day with a record not yet uploaded, or one the office refused (kept for staff), stays whole.
        With ``dry_run`` nothing is removed; the report says what would be.
        """
        report = PurgeReport()
        with self._lock if dry_run else self._changing():
            pending_days = set(self.state.get("pending_days", []))
            for day in self.days():
                if day >= uploaded_before.date().isoformat():
                    break  # a record is never uploaded before the day it was made
                if day in pending_days:
                    report.kept_pending.append(day)
                    continue
                verdict = self._purgeable(day, uploaded_before)
                if verdict == "rejected":
                    report.kept_rejected.append(day)
                elif verdict == "pending":
                    report.kept_pending.append(day)
                elif isinstance(verdict, int):
                    report.removed_days.append(day)
                    report.removed_records += verdict
                    if not dry_run:
                        self._remove_day(day)
        return report

    def _purgeable(self, day: str, uploaded_before: datetime) -> int | str | None:
        """The day's record count if it may go; else why not: "rejected", "pending" or None (too recent)."""
        outcome: dict[str, dict[str, Any]] = {}
        for upload in self._table(day, UPLOADS).all():
            outcome[upload["id"]] = upload  # a later outcome for the same id wins
        ids = [r["id"] for r in self._table(day, RECORDS).all()]
        if any(outcome.get(i, {}).get("status") == "rejected" for i in ids):
            return "rejected"
        if any(outcome.get(i, {}).get("status") != "uploaded" for i in ids):
            return "pending"
        for record_id in ids:
            at = parse_time(outcome[record_id].get("at"))
            # An upload stamped by a clock that was wrong (1970) says nothing about its age: keep the day.
            if at is None or at.tzinfo is None or at < EARLIEST_PLAUSIBLE or at >= uploaded_before:
                return None
        return len(ids)

    def _remove_day(self, day: str) -> None:
        db = self._dbs.pop(day, None)
        if db is not None:
            db.close()
        self._pending.pop(day, None)
        self._forget_picked(day)
        path = self._day_path(day)
        try:
            path.unlink(missing_ok=True)
            fsync_dir(path.parent)
        except OSError as error:
            raise StorageError(f"Could not remove {path.name}: {error.strerror or error}") from error
        self._counts.pop(day, None)
        touched = self.state.get("touched_days", [])
        self.state.update(touched_days=[d for d in touched if d != day], **{DAY_COUNTS: dict(self._counts)})

    # -- bookkeeping --------------------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._lock:
            return self.state.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        with self._changing():
            self.state.update(**{key: value})

    def damaged_files(self) -> list[Path]:
        folder = self.data_dir / DAMAGED_DIR
        return sorted(folder.iterdir()) if folder.is_dir() else []

    def close(self) -> None:
        with self._lock:
            if self.writer and not self._closed and self._dbs:
                try:
                    self.state.update(**{DAY_COUNTS: self._current_counts()})
                except StorageError as error:
                    log.warning("the record counts could not be kept: %s", error)
            self._closed = True
            self._pending.clear()
            self._picked.clear()
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


def kiosk_id_of(data_dir: str | os.PathLike) -> str:
    """The kiosk id of ``data_dir``, made now (by a writer that opens and closes the folder) when the
    folder is new, so that every command shows the id the kiosk will upload with. A folder in use whose
    state file is damaged or lost is only read (the id is in its records); its writer repairs it.
    Raises DataFolderError when the folder cannot be made or written."""
    with Repository(data_dir, writer=False) as reader:
        if not reader.state.is_new:
            return reader.kiosk_id
        if reader.state.was_damaged or reader.days():  # a folder in use: only its writer repairs it
            return reader._kiosk_id_from_records() or reader.kiosk_id
    try:
        with Repository(data_dir) as writer:  # its first checkpoint makes the id
            return writer.kiosk_id
    except KioskBusyError:  # another writer (the kiosk, starting) holds the folder and makes the id
        with Repository(data_dir, writer=False) as reader:
            return reader.kiosk_id


@dataclass(frozen=True)
class Erasure:
    """What :meth:`Repository.erase_personal` did: the fields it removed, and whether the office already
    had the record (then its copy there still holds them: the office must erase it too)."""

    erased: list[str]
    uploaded: bool


@dataclass
class PurgeReport:
    """What retention removed (or, in a dry run, would remove), and which old days it kept and why."""

    removed_days: list[str] = field(default_factory=list)
    removed_records: int = 0
    kept_rejected: list[str] = field(default_factory=list)
    kept_pending: list[str] = field(default_factory=list)


def _day_counts(value: Any) -> dict[str, int]:
    """The stored ``day_counts``, leaving out anything that is not a day and a whole number."""
    if not isinstance(value, dict):
        return {}
    return {day: n for day, n in value.items()
            if isinstance(day, str) and _is_day(day) and isinstance(n, int) and not isinstance(n, bool) and n >= 0}


def _by_seq(record: dict[str, Any]) -> int:
    return int(record.get("seq", 0))


def _is_day(name: str) -> bool:
    try:
        date.fromisoformat(name)
        return True
    except ValueError:
        return False
