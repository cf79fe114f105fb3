"""The period chosen on the staff overview (query string), and the report downloads answered from it."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

import flask

from kiosk.clock import TIMEZONE
from kiosk.core.period_files import render
from kiosk.errors import UploadRefused
from kiosk.office.reports import PERIODS, office_report, period_days
from kiosk.office.store import OfficeStore

log = logging.getLogger(__name__)

MIME = {"csv": "text/csv", "html": "text/html", "json": "application/json"}


def _day(name: str) -> date | None:
    text = flask.request.args.get(name, "")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UploadRefused(400, f'{name}: expected a day like 2027-04-20, got "{text[:40]}"') from None


def report_choice(store: OfficeStore, default_period: str = "this_month") -> dict[str, Any]:
    """Period, first and last day, kiosk and place from the query string (checked, in words)."""
    start, end = _day("from"), _day("to")
    period = flask.request.args.get("period") or ("custom" if start and end else default_period)
    if period not in PERIODS:
        raise UploadRefused(400, f"period: expected one of {', '.join(PERIODS)}")
    if period == "custom" and not (start and end):
        if default_period == "custom":
            raise UploadRefused(400, "give the period as from=YYYY-MM-DD&to=YYYY-MM-DD")
        period = "this_month"
    if start and end and abs((end - start).days) > 3700:
        raise UploadRefused(400, "a report covers at most ten years")
    kiosk = flask.request.args.get("kiosk") or None
    if kiosk is not None and kiosk not in store.kiosk_names():
        raise UploadRefused(404, f'no kiosk "{kiosk[:64]}" is registered at the office')
    place = flask.request.args.get("place")
    return {"period": period, "start": start, "end": end, "kiosk": kiosk, "place": place if place else None}


def report_response(store: OfficeStore, fmt: str, choice: dict[str, Any]) -> flask.Response:
    now = datetime.now(TIMEZONE)
    first, last = period_days(choice["period"], now.date(), choice["start"], choice["end"])
    report = office_report(store, first, last, kiosk=choice["kiosk"], place=choice["place"])
    scope = " · ".join(filter(None, [choice["kiosk"], choice["place"]])) or "alle kiosken"
    title = f"Ter Plekke: verslag van {first:%d/%m/%Y} tot {last:%d/%m/%Y} ({scope})"
    body = render(report, fmt, title, now.strftime("%d/%m/%Y %H:%M"))
    response = flask.Response(body.encode("utf-8"), mimetype=MIME[fmt])
    if fmt != "html":
        response.headers["Content-Disposition"] = (
            f'attachment; filename="ter-plekke-verslag-{first.isoformat()}-{last.isoformat()}.{fmt}"')
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


class Retention:
    """Blanks personal details older than the retention time (``days``: :func:`retention_days`, checked
    when the office starts): when the office starts, then at most once a day (when staff open the overview)."""

    def __init__(self, store: OfficeStore, days: int):
        self.store = store
        self.days = days
        self.done_on: date | None = None

    def run_if_due(self) -> None:
        today = datetime.now(TIMEZONE).date()
        if self.done_on == today:
            return
        self.done_on = today
        try:
            self.store.apply_retention(self.days)
        except Exception:  # retention must never stop the office; it is logged and tried again tomorrow
            log.exception("could not apply the retention time")
