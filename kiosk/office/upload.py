"""Checking an upload from a kiosk (docs/architecture.md#the-upload-contract): first the envelope as a whole, then each record on its own.

The envelope is ``{"kiosk": name, "sent_at": text, "status": {...}, "records": [...]}``; ``sent_at`` and
``status`` may be left out. A wrong envelope refuses the whole upload (:class:`UploadRefused` with the
HTTP status: 400, 403 for another kiosk's name, 413 for too many records). A wrong record is refused
alone, by its id and with a reason in words; the others are kept.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.core.record_schema import data_problems, status_problems
from kiosk.core.records import RecordType
from kiosk.errors import UploadRefused
from kiosk.office.store import StoredRecord

#: More records than this in one upload is answered with 413, so that the kiosk splits the batch.
MAX_RECORDS = 1000
MAX_LOCATION_CHARS = 200
MAX_SENT_AT_CHARS = 64
MAX_STATUS_CHARS = 10_000
MAX_SEQ = 2**63 - 1
#: A record id in its usual written form; the kiosk writes ``str(uuid.uuid4())``.
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TYPES = tuple(str(t) for t in RecordType)
REQUIRED = ("id", "type", "created_at", "seq", "clock_ok", "location", "kiosk", "data")


@dataclass(frozen=True)
class Upload:
    """An envelope that passed: who sent it, when, what the kiosk reports, and its records unchecked."""

    kiosk: str
    sent_at: str | None
    status: dict[str, Any] | None
    records: list[Any]


def parse_body(body: bytes) -> Any:
    """The JSON value of a request body: UTF-8, strict JSON (no NaN or Infinity)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UploadRefused(400, f"the body is not UTF-8 text (byte {error.start})") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise UploadRefused(400, f"the body is not valid JSON: {error.msg} at line {error.lineno} "
                                 f"column {error.colno}") from None
    except ValueError as error:
        raise UploadRefused(400, f"the body is not valid JSON: {error}") from None
    except RecursionError:
        raise UploadRefused(400, "the body is not usable JSON: nested too deeply") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def check_envelope(body: Any, kiosk: str) -> Upload:
    """Check the upload as a whole for the authenticated ``kiosk``."""
    if not isinstance(body, dict):
        raise UploadRefused(400, f"expected a JSON object with kiosk and records, got {_kind(body)}")
    if "kiosk" not in body or "records" not in body:
        missing = [key for key in ("kiosk", "records") if key not in body]
        raise UploadRefused(400, "the upload lacks " + " and ".join(missing))
    if not isinstance(body["kiosk"], str):
        raise UploadRefused(400, f"kiosk: expected text, got {_kind(body['kiosk'])}")
    if body["kiosk"] != kiosk:
        raise UploadRefused(403, f'the token belongs to kiosk "{kiosk}", but the upload says '
                                 f'it comes from {_show(body["kiosk"])}')
    records = body["records"]
    if not isinstance(records, list):
        raise UploadRefused(400, f"records: expected a list, got {_kind(records)}")
    if len(records) > MAX_RECORDS:
        raise UploadRefused(413, f"too many records in one upload ({len(records)}); send at most {MAX_RECORDS}")
    sent_at = body.get("sent_at")
    if sent_at is not None and (not isinstance(sent_at, str) or len(sent_at) > MAX_SENT_AT_CHARS
                                or not _is_unicode(sent_at)):
        raise UploadRefused(400, f"sent_at: expected a date and time as text, got {_show(sent_at)}")
    status = body.get("status")
    if status is not None:
        if not isinstance(status, dict):
            raise UploadRefused(400, f"status: expected a JSON object, got {_kind(status)}")
        if not _is_unicode(status) or len(json.dumps(status, ensure_ascii=False)) > MAX_STATUS_CHARS:
            raise UploadRefused(400, f"status: expected a small JSON object of valid text "
                                     f"(at most {MAX_STATUS_CHARS} characters)")
        wrong = status_problems(status)
        if wrong:
            raise UploadRefused(400, "; ".join(wrong[:3]))
    return Upload(kiosk, sent_at, status, records)


def check_records(records: list[Any], kiosk: str) -> tuple[list[StoredRecord], list[dict[str, Any]]]:
    """Split the records into those to store and the refused ones (``{"id", "reason"}``), in order."""
    good: list[StoredRecord] = []
    refused: list[dict[str, Any]] = []
    for record in records:
        problems, stored = _check_record(record, kiosk)
        if problems:
            rid = record.get("id") if isinstance(record, dict) and isinstance(record.get("id"), str) else None
            refused.append({"id": rid, "reason": "; ".join(problems)})
        else:
            good.append(stored)
    return good, refused


def _check_record(record: Any, kiosk: str) -> tuple[list[str], StoredRecord | None]:
    if not isinstance(record, dict):
        return [f"expected a record (a JSON object), got {_kind(record)}"], None
    missing = [key for key in REQUIRED if key not in record]
    if missing:
        return ["missing " + ", ".join(missing)], None
    problems = []
    rid, rtype, created_at = record["id"], record["type"], record["created_at"]
    seq = whole_number(record["seq"])
    if not isinstance(rid, str) or not UUID_TEXT.fullmatch(rid):
        problems.append(f"id: expected a UUID like 3f2a9c0d-11be-4c1e-9d6f-0a1b2c3d4e5f, got {_show(rid)}")
    if rtype not in TYPES:
        problems.append(f"type: expected one of {', '.join(TYPES)}, got {_show(rtype)}")
    moment = _moment(created_at)
    if moment is None:
        problems.append("created_at: expected a date and time with its UTC offset, like "
                        f"2027-04-20T09:30:00+02:00, got {_show(created_at)}")
    if seq is None or not 0 <= seq <= MAX_SEQ:
        problems.append(f"seq: expected a whole number from 0, got {_show(record['seq'])}")
    if not isinstance(record["clock_ok"], bool):
        problems.append(f"clock_ok: expected true or false, got {_show(record['clock_ok'])}")
    location = record["location"]
    if not isinstance(location, str) or len(location) > MAX_LOCATION_CHARS:
        problems.append(f"location: expected text of at most {MAX_LOCATION_CHARS} characters, got {_show(location)}")
    if record["kiosk"] != kiosk:
        problems.append(f'kiosk: the token belongs to kiosk "{kiosk}", but this record says {_show(record["kiosk"])}')
    if not isinstance(record["data"], dict):
        problems.append(f"data: expected a JSON object, got {_kind(record['data'])}")
    elif isinstance(rtype, str):
        problems += data_problems(rtype, record["data"])[:3]
    try:
        text = json.dumps({**record, "seq": seq} if seq is not None else record, ensure_ascii=False)
        text.encode("utf-8")
    except UnicodeEncodeError:
        problems.append("the record holds text that is not valid Unicode (a lone surrogate)")
    except RecursionError:
        problems.append("the record is nested too deeply")
    if problems:
        return problems, None
    return [], StoredRecord(rid, rtype, created_at, moment.date().isoformat(), seq, location, text)


def whole_number(value: Any) -> int | None:
    """``value`` as an int when JSON Schema's ``integer`` (docs/openapi.yaml) counts it one: 5 and 5.0,
    not 5.5, true, "5", NaN or infinity; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) > MAX_SENT_AT_CHARS:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None


def _is_unicode(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        return False
    return True


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true or false", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    """A short picture of a wrong value for a reason; never the whole of a long text."""
    if isinstance(value, (dict, list)):
        return _kind(value)
    shown = json.dumps(value, ensure_ascii=False) if _is_unicode(value) else repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."
