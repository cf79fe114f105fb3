"""Sign up for an activity that needs it: how many persons, optionally a first name; full is full.

The kiosk counts the sign-ups it stored itself: :func:`persons_signed_up` over the records of the days
on which people could sign up for the occurrence (the kiosk offers the coming :data:`COMING_DAYS` days,
so the records of that many days back and today are enough). Sign-ups name the occurrence by its
``key``, so a moved occurrence keeps its sign-ups.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Protocol

from kiosk.clock import TIMEZONE
from kiosk.core.records import Recorder, RecordType
from kiosk.errors import ValidationError


class SignupTerms(Protocol):
    """Whether an activity takes sign-ups, and for how many persons (None: no limit)."""

    required: bool
    capacity: int | None


class SignupOccurrence(Protocol):
    """What the core needs of one occurrence of an activity (the calendar's ``Occurrence`` has it)."""

    uid: str
    key: str
    title: str
    start: date | datetime
    ends_at: datetime
    signup: SignupTerms


MAX_PERSONS = 10
MAX_FIRST_NAME = 40
#: The kiosk shows the activities of the coming seven days, and takes sign-ups for them.
COMING_DAYS = 7
#: Sign-ups for an occurrence are made on the days before it: the records of this many days up to
#: today hold them all.
SIGNUP_DAYS_BACK = COMING_DAYS + 1


def sign_up(
    recorder: Recorder,
    occurrence: SignupOccurrence,
    persons: int,
    first_name: str | None = None,
    taken: int = 0,
) -> dict[str, Any]:
    """Validate and store one sign-up; return the stored ``signup`` record.

    ``taken`` is how many persons are already signed up (:func:`persons_signed_up`). ValidationError
    codes: ``no_signup`` (the activity needs none), ``over`` (it has ended), ``bad_persons``
    (not 1..:data:`MAX_PERSONS`), ``bad_name`` / ``name_too_long``, ``full`` (no place left),
    ``not_enough_places`` (fewer places left than ``persons``; the detail says how many).
    """
    if not occurrence.signup.required:
        raise ValidationError("no_signup", f"{occurrence.title!r} needs no sign-up")
    if occurrence.ends_at <= recorder.clock.now().astimezone(TIMEZONE):
        raise ValidationError("over", f"{occurrence.title!r} has already ended")
    if isinstance(persons, bool) or not isinstance(persons, int) or not 1 <= persons <= MAX_PERSONS:
        raise ValidationError("bad_persons", f"persons must be 1..{MAX_PERSONS}, got {persons!r}")
    name = clean_first_name(first_name)
    left = places_left_after(occurrence, taken)
    if left is not None and left <= 0:
        raise ValidationError("full", f"{occurrence.title!r} is full")
    if left is not None and persons > left:
        raise ValidationError("not_enough_places", f"only {left} place(s) left for {occurrence.title!r}")
    data: dict[str, Any] = {
        "activity": occurrence.uid,
        "occurrence": occurrence.key,
        "title": occurrence.title,
        "start": _iso(occurrence.start),
        "persons": persons,
    }
    if name:
        data["first_name"] = name
    return recorder.record(RecordType.SIGNUP, data)


def clean_first_name(first_name: str | None) -> str | None:
    """The first name as it will be kept (NFC, trimmed), None when empty; any script is welcome."""
    if first_name is None:
        return None
    if not isinstance(first_name, str):
        raise ValidationError("bad_name", "the first name must be text")
    name = unicodedata.normalize("NFC", " ".join(first_name.split()))
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        raise ValidationError("bad_name", "the first name holds characters that cannot be shown")
    if len(name) > MAX_FIRST_NAME:
        raise ValidationError("name_too_long", f"a first name has at most {MAX_FIRST_NAME} characters")
    return name or None


#: The records that decide how many places are taken: sign-ups, and staff cancelling one.
SIGNUP_TYPES = (RecordType.SIGNUP, RecordType.SIGNUP_CANCEL)


def recent_signups(store, today: date) -> list[dict[str, Any]]:
    """The ``signup`` and ``signup_cancel`` records of the last :data:`SIGNUP_DAYS_BACK` days up to ``today``,
    from ``store`` (a Repository): what :func:`persons_signed_up` needs to count the places taken."""
    return [record for n in range(SIGNUP_DAYS_BACK) for record in store.records_for_day(today - timedelta(days=n))
            if record["type"] in SIGNUP_TYPES]


def persons_signed_up(records: Iterable[dict[str, Any]], occurrence: SignupOccurrence) -> int:
    """How many persons the ``signup`` records among ``records`` put down for ``occurrence``, less the
    sign-ups staff cancelled (a ``signup_cancel`` record among ``records`` frees its places at once)."""
    records = list(records)
    cancelled = cancelled_signups(records)
    return sum(
        int(record["data"].get("persons", 0))
        for record in records
        if record.get("type") == RecordType.SIGNUP and record.get("data", {}).get("occurrence") == occurrence.key
        and record.get("id") not in cancelled
    )


def cancelled_signups(records: Iterable[dict[str, Any]]) -> set[str]:
    """The ids of the sign-ups that a ``signup_cancel`` record among ``records`` cancelled."""
    return {str(record["data"].get("signup")) for record in records
            if record.get("type") == RecordType.SIGNUP_CANCEL and isinstance(record.get("data"), dict)}


def places_left(occurrence: SignupOccurrence, records: Iterable[dict[str, Any]]) -> int | None:
    """Capacity minus the persons signed up in ``records`` (never below 0); None when there is no limit."""
    return places_left_after(occurrence, persons_signed_up(records, occurrence))


def places_left_after(occurrence: SignupOccurrence, taken: int) -> int | None:
    capacity = occurrence.signup.capacity
    return None if capacity is None else max(0, capacity - taken)


def _iso(value) -> str:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()
