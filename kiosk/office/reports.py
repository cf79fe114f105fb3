"""The funder's report at the office: the core's :func:`kiosk.core.period.period_report` over the
tally rows of every kiosk (or one kiosk, or one place), and the periods staff choose from.

"Still to send" is what a kiosk had left once the batch that brought its last status was stored; it is
shown with the moment it was said, so it never contradicts records that arrived later (those come with
a newer status).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kiosk.core.period import period_report
from kiosk.office.store import OfficeStore

#: The periods of the overview: code -> Dutch label.
PERIODS = {
    "this_month": "Deze maand",
    "last_month": "Vorige maand",
    "quarter": "Dit kwartaal",
    "year": "Dit jaar",
    "custom": "Zelf kiezen",
}


def period_days(period: str, today: date, start: date | None = None, end: date | None = None) -> tuple[date, date]:
    """The first and last day of ``period`` (a :data:`PERIODS` code) as seen on ``today``."""
    if period == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if period == "quarter":
        return date(today.year, (today.month - 1) // 3 * 3 + 1, 1), today
    if period == "year":
        return date(today.year, 1, 1), today
    if period == "custom" and start and end:
        return (start, end) if start <= end else (end, start)
    return today.replace(day=1), today


def office_report(store: OfficeStore, start: date, end: date, kiosk: str | None = None,
                  place: str | None = None) -> dict[str, Any]:
    """The report of ``start`` to ``end`` from the office's records (counts only)."""
    rows, active_days, first_seen = store.report_rows(start.isoformat(), end.isoformat(), kiosk=kiosk, place=place)
    reports = [r for r in store.reports() if kiosk is None or r.kiosk == kiosk]
    if place is not None:
        with_rows = {row[0] for row in rows}
        reports = [r for r in reports if r.kiosk in with_rows]
    not_uploaded = []
    for report in reports:
        if report.last_seen is None:
            not_uploaded.append({"kiosk": report.kiosk, "still_to_send": None, "as_of": None})
        elif report.still_to_send:
            not_uploaded.append({"kiosk": report.kiosk, "still_to_send": report.still_to_send,
                                 "as_of": report.last_seen.isoformat(timespec="seconds")})
    return period_report(rows, start, end, first_seen, kiosks=[r.kiosk for r in reports], not_uploaded=not_uploaded,
                         active_days=active_days)
