"""A TinyDB storage that appends changes to a journal instead of rewriting the whole file.

Stock ``JSONStorage`` rewrites the file in place on every change: slow as the file grows, and a power
cut mid-write can leave unreadable JSON. This storage keeps TinyDB's two-method contract
(``read``/``write``) but writes only what changed, as one JSON line, then fsyncs:

    {"set": {"_default": {"7": {...}}}, "del": {"_default": ["3"]}}

A line is written whole or, after a crash, is the torn last line; either way every line before it is
intact. Reading replays the lines. A line that cannot be read (torn tail, bad sectors, garbage) is
skipped; the original file is first copied aside and the readable content is written back atomically,
so the damage is reported once and the kiosk keeps going. When the journal holds many more lines than
documents, it is compacted into a single ``{"snapshot": ...}`` line by an atomic replace.

With ``keeps_documents=True`` (the kiosk's day files: a record is never removed from its day) a line that
would remove documents already read is damage, not an instruction: a ``{"snapshot": ...}`` that lacks some
of them (the writer only ever writes a snapshot as the whole file), or a ``del`` of them. It is skipped
like a garbled line, so the records read before it stay.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Callable

from tinydb import TinyDB
from tinydb.table import Table
from tinydb.storages import Storage

from kiosk.errors import StorageError
from kiosk.storage.files import PRIVATE_FILE, fsync_dir, storage_error, write_atomically

log = logging.getLogger(__name__)

Tables = dict[str, dict[str, dict]]

#: Compact when the journal has more than this many lines per stored document (plus a margin).
COMPACT_FACTOR = 4
COMPACT_MARGIN = 64


class JournalStorage(Storage):
    """Durable, append-only TinyDB storage for one file.

    ``on_damage(path, detail)`` is called before a damaged file is repaired; it should move a copy
    aside. With ``repair=False`` (a reader) damage is reported but the file is left as it is.
    The storage caches the content: the kiosk is the only writer of its data folder.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        on_damage: Callable[[Path, str], None] | None = None,
        repair: bool = True,
        keeps_documents: bool = False,
    ):
        self.path = Path(path)
        self._keeps_documents = keeps_documents
        self._on_damage = on_damage
        self._repair = repair
        self._tables: Tables | None = None
        self._lines = 0
        self._fd: int | None = None

    # -- TinyDB's contract -------------------------------------------------------------------------
    def read(self) -> Tables | None:
        if self._tables is None:
            self._load()
        if not self._tables:
            return None
        # TinyDB edits documents in place on update(); hand out copies so the cache stays "as written".
        return {name: {key: dict(doc) for key, doc in table.items()} for name, table in self._tables.items()}

    def write(self, data: Tables) -> None:
        if self._tables is None:
            self._load()
        assert self._tables is not None
        changes = _diff(self._tables, data)
        if not changes:
            return
        self._append_line(changes)
        self._tables = {name: dict(table) for name, table in data.items()}
        self._after_line()

    def append(self, table: str, key: str, document: dict) -> None:
        """Store one new document durably as one line, without the read, copy and compare of the whole
        file that TinyDB's ``write`` goes through: an insert costs the same in a full day as in an empty
        one. ValueError when ``key`` is taken."""
        if self._tables is None:
            self._load()
        assert self._tables is not None
        if key in self._tables.get(table, {}):
            raise ValueError(f"document {key} is already in table {table}")
        self._append_line({"set": {table: {key: document}}})
        self._tables.setdefault(table, {})[key] = document
        self._after_line()

    def documents(self, table: str) -> int:
        """How many documents ``table`` holds (without copying them, as :meth:`read` does)."""
        if self._tables is None:
            self._load()
        assert self._tables is not None
        return len(self._tables.get(table, {}))

    def compact(self) -> None:
        """Rewrite the journal as one snapshot line now, so that earlier versions of documents leave the file."""
        if self._tables is None:
            self._load()
        self._rewrite()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    # -- internals ---------------------------------------------------------------------------------
    def _load(self) -> None:
        tables: Tables = {}
        problems: list[str] = []
        lines = 0
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raw = b""
        for number, line in enumerate(raw.split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                _apply(tables, json.loads(line), self._keeps_documents)
                lines += 1
            except (ValueError, TypeError, AttributeError) as error:
                problems.append(f"line {number}: {error}"[:200])
        if raw and not raw.endswith(b"\n") and not problems:
            problems.append("the last line was cut off")
        self._tables, self._lines = tables, lines
        if problems:
            if self._on_damage:
                self._on_damage(self.path, "; ".join(problems[:3]))
            if self._repair:
                # Without room for the repaired copy (a full disk), go on with what was read: appends
                # start on a line of their own (see _append), the repair is tried again next time.
                self._try_rewrite("repairing")

    def _append_line(self, entry: dict) -> None:
        self._append(json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")

    def _after_line(self) -> None:
        self._lines += 1
        if self._lines > COMPACT_FACTOR * sum(len(t) for t in self._tables.values()) + COMPACT_MARGIN:
            # The change is on disk already: a compaction that fails (a full disk) must not make the
            # caller believe it was not. The journal stays as it is and compacts another time.
            self._try_rewrite("compacting")

    def _append(self, line: bytes) -> None:
        created = False
        try:
            if self._fd is None:
                created = not self.path.exists()
                self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
            size = os.fstat(self._fd).st_size
            if size and os.pread(self._fd, 1, size - 1) != b"\n":
                line = b"\n" + line  # never glue onto a line cut short by a power cut
            try:
                written = os.write(self._fd, line)
                if written != len(line):
                    raise OSError(28, "short write (disk full?)")
                _sync_data(self._fd)
            except OSError:
                # Never leave half a line behind: the next append would glue onto it.
                self._tables = None
                os.ftruncate(self._fd, size)
                raise
            if created:
                fsync_dir(self.path.parent)
        except OSError as error:
            self.close()
            raise storage_error(error, self.path) from error

    def _try_rewrite(self, doing: str) -> None:
        try:
            self._rewrite()
        except StorageError as error:
            log.warning("%s %s failed, the journal stays as it is: %s", doing, self.path.name, error)

    def _rewrite(self) -> None:
        """Replace the journal by one snapshot line (atomically)."""
        assert self._tables is not None
        self.close()
        snapshot = {"snapshot": self._tables}
        write_atomically(self.path, json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
        self._lines = 1


class JournalTable(Table):
    """A TinyDB table whose ``insert`` is :meth:`JournalStorage.append`: one line, whatever the table holds."""

    def insert(self, document) -> int:
        doc_id = self._get_next_id()
        self._storage.append(self.name, str(doc_id), dict(document))
        self.clear_cache()
        return doc_id


class JournalDB(TinyDB):
    """TinyDB on a :class:`JournalStorage`, its tables :class:`JournalTable`."""

    table_class = JournalTable

    def __init__(self, path, **kwargs):
        super().__init__(path, storage=JournalStorage, **kwargs)


def _diff(old: Tables, new: Tables) -> dict:
    changed: dict[str, dict[str, dict]] = {}
    deleted: dict[str, list[str]] = {}
    for name, table in new.items():
        before = old.get(name, {})
        upserts = {key: doc for key, doc in table.items() if before.get(key) != doc}
        gone = [key for key in before if key not in table]
        if upserts or (name not in old):
            changed[name] = upserts
        if gone:
            deleted[name] = gone
    for name in old:
        if name not in new:
            deleted[name] = list(old[name])
    changes: dict = {}
    if changed:
        changes["set"] = changed
    if deleted:
        changes["del"] = deleted
    return changes


def _apply(tables: Tables, entry: dict, keeps_documents: bool = False) -> None:
    """Apply one journal line to ``tables``; ValueError (and ``tables`` untouched) when it is not one, or
    when ``keeps_documents`` and it would remove documents already read."""
    if not isinstance(entry, dict):
        raise ValueError("not a journal entry")
    if "snapshot" in entry:
        snapshot = _tables_of(entry["snapshot"])
        if keeps_documents:
            lost = sum(1 for name, table in tables.items() for key in table if key not in snapshot.get(name, {}))
            if lost:
                raise ValueError(f"a snapshot that would lose {lost} records read before it")
        tables.clear()
        tables.update(snapshot)
        return
    if not ("set" in entry or "del" in entry):
        raise ValueError("not a journal entry")
    changes = _tables_of(entry.get("set", {}))
    deletions = entry.get("del", {})
    if not isinstance(deletions, dict) or not all(isinstance(keys, list) for keys in deletions.values()):
        raise ValueError("not a journal entry")
    if keeps_documents:
        lost = sum(1 for name, keys in deletions.items() for key in keys if str(key) in tables.get(name, {}))
        if lost:
            raise ValueError(f"a line that would remove {lost} records read before it")
    for name, table in changes.items():
        tables.setdefault(name, {}).update(table)
    for name, keys in deletions.items():
        target = tables.get(name, {})
        for key in keys:
            target.pop(str(key), None)


def _tables_of(value: object) -> Tables:
    """``value`` as tables of documents (copies), or ValueError when it is not shaped like that."""
    if not isinstance(value, dict):
        raise ValueError("not a journal entry")
    tables: Tables = {}
    for name, table in value.items():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise ValueError("not a journal entry")
        tables[str(name)] = {str(key): dict(doc) for key, doc in table.items()}
    return tables


#: Makes the appended line durable: the data and the file's new size, not its modification time, which
#: ``fsync`` would also force to disk (a second write to the journal of the file system, for nothing).
_sync_data = getattr(os, "fdatasync", os.fsync)
