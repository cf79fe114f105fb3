"""Durable file operations: atomic replace, fsync of folders, moving a damaged file aside."""

from __future__ import annotations

import errno
import os
import shutil
from datetime import datetime
from pathlib import Path

from kiosk.errors import DiskFullError, StorageError

DAMAGED_DIR = "damaged"

#: Below this much free space records may no longer fit (a day file is rewritten whole now and then).
DISK_FULL_BYTES = 256_000


def fsync_dir(folder: Path) -> None:
    """Make a file's creation or rename in ``folder`` survive a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: a reader sees the old or the new content, never a mix.

    Temp file in the same folder, flush, fsync, ``os.replace``, fsync the folder.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as error:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # not ours to remove (e.g. a folder of that name): the error below says what failed
        raise storage_error(error, path) from error


def storage_error(error: OSError, path: Path) -> StorageError:
    """Turn an OSError into the kiosk's own error, in words."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"The disk is full: could not write {path.name}. Nothing was lost; free some space.")
    return StorageError(f"Could not write {path}: {error.strerror or error}")


def move_aside(path: Path, data_dir: Path) -> Path:
    """Copy a damaged file into ``damaged/`` (for staff or a technician) and return the copy's path."""
    target_dir = data_dir / DAMAGED_DIR
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = target_dir / f"{path.name}.{stamp}"
    shutil.copy2(path, target)
    fsync_dir(target_dir)
    return target


def disk_full_problem(folder: Path) -> str | None:
    """In words, when the disk holding ``folder`` is (nearly) full; else None."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return None
    if free >= DISK_FULL_BYTES:
        return None
    return (f"The disk is full ({free // 1000} kB free): new records cannot be kept. "
            "Free some space on the device (kiosk doctor tells more).")
