"""Benchmark: one day's activities from a calendar of 200 events, most of them weekly over several years.

    PYTHONPATH=. python tests/bench/bench_calendar.py [--json] [--runs N]

What the kiosk pays, and where:
- parse          reading the calendar text (worker thread, once per new download)
- parse+expand   parse and the first day asked (a fresh download, cold recurrence rules)
- first day      the first day asked of a parsed calendar (CalendarSource pays it in the worker: prime)
- day            one day asked of a primed calendar, day after day (what the UI thread pays): ``day_ms``
- 7 days         the coming seven days, primed
- heavy          10,000 weekly events since 2000 (a valid but very large calendar): parse, then the
                 kiosk's window (what a refresh pays), and the peak memory of a process doing only that
- bomb           one event that repeats every second of every day since 2020: how long a refresh takes
                 to refuse it (``--heavy`` runs these two, each in a process of its own)
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.calendar.expand import parse_calendar  # noqa: E402

QUERY_DAY = date(2027, 4, 20)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
TITLES = ("Ontmoetingsmoment", "Gezondheidswandeling", "Samen Tafelen", "Plantjesruil", "Digitaal spreekuur",
          "Breicafé", "Repair café", "Infosessie energie", "Zitdans", "Taalcafé")  # fmt: skip


def generated_calendar(events: int = 200, seed: int = 7) -> bytes:
    """``events`` events: 85% weekly from 2025 to 2030 (some with a left-out date and a moved occurrence),
    the rest single events and all-day events, in Europe/Brussels, UTC and floating time."""
    rng = random.Random(seed)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//NL", "X-WR-TIMEZONE:Europe/Brussels"]
    for n in range(events):
        first = date(2025, 1, 6) + timedelta(days=rng.randrange(0, 365))
        hour = rng.randrange(8, 19)
        start = datetime(first.year, first.month, first.day, hour, rng.choice((0, 30)))
        uid = f"event-{n}@bench"
        body = [f"UID:{uid}", f"SUMMARY:{rng.choice(TITLES)} {n}", "DTSTAMP:20250101T000000Z",
                "LOCATION:Cafetaria OC In 't Riet\\, Zillebeke", "DESCRIPTION:Kom gerust langs.",
                "CATEGORIES:Ontmoeting"]  # fmt: skip
        kind = rng.random()
        if kind < 0.85:
            body += [f"DTSTART;TZID=Europe/Brussels:{start:%Y%m%dT%H%M%S}",
                     f"DTEND;TZID=Europe/Brussels:{start + timedelta(minutes=90):%Y%m%dT%H%M%S}",
                     f"RRULE:FREQ=WEEKLY;BYDAY={WEEKDAYS[first.weekday() % 5]};UNTIL=20301231T230000Z"]  # fmt: skip
            if n % 4 == 0:
                body.append(f"EXDATE;TZID=Europe/Brussels:{start + timedelta(weeks=60):%Y%m%dT%H%M%S}")
            lines += ["BEGIN:VEVENT", *body, "END:VEVENT"]
            if n % 5 == 0:
                moved = start + timedelta(weeks=rng.randrange(50, 150))
                lines += ["BEGIN:VEVENT", f"UID:{uid}", f"SUMMARY:{rng.choice(TITLES)} {n} (verplaatst)",
                          f"RECURRENCE-ID;TZID=Europe/Brussels:{moved:%Y%m%dT%H%M%S}",
                          f"DTSTART;TZID=Europe/Brussels:{moved + timedelta(days=1):%Y%m%dT%H%M%S}",
                          f"DTEND;TZID=Europe/Brussels:{moved + timedelta(days=1, hours=2):%Y%m%dT%H%M%S}",
                          "END:VEVENT"]  # fmt: skip
            continue
        single = datetime(2027, 1, 1) + timedelta(days=rng.randrange(0, 365), hours=hour)
        if kind < 0.95:
            body += [f"DTSTART:{single - timedelta(hours=2):%Y%m%dT%H%M%SZ}", "DURATION:PT2H"]
        else:
            body += [f"DTSTART;VALUE=DATE:{single:%Y%m%d}", f"DTEND;VALUE=DATE:{single + timedelta(days=2):%Y%m%d}"]
        lines += ["BEGIN:VEVENT", *body, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


HEAVY_EVENTS = 10_000


def heavy_calendar(events: int = HEAVY_EVENTS) -> bytes:
    """``events`` weekly events of 90 minutes, every one since January 2000 and without an end."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//NL"]
    for n in range(events):
        start = datetime(2000, 1, 3 + n % 5, 8 + n % 10, 30)
        lines += ["BEGIN:VEVENT", f"UID:heavy-{n}@bench", f"SUMMARY:Activiteit {n}", "DTSTAMP:20000101T000000Z",
                  f"DTSTART;TZID=Europe/Brussels:{start:%Y%m%dT%H%M%S}",
                  f"DTEND;TZID=Europe/Brussels:{start + timedelta(minutes=90):%Y%m%dT%H%M%S}",
                  "RRULE:FREQ=WEEKLY", "END:VEVENT"]  # fmt: skip
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def bomb_calendar() -> bytes:
    """One 680-byte event that repeats every second of every day since 2020 (DAILY with 24 x 60 x 60 BY values)."""
    hours, minutes = ",".join(map(str, range(24))), ",".join(map(str, range(60)))
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//NL\r\nBEGIN:VEVENT\r\nUID:bomb@bench\r\n"
            "SUMMARY:Bom\r\nDTSTART:20200101T000000Z\r\nDURATION:PT1S\r\n"
            f"RRULE:FREQ=DAILY;BYHOUR={hours};BYMINUTE={minutes};BYSECOND={minutes}\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


