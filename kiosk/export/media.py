"""Where an export can go, and writing it there so that nothing half-written is left behind.

Places: the configured ``[data] export_folder`` (when it exists), and every USB stick the system has
mounted under ``/media/<user>/<label>``, ``/run/media/<user>/<label>`` or ``/media/<name>``.

Writing: every file first as a hidden temporary file (written, flushed, fsynced), then all renamed into
place, then the folder fsynced, so that a stick pulled out a moment later holds whole files. No room, a
read-only stick, a stick pulled out halfway: the temporary files are removed and :class:`ExportError`
says what happened in words (``code`` for the UI).
"""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from kiosk.errors import ExportError

REMOVABLE_ROOTS = ("/media", "/run/media")
#: Room kept free beyond the files themselves (a file system needs some for its own bookkeeping).
SPARE_BYTES = 64 * 1024


@dataclass(frozen=True)
class ExportPlace:
    """A folder an export can be written to. ``name`` is what staff see: the stick's label, or the folder."""

    path: Path
    name: str
    removable: bool


def find_places(export_folder: str | os.PathLike | None = None, roots: Iterable[str | os.PathLike] = REMOVABLE_ROOTS,
                is_mount: Callable[[Path], bool] = os.path.ismount) -> list[ExportPlace]:
    """The places to export to, the configured folder first, then the USB sticks by name."""
    places: list[ExportPlace] = []
    if export_folder:
        folder = Path(os.path.expanduser(export_folder))
        if folder.is_dir():
            places.append(ExportPlace(folder, folder.name or str(folder), removable=False))
    sticks: list[Path] = []
    for root in roots:
        for entry in _folders(Path(root)):
            if is_mount(entry):
                sticks.append(entry)  # /media/usb0
            else:
                sticks.extend(inner for inner in _folders(entry) if is_mount(inner))  # /media/<user>/<label>
    seen = {place.path for place in places}
    for stick in sorted(sticks, key=lambda p: p.name.lower()):
        if stick not in seen:
            seen.add(stick)
            places.append(ExportPlace(stick, stick.name, removable=True))
    return places


def _folders(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return sorted(Path(e.path) for e in entries if e.is_dir(follow_symlinks=False))
    except OSError:  # missing, or another user's folder
        return []


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` (name -> content) into ``folder``, each whole or not at all; return their paths."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError("no_place", f"{folder} is not there (was the USB stick taken out?)")
    needed = sum(len(content) for content in files.values()) + SPARE_BYTES
    try:
        free = shutil.disk_usage(folder).free
    except OSError as error:
        raise _export_error(error, folder) from None
    if free < needed:
        raise ExportError("full", f"{folder} is full: {needed // 1024} kB are needed, {free // 1024} kB are free")
    written: list[Path] = []
    temps = {name: folder / f".{name}.part" for name in files}
    try:
        for name, content in files.items():
            with open(temps[name], "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
        for name in files:
            os.replace(temps[name], folder / name)
            written.append(folder / name)
        _fsync_folder(folder)
    except OSError as error:
        for temp in temps.values():
            try:
                temp.unlink(missing_ok=True)
            except OSError:
                pass
        raise _export_error(error, folder) from None
    return written


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):  # some file systems cannot sync a folder
            raise
    finally:
        os.close(fd)


def _export_error(error: OSError, folder: Path) -> ExportError:
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ExportError("read_only", f"{folder} cannot be written to (it is read-only or locked)")
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return ExportError("full", f"{folder} is full")
    if error.errno in (errno.ENOENT, errno.ENODEV, errno.EIO):
        return ExportError("no_place", f"{folder} went away while writing (was the USB stick taken out?)")
    return ExportError("failed", f"could not write to {folder}: {error.strerror or error}")
