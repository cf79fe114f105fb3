"""The day's log: the records of one day as JSON, or as CSV that opens right in Excel on a Belgian PC.

CSV conventions (shared with the office's download): UTF-8 with a byte-order mark (so Excel reads
accents right), ``;`` between fields (Excel's separator with Belgian regional settings), local times
``dd/mm/yyyy hh:mm:ss``, Dutch column headings (and Dutch words for the codes staff read: theme,
outcome...), and a last line reminding to delete the file after use. The JSON carries the same reminder
as its ``note`` (the printable report: :mod:`kiosk.core.report`).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any, Iterable

from kiosk.core.privacy import PRIVACY_REMINDER
from kiosk.core.records import RECORD_FIELDS

__all__ = ["HEADINGS", "PRIVACY_REMINDER", "TYPE_NAMES", "VALUE_NAMES", "to_csv", "to_json"]

#: Dutch headings for the record fields and for the data fields we know.
HEADINGS = {
    "created_at": "Tijdstip",
    "type": "Soort",
    "location": "Locatie",
    "seq": "Volgnummer",
    "clock_ok": "Klok juist",
    "kiosk": "Kiosk",
    "id": "Id",
    "adults": "Volwassenen",
    "children": "Kinderen",
    "first_time": "Eerste keer",
    "reasons": "Reden van komst",
    "card": "Kaart",
    "demo": "Demo",
    # a question
    "ticket": "Wachtnummer",
    "theme": "Thema",
    "talk_today": "Vandaag spreken",
    "text": "Tekst",
    "first_name": "Voornaam",
    "phone": "Telefoon",
    # an idea, and support for it
    "category": "Soort activiteit",
    "title": "Titel",
    "idea": "Idee (id)",
    # a sign-up
    "activity": "Activiteit (id)",
    "occurrence": "Activiteit op (id)",
    "start": "Begin",
    "persons": "Personen",
    # a smiley
    "score": "Score (1 tot 4)",
    "where": "Waar",
    # a question handled by staff
    "question": "Vraag (id)",
    "outcome": "Uitkomst",
    # a sign-up cancelled, or its persons present (staff)
    "signup": "Inschrijving (id)",
    # personal details erased by staff
    "erased": "Gegevens gewist",
    # what staff let on the idea wall
    "action": "Beslissing",
    # details the visitor gave that could not be kept (e.g. a phone number that is none)
    "left_out": "Weggelaten",
}
TYPE_NAMES = {
    "checkin": "aanmelding",
    "question": "vraag",
    "idea": "idee",
    "vote": "steun",
    "feedback": "tevredenheid",
    "signup": "inschrijving",
    "handled": "afgehandeld",
    "moderation": "ideeënmuur",
    "signup_cancel": "inschrijving geannuleerd",
    "signup_present": "aanwezig bij activiteit",
}
#: Dutch words for the codes in some data fields (other values are shown as they are).
VALUE_NAMES = {
    "theme": {"paperwork": "papierwerk", "homehelp": "hulp thuis", "digital": "digitale hulp",
              "money": "geld en energie", "housing": "wonen", "health": "gezondheid", "other": "iets anders"},
    "category": {"walking": "wandelen", "cooking": "samen koken en eten", "making": "iets maken",
                 "trip": "uitstap", "learning": "iets leren", "other": "iets anders"},
    "outcome": {"helped": "geholpen", "not_needed": "niet nodig"},
    "action": {"approve": "getoond", "hide": "verborgen"},
    "where": {"home": "startscherm", "done": "na afloop"},
    "reasons": {"coffee": "koffie en een babbel", "question": "een vraag", "activity": "een activiteit"},
}
FIXED = ("created_at", "type", "location", "seq", "clock_ok", "kiosk", "id")


def _ordered(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: r[key] for key in RECORD_FIELDS if key in r} for r in records]


def to_json_list(records: Iterable[dict[str, Any]]) -> str:
    """A JSON list of record objects, fields in the documented order (``kiosk log --format json``)."""
    return json.dumps(_ordered(records), ensure_ascii=False, indent=2) + "\n"


def to_json(records: Iterable[dict[str, Any]]) -> str:
    """The exported file: ``{"note": the privacy reminder, "records": [...]}`` (a file staff carry away)."""
    return json.dumps({"note": PRIVACY_REMINDER, "records": _ordered(records)}, ensure_ascii=False, indent=2) + "\n"


def to_csv(records: Iterable[dict[str, Any]]) -> str:
    """CSV text for Excel, including the leading byte-order mark. No cell can start a formula."""
    records = list(records)
    data_keys: list[str] = []
    for record in records:
        for key in record.get("data", {}):
            if key not in data_keys:
                data_keys.append(key)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_as_text(HEADINGS.get(k, str(k))) for k in (*FIXED, *data_keys)])
    for record in records:
        row = [_cell(k, record.get(k)) for k in FIXED]
        row += [_cell(k, record.get("data", {}).get(k)) for k in data_keys]
        writer.writerow(row)
    writer.writerow([_as_text(PRIVACY_REMINDER)])
    return "\ufeff" + out.getvalue()


#: What makes Excel (or LibreOffice) read a cell as a formula, or drop the character that hides one:
#: = + - @ (and their full-width forms), a leading TAB, CR or LF.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # a number stays a number (a negative one too)
    return _as_text(_cell_text(key, value))


def _as_text(text: str) -> str:
    """``text`` as Excel shows it as text: a leading ' when it would otherwise start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell_text(key: str, value: Any) -> str:
    if key == "created_at":
        try:
            return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M:%S")
        except (TypeError, ValueError):
            return str(value)
    if key == "type":
        return TYPE_NAMES.get(value, str(value))
    if isinstance(value, bool):
        return "ja" if value else "nee"
    names = VALUE_NAMES.get(key, {})
    if isinstance(value, list):
        return ", ".join(names.get(str(v), str(v)) for v in value)
    if isinstance(value, str) and value in names:
        return names[value]
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
