"""The day's report: one printable HTML page in Dutch, for staff and the office. Pure: returns text.

The summary, check-ins per hour as an inline SVG bar chart, the questions, ideas, sign-ups and smileys.
Every visitor text is escaped. No scripts, no outside files: it opens the same on a PC, a phone and on
paper (print-friendly CSS). Files to go with it (CSV, JSON) can be embedded as download links, for a
phone that receives this one page.
"""

from __future__ import annotations

import base64
import re
from datetime import date, datetime
from html import escape
from typing import Any, Iterable

from kiosk.core.daylog import VALUE_NAMES, to_csv, to_json
from kiosk.core.daystats import DayStats, day_stats
from kiosk.core.privacy import PRIVACY_REMINDER, without_personal

WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")
SMILEYS = {4: ("😀", "heel tevreden"), 3: ("🙂", "tevreden"), 2: ("🙁", "ontevreden"), 1: ("😞", "heel ontevreden")}

CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1f2937; margin: 2em auto; max-width: 60em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.7em; margin-bottom: 0.1em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #0f766e; padding-bottom: 0.2em; margin-top: 1.6em; }
.sub { color: #4b5563; margin-top: 0; }
.privacy { background: #fef3c7; border: 1px solid #92400e; padding: 0.5em 0.8em; font-weight: bold; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.35em 0.5em; border-bottom: 1px solid #d1d5db; vertical-align: top; }
th { background: #f3f4f6; }
td.n, th.n { text-align: right; white-space: nowrap; }
.summary td:first-child { width: 60%; }
.empty { color: #4b5563; font-style: italic; }
.files a { display: inline-block; margin: 0.3em 1em 0.3em 0; padding: 0.5em 1em; background: #0f766e; color: #fff; text-decoration: none; border-radius: 0.4em; }
svg { max-width: 100%; height: auto; }
@media (max-width: 40em) { .summary td.n { white-space: normal; } }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  .files { display: none; }
  section, tr { page-break-inside: avoid; }
  h2 { page-break-after: avoid; }
  .privacy { background: none; }
}
"""


def day_in_dutch(day: str) -> str:
    """``2027-04-20`` as "dinsdag 20 april 2027"."""
    d = date.fromisoformat(day)
    return f"{WEEKDAYS_NL[d.weekday()]} {d.day} {MONTHS_NL[d.month - 1]} {d.year}"


#: The line on a page made without personal details.
WITHOUT_PERSONAL = "Zonder namen, telefoonnummers en teksten van bezoekers: enkel de vragen en de aantallen."


def day_report(stats: DayStats, kiosk_name: str, kiosk_id: str, made_at: datetime | None = None,
               files: Iterable[tuple[str, str, bytes]] = (), personal: bool = True) -> str:
    """The report of one day as a complete HTML page.

    ``files``: ``(file name, MIME type, content)`` offered as download links inside the page.
    ``personal=False``: the questions table has no text and contact columns, and the page says so.
    """
    title = f"{kiosk_name} — {day_in_dutch(stats.day)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f'<p class="privacy">{escape(PRIVACY_REMINDER if personal else WITHOUT_PERSONAL)}</p>',
        f"<h1>{escape(kiosk_name)}: dagverslag</h1>",
        f'<p class="sub">{escape(day_in_dutch(stats.day))}'
        f'{" · " + escape(", ".join(stats.locations)) if stats.locations else ""} · kiosk {escape(kiosk_id)}</p>',
        _files(files),
        _summary(stats),
        _chart_section(stats),
        _questions(stats, personal),
        _ideas(stats),
        _signups(stats),
        _smileys(stats),
        f'<p class="sub">Gemaakt op {escape(_when(made_at))}. {escape(PRIVACY_REMINDER)}</p>' if made_at else "",
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _files(files: Iterable[tuple[str, str, bytes]]) -> str:
    links = [
        f'<a download="{escape(name)}" href="data:{escape(mime)};base64,{base64.b64encode(content).decode()}">'
        f"{escape(name)}</a>"
        for name, mime, content in files
    ]
    if not links:
        return ""
    return '<p class="files">Bewaar de bestanden:<br>' + "".join(links) + "</p>"


def _summary(stats: DayStats) -> str:
    rows = [
        ("Aanmeldingen (bezoeken)", stats.visits),
        ("Personen", f"{stats.persons} ({stats.adults} volwassenen, {stats.children} kinderen)"),
        ("Voor het eerst hier", stats.first_timers),
        ("Met een ledenkaart", f"{stats.card_visits} (nieuwe kaarthouders: {stats.cards_new}, "
                               f"terugkerende: {stats.cards_returning})"),
        ("Vragen", f"{len(stats.questions)} (geholpen: {stats.handled('helped')}, niet nodig: "
                   f"{stats.handled('not_needed')}, nog open: {len(stats.open_questions)})"),
        ("Nieuwe ideeën", len(stats.ideas)),
        ("Hartjes voor ideeën", stats.votes),
        ("Inschrijvingen", f"{sum(s.signups for s in stats.signups)} ({sum(s.persons for s in stats.signups)} personen)"),
        ("Smileys", stats.feedback_count),
    ]
    body = "".join(f'<tr><td>{escape(label)}</td><td class="n">{escape(str(value))}</td></tr>' for label, value in rows)
    return f'<section><h2>Samenvatting</h2><table class="summary">{body}</table></section>'


def hour_chart_svg(stats: DayStats) -> str:
    """Persons checked in per hour, as an SVG bar chart with the numbers written on the bars."""
    hours = stats.hours
    bar, gap, height, top, bottom = 44, 14, 160, 24, 26
    width = len(hours) * (bar + gap) + gap
    scale = max(stats.busiest_hour, 1)
    items = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {top + height + bottom}" '
             f'width="{width}" height="{top + height + bottom}" role="img" '
             f'aria-label="Personen per uur">']
    items.append(f'<line x1="0" y1="{top + height}" x2="{width}" y2="{top + height}" stroke="#4b5563"/>')
    for index, slot in enumerate(hours):
        x = gap + index * (bar + gap)
        h = round(height * slot.persons / scale)
        if h:
            items.append(f'<rect x="{x}" y="{top + height - h}" width="{bar}" height="{h}" fill="#0f766e"/>')
        items.append(f'<text x="{x + bar / 2}" y="{top + height - h - 6}" text-anchor="middle" '
                     f'font-size="14" fill="#1f2937">{slot.persons}</text>')
        items.append(f'<text x="{x + bar / 2}" y="{top + height + 18}" text-anchor="middle" '
                     f'font-size="13" fill="#4b5563">{slot.hour}u</text>')
    items.append("</svg>")
    return "".join(items)


def _chart_section(stats: DayStats) -> str:
    return f"<section><h2>Personen per uur</h2>{hour_chart_svg(stats)}</section>"


def _questions(stats: DayStats, personal: bool = True) -> str:
    if not stats.questions:
        return '<section><h2>Vragen</h2><p class="empty">Geen vragen.</p></section>'
    outcomes = {None: "open", **VALUE_NAMES["outcome"]}
    rows = []
    for q in stats.questions:
        contact = " · ".join(part for part in (q.first_name, q.phone) if part)
        if q.erased:
            contact = "(gewist)"
        rows.append(
            f'<tr><td class="n">{q.ticket}</td><td>{escape(_time(q.created_at))}</td>'
            f'<td>{escape(VALUE_NAMES["theme"].get(q.theme, q.theme))}</td>'
            f'<td>{"ja" if q.talk_today else "nee"}</td>'
            + (f"<td>{escape(q.text)}</td><td>{escape(contact)}</td>" if personal else "")
            + f"<td>{escape(outcomes.get(q.outcome, str(q.outcome)))}</td></tr>"
        )
    head = ('<tr><th class="n">Nr</th><th>Tijd</th><th>Thema</th><th>Vandaag spreken</th>'
            + ("<th>Tekst</th><th>Contact</th>" if personal else "") + "<th>Afgehandeld</th></tr>")
    return f"<section><h2>Vragen</h2><table>{head}{''.join(rows)}</table></section>"


def _ideas(stats: DayStats) -> str:
    if not stats.ideas:
        return '<section><h2>Ideeën</h2><p class="empty">Geen nieuwe ideeën.</p></section>'
    rows = "".join(
        f"<tr><td>{escape(i.title or VALUE_NAMES['category'].get(i.category, i.category))}</td>"
        f"<td>{escape(i.text)}</td><td class=\"n\">{i.support}</td></tr>"
        for i in stats.ideas
    )
    head = '<tr><th>Idee</th><th>Uitleg</th><th class="n">Hartjes</th></tr>'
    return f"<section><h2>Ideeën</h2><table>{head}{rows}</table></section>"


def _signups(stats: DayStats) -> str:
    if not stats.signups:
        return '<section><h2>Inschrijvingen</h2><p class="empty">Geen inschrijvingen.</p></section>'
    rows = "".join(
        f'<tr><td>{escape(s.title)}</td><td>{escape(_moment(s.start))}</td><td class="n">{s.signups}</td>'
        f'<td class="n">{s.persons}</td></tr>'
        for s in stats.signups
    )
    head = '<tr><th>Activiteit</th><th>Wanneer</th><th class="n">Inschrijvingen</th><th class="n">Personen</th></tr>'
    return f"<section><h2>Inschrijvingen</h2><table>{head}{rows}</table></section>"


def _smileys(stats: DayStats) -> str:
    rows = "".join(
        f'<tr><td>{face} {escape(words)}</td><td class="n">{stats.smileys.get(score, 0)}</td></tr>'
        for score, (face, words) in SMILEYS.items()
    )
    return f"<section><h2>Hoe was het vandaag?</h2><table>{rows}</table></section>"


def _time(value: Any) -> str:
    try:
        return datetime.fromisoformat(value).strftime("%H:%M")
    except (TypeError, ValueError):
        return str(value or "")


def _moment(value: Any) -> str:
    if isinstance(value, str) and len(value) == 10:  # an all-day activity
        try:
            return f"{date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value or "")
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year} {moment:%H:%M}"


def _when(value: datetime | None) -> str:
    return "" if value is None else f"{day_in_dutch(value.date().isoformat())} om {value:%H:%M}"


def file_stem(kiosk_name: str, day: str) -> str:
    """``ter-plekke-2027-04-20``: the kiosk's name in plain letters, and the day."""
    plain = re.sub(r"[^a-z0-9]+", "-", kiosk_name.lower().encode("ascii", "ignore").decode()).strip("-")
    return f"{plain or 'kiosk'}-{day}"


def day_files(day: str, records: list[dict[str, Any]], kiosk_name: str, kiosk_id: str, made_at: datetime,
              cards_seen: dict[str, str] | None = None) -> dict[str, bytes]:
    """The day's log as the three files of an export: CSV (for Excel), JSON and the HTML report."""
    stem = file_stem(kiosk_name, day)
    files = {name: content for name, _, content in _data_files(stem, records)}
    stats = day_stats(day, records, cards_seen)
    files[f"{stem}.html"] = day_report(stats, kiosk_name, kiosk_id, made_at).encode("utf-8")
    return files


def day_page(day: str, records: list[dict[str, Any]], kiosk_name: str, kiosk_id: str, made_at: datetime,
             cards_seen: dict[str, str] | None = None, personal: bool = False) -> bytes:
    """The day's log as one page for a phone: the HTML report with the CSV and the JSON inside it.

    The phone fetches it over plain HTTP on the venue's Wi-Fi: without ``personal=True`` (staff chose "with
    names and phone numbers" for this download) every personal detail is left out, of the page and of the
    CSV and JSON inside it (:func:`kiosk.core.privacy.without_personal`).
    """
    stem = file_stem(kiosk_name, day)
    if not personal:
        records = without_personal(records)
    return day_report(day_stats(day, records, cards_seen), kiosk_name, kiosk_id, made_at,
                      files=_data_files(stem, records), personal=personal).encode("utf-8")


def _data_files(stem: str, records: list[dict[str, Any]]) -> list[tuple[str, str, bytes]]:
    """The records as CSV and JSON: ``(file name, MIME type, content)``."""
    return [(f"{stem}.csv", "text/csv;charset=utf-8", to_csv(records).encode("utf-8")),
            (f"{stem}.json", "application/json", to_json(records).encode("utf-8"))]
