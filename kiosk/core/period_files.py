"""The period report (:func:`kiosk.core.period.period_report`) as JSON, CSV for Excel, or printable HTML.

CSV: like the day log (UTF-8 with BOM, ``;``, Dutch words), always the same four columns
(Onderdeel; Naam; Bezoeken of aantal; Personen) and the same rows for the same period length, whatever
the period holds. HTML: one A4 page per section when printed, charts as inline SVG, no scripts.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from html import escape
from typing import Any

from kiosk.clock import TIMEZONE
from kiosk.core.daylog import VALUE_NAMES
from kiosk.core.period import COUNTS_ONLY_NOTE
from kiosk.core.report import MONTHS_NL, SMILEYS, WEEKDAYS_NL

#: The usual Dutch short month names (maart is "mrt", not "maa").
MONTHS_SHORT_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
FIGURE_NAMES = {
    "visits": "Bezoeken (aanmeldingen)",
    "persons": "Personen",
    "adults": "Volwassenen",
    "children": "Kinderen",
    "first_time": "Voor het eerst",
    "questions_total": "Vragen",
    "ideas": "Ideeën",
    "ideas_approved": "Ideeën op de muur gezet",
    "ideas_hidden": "Ideeën verborgen",
    "supports": "Hartjes voor ideeën",
    "signups_total": "Ingeschreven personen",
    "smileys_total": "Smileys",
}


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def _month(key: str) -> str:
    year, month = key.split("-")
    return f"{MONTHS_NL[int(month) - 1]} {year}"


def _day(key: str) -> str:
    d = date.fromisoformat(key)
    return f"{d.day} {MONTHS_NL[d.month - 1]} {d.year}"


def csv_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The rows of the CSV: ``[section, name, count, persons]`` (persons empty where it means nothing)."""
    rows: list[list[Any]] = [["Periode", f"{report['from']} tot {report['to']}", "", ""]]
    rows += [["Totaal", FIGURE_NAMES[key], report[key], ""] for key in FIGURE_NAMES]
    rows += [["Ledenkaarten", name, report["cards"][key], ""]
             for key, name in (("visits", "bezoeken met kaart"), ("distinct", "verschillende kaarten"),
                               ("new", "nieuwe kaarten"), ("returning", "terugkerende kaarten"))]
    rows += [["Vragen per thema", VALUE_NAMES["theme"].get(theme, theme), n, ""]
             for theme, n in report["questions"].items()]
    rows += [["Vragen afgehandeld", name, report["question_outcomes"][key], ""]
             for key, name in (("helped", "geholpen"), ("not_needed", "niet nodig"), ("open", "nog open"))]
    rows.append(["Vragen", "vandaag spreken gevraagd", report["talk_today"], ""])
    rows += [["Smileys", words, report["smileys"][str(score)], ""] for score, (_, words) in SMILEYS.items()]
    rows += [["Per maand", _month(month), v["visits"], v["persons"]] for month, v in report["by_month"].items()]
    rows += [["Per weekdag", WEEKDAYS_NL[int(day) - 1], v["visits"], v["persons"]]
             for day, v in report["by_weekday"].items()]
    rows += [["Per uur", f"{int(hour):02d}u", v["visits"], v["persons"]] for hour, v in report["by_hour"].items()]
    rows += [["Per plaats", place or "(geen plaats)", v["visits"], v["persons"]] for place, v in report["by_place"].items()]
    rows += [["Per kiosk", kiosk, v["visits"], v["persons"]] for kiosk, v in report["by_kiosk"].items()]
    rows += [["Inschrijvingen", title, n, ""] for title, n in report["signups"].items()]
    rows += [["Ideeën per soort", VALUE_NAMES["category"].get(c, c), n, ""]
             for c, n in report["ideas_by_category"].items()]
    return rows


