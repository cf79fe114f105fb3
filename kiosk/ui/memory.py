"""Give memory the app has freed back to the system, while the kiosk rests between visitors. Kivy-free.

glibc keeps freed memory for reuse. With many threads (the renderer's, the upload worker) and every
screen's textures made again at each language switch, the kept memory grew by some 14 MB over a few
hundred visitors and stayed: resident memory crept up without a leak (after ``malloc_trim`` it was
flat). ``malloc_trim(0)`` takes 1-2 ms; elsewhere (Android's libc) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util

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
