"""The office's data folder is private to the office's user: folder 0700, database and its journals 0600."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.storage.files import PRIVATE_FILE, private_folder, tighten_tree


def private_office_folder(data_dir: Path, db_name: str | None) -> None:
    """Create ``data_dir`` (0700) and the empty database file ``db_name`` in it (0600) before SQLite opens
    it (SQLite gives its -wal and -shm files the database's modes); tighten what an older version made.
    ``db_name`` None: the database is elsewhere (PostgreSQL), only the folder is made."""
    private_folder(data_dir)
    tighten_tree(data_dir)
    if db_name is None:
        return
    database = data_dir / db_name
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
