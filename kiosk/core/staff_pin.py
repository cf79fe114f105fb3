"""The staff PIN: kept only as a salted scrypt hash; wrong PINs are throttled, across restarts.

Five tries, then a wait that doubles with every round of wrong tries (1, 2, 4, ... minutes, at most
:data:`MAX_LOCKOUT`); the right PIN clears it all. The hash and the throttle live in the kiosk's state
(``get_setting``/``set_setting`` of the repository, i.e. ``state.json``), so a restart changes nothing.

Fail closed: a try is counted (written to the state) *before* the PIN is compared, and a try that
cannot be counted (a full disk, a read-only folder) is refused unchecked (:attr:`Outcome.UNCOUNTED`),
so that a broken disk never gives unlimited guesses. Throttle values that are not what this module
writes (a hand-edited ``state.json``: ``"failures": -1000000``, ``"x"``) count as the worst case.

A Raspberry Pi has no battery clock: the time may jump. A jump forward ends a wait early (harmless);
a jump back would make a wait last until the clock catches up, so a wait is never longer than the
lockout it came from (it is re-anchored to the clock of now).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from kiosk.clock import Clock, parse_time
from kiosk.core.records import Settings
from kiosk.errors import StorageError, ValidationError

PIN_MIN, PIN_MAX = 4, 8
FREE_TRIES = 5
FIRST_LOCKOUT = timedelta(minutes=1)
MAX_LOCKOUT = timedelta(minutes=60)

#: scrypt's cost: 16 MiB of memory and about 60 ms on a laptop, a few hundred ms on a Raspberry Pi.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16

#: Keys in the kiosk's state.
HASH_KEY = "staff_pin"
THROTTLE_KEY = "staff_pin_throttle"


class Outcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # ``tries_left`` more before a wait
    LOCKED = "locked"  # wait ``wait`` before trying again
    NO_PIN = "no_pin"  # nobody ran ``kiosk set-pin`` yet
    UNCOUNTED = "uncounted"  # the try could not be counted (the state cannot be written): refused unchecked


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    tries_left: int = 0
    wait: timedelta = timedelta(0)


def check_pin_format(pin: object) -> str:
    """The PIN if it is 4 to 8 digits; else ValidationError ``bad_pin``."""
    if not isinstance(pin, str) or not (PIN_MIN <= len(pin) <= PIN_MAX) or not pin.isascii() or not pin.isdigit():
        raise ValidationError("bad_pin", f"a staff PIN is {PIN_MIN} to {PIN_MAX} digits")
    return pin


def hash_pin(pin: str, salt: bytes | None = None) -> dict[str, Any]:
    """A salted scrypt hash of ``pin``, with its parameters, as stored in the state file."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return {"scheme": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": salt.hex(), "hash": digest.hex()}


def pin_matches(pin: str, stored: Any) -> bool:
    """Whether ``pin`` is the PIN of ``stored`` (False for anything that is not a hash we made)."""
    try:
        if stored["scheme"] != "scrypt":
            return False
        n, r, p = int(stored["n"]), int(stored["r"]), int(stored["p"])
        if not (2 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
            return False
        expected = bytes.fromhex(stored["hash"])
        digest = _scrypt(pin, bytes.fromhex(stored["salt"]), n, r, p, len(expected))
    except (KeyError, TypeError, ValueError):
        return False
    return hmac.compare_digest(digest, expected)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int = 32) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r + 2**20, dklen=length)


