"""A short, soft two-tone chime (a WAV made here, no sound file to ship): it plays with "Are you still there?"."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050


def write_chime(path: Path, tones: tuple[float, ...] = (660.0, 880.0), seconds: float = 0.18) -> Path:
    """Write the chime to ``path`` (mono, 16 bit) and return it."""
    frames = bytearray()
    count = int(RATE * seconds)
    for tone in tones:
        for n in range(count):
            fade = min(1.0, n / 400, (count - n) / 400)  # no click at either end
            frames += struct.pack("<h", int(9000 * fade * math.sin(2 * math.pi * tone * n / RATE)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    return path
