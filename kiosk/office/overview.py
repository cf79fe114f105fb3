"""What the staff overview shows for a chosen period: the funder's report across every kiosk (totals,
charts, per kiosk and per place), each kiosk's last report with what it still has to send, and its days.

The page itself is ``templates/overview.html`` (Jinja, every value escaped).
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup

from kiosk import __version__
from kiosk.clock import TIMEZONE
from kiosk.core.daylog import VALUE_NAMES
from kiosk.core.period import COUNTS_ONLY_NOTE
from kiosk.core.period_files import FIGURE_NAMES, bar_chart_svg, day_ranges
from kiosk.office.reports import PERIODS, office_report, period_days
from kiosk.office.store import KioskReport, OfficeStore

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
    ("moderation", "Ideeënmuur: beslissingen"),
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
#: The tables per kiosk and day (with their CSV downloads) are shown for periods up to this many days.
DAY_TABLES_UP_TO = 92


def context(store: OfficeStore, period: str = "this_month", start: date | None = None, end: date | None = None,
            kiosk: str | None = None, place: str | None = None, today: date | None = None) -> dict[str, Any]:
    """Everything ``overview.html`` shows for the chosen period (and kiosk or place, if chosen)."""
    now = datetime.now(TIMEZONE)
    period = period if period in PERIODS else "this_month"
    first, last = period_days(period, today or now.date(), start, end)
    report = office_report(store, first, last, kiosk=kiosk, place=place)
    per_day = (last - first).days < DAY_TABLES_UP_TO
    counts = store.day_counts(first.isoformat(), last.isoformat(), kiosk) if per_day else {}
    kiosks = []
    for status in store.reports():
        if kiosk is not None and status.kiosk != kiosk:
            continue
        days = []
        for day, row in counts.get(status.kiosk, {}).items():
            if first.isoformat() <= day <= last.isoformat():
                per_type = [row.get(rtype, 0) for rtype, _ in TYPE_COLUMNS]
                days.append({"day": day, "label": _day_label(day), "counts": per_type, "visitors": row["visitors"]})
        kiosks.append({
            "name": status.kiosk,
            "last_seen": _moment_label(status.last_seen) if status.last_seen else "nog nooit",
            "sent_at": status.sent_at or "",
            "still_to_send": _still_to_send(status, now),
            "figures": report["by_kiosk"].get(status.kiosk, {}),
            "status": [(STATUS_LABELS.get(key, key), _value(key, value)) for key, value in status.status.items()
                       if key not in ("pending", "pending_count", "pending_records")],
            "days": days,
        })
    query = {"from": first.isoformat(), "to": last.isoformat(), **({"kiosk": kiosk} if kiosk else {}),
             **({"place": place} if place else {})}
    return {
        "columns": [label for _, label in TYPE_COLUMNS],
        "kiosks": kiosks,
        "per_day": per_day,
        "report": report,
        "summary": [(FIGURE_NAMES[key], report[key]) for key in FIGURE_NAMES],
        "charts": charts(report),
        "places": report["by_place"],
        "periods": PERIODS,
        "period": period,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "period_label": f"{first:%d/%m/%Y} tot en met {last:%d/%m/%Y}",
        "kiosk": kiosk or "",
        "place": place or "",
        "kiosk_names": store.kiosk_names(),
        "place_names": store.places(),
        "query": query,
        "missing_days": day_ranges(report["days_without_records"]),
        "note": COUNTS_ONLY_NOTE,
        "generated": _moment_label(now),
        "version": __version__,
    }


def charts(report: dict[str, Any]) -> list[tuple[str, Markup]]:
    """The overview's charts as inline SVG (made from numbers only; every label escaped)."""
    months = [(f"{m[5:7]}/{m[2:4]}", v["visits"]) for m, v in report["by_month"].items()]
    weekdays = [(WEEKDAYS[int(d) - 1], v["visits"]) for d, v in report["by_weekday"].items()]
    hours = [(f"{int(h)}u", v["visits"]) for h, v in report["by_hour"].items()]
    themes = [(VALUE_NAMES["theme"].get(t, t).split()[0], n) for t, n in report["questions"].items()]
    return [("Bezoeken per maand", Markup(bar_chart_svg(months, "Bezoeken per maand"))),
            ("Bezoeken per weekdag", Markup(bar_chart_svg(weekdays, "Bezoeken per weekdag"))),
            ("Bezoeken per uur", Markup(bar_chart_svg(hours, "Bezoeken per uur"))),
            ("Vragen per thema", Markup(bar_chart_svg(themes, "Vragen per thema", "#1d4ed8")))]


def _still_to_send(status: KioskReport, now: datetime) -> str:
    """"12, gemeld 3 uur geleden": what the kiosk last said it still had to send, and how long ago."""
    if status.last_seen is None:
        return "nog niets ontvangen"
    left = "niets meer" if not status.still_to_send else str(status.still_to_send)
    return f"{left} (gemeld {_age(now - status.last_seen)})"


def _age(delta: timedelta) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 2:
        return "zonet"
    if minutes < 120:
        return f"{minutes} minuten geleden"
    if minutes < 48 * 60:
        return f"{minutes // 60} uur geleden"
    return f"{minutes // (24 * 60)} dagen geleden"


def _day_label(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{WEEKDAYS[d.weekday()]} {d.strftime('%d/%m/%Y')}"


def _moment_label(moment: datetime) -> str:
    return moment.astimezone(TIMEZONE).strftime("%d/%m/%Y %H:%M:%S")


def _value(key: str, value: Any) -> str:
    """A reported value in words; never an error, whatever an older office stored."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if value is None:
        return "—"
    if isinstance(value, float) and not math.isfinite(value):
        return "(onleesbaar)"
    if isinstance(value, (int, float)) and abs(value) > 10**18:
        return "(onleesbaar)"
    if key.endswith("_bytes") and isinstance(value, int):
        return f"{value / 1e9:.1f} GB"
    text = str(value) if not isinstance(value, (dict, list)) else "…"
    return text if len(text) <= 200 else text[:197] + "..."
