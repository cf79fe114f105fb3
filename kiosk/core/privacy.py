"""Personal details the kiosk keeps, and which of them staff can erase while the statistics stay.

A question may hold a first name, a phone number and the visitor's own words; a sign-up and an idea a first
name and a phone number (an idea's title and text are shown on the idea wall, so they are not private).
Erasing removes those fields from the record (see :meth:`kiosk.storage.Repository.erase_personal`); the
theme, the ticket, the number of persons and the times stay, so the day's numbers do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

#: record type -> the data fields that are personal.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "question": ("first_name", "phone", "text"),
    "signup": ("first_name", "phone"),
    "idea": ("first_name", "phone"),
}

#: The reminder every export carries (CSV, JSON, the report, the phone download).
PRIVACY_REMINDER = "Verwijder dit bestand na gebruik: het kan persoonsgegevens bevatten."


@dataclass(frozen=True)
class PersonalRecord:
    """A record that still holds personal details: what staff see before they erase them."""

    id: str
    type: str
    day: str
    created_at: str
    label: str  # "7" (a ticket), an activity's or idea's title
    details: dict[str, str]


def without_personal(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``records`` with the :data:`PERSONAL_FIELDS` of their type left out (for a page that travels
    over a network staff may not trust); the numbers, themes and times stay."""
    kept = []
    for record in records:
        fields = PERSONAL_FIELDS.get(record.get("type", ""), ())
        data = record.get("data")
        if fields and isinstance(data, dict) and any(key in data for key in fields):
            record = {**record, "data": {key: value for key, value in data.items() if key not in fields}}
        kept.append(record)
    return kept


def personal_records(records: Iterable[dict[str, Any]]) -> list[PersonalRecord]:
    """The records among ``records`` that still hold personal details, newest first."""
    found = []
    for record in records:
        fields = PERSONAL_FIELDS.get(record.get("type", ""), ())
        data = record.get("data") if isinstance(record.get("data"), dict) else {}
        details = {key: str(data[key]) for key in fields if data.get(key)}
        if not details:
            continue
        label = str(data.get("ticket") or data.get("title") or "")
        created = str(record.get("created_at", ""))
        found.append(PersonalRecord(record["id"], record["type"], created[:10], created, label, details))
    return sorted(found, key=lambda item: item.created_at, reverse=True)
