"""Reading an HTTP answer safely, for every client of the kiosk (the upload, the calendar): never more
than a cap, never for longer than a deadline (a server that drips its answer a byte at a time would
otherwise hold a worker for ever). Kivy-free."""

from __future__ import annotations

import time
from typing import Any, Iterator


class TooSlow(Exception):
    """The answer was still coming when the deadline passed."""


def read_capped(response: Any, cap: int, deadline: float | None = None) -> bytes | None:
    """The body of a ``requests`` response opened with ``stream=True``, or None when it is larger than
    ``cap`` bytes. Raises :class:`TooSlow` once ``time.monotonic()`` passes ``deadline``."""
    chunks: list[bytes] = []
    total = 0
    for chunk in _as_it_arrives(response):
        chunks.append(chunk)
        total += len(chunk)
        if total > cap:
            return None
        if deadline is not None and time.monotonic() > deadline:
            raise TooSlow()
    return b"".join(chunks)


def _as_it_arrives(response: Any) -> Iterator[bytes]:
    """The body in pieces of whatever has arrived (up to 64 KiB): ``iter_content`` waits for a whole
    piece, so a server that drips would pass any deadline between two pieces."""
    import requests  # here, not at start-up: the kiosk's first frame does not wait for them
    import urllib3

    raw = getattr(response, "raw", None)
    if not hasattr(raw, "read1"):
        yield from response.iter_content(65536)
        return
    while True:
        try:
            piece = raw.read1(65536, decode_content=True)
        # The same errors, by meaning, as requests' own iter_content raises (requests/models.py).
        except urllib3.exceptions.ProtocolError as error:
            raise requests.exceptions.ChunkedEncodingError(error) from error
        except urllib3.exceptions.DecodeError as error:
            raise requests.exceptions.ContentDecodingError(error) from error
        except urllib3.exceptions.ReadTimeoutError as error:
            raise requests.exceptions.ConnectionError(error) from error
        except urllib3.exceptions.SSLError as error:
            raise requests.exceptions.SSLError(error) from error
        if not piece:
            return
        yield piece
