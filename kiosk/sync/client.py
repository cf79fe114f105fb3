"""One upload of one batch to the central office, and what the office's answer means (docs/architecture.md#the-upload-contract).

``POST {url}/api/v1/records`` with ``Authorization: Bearer <token>`` and the JSON body
``{"kiosk", "sent_at", "status", "records"}``. Only a 201 or 202 whose JSON body accounts for the ids
sent (``accepted`` + ``duplicates`` + ``rejected``) is success. Anything else (a 200 from a Wi-Fi login
page, a redirect, HTML, garbage, a broken connection) is a failure in words; nothing is marked
uploaded that the office did not name.

The token comes from the configuration (``Config`` and :class:`OfficeSettings` leave it out of their
reprs); here it goes only into the request header, never into a message, a log line or an exception.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable
from urllib.parse import urlsplit

from kiosk import __version__
from kiosk.errors import OfficeConfigError
from kiosk.net import TooSlow, read_capped

# requests, http.client and email are imported where an upload needs them: a kiosk with no office set
# never loads them (requests some 6 MB, the other two some 0.6 MB).
if TYPE_CHECKING:
    import requests

RECORDS_PATH = "/api/v1/records"
#: At most this many records, and this many bytes of JSON, per batch (docs/architecture.md#the-upload-contract).
MAX_RECORDS = 500
MAX_BYTES = 1_000_000
#: The office's answer is read up to this size; a bigger one is not an answer we understand.
MAX_ANSWER_BYTES = 4_000_000
#: A token is sent as it is in an HTTP header: visible ASCII, no spaces.
_TOKEN_CHARS = frozenset(chr(c) for c in range(0x21, 0x7F))


@dataclass(frozen=True)
class OfficeSettings:
    """Where and how to upload. ``token`` is secret: it is left out of ``repr``."""

    url: str
    token: str = field(repr=False)
    ca_file: str = ""
    connect_timeout: float = 10.0
    read_timeout: float = 30.0

    @classmethod
    def from_config(cls, config: Any) -> "OfficeSettings":
        """From a :class:`kiosk.config.Config`: connecting and answering each get ``[office] timeout``."""
        timeout = float(config.office_timeout)
        return cls(config.office_url, config.office_token, config.office_ca_file, min(timeout, 10.0), timeout)

    @property
    def configured(self) -> bool:
        return bool(self.url)

    @property
    def where(self) -> str:
        """The office's host (and port) for messages: never a path, a user name or a password."""
        parts = urlsplit(self.url)
        host = parts.hostname or "?"
        return f"{host}:{parts.port}" if parts.port else host

    @property
    def fingerprint(self) -> str:
        """Changes when the address or the token changes; does not reveal the token."""
        return hashlib.sha256(f"{self.url}\n{self.token}".encode()).hexdigest()[:16]

    def problem(self) -> str | None:
        """Why these settings cannot be used, in words; None when they can."""
        if not self.url:
            return "No office address is configured: set [office] url in the configuration."
        parts = urlsplit(self.url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            return 'The office address must look like "https://office.example.be" ([office] url).'
        if parts.username or parts.password:
            return "The office address must not hold a user name or password; put the token in KIOSK_OFFICE_TOKEN."
        if not self.token:
            return "No token for the office is configured: set KIOSK_OFFICE_TOKEN (or [office] token)."
        if not set(self.token) <= _TOKEN_CHARS:
            return (
                "The office token holds spaces, line breaks or other characters that cannot be sent; "
                "copy it again exactly as the office gave it."
            )
        if self.ca_file and not Path(self.ca_file).is_file():
            return f"The certificate file {self.ca_file} ([office] ca_file) does not exist."
        return None


class Verdict(StrEnum):
    """What one upload attempt came to."""

    STORED = "stored"  # 201/202 and every record accounted for
    FAILED = "failed"  # try again later, with backoff (maybe after marking what the office did name)
    BUSY = "busy"  # 429/503: try again after Retry-After
    TOO_LARGE = "too_large"  # 413: split the batch
    AUTH = "auth"  # 401/403: the token is wrong; stop until the settings change


@dataclass(frozen=True)
class Answer:
    """The office's answer to one batch, made safe to act on.

    ``uploaded``: ids the office accepted or already had (in the batch's order); ``rejected``: id ->
    the office's reason. Only ids that were in the batch appear. ``problem`` says in words what went
    wrong when the verdict is not STORED, or what was odd (e.g. some ids not accounted for).
    """

    verdict: Verdict
    uploaded: tuple[str, ...] = ()
    duplicates: int = 0
    rejected: dict[str, str] = field(default_factory=dict)
    retry_after: float | None = None
    problem: str = ""
    http_status: int | None = None
    office_time: datetime | None = None  # the answer's Date header: the office's clock
    office_json: bool = False  # the body was a JSON object, as the office's own answers are
    untrusted: bool = False  # no answer: the office's TLS certificate could not be verified


@dataclass(frozen=True)
class Batch:
    """Records to send together, each already encoded as JSON (encoded once, however often sent)."""

    records: tuple[dict[str, Any], ...]
    encoded: tuple[bytes, ...]

    def __len__(self) -> int:
        return len(self.records)

    @property
    def ids(self) -> list[str]:
        return [r["id"] for r in self.records]

    @property
    def size(self) -> int:
        return sum(len(e) + 1 for e in self.encoded)

    def halves(self) -> tuple["Batch", "Batch"]:
        middle = len(self.records) // 2
        return (
            Batch(self.records[:middle], self.encoded[:middle]),
            Batch(self.records[middle:], self.encoded[middle:]),
        )

    def body(self, kiosk: str, sent_at: str, status: dict[str, Any] | None) -> bytes:
        envelope: dict[str, Any] = {"kiosk": kiosk, "sent_at": sent_at}
        if status is not None:
            envelope["status"] = status
        head = json.dumps(envelope, ensure_ascii=False)
        return head[:-1].encode() + b',"records":[' + b",".join(self.encoded) + b"]}"


def encode_record(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def make_batches(
    records: Iterable[dict[str, Any]], max_records: int = MAX_RECORDS, max_bytes: int = MAX_BYTES
) -> tuple[list[Batch], list[tuple[dict[str, Any], int]]]:
    """Cut ``records`` into batches of at most ``max_records`` and ``max_bytes``.

    Returns the batches and the records that are too large to send even alone, with their size.
    """
    batches: list[Batch] = []
    too_large: list[tuple[dict[str, Any], int]] = []
    records_now: list[dict[str, Any]] = []
    encoded_now: list[bytes] = []
    size_now = 0
    for record in records:
        encoded = encode_record(record)
        if len(encoded) > max_bytes:
            too_large.append((record, len(encoded)))
            continue
        if records_now and (len(records_now) >= max_records or size_now + len(encoded) + 1 > max_bytes):
            batches.append(Batch(tuple(records_now), tuple(encoded_now)))
            records_now, encoded_now, size_now = [], [], 0
        records_now.append(record)
        encoded_now.append(encoded)
        size_now += len(encoded) + 1
    if records_now:
        batches.append(Batch(tuple(records_now), tuple(encoded_now)))
    return batches, too_large


class _Bearer:
    """Adds the token to a request (a requests auth: any callable); its repr never shows it. (An explicit
    auth also keeps ~/.netrc out.)"""

    def __init__(self, token: str):
        self._token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "<Bearer token hidden>"


class OfficeClient:
    """Uploads batches over one ``requests.Session`` (kept-alive connections, TLS verified).

    Raises :class:`OfficeConfigError` at creation when the settings cannot be used. :meth:`upload`
    never raises for network trouble or a bad answer: it returns an :class:`Answer`.
    """

    def __init__(self, settings: OfficeSettings, session: requests.Session | None = None):
        problem = settings.problem()
        if problem:
            raise OfficeConfigError(problem)
        self.settings = settings
        self._endpoint = settings.url.rstrip("/") + RECORDS_PATH
        self._auth = _Bearer(settings.token)
        if session is None:
            import requests

            session = requests.Session()
        self._session = session
        self._verify: str | bool = settings.ca_file or True

    def __repr__(self) -> str:
        return f"<OfficeClient {self.settings.where}>"

    def close(self) -> None:
        self._session.close()

    def try_token(self, kiosk: str, sent_at: str) -> Answer:
        """Send an empty batch: does the office answer as it should, and take this kiosk's token?
        Stores nothing and leaves the kiosk's last reported status at the office as it was."""
        return self.upload(Batch((), ()), kiosk, sent_at, None)

    def upload(self, batch: Batch, kiosk: str, sent_at: str, status: dict[str, Any] | None) -> Answer:
        """Send one batch and judge the answer. Blocks at most about connect + read timeout (x a few).
        ``status`` (None: not sent) is how the kiosk is doing, for the office's overview."""
        import requests

        s = self.settings
        deadline = time.monotonic() + s.connect_timeout + 3 * s.read_timeout
        try:
            response = self._session.post(
                self._endpoint,
                data=batch.body(kiosk, sent_at, status),
                headers={
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                    "User-Agent": f"ter-plekke-kiosk/{__version__}",
                    "Connection": "close",
                },
                auth=self._auth,
                timeout=(s.connect_timeout, s.read_timeout),
                verify=self._verify,
                allow_redirects=False,
                stream=True,
            )
            try:
                raw = read_capped(response, MAX_ANSWER_BYTES, deadline)
            finally:
                response.close()
                # One connection per upload, never reused: a 204 or 304 that carries a body anyway, or a
                # server that sends more than its Content-Length, leaves bytes on the line that the next
                # request would read as its answer ("no network?"). The session stays usable.
                self._session.close()
        except requests.RequestException as error:
            return Answer(Verdict.FAILED, problem=_in_words(error, s),
                          untrusted=isinstance(error, requests.exceptions.SSLError))
        except TooSlow:
            return Answer(Verdict.FAILED, problem=f"the office ({s.where}) took too long to finish its answer")
        answer = judge(response.status_code, response.headers, raw, batch.ids, s.where)
        office_time = _http_date(response.headers["Date"]) if response.headers.get("Date") else None
        return dataclasses.replace(answer, office_time=office_time) if office_time else answer


def judge(status: int, headers: Any, raw: bytes | None, sent: list[str], where: str) -> Answer:
    """Turn an HTTP answer into an :class:`Answer` (pure: no I/O)."""
    said = _reason(raw, headers)
    if status in (201, 202):
        return _account(status, headers, raw, sent, where)
    if status in (401, 403):
        return Answer(
            Verdict.AUTH,
            http_status=status,
            problem=f"the office ({where}) refused this kiosk's token ({status}{said}). "
            "Uploads are stopped until the office address or token is changed.",
        )
    if status == 413:
        return Answer(Verdict.TOO_LARGE, http_status=status, problem=f"the office found the batch too large (413{said})",
                      office_json=_json_object(raw))
    if status in (429, 503):
        wait = parse_retry_after(headers.get("Retry-After"), headers.get("Date"))
        when = f"; it asked to wait {wait:.0f} s" if wait is not None else ""
        busy = "asks to slow down" if status == 429 else "is unavailable for now"
        return Answer(
            Verdict.BUSY, retry_after=wait, http_status=status, problem=f"the office ({where}) {busy} ({status}{said}){when}"
        )
    if 300 <= status < 400:
        to = urlsplit(headers.get("Location", "")).hostname
        return Answer(
            Verdict.FAILED, http_status=status,
            problem=f"the office address redirects elsewhere{f' (to {to})' if to else ''} ({status}): "
            "a Wi-Fi login page, or the office moved",
        )
    if _looks_like_html(raw, headers):
        return Answer(
            Verdict.FAILED, http_status=status,
            problem=f"a web page answered ({status}) instead of the office: a Wi-Fi login page?",
        )
    if 200 <= status < 300:
        return Answer(Verdict.FAILED, http_status=status, problem=f"the office answered {status}, not 201 or 202")
    if status == 404:
        return Answer(
            Verdict.FAILED, http_status=status,
            problem=f"the office ({where}) does not know the upload address (404): is [office] url right?",
        )
    return Answer(Verdict.FAILED, http_status=status, problem=f"the office ({where}) answered {status}{said}")


def _account(status: int, headers: Any, raw: bytes | None, sent: list[str], where: str) -> Answer:
    """A 201/202: believe it only as far as its JSON body names the ids that were sent."""
    if _looks_like_html(raw, headers):
        return Answer(Verdict.FAILED, http_status=status, problem=f"a web page answered ({status}) instead of the office")
    try:
        body = json.loads(raw) if raw is not None else None
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return Answer(Verdict.FAILED, http_status=status, problem=f"the office answered {status} without the JSON it should send")
    accepted, duplicates, rejected = body.get("accepted", []), body.get("duplicates", []), body.get("rejected", [])
    well_formed = (
        all(isinstance(x, list) for x in (accepted, duplicates, rejected))
        and all(isinstance(i, str) for i in (*accepted, *duplicates))
        and all(isinstance(r, dict) for r in rejected)
    )
    if not well_formed:
        return Answer(Verdict.FAILED, http_status=status, problem=f"the office's answer ({status}) was not understood")
    wanted = set(sent)
    ok = (set(accepted) | set(duplicates)) & wanted
    # A rejection without a usable id (the office could not read one) cannot be one of ours.
    refused = {r["id"]: _short(r.get("reason")) or "no reason given" for r in rejected
               if isinstance(r.get("id"), str) and r["id"] in wanted}
    if ok & refused.keys():
        return Answer(
            Verdict.FAILED, http_status=status,
            problem="the office's answer contradicts itself (a record both accepted and rejected)",
        )
    uploaded = tuple(i for i in sent if i in ok)
    duplicate_count = len(set(duplicates) & wanted)
    missing = len(wanted) - len(ok) - len(refused)
    if missing:
        return Answer(
            Verdict.FAILED, uploaded, duplicate_count, refused, http_status=status,
            problem=f"the office did not account for {missing} of the {len(wanted)} records sent; they stay pending",
        )
    return Answer(Verdict.STORED, uploaded, duplicate_count, refused, http_status=status)


def parse_retry_after(value: str | None, date_header: str | None = None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds, or an HTTP date), or None.

    An HTTP date is measured against the answer's own ``Date`` header when there is one, so a kiosk
    whose clock is wrong still waits the right time.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    reference = _http_date(date_header) if date_header else None
    reference = reference or now or datetime.now(timezone.utc)
    return max(0.0, (when - reference).total_seconds())


def _http_date(value: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _json_object(raw: bytes | None) -> bool:
    try:
        return isinstance(json.loads(raw or b""), dict)
    except (ValueError, UnicodeDecodeError):
        return False


def _looks_like_html(raw: bytes | None, headers: Any) -> bool:
    kind = (headers.get("Content-Type") or "").lower()
    start = (raw or b"")[:200].lstrip().lower()
    return "html" in kind or start.startswith((b"<!doctype", b"<html"))


def _reason(raw: bytes | None, headers: Any) -> str:
    """The office's own short reason from a JSON error answer, as ``": reason"``, or empty."""
    if not raw or "json" not in (headers.get("Content-Type") or "").lower():
        return ""
    try:
        body = json.loads(raw[:65536])
    except (ValueError, UnicodeDecodeError):
        return ""
    if isinstance(body, dict):
        for key in ("reason", "error", "message", "detail"):
            text = _short(body.get(key))
            if text:
                return f": {text}"
    return ""


def _short(value: Any, limit: int = 200) -> str:
    if not isinstance(value, str):
        return ""
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _in_words(error: requests.RequestException, s: OfficeSettings) -> str:
    """A network failure in words. Never ``str(error)``: keep whatever it holds out of messages."""
    import http.client

    import requests

    causes = _causes(error)
    if isinstance(error, requests.ConnectTimeout):
        return f"the office ({s.where}) could not be reached within {s.connect_timeout:g} s"
    if isinstance(error, requests.ReadTimeout) or any("Timeout" in type(c).__name__ for c in causes):
        return f"the office ({s.where}) did not answer within {s.read_timeout:g} s"
    if isinstance(error, requests.exceptions.SSLError):
        return (
            f"the office's certificate could not be verified ({s.where}): a Wi-Fi login page, or, if the office "
            "uses its own certificate, set [office] ca_file"
        )
    if isinstance(error, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        return f"the connection to the office ({s.where}) broke while it was answering"
    if any(isinstance(c, socket.gaierror) for c in causes) or "NameResolution" in {type(c).__name__ for c in causes}:
        return f"the office's address ({s.where}) could not be found: no network, or a wrong address"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return f"the office ({s.where}) refused the connection: is it running?"
    if any(isinstance(c, (ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError)) for c in causes):
        return f"the connection to the office ({s.where}) broke before it answered"
    if isinstance(error, requests.ConnectionError):
        return f"the office ({s.where}) could not be reached: no network?"
    return f"the upload to the office ({s.where}) failed ({type(error).__name__})"


def _causes(error: BaseException) -> list[BaseException]:
    """The error and what lies under it (urllib3 wraps the socket's error a few levels deep)."""
    seen: list[BaseException] = []
    todo: list[Any] = [error]
    while todo and len(seen) < 20:
        item = todo.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        todo.extend([item.__cause__, item.__context__, getattr(item, "reason", None), *item.args])
    return seen
