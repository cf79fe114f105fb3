"""Durable file operations: atomic replace, fsync of folders, moving a damaged file aside.

Everything in a data folder is private to the kiosk's user: folders :data:`PRIVATE_FOLDER` (0700), files
:data:`PRIVATE_FILE` (0600), whatever the umask; the state file holds the PIN's hash and the day files
hold names and phone numbers, which no other local user may read.
"""

from __future__ import annotations

import errno
import os
import shutil
from datetime import datetime
from pathlib import Path

from kiosk.errors import DiskFullError, StorageError

DAMAGED_DIR = "damaged"

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600

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
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE), "wb") as out:
            os.fchmod(out.fileno(), PRIVATE_FILE)  # an old temporary file may have had other modes
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
    private_folder(target_dir)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = target_dir / f"{path.name}.{stamp}"
    shutil.copy2(path, target)
    os.chmod(target, PRIVATE_FILE)
    fsync_dir(target_dir)
    return target


def private_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) if needed, and make it the owner's alone (0700)."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    tighten(folder, PRIVATE_FOLDER)


def tighten(path: Path, mode: int) -> None:
    """Give ``path`` ``mode`` when it allows more (a folder made by an older version, 0755 / 0644).
    Best effort: a file of another owner is left as it is (kiosk doctor reports it)."""
    try:
        if os.stat(path).st_mode & 0o777 & ~mode:
            os.chmod(path, mode)
    except OSError:
        pass


def tighten_tree(folder: Path) -> None:
    """Make ``folder``, its files, the folders in it and their files private (0700 / 0600)."""
    tighten(folder, PRIVATE_FOLDER)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            tighten(Path(entry.path), PRIVATE_FOLDER)
            try:
                inner = list(os.scandir(entry.path))
            except OSError:
                continue
            for item in inner:
                if item.is_file(follow_symlinks=False):
                    tighten(Path(item.path), PRIVATE_FILE)
        elif entry.is_file(follow_symlinks=False):
            tighten(Path(entry.path), PRIVATE_FILE)


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
