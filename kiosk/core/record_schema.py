"""What numbers a record may hold: per record type, the numeric fields of ``data`` and their ranges.

The office checks every number of an upload against this (a visit is 0 to 50 persons, a smiley 1 to 4),
and the reports count only numbers within these ranges, so that one wrong record (``1e400``, ``2**63``)
can neither be stored nor break a total. Pure: no I/O.
"""

from __future__ import annotations

import math
from typing import Any, Iterator

#: Numeric fields of ``data`` per record type: field -> (lowest, highest), whole numbers only.
NUMBER_FIELDS: dict[str, dict[str, tuple[int, int]]] = {
    "checkin": {"adults": (0, 50), "children": (0, 50)},
    "question": {"ticket": (0, 100_000)},
    "feedback": {"score": (1, 4)},
    "signup": {"persons": (0, 50)},
    "signup_cancel": {"persons": (0, 50)},
}
#: A number in a field not listed above (a field a newer kiosk adds): a whole number in this range.
OTHER_NUMBER = (0, 1_000_000)
#: A visit is at most this many persons (adults and children together).
MAX_VISIT_PERSONS = 50
#: Numbers in what a kiosk reports about itself (``status``): field -> (lowest, highest).
STATUS_FIELDS: dict[str, tuple[int, int]] = {
    "pending": (0, 100_000_000),
    "pending_count": (0, 100_000_000),
    "pending_records": (0, 100_000_000),
    "rejected": (0, 100_000_000),
    "free_disk_mb": (0, 10**12),
    "free_disk_bytes": (0, 10**18),
}
#: Any other number in a status: finite, and within this range.
OTHER_STATUS_NUMBER = (-(10**15), 10**15)


def _numbers(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every number inside ``value`` (nested lists and objects too) with where it is."""
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _numbers(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _numbers(inner, f"{path}[{index}]")


def data_problems(rtype: str, data: dict[str, Any]) -> list[str]:
    """What is wrong with the numbers of a record's ``data``, in words (empty: all is well)."""
    fields = NUMBER_FIELDS.get(rtype, {})
    problems = []
    for path, number in _numbers(data, ""):
        low, high = fields.get(path, OTHER_NUMBER)
        if not isinstance(number, int) or not low <= number <= high:
            problems.append(f"data.{path}: expected a whole number from {low} to {high}, got {_short(number)}")
    if rtype == "checkin" and not problems:
        persons = sum(data.get(key, 0) for key in ("adults", "children") if isinstance(data.get(key), int))
        if persons > MAX_VISIT_PERSONS:
            problems.append(f"data: a visit is at most {MAX_VISIT_PERSONS} persons, got {persons}")
    return problems


def status_problems(status: dict[str, Any]) -> list[str]:
    """What is wrong with the numbers a kiosk reports about itself, in words."""
    problems = []
    for path, number in _numbers(status, ""):
        low, high = STATUS_FIELDS.get(path, OTHER_STATUS_NUMBER)
        if isinstance(number, float) and not math.isfinite(number) or not low <= number <= high:
            problems.append(f"status.{path}: expected a number from {low} to {high}, got {_short(number)}")
    return problems


def count_of(rtype: str, data: dict[str, Any], field: str, default: int = 0) -> int:
    """``data[field]`` when it is a whole number within the field's range, else ``default``."""
    value = data.get(field)
    low, high = NUMBER_FIELDS.get(rtype, {}).get(field, OTHER_NUMBER)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return default
    return value


def _short(number: Any) -> str:
    text = repr(number) if isinstance(number, float) else str(number) if abs(number) < 10**30 else "a huge number"
    return text if len(text) <= 40 else text[:37] + "..."