class StaffLock:
    """The PIN check with its throttle. Safe to call from a worker thread (one check at a time)."""

    def __init__(self, settings: Settings, clock: Clock):
        self.settings = settings
        self.clock = clock
        self._lock = threading.Lock()

    @property
    def is_set(self) -> bool:
        return isinstance(self.settings.get_setting(HASH_KEY), dict)

    def set_pin(self, pin: str) -> None:
        """Store the hash of a new PIN (4 to 8 digits) and clear the throttle."""
        stored = hash_pin(check_pin_format(pin))
        with self._lock:
            self.settings.set_setting(HASH_KEY, stored)
            self.settings.set_setting(THROTTLE_KEY, None)

    def wait(self) -> timedelta:
        """How long until a PIN may be tried again (zero: now)."""
        with self._lock:
            return self._wait(self._throttle())

    def try_pin(self, pin: str) -> Attempt:
        """Check ``pin``; a wrong one counts toward the next wait. A PIN of the wrong shape counts too.

        The try is counted first; only when that is on disk is the PIN compared (the right one then clears it).
        """
        with self._lock:
            stored = self.settings.get_setting(HASH_KEY)
            if not isinstance(stored, dict):
                return Attempt(Outcome.NO_PIN)
            throttle = self._throttle()
            waiting = self._wait(throttle)
            if waiting:
                return Attempt(Outcome.LOCKED, wait=waiting)
            try:
                counted = self._count_wrong(throttle)
            except StorageError:
                return Attempt(Outcome.UNCOUNTED)
            if isinstance(pin, str) and pin_matches(pin, stored):
                try:
                    self.settings.set_setting(THROTTLE_KEY, None)
                except StorageError:
                    pass  # the try stays counted: safe, and the disk problem shows elsewhere
                return Attempt(Outcome.OK)
            return counted

    # -- the throttle ----------------------------------------------------------------------------------
    def _throttle(self) -> dict[str, Any]:
        """The throttle as stored, each value checked: one that this module never writes is the worst case."""
        value = self.settings.get_setting(THROTTLE_KEY)
        if value is None:
            return dict(_FRESH)
        if not isinstance(value, dict):
            value = {}
        worst = {"failures": FREE_TRIES - 1, "lockouts": MAX_LOCKOUTS, "lockout_seconds": int(MAX_LOCKOUT.total_seconds()),
                 "locked_until": (self.clock.now() + MAX_LOCKOUT).isoformat(timespec="seconds")}
        if not value:
            return worst
        checked = {
            "failures": _count(value.get("failures", 0), FREE_TRIES - 1, worst["failures"]),
            "lockouts": _count(value.get("lockouts", 0), MAX_LOCKOUTS, worst["lockouts"]),
            "locked_until": value.get("locked_until"),
            "lockout_seconds": _count(value.get("lockout_seconds", 0), worst["lockout_seconds"], worst["lockout_seconds"]),
        }
        if checked["locked_until"] is not None and parse_time(checked["locked_until"]) is None:
            checked.update(locked_until=worst["locked_until"], lockout_seconds=worst["lockout_seconds"])
        return checked

    def _count_wrong(self, throttle: dict[str, Any]) -> Attempt:
        failures = int(throttle["failures"]) + 1
        if failures < FREE_TRIES:
            self.settings.set_setting(THROTTLE_KEY, {**throttle, "failures": failures})
            return Attempt(Outcome.WRONG, tries_left=FREE_TRIES - failures)
        lockouts = min(int(throttle["lockouts"]) + 1, MAX_LOCKOUTS)
        lockout = min(FIRST_LOCKOUT * 2 ** min(lockouts - 1, 20), MAX_LOCKOUT)
        until = self.clock.now() + lockout
        self.settings.set_setting(THROTTLE_KEY, {
            "failures": 0,
            "lockouts": lockouts,
            "locked_until": until.isoformat(timespec="seconds"),
            "lockout_seconds": int(lockout.total_seconds()),
        })
        return Attempt(Outcome.LOCKED, wait=lockout)

    def _wait(self, throttle: dict[str, Any]) -> timedelta:
        until = parse_time(throttle.get("locked_until"))
        if until is None:
            return timedelta(0)
        now = self.clock.now()
        longest = timedelta(seconds=max(0, int(throttle.get("lockout_seconds") or 0)))
        left = until - now
        if left > longest:  # the clock went back: wait the lockout from now, not until the old time
            left = longest
            try:
                self.settings.set_setting(THROTTLE_KEY, {**throttle, "locked_until": (now + longest).isoformat(timespec="seconds")})
            except StorageError:
                pass  # the wait is right in memory; the next try re-anchors it again
        return max(left, timedelta(0))


#: More rounds of wrong tries than this change nothing (the wait is at its longest long before).
MAX_LOCKOUTS = 64

_FRESH: dict[str, Any] = {"failures": 0, "lockouts": 0, "locked_until": None, "lockout_seconds": 0}


def _count(value: Any, top: int, worst: int) -> int:
    """``value`` when it is a whole number from 0 to ``top`` (as this module writes it), else ``worst``."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= top:
        return value
    return worst

