"""Throttling wrong office staff passwords, per client address, with a growing wait.

The first :data:`FREE_TRIES` wrong passwords from one address are answered at once; after that every
wrong one makes that address wait :data:`FIRST_WAIT`, doubling with each further one, up to
:data:`LONGEST_WAIT`. While an address waits, its logins are answered 429 with ``Retry-After`` and the
password is not even compared, so that guessing gains nothing. The right password clears the address.
Every wrong try is logged with the address (never the password). Kept in memory: a restart of the office
forgets it (the office is a long-running service), and at most :data:`MAX_ADDRESSES` addresses are kept.

Behind a reverse proxy every request comes from the proxy's address: then the whole office waits after
wrong tries, which is safe; see docs/office.md.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

log = logging.getLogger(__name__)

FREE_TRIES = 5
FIRST_WAIT = 1.0
LONGEST_WAIT = 300.0
MAX_ADDRESSES = 10_000


@dataclass
class _Address:
    failures: int = 0
    until: float = 0.0  # monotonic time before which this address waits


class StaffLoginThrottle:
    """Counts wrong staff passwords per client address. Thread-safe (waitress answers in several threads)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._addresses: OrderedDict[str, _Address] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, address: str) -> float:
        """Seconds ``address`` must still wait before a password of it is compared (0: now)."""
        with self._lock:
            entry = self._addresses.get(address)
            return max(0.0, entry.until - self.clock()) if entry else 0.0

    def failed(self, address: str) -> float:
        """Count a wrong password from ``address``; return the wait it now has (0 during the free tries)."""
        with self._lock:
            entry = self._addresses.pop(address, None) or _Address()
            self._addresses[address] = entry  # most recent last
            while len(self._addresses) > MAX_ADDRESSES:
                self._addresses.popitem(last=False)
            entry.failures += 1
            wait = 0.0
            if entry.failures > FREE_TRIES:
                wait = min(FIRST_WAIT * 2 ** min(entry.failures - FREE_TRIES - 1, 30), LONGEST_WAIT)
                entry.until = self.clock() + wait
        log.warning("office staff login: wrong password from %s (%d in a row%s)", address, entry.failures,
                    f"; it waits {wait:g} s" if wait else "")
        return wait

    def succeeded(self, address: str) -> None:
        with self._lock:
            entry = self._addresses.pop(address, None)
        if entry is not None and entry.failures:
            log.info("office staff login from %s after %d wrong passwords", address, entry.failures)
