"""Records: what the kiosk keeps and uploads (docs/architecture.md#the-life-of-a-record-from-the-tap-to-the-office).

Every record gets, once and for ever: a random ``id``, its ``type``, ``created_at`` (local time with
UTC offset), ``clock_ok``, ``location``, ``kiosk`` and ``data``. The storage adds ``seq``, the
per-kiosk order in which records were written (which stays right when the clock does not).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, Callable, Protocol

from kiosk.clock import Clock, clock_looks_right

#: Fields every stored record has, in the order exports show them.
RECORD_FIELDS = ("id", "type", "created_at", "seq", "clock_ok", "location", "kiosk", "data")


class RecordType(StrEnum):
    CHECKIN = "checkin"
    QUESTION = "question"
    IDEA = "idea"
    VOTE = "vote"
    FEEDBACK = "feedback"
    SIGNUP = "signup"
    HANDLED = "handled"
    MODERATION = "moderation"
    SIGNUP_CANCEL = "signup_cancel"
    SIGNUP_PRESENT = "signup_present"


class RecordStore(Protocol):
    """What the core needs from storage (the repository implements it)."""

    kiosk_id: str

    def add(self, record: dict[str, Any]) -> dict[str, Any]: ...

    def latest_time(self) -> datetime | None: ...

    def records_for_day(self, day) -> list[dict[str, Any]]: ...


class Settings(Protocol):
    """The kiosk's small state (the repository keeps it in state.json): the PIN hash, cards seen..."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def set_setting(self, key: str, value: Any) -> None: ...


class Recorder:
    """Stamps validated data into a record and hands it to storage; returns it once durable.

    ``after_record(record)``, when set, is called with every record once it is stored (the app uses it
    to nudge the upload worker); it must not block.
    """

    def __init__(self, store: RecordStore, clock: Clock, location: str):
        self.store = store
        self.clock = clock
        self.location = location
        self.after_record: Callable[[dict[str, Any]], None] | None = None

    def record(self, rtype: RecordType, data: dict[str, Any]) -> dict[str, Any]:
        now = self.clock.now()
        record = {
            "id": str(uuid.uuid4()),
            "type": str(rtype),
            "created_at": now.isoformat(timespec="seconds"),
            "clock_ok": clock_looks_right(now, self.store.latest_time()),
            "location": self.location,
            "kiosk": self.store.kiosk_id,
            "data": data,
        }
        stored = self.store.add(record)
        if self.after_record is not None:
            self.after_record(stored)
        return stored