def to_csv(report: dict[str, Any]) -> str:
    """CSV for Excel with Belgian settings, byte-order mark included."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Onderdeel", "Naam", "Aantal", "Personen"])
    for row in csv_rows(report):
        writer.writerow([_safe(cell) for cell in row])
    writer.writerow([COUNTS_ONLY_NOTE])
    return "\ufeff" + out.getvalue()


def _safe(cell: Any) -> str:
    """A text cell Excel would run as a formula (= + - @, TAB, CR) is kept as text."""
    text = str(cell)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not isinstance(cell, int) else text


CSS = """
@page { size: A4; margin: 15mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1f2937; margin: 1.5em auto; max-width: 48em;
       padding: 0 1em; line-height: 1.35; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; }
h2 { font-size: 1.2em; border-bottom: 2px solid #0f766e; padding-bottom: 0.2em; margin-top: 1.4em; }
.sub { color: #4b5563; margin-top: 0; }
.note { background: #ecfdf5; border: 1px solid #0f766e; padding: 0.4em 0.8em; }
.warn { background: #fef3c7; border: 1px solid #92400e; padding: 0.4em 0.8em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3em 0.5em; border-bottom: 1px solid #d1d5db; }
th { background: #f3f4f6; }
td.n, th.n { text-align: right; white-space: nowrap; }
.cols { display: flex; gap: 2em; flex-wrap: wrap; }
.cols > section { flex: 1 1 20em; }
svg { max-width: 100%; height: auto; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; } section { page-break-inside: avoid; }
               h2 { page-break-after: avoid; } }
"""


def bar_chart_svg(bars: list[tuple[str, int]], label: str, color: str = "#0f766e") -> str:
    """A bar chart with the number above each bar and the name below; ``label`` names it for readers."""
    bar = 64 if len(bars) <= 8 else 44 if len(bars) <= 13 else 30
    gap, height, top, bottom = 10, 140, 22, 30
    width = max(len(bars), 1) * (bar + gap) + gap
    scale = max([n for _, n in bars] + [1])
    items = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {top + height + bottom}" '
             f'width="{width}" height="{top + height + bottom}" role="img" aria-label="{escape(label)}">',
             f'<line x1="0" y1="{top + height}" x2="{width}" y2="{top + height}" stroke="#4b5563"/>']
    for index, (name, n) in enumerate(bars):
        x = gap + index * (bar + gap)
        h = round(height * max(n, 0) / scale)
        if h:
            items.append(f'<rect x="{x}" y="{top + height - h}" width="{bar}" height="{h}" fill="{color}"/>')
        items.append(f'<text x="{x + bar / 2}" y="{top + height - h - 5}" text-anchor="middle" font-size="12">{n}</text>')
        items.append(f'<text x="{x + bar / 2}" y="{top + height + 17}" text-anchor="middle" font-size="12" '
                     f'fill="#4b5563">{escape(name)}</text>')
    items.append("</svg>")
    return "".join(items)


def _table(head: list[str], rows: list[list[Any]]) -> str:
    cells = "".join(f'<th class="n">{escape(h)}</th>' if i else f"<th>{escape(h)}</th>" for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(f'<td class="n">{escape(str(c))}</td>' if i else f"<td>{escape(str(c))}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><tr>{cells}</tr>{body}</table>"


def day_ranges(days: list[str]) -> list[str]:
    """Consecutive days as "3 tot 9 maart 2027"-style ranges, for the line on days without records."""
    ranges: list[list[date]] = []
    for text in days:
        d = date.fromisoformat(text)
        if ranges and (d - ranges[-1][1]).days == 1:
            ranges[-1][1] = d
        else:
            ranges.append([d, d])
    return [_day(a.isoformat()) if a == b else f"{_day(a.isoformat())} tot {_day(b.isoformat())}" for a, b in ranges]


def to_html(report: dict[str, Any], title: str, made_at: str = "") -> str:
    """The report as one printable page."""
    month_bars = [(MONTHS_SHORT_NL[int(m[5:7]) - 1] + (f" {m[2:4]}" if len(report["by_month"]) > 12 else ""), v["visits"])
                  for m, v in report["by_month"].items()]
    weekday_bars = [(WEEKDAYS_NL[int(d) - 1][:2], v["visits"]) for d, v in report["by_weekday"].items()]
    hour_bars = [(f"{int(h)}u", v["visits"]) for h, v in report["by_hour"].items()]
    theme_bars = [(VALUE_NAMES["theme"].get(t, t).split()[0], n) for t, n in report["questions"].items()]
    figures = [[FIGURE_NAMES[key], report[key]] for key in FIGURE_NAMES]
    cards = report["cards"]
    figures.append(["Ledenkaarten (verschillend / nieuw)", f"{cards['distinct']} / {cards['new']}"])
    outcomes = report["question_outcomes"]
    figures.append(["Vragen geholpen / niet nodig / open",
                    f"{outcomes['helped']} / {outcomes['not_needed']} / {outcomes['open']}"])
    figures.append(["Vandaag spreken gevraagd", report["talk_today"]])
    smileys = [[f"{score}: {words}", report["smileys"][str(score)]] for score, (_, words) in SMILEYS.items()]
    without = report["days_without_records"]
    missing_line = (f"Dagen zonder gegevens ({len(without)}): {', '.join(day_ranges(without))}."
                    if without else "Elke dag van de periode heeft gegevens.")
    not_uploaded = report["not_uploaded"]
    upload_line = ("Nog niet alles naar het kantoor gestuurd: " + "; ".join(
        f"{item['kiosk']} ({_still_to_send(item)})"
        for item in not_uploaded) + ".") if not_uploaded else "Alle kiosken hebben alles doorgestuurd."
    parts = [
        "<!DOCTYPE html>", '<html lang="nl"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="sub">Van {escape(_day(report["from"]))} tot en met {escape(_day(report["to"]))}'
        f'{" · gemaakt op " + escape(made_at) if made_at else ""}</p>',
        f'<p class="note">{escape(COUNTS_ONLY_NOTE)}</p>',
        f'<p class="warn">{escape(missing_line)}<br>{escape(upload_line)}</p>',
        '<div class="cols"><section><h2>Samenvatting</h2>', _table(["", "Aantal"], figures), "</section>",
        "<section><h2>Tevredenheid</h2>", _table(["", "Aantal"], smileys), "</section></div>",
        "<section><h2>Bezoeken per maand</h2>", bar_chart_svg(month_bars, "Bezoeken per maand"), "</section>",
        "<section><h2>Bezoeken per weekdag</h2>", bar_chart_svg(weekday_bars, "Bezoeken per weekdag"), "</section>",
        "<section><h2>Bezoeken per uur</h2>", bar_chart_svg(hour_bars, "Bezoeken per uur"), "</section>",
        "<section><h2>Vragen per thema</h2>", bar_chart_svg(theme_bars, "Vragen per thema", "#1d4ed8"), "</section>",
    ]
    for key, heading, name in (("by_place", "Per plaats", "Plaats"), ("by_kiosk", "Per kiosk", "Kiosk")):
        if report[key]:
            rows = [[group or "(geen plaats)", v["visits"], v["persons"], v["questions"], v["ideas"], v["signups"]]
                    for group, v in report[key].items()]
            parts += [f"<section><h2>{heading}</h2>",
                      _table([name, "Bezoeken", "Personen", "Vragen", "Ideeën", "Inschrijvingen"], rows), "</section>"]
    if report["signups"]:
        parts += ["<section><h2>Inschrijvingen per activiteit</h2>",
                  _table(["Activiteit", "Personen"], [[t, n] for t, n in report["signups"].items()]), "</section>"]
    parts += [f'<p class="sub">{escape(COUNTS_ONLY_NOTE)}</p>', "</body></html>"]
    return "\n".join(parts) + "\n"


def _still_to_send(item: dict[str, Any]) -> str:
    if item.get("still_to_send") is None:
        return "nog nooit iets ontvangen"
    try:
        when = datetime.fromisoformat(item["as_of"]).astimezone(TIMEZONE).strftime("%d/%m/%Y %H:%M")
    except (KeyError, TypeError, ValueError):
        when = "onbekend"
    return f"{item['still_to_send']} nog te versturen, gemeld op {when}"


def render(report: dict[str, Any], fmt: str, title: str, made_at: str = "") -> str:
    """The report in ``fmt``: json, csv or html."""
    if fmt == "csv":
        return to_csv(report)
    if fmt == "html":
        return to_html(report, title, made_at)
    return to_json(report)
