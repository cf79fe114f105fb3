"""What the kiosk does while it rests between two visitors: garbage and memory. Kivy-free.

Python's full garbage collections look at every object the app has (some 450,000: the screens'
widgets and their bindings) and took ~65 ms each, at moments chosen by allocation counts: a frame
of 100 ms now and then, more often while the upload worker reads day files. At rest the kiosk
collects everything once and then freezes what survives (``gc.freeze``): collections during a visit
look only at what is new. Frozen objects that later become garbage are collected at the next rest.

glibc keeps freed memory for reuse. With many threads (the renderer's, the upload worker) and every
screen's textures made again at each language switch, the kept memory grew by some 14 MB over a few
hundred visitors and stayed: resident memory crept up without a leak (after ``malloc_trim`` it was
flat). ``malloc_trim(0)`` takes 1-2 ms; elsewhere (Android's libc) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

try:
    _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    _malloc_trim = _libc.malloc_trim
except (OSError, AttributeError):
    _malloc_trim = None


def release_free_memory() -> bool:
    """Return freed heap memory to the system; False where the C library cannot."""
    if _malloc_trim is None:
        return False
    _malloc_trim(0)
    return True


def rest() -> None:
    """Collect all garbage now, set the survivors aside from future collections, give memory back."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    release_free_memory()
