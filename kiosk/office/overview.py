"""What the staff overview shows: per kiosk, its last report and its counts per day, in Dutch.

The page itself is ``templates/overview.html`` (Jinja, every value escaped).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kiosk import __version__
from kiosk.clock import TIMEZONE
from kiosk.office.store import OfficeStore

#: Count columns of the overview, one per record type.
TYPE_COLUMNS = (
    ("checkin", "Aanmeldingen"),
    ("question", "Vragen"),
    ("idea", "Ideeën"),
    ("vote", "Steun voor ideeën"),
    ("feedback", "Tevredenheid"),
    ("signup", "Inschrijvingen"),
    ("handled", "Afgehandeld"),
    ("signup_cancel", "Inschrijvingen geannuleerd"),
    ("signup_present", "Aanwezig gemeld"),
)
#: Dutch labels for what kiosks report; other keys are shown as they come.
STATUS_LABELS = {
    "pending": "Nog te versturen",
    "pending_count": "Nog te versturen",
    "pending_records": "Nog te versturen",
    "version": "Versie",
    "app_version": "Versie",
    "clock_ok": "Klok juist",
    "free_disk_bytes": "Vrije schijfruimte",
    "free_disk_mb": "Vrije schijfruimte (MB)",
    "location": "Locatie",
    "rejected": "Geweigerd",
    "last_error": "Laatste fout",
}
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


def context(store: OfficeStore) -> dict[str, Any]:
    """Everything ``overview.html`` shows."""
    counts = store.day_counts()
    kiosks = []
    for report in store.reports():
        days = []
        for day, row in counts.get(report.kiosk, {}).items():
            per_type = [row.get(rtype, 0) for rtype, _ in TYPE_COLUMNS]
            days.append({"day": day, "label": _day_label(day), "counts": per_type, "visitors": row["visitors"]})
        kiosks.append({
            "name": report.kiosk,
            "last_seen": _moment_label(report.last_seen) if report.last_seen else "nog nooit",
            "sent_at": report.sent_at or "",
            "status": [(STATUS_LABELS.get(key, key), _value(key, value)) for key, value in report.status.items()],
            "days": days,
        })
    return {
        "columns": [label for _, label in TYPE_COLUMNS],
        "kiosks": kiosks,
        "generated": _moment_label(datetime.now(TIMEZONE)),
        "version": __version__,
    }


def _day_label(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{WEEKDAYS[d.weekday()]} {d.strftime('%d/%m/%Y')}"


def _moment_label(moment: datetime) -> str:
    return moment.astimezone(TIMEZONE).strftime("%d/%m/%Y %H:%M:%S")


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if key.endswith("_bytes") and isinstance(value, int):
        return f"{value / 1e9:.1f} GB"
    if value is None:
        return "—"
    return str(value)