def measure_heavy(kind: str) -> dict[str, float | int | str]:
    """Parse a heavy (``kind`` "heavy") or hostile ("bomb") calendar and ask for the kiosk's window, as a
    refresh does; in this process, so that its peak memory is the calendar's."""
    import resource

    from kiosk.errors import CalendarError  # noqa: PLC0415

    try:
        from kiosk.calendar.expand import prime_window  # noqa: PLC0415 - not in versions before the budget
    except ImportError:
        def prime_window(programme, day):  # the version before: expand the shown week from the rules' start
            programme.coming_days(day, 7)

    data = heavy_calendar() if kind == "heavy" else bomb_calendar()
    start = time.perf_counter()
    outcome = "accepted"
    try:
        programme = parse_calendar(data, f"{kind}.ics")
        parsed = time.perf_counter()
        prime_window(programme, QUERY_DAY)
        if programme.warnings:
            outcome = "event refused: " + programme.warnings[0][:120]
    except CalendarError as error:
        parsed = time.perf_counter()
        outcome = "calendar refused: " + str(error)[:120]
    done = time.perf_counter()
    return {
        "kind": kind,
        "events": HEAVY_EVENTS if kind == "heavy" else 1,
        "bytes": len(data),
        "parse_s": round(parsed - start, 2),
        "refresh_s": round(done - start, 2),
        "cpu_s": round(resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "outcome": outcome,
    }


def ms(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def measure(runs: int) -> dict[str, float]:
    data = generated_calendar()
    parse, parse_expand, first_day, day, week = [], [], [], [], []
    for _ in range(runs):
        parse.append(ms(lambda: parse_calendar(data, "bench.ics")))
        parse_expand.append(ms(lambda: parse_calendar(data, "bench.ics").day(QUERY_DAY)))
        programme = parse_calendar(data, "bench.ics")
        first_day.append(ms(lambda: programme.day(QUERY_DAY)))
        for offset in range(1, 31):  # the kiosk moving through a month, one new day after another
            day.append(ms(lambda: programme.day(QUERY_DAY + timedelta(days=offset))))
        week.append(ms(lambda: programme.coming_days(QUERY_DAY, 7)))
        assert programme.warnings == (), programme.warnings
    count = len(parse_calendar(data, "bench.ics").day(QUERY_DAY))
    return {
        "day_ms": round(statistics.median(day), 2),
        "parse_ms": round(statistics.median(parse), 2),
        "parse_expand_ms": round(statistics.median(parse_expand), 2),
        "first_day_ms": round(statistics.median(first_day), 2),
        "week_ms": round(statistics.median(week), 2),
        "occurrences_that_day": count,
        "events": 200,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help='print one JSON object, {"day_ms": ...}')
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--heavy", action="store_true", help="the heavy and the hostile calendar (each in a process)")
    parser.add_argument("--only", choices=["heavy", "bomb"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure_heavy(args.only)))
        return 0
    if args.heavy:
        return heavy_report(args.json)
    result = measure(args.runs)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"Calendar of {result['events']} events, {result['occurrences_that_day']} occurrences on {QUERY_DAY} "
          f"(median of {args.runs} runs)")  # fmt: skip
    rows = [
        ("parse", result["parse_ms"], "worker thread, once per new download"),
        ("parse+expand (cold)", result["parse_expand_ms"], "worker thread, once per new download"),
        ("first day (expand only, cold)", result["first_day_ms"], "worker thread: CalendarSource primes it"),
        ("one day (expand only, primed)", result["day_ms"], "UI thread, every time the screen asks"),
        ("coming 7 days (primed)", result["week_ms"], "UI thread"),
    ]
    for name, value, where in rows:
        print(f"  {name:<32} {value:8.2f} ms   {where}")
    return 0


def heavy_report(as_json: bool) -> int:
    import subprocess  # noqa: PLC0415

    results = []
    for kind in ("heavy", "bomb"):
        done = subprocess.run([sys.executable, __file__, "--only", kind], capture_output=True, text=True, timeout=900)
        lines = done.stdout.strip().splitlines()
        results.append(json.loads(lines[-1]) if done.returncode == 0 and lines else
                       {"kind": kind, "outcome": f"failed: {done.stderr.strip().splitlines()[-1:]}"})
    if as_json:
        print(json.dumps(results))
        return 0
    for r in results:
        print(f"{r['kind']:<6} {r.get('events', '?'):>6} events, {r.get('bytes', 0):>9} bytes: parse {r.get('parse_s', '?')} s, "
              f"parse + kiosk window {r.get('refresh_s', '?')} s ({r.get('cpu_s', '?')} s CPU), peak {r.get('peak_mb', '?')} MB; {r['outcome']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
