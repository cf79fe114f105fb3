"""Who is coming: the sign-ups per activity, staff cancelling one or marking its persons present, and the
printable A4 list for the cook. Pure: it reads records and returns values or text.

A cancellation is a ``signup_cancel`` record naming the sign-up; it frees the places at once, because
:func:`kiosk.core.signup.persons_signed_up` (the one count of places taken) leaves cancelled sign-ups out.
"Present" is a ``signup_present`` record. Both go to the office like every record.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from typing import Any, Iterable

from kiosk.core.daylog import PRIVACY_REMINDER, _cell
from kiosk.core.records import Recorder, RecordType
from kiosk.core.signup import SIGNUP_DAYS_BACK, cancelled_signups
from kiosk.errors import ValidationError

#: The records a list of participants is made of.
LIST_TYPES = (RecordType.SIGNUP, RecordType.SIGNUP_CANCEL, RecordType.SIGNUP_PRESENT)
#: Empty lines at the bottom of the printed list, for names written by hand.
BLANK_LINES = 8


@dataclass(frozen=True)
class Participant:
    """One sign-up: ``id`` is the ``signup`` record's id; ``signed_up_at`` its ``created_at``."""

    id: str
    first_name: str
    persons: int
    signed_up_at: str
    cancelled: bool = False
    present: bool = False


@dataclass(frozen=True)
class ActivityList:
    """The sign-ups of one occurrence of an activity, in the order they came."""

    key: str
    activity: str
    title: str
    start: str
    participants: tuple[Participant, ...]

    @property
    def persons(self) -> int:
        """Persons still coming (cancelled sign-ups left out)."""
        return sum(p.persons for p in self.participants if not p.cancelled)

    @property
    def day(self) -> str:
        return self.start[:10]


def list_records(store, day: date) -> list[dict[str, Any]]:
    """The records that make the lists of activities on ``day`` (and the days before it): sign-ups are
    made up to :data:`~kiosk.core.signup.SIGNUP_DAYS_BACK` days ahead."""
    return [record for n in range(SIGNUP_DAYS_BACK) for record in store.records_for_day(day - timedelta(days=n))
            if record.get("type") in LIST_TYPES]


def activity_lists(records: Iterable[dict[str, Any]]) -> list[ActivityList]:
    """The sign-ups among ``records`` per occurrence, soonest first. Records of another shape are skipped."""
    records = [r for r in records if isinstance(r, dict) and isinstance(r.get("data"), dict)]
    cancelled = cancelled_signups(records)
    present = {str(r["data"].get("signup")) for r in records if r.get("type") == RecordType.SIGNUP_PRESENT}
    groups: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.get("type") != RecordType.SIGNUP or not isinstance(record.get("id"), str):
            continue
        data = record["data"]
        key = str(data.get("occurrence") or data.get("activity") or data.get("title") or "")
        group = groups.setdefault(key, {"activity": str(data.get("activity") or ""), "title": str(data.get("title") or "?"),
                                        "start": str(data.get("start") or ""), "participants": []})
        persons = data.get("persons")
        group["participants"].append(Participant(
            id=record["id"], first_name=str(data.get("first_name") or ""),
            persons=persons if isinstance(persons, int) and not isinstance(persons, bool) and persons > 0 else 1,
            signed_up_at=str(record.get("created_at") or ""),
            cancelled=record["id"] in cancelled, present=record["id"] in present,
        ))
    found = [ActivityList(key, g["activity"], g["title"], g["start"],
                          tuple(sorted(g["participants"], key=lambda p: p.signed_up_at)))
             for key, g in groups.items()]
    return sorted(found, key=lambda a: (a.start, a.title))


def lists_on(records: Iterable[dict[str, Any]], day: str, activity: str | None = None) -> list[ActivityList]:
    """The lists of the activities on ``day`` (YYYY-MM-DD), only those of calendar uid ``activity`` if given."""
    return [a for a in activity_lists(records) if a.day == day and (activity is None or a.activity == activity)]


def _find(records: list[dict[str, Any]], signup_id: str) -> Participant:
    for activity in activity_lists(records):
        for participant in activity.participants:
            if participant.id == signup_id:
                return participant
    raise ValidationError("unknown_signup", "that sign-up was not found")


def cancel(recorder: Recorder, records: Iterable[dict[str, Any]], signup_id: str) -> dict[str, Any]:
    """Staff cancel sign-up ``signup_id`` (one of ``records``): a ``signup_cancel`` record; its places are free.

    ValidationError codes: ``unknown_signup``, ``already_cancelled``.
    """
    records = list(records)
    participant = _find(records, signup_id)
    if participant.cancelled:
        raise ValidationError("already_cancelled", "that sign-up was already cancelled")
    signup = next(r for r in records if r.get("id") == signup_id)
    return recorder.record(RecordType.SIGNUP_CANCEL, {
        "signup": signup_id, "occurrence": signup["data"].get("occurrence", ""),
        "activity": signup["data"].get("activity", ""), "title": signup["data"].get("title", ""),
        "signed_up_at": signup.get("created_at", ""), "persons": participant.persons})


