"""The report for the funder over any period: counts only, from one kiosk or from every kiosk. Pure.

Two steps, so that the kiosk and the office compute the same figures by construction:

1. :func:`tally` turns records into *tally rows* ``(kiosk, place, day, hour, key, n)``: what each record
   counts for (a check-in: a visit and its persons at that hour, adults, children...). The kiosk tallies
   its day files; the office tallies every record once, when it arrives, and keeps the rows.
2. :func:`period_report` adds up the rows of a period into the report (a plain dict, documented in
   ``docs/report.md``). No names, phone numbers, card numbers or typed text ever reach it.

Numbers outside the ranges of :mod:`kiosk.core.record_schema` count as nothing, so a wrong record
can never break a total.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from kiosk.core.feedback import SCORES
from kiosk.core.question import OUTCOMES, THEMES
from kiosk.core.record_schema import count_of
from kiosk.core.records import RecordType
from kiosk.core.signup import SIGNUP_DAYS_BACK

#: The report format's version (``docs/report.md``); raised when a key changes meaning or goes away.
REPORT_VERSION = 1
#: Said in every report and download.
COUNTS_ONLY_NOTE = "Enkel aantallen: dit verslag bevat geen namen, telefoonnummers of getypte teksten."
NO_HOUR = -1
#: The keys counted per hour (and per month and weekday); every other key only per day.
BY_HOUR_KEYS = ("visits", "persons")
#: ``by_hour`` always holds these hours (and any other hour with visits): the same rows every period.
OPENING_HOURS = (8, 18)
#: Keys of a tally row that carry a card id after this prefix (for distinct cards; never reported).
CARD_PREFIX = "card:"
#: A ``moderation`` record's action -> what it counts for.
MODERATION_KEYS = {"approve": "ideas_approved", "hide": "ideas_hidden"}


class TallyRow(NamedTuple):
    kiosk: str
    place: str
    day: str  # YYYY-MM-DD, the kiosk's local day
    hour: int  # 0..23 for visits and persons; NO_HOUR for the rest
    key: str
    n: int


def record_counts(record: dict[str, Any]) -> list[tuple[str, bool, int]]:
    """What one record counts for: ``(key, by hour, n)``. Unknown types and shapes count for nothing."""
    data = record.get("data")
    rtype = record.get("type")
    if not isinstance(data, dict):
        return []
    if rtype == RecordType.CHECKIN:
        adults, children = count_of(rtype, data, "adults"), count_of(rtype, data, "children")
        counts = [("visits", True, 1), ("persons", True, adults + children), ("adults", False, adults),
                  ("children", False, children)]
        if data.get("first_time") is True:
            counts.append(("first_time", False, 1))
        if isinstance(data.get("card"), str) and data["card"]:
            counts += [("card_visits", False, 1), (CARD_PREFIX + data["card"][:64], False, 1)]
        return counts
    if rtype == RecordType.QUESTION:
        theme = data.get("theme") if data.get("theme") in THEMES else "other"
        counts = [("questions", False, 1), ("theme:" + theme, False, 1)]
        if data.get("talk_today") is True:
            counts.append(("talk_today", False, 1))
        return counts
    if rtype == RecordType.HANDLED:
        outcome = data.get("outcome")
        return [("outcome:" + outcome, False, 1)] if outcome in OUTCOMES else []
    if rtype == RecordType.IDEA:
        category = data.get("category")
        return [("ideas", False, 1), ("category:" + (category if isinstance(category, str) else "other")[:40], False, 1)]
    if rtype == RecordType.VOTE:
        return [("supports", False, 1)]
    if rtype == RecordType.MODERATION:  # staff let an idea on the wall, or hid it
        action = data.get("action")
        return [(MODERATION_KEYS[action], False, 1)] if action in MODERATION_KEYS else []
    if rtype == RecordType.FEEDBACK:
        score = count_of(rtype, data, "score")
        return [("smiley:" + str(score), False, 1)] if score in SCORES else []
    if rtype == RecordType.SIGNUP:
        persons = count_of(rtype, data, "persons", default=1)
        return [("signups", False, 1), ("signup_persons", False, persons),
                ("activity:" + _activity(data), False, persons)]
    if rtype == RecordType.SIGNUP_CANCEL:  # staff cancelled a sign-up: it takes its persons back
        persons = count_of(rtype, data, "persons", default=0)
        return [("signups_cancelled", False, 1), ("signup_persons", False, -persons)] + (
            [("activity:" + _activity(data), False, -persons)] if data.get("title") else [])
    return []


def _activity(data: dict[str, Any]) -> str:
    title = data.get("title")
    return title[:120] if isinstance(title, str) and title else "?"


def record_place(record: dict[str, Any]) -> str:
    place = record.get("location")
    return place[:200] if isinstance(place, str) else ""


def record_moment(record: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(record["created_at"])
    except (KeyError, TypeError, ValueError):
        return None


def counted_moment(record: dict[str, Any]) -> datetime | None:
    """When a record counts: when it was made, but a cancelled sign-up counts when the sign-up was made
    (``signed_up_at``), so the period of the sign-up shows it cancelled and no period shows minus persons.
    Only up to :data:`SIGNUP_DAYS_BACK` days back, as far as :func:`kiosk_tally` looks ahead for it."""
    moment = record_moment(record)
    data = record.get("data")
    if moment is None or record.get("type") != RecordType.SIGNUP_CANCEL or not isinstance(data, dict):
        return moment
    try:
        signed_up = datetime.fromisoformat(data["signed_up_at"])
        if signed_up <= moment and (moment.date() - signed_up.date()).days <= SIGNUP_DAYS_BACK:
            return signed_up
    except (KeyError, TypeError, ValueError):  # from before signed_up_at was kept; no time zone; not a time
        pass
    return moment


def kiosk_tally(records_for_day: Callable[[date], Iterable[dict[str, Any]]], start: date, end: date) -> list[TallyRow]:
    """The tally rows of ``start`` to ``end`` from a kiosk's day files: those days' records, and the
    cancellations made in the :data:`SIGNUP_DAYS_BACK` days after ``end`` (they count on their sign-up's day)."""
    rows = [row for day in days(start, end) for row in tally(records_for_day(day))]
    later = (record for day in days(end + timedelta(days=1), end + timedelta(days=SIGNUP_DAYS_BACK))
             for record in records_for_day(day) if record.get("type") == RecordType.SIGNUP_CANCEL)
    return rows + tally(later)


def tally(records: Iterable[dict[str, Any]]) -> list[TallyRow]:
    """The tally rows of ``records``, added up per (kiosk, place, day, hour, key)."""
    totals: Counter = Counter()
    for record in records:
        if not isinstance(record, dict):
            continue
        moment = counted_moment(record)
        if moment is None:
            continue
        day, hour = moment.date().isoformat(), moment.hour
        kiosk, place = str(record.get("kiosk") or ""), record_place(record)
        for key, by_hour, n in record_counts(record):
            totals[(kiosk, place, day, hour if by_hour else NO_HOUR, key)] += n
    return [TallyRow(*where, n) for where, n in totals.items()]


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _months(start: date, end: date) -> list[str]:
    months, (year, month) = [], (start.year, start.month)
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _figures(counts: Mapping[str, int]) -> dict[str, int]:
    """The headline figures of a group (everything, one place, one kiosk, one month)."""
    return {
        "visits": counts.get("visits", 0),
        "persons": counts.get("persons", 0),
        "adults": counts.get("adults", 0),
        "children": counts.get("children", 0),
        "first_time": counts.get("first_time", 0),
        "questions": counts.get("questions", 0),
        "ideas": counts.get("ideas", 0),
        "supports": counts.get("supports", 0),
        "signups": counts.get("signup_persons", 0),
        "smileys": sum(counts.get(f"smiley:{score}", 0) for score in SCORES),
    }


def period_report(rows: Iterable[TallyRow | tuple], start: date, end: date,
                  first_seen: Mapping[str, str] | None = None, kiosks: Iterable[str] = (),
                  not_uploaded: Iterable[Mapping[str, Any]] = (),
                  active_days: Iterable[str] | None = None) -> dict[str, Any]:
    """The report of ``start`` to ``end`` (both included) from tally rows; rows outside it are ignored.

    ``first_seen``: card id -> first day that card checked in (earlier days than the rows may hold);
    ``kiosks``: the kiosks the report is about (each appears in ``by_kiosk``, even without records);
    ``not_uploaded``: ``{"kiosk", "still_to_send", "as_of"}`` for kiosks whose records are not all in.
    ``active_days``: the days that have records, when the rows were already added up over days (the
    office lets its database add up what only counts per period; sums do not depend on the order).
    """
    first, last = start.isoformat(), end.isoformat()
    total: Counter = Counter()
    by_place: dict[str, Counter] = defaultdict(Counter)
    by_kiosk: dict[str, Counter] = {name: Counter() for name in kiosks}
    by_month: dict[str, Counter] = defaultdict(Counter)
    by_weekday: dict[int, Counter] = defaultdict(Counter)
    by_hour: dict[int, Counter] = defaultdict(Counter)
    cards: set[str] = set()
    days_seen: set[str] = set()
    weekdays: dict[str, int] = {}
    for kiosk, place, day, hour, key, n in rows:
        if not first <= day <= last:
            continue
        days_seen.add(day)
        if key.startswith(CARD_PREFIX):
            cards.add(key[len(CARD_PREFIX):])
            continue
        total[key] += n
        by_place[place][key] += n
        (by_kiosk.get(kiosk) or by_kiosk.setdefault(kiosk, Counter()))[key] += n
        if key in BY_HOUR_KEYS:
            by_month[day[:7]][key] += n
            weekday = weekdays.get(day) or weekdays.setdefault(day, date.fromisoformat(day).isoweekday())
            by_weekday[weekday][key] += n
            if hour != NO_HOUR:
                by_hour[hour][key] += n
    if active_days is None:
        active_days = days_seen
    else:
        active_days = {day for day in active_days if first <= day <= last}
    seen = first_seen or {}
    new_cards = sum(1 for card in cards if str(seen.get(card, first)) >= first)
    helped, not_needed = total["outcome:helped"], total["outcome:not_needed"]
    themes = {theme: total[f"theme:{theme}"] for theme in THEMES}
    hours = sorted(by_hour)
    return {
        "report_version": REPORT_VERSION,
        "from": first,
        "to": last,
        "visits": total["visits"],
        "persons": total["persons"],
        "adults": total["adults"],
        "children": total["children"],
        "first_time": total["first_time"],
        "ideas": total["ideas"],
        "supports": total["supports"],
        "ideas_approved": total["ideas_approved"],
        "ideas_hidden": total["ideas_hidden"],
        "cards": {"visits": total["card_visits"], "distinct": len(cards), "new": new_cards,
                  "returning": len(cards) - new_cards},
        "questions": themes,
        "questions_total": total["questions"],
        "question_outcomes": {"helped": helped, "not_needed": not_needed,
                              "open": max(total["questions"] - helped - not_needed, 0)},
        "talk_today": total["talk_today"],
        "ideas_by_category": {key.split(":", 1)[1]: n for key, n in sorted(total.items())
                              if key.startswith("category:")},
        "signups": {key.split(":", 1)[1]: n for key, n in sorted(total.items()) if key.startswith("activity:")},
        "signups_total": total["signup_persons"],
        "signup_count": total["signups"],
        "signups_cancelled": total["signups_cancelled"],
        "smileys": {str(score): total[f"smiley:{score}"] for score in sorted(SCORES)},
        "smileys_total": sum(total[f"smiley:{score}"] for score in SCORES),
        "by_month": {month: _visits(by_month[month]) for month in _months(start, end)},
        "by_weekday": {str(weekday): _visits(by_weekday[weekday]) for weekday in range(1, 8)},
        "by_hour": {str(hour): _visits(by_hour[hour])
                    for hour in range(min([*hours, OPENING_HOURS[0]]), max([*hours, OPENING_HOURS[1]]) + 1)},
        "by_place": {place: _figures(counts) for place, counts in sorted(by_place.items())},
        "by_kiosk": {kiosk: _figures(counts) for kiosk, counts in sorted(by_kiosk.items())},
        "days_with_records": len(active_days),
        "days_without_records": [d.isoformat() for d in days(start, end) if d.isoformat() not in active_days],
        "not_uploaded": [dict(item) for item in not_uploaded],
        "note": COUNTS_ONLY_NOTE,
    }


def _visits(counts: Mapping[str, int]) -> dict[str, int]:
    return {"visits": counts.get("visits", 0), "persons": counts.get("persons", 0)}


def first_seen_of(rows: Iterable[TallyRow | tuple], known: Mapping[str, str] | None = None) -> dict[str, str]:
    """Card id -> the first day it checked in, from tally rows and from what was ``known`` before."""
    seen: dict[str, str] = {card: str(day) for card, day in (known or {}).items()}
    for row in rows:
        key, day = row[4], row[2]
        if key.startswith(CARD_PREFIX):
            card = key[len(CARD_PREFIX):]
            if card not in seen or day < seen[card]:
                seen[card] = day
    return seen