def mark_present(recorder: Recorder, records: Iterable[dict[str, Any]], signup_id: str) -> dict[str, Any]:
    """Staff saw the persons of sign-up ``signup_id`` come: a ``signup_present`` record.

    ValidationError codes: ``unknown_signup``, ``cancelled``, ``already_present``.
    """
    records = list(records)
    participant = _find(records, signup_id)
    if participant.cancelled:
        raise ValidationError("cancelled", "that sign-up was cancelled")
    if participant.present:
        raise ValidationError("already_present", "that sign-up was already marked present")
    signup = next(r for r in records if r.get("id") == signup_id)
    return recorder.record(RecordType.SIGNUP_PRESENT, {
        "signup": signup_id, "occurrence": signup["data"].get("occurrence", ""), "persons": participant.persons})


# -- exports --------------------------------------------------------------------------------------------
def lists_json(lists: Iterable[ActivityList]) -> list[dict[str, Any]]:
    """The lists as plain values (``kiosk signups --format json``)."""
    return [{"activity": a.activity, "occurrence": a.key, "title": a.title, "start": a.start, "persons": a.persons,
             "signups": [{"id": p.id, "first_name": p.first_name, "persons": p.persons, "signed_up_at": p.signed_up_at,
                          "cancelled": p.cancelled, "present": p.present} for p in a.participants]}
            for a in lists]


def lists_rows(lists: Iterable[ActivityList]) -> list[list[str]]:
    """One row per sign-up, with Dutch headings first (``kiosk signups --format csv``)."""
    rows = [["Activiteit", "Begin", "Voornaam", "Personen", "Ingeschreven om", "Geannuleerd", "Aanwezig"]]
    for a in lists:
        for p in a.participants:
            rows.append([a.title, _clock(a.start), p.first_name, str(p.persons), _clock(p.signed_up_at),
                         "ja" if p.cancelled else "nee", "ja" if p.present else "nee"])
    return rows


def lists_csv(lists: Iterable[ActivityList]) -> str:
    """:func:`lists_rows` as CSV for Excel on a Belgian PC (BOM, ``;``, cells safe from formulas), with the
    privacy reminder last, like the day's log."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    rows = lists_rows(lists)
    writer.writerow(rows[0])
    writer.writerows([_cell("", value) for value in row] for row in rows[1:])
    writer.writerow([PRIVACY_REMINDER])
    return "\ufeff" + out.getvalue()


PRINT_CSS = """
@page { size: A4; margin: 15mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #000; font-size: 13pt; margin: 0; }
section { page-break-after: always; }
section:last-child { page-break-after: auto; }
h1 { font-size: 20pt; margin: 0 0 2pt; }
p.sub { margin: 0 0 10pt; font-size: 13pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: 6pt 6pt; text-align: left; height: 16pt; }
th { background: #e5e7eb; }
td.n, th.n { text-align: center; width: 16%; }
td.tick { width: 14%; }
tr.cancelled td { text-decoration: line-through; color: #555; }
p.total { font-size: 15pt; font-weight: bold; }
"""


def lists_html(lists: Iterable[ActivityList], kiosk_name: str, places: str = "") -> str:
    """A printable A4 page per activity: who signed up and for how many, a box to tick on arrival, and
    empty lines for names added by hand. In Dutch, every value escaped, no scripts."""
    from kiosk.core.report import day_in_dutch

    sections = []
    for a in lists:
        rows = []
        for number, p in enumerate(a.participants, 1):
            css = ' class="cancelled"' if p.cancelled else ""
            note = " (geannuleerd)" if p.cancelled else ""
            rows.append(f'<tr{css}><td class="n">{number}</td><td>{escape(p.first_name or "—")}{note}</td>'
                        f'<td class="n">{p.persons}</td><td class="tick">{"✓" if p.present else ""}</td></tr>')
        rows.extend('<tr><td class="n"></td><td></td><td class="n"></td><td class="tick"></td></tr>'
                    for _ in range(BLANK_LINES))
        try:
            when = f"{day_in_dutch(a.day)} {_clock(a.start) if len(a.start) > 10 else ''}".strip()
        except ValueError:
            when = a.start
        sections.append(
            f"<section><h1>{escape(a.title)}</h1>"
            f'<p class="sub">{escape(when)}{" · " + escape(places) if places else ""} · {escape(kiosk_name)}</p>'
            f'<p class="total">Personen: {a.persons}</p>'
            '<table><tr><th class="n">Nr</th><th>Voornaam</th><th class="n">Personen</th><th>Aanwezig</th></tr>'
            f"{''.join(rows)}</table></section>")
    if not sections:
        sections.append("<section><p>Geen inschrijvingen.</p></section>")
    return ("<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Inschrijvingen</title>"
            f"<style>{PRINT_CSS}</style></head><body>\n" + "\n".join(sections) + "\n</body></html>\n")


def _clock(value: str) -> str:
    try:
        return datetime.fromisoformat(value).strftime("%H:%M")
    except (TypeError, ValueError):
        return str(value or "")
