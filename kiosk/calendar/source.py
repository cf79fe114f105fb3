"""Where the programme comes from: a calendar file, or the office's published address, kept fresh.

Use from the app (Kivy-free; the UI hands results to its main thread itself)::

    source = CalendarSource(config.calendar_source, config.data_dir / CACHE_DIR, on_refresh=callback)
    refresher = CalendarRefresher(source, minutes=config.calendar_refresh_minutes)
    refresher.start()                       # refreshes now, then every N minutes, in its own thread
    snapshot = source.snapshot              # any thread, any time: an immutable CalendarSnapshot
    snapshot.programme.day(today)           # the occurrences of today
    snapshot.status.describe()              # "Up to date (last updated at 20/04/2027 09:30)." or why not

``on_refresh(snapshot)`` runs in the refreshing thread when a refresh finishes (Kivy: wrap it with
``Clock.schedule_once`` or ``@mainthread``). :meth:`CalendarSource.refresh` never raises for a network
or calendar problem: the last good programme stays and :class:`CalendarStatus` says why it is stale.

An address is fetched with ``requests`` (timeout, TLS verified, at most :data:`MAX_BYTES`), with
``If-None-Match`` / ``If-Modified-Since`` once a copy is kept. The last good copy, when it was fetched
and its ETag / Last-Modified are kept in ``<cache_dir>/calendar-cache.json`` (replaced atomically), so a
kiosk that starts offline still shows the programme.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from kiosk import __version__
from kiosk.calendar import elsewhere
from kiosk.calendar.budget import Budget
from kiosk.calendar.expand import Programme, parse_calendar, prime_window
from kiosk.calendar.location import check_location, is_address, shown
from kiosk.clock import TIMEZONE, Clock, SystemClock
from kiosk.errors import CalendarError, CalendarTooBusyError, StorageError
from kiosk.net import TooSlow, read_capped
from kiosk.storage.files import private_folder, write_atomically

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

#: The last good copy is kept in ``<data folder>/CACHE_DIR/CACHE_FILE``.
CACHE_DIR = "calendar"
CACHE_FILE = "calendar-cache.json"
MAX_BYTES = 5_000_000
CONNECT_TIMEOUT = 5.0
DEFAULT_TIMEOUT = 15.0
_CACHE_FORMAT = 1


@dataclass(frozen=True)
class CalendarStatus:
    """How fresh the programme is, for staff and for the screen's "last updated" line.

    ``problem_code`` is stable, for the UI to translate: ``not_loaded`` (no refresh yet), ``offline``,
    ``timeout``, ``tls``, ``not_found``, ``refused``, ``server_error``, ``http_error``, ``html``,
    ``malformed``, ``too_large``, ``too_busy`` (over the expansion budget), ``missing_file``, ``unreadable_file``; "" when the last refresh worked.
    ``problem`` says the same in English words, naming the source.
    """

    where: str
    loaded: bool = False  # a programme is there to show (fresh, or the kept copy)
    fresh: bool = False  # the last refresh worked
    problem: str = ""
    problem_code: str = ""
    updated_at: datetime | None = None  # when the programme shown was last fetched or confirmed unchanged
    checked_at: datetime | None = None  # when the last refresh finished
    notes: tuple[str, ...] = ()  # e.g. the copy could not be kept on disk

    def describe(self) -> str:
        """One or two sentences for staff, e.g. for ``kiosk activities`` or the staff screen."""
        updated = f"last updated at {self.updated_at:%d/%m/%Y %H:%M}" if self.updated_at else ""
        if self.fresh:
            return f"The programme is up to date ({updated})."
        if self.problem_code == "not_loaded":
            return self.problem
        if self.loaded:
            return f"{_sentence(self.problem)} Showing the programme {updated}."
        return f"{_sentence(self.problem)} There is no programme to show yet."


@dataclass(frozen=True)
class CalendarSnapshot:
    """The programme and its status at one moment. Immutable: read it from any thread."""

    programme: Programme
    status: CalendarStatus

    @property
    def warnings(self) -> tuple[str, ...]:
        """Everything staff should know besides :attr:`CalendarStatus.problem`: skipped events, notes."""
        return self.status.notes + self.programme.warnings


class _Stale(Exception):
    """A refresh that did not give a new programme: ``code`` and words (see :class:`CalendarStatus`)."""

    def __init__(self, code: str, words: str):
        super().__init__(words)
        self.code = code


@dataclass
class _Copy:
    """The last good calendar text and what the server said about it."""

    body: str
    fetched_at: datetime
    confirmed_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    stamp: list[int] = field(default_factory=list)  # a file's [mtime_ns, size]


class CalendarSource:
    """One calendar source (file path or address) and its current :class:`CalendarSnapshot`.

    Raises :class:`CalendarError` at once when ``location`` can never work (e.g. ``http://`` on the
    internet). ``cache_dir`` None keeps no copy on disk.
    """

    def __init__(
        self,
        location: str,
        cache_dir: str | os.PathLike | None = None,
        *,
        clock: Clock | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        on_refresh: Callable[[CalendarSnapshot], None] | None = None,
        session: requests.Session | None = None,
        max_bytes: int = MAX_BYTES,
        budget: Budget = Budget(),
        in_child: bool = False,
    ):
        self.location = check_location(location)
        self.where = shown(self.location)
        self.is_address = is_address(self.location)
        self.cache_path = Path(cache_dir) / CACHE_FILE if cache_dir is not None else None
        self.clock = clock or SystemClock()
        self.timeout = timeout
        self.on_refresh = on_refresh
        self.max_bytes = max_bytes
        self.budget = budget
        #: Read the calendar in a short child process where one can run (kiosk.calendar.elsewhere): the kiosk
        #: app does, to keep icalendar out of its memory.
        self.in_child = in_child
        self._session = session  # made at the first download: requests is imported only then
        self._refresh_lock = threading.Lock()  # one refresh at a time
        self._copy: _Copy | None = None  # guarded by _refresh_lock
        self._cache_tried = False
        self._snapshot = CalendarSnapshot(
            Programme(where=self.where),
            CalendarStatus(self.where, problem="The calendar has not been read yet.", problem_code="not_loaded"),
        )

    @property
    def snapshot(self) -> CalendarSnapshot:
        """The current programme and status (replaced as a whole by a refresh; never changes in place)."""
        return self._snapshot

    def refresh(self) -> CalendarSnapshot:
        """Fetch or re-read the calendar; keep the last good programme when that fails. Blocking: call it
        from a worker thread. Returns the new snapshot and passes it to ``on_refresh``."""
        with self._refresh_lock:
            notes: list[str] = []
            programme = self._snapshot.programme
            now = self.clock.now()
            today = now.astimezone(TIMEZONE).date()
            if not self._cache_tried:
                self._cache_tried = True
                programme = self._load_cache(notes, today) or programme
            if self._copy is not None:
                programme = self._kept_primed(programme, today, notes)
            try:
                fetched = self._read_file() if not self.is_address else self._download()
                if fetched is None:  # not modified
                    self._copy.confirmed_at = now
                    if self.is_address:
                        self._save_cache(notes)
                else:
                    body, validators = fetched
                    programme = self._read(body, today)
                    self._copy = _Copy(body.decode("utf-8-sig"), now, now, **validators)
                    self._save_cache(notes)
                status = CalendarStatus(
                    self.where, loaded=True, fresh=True, updated_at=now, checked_at=self.clock.now(), notes=tuple(notes)
                )
            except _Stale as stale:
                log.info("calendar %s: %s", self.where, stale)
                status = CalendarStatus(
                    self.where,
                    loaded=self._copy is not None,
                    problem=str(stale),
                    problem_code=stale.code,
                    updated_at=self._copy.confirmed_at if self._copy else None,
                    checked_at=self.clock.now(),
                    notes=tuple(notes),
                )
            snapshot = self._snapshot = CalendarSnapshot(programme, status)
        if self.on_refresh is not None:
            try:
                self.on_refresh(snapshot)
            except Exception:  # noqa: BLE001 - a broken callback must not stop the refreshing
                log.exception("calendar: the on_refresh callback failed")
        return snapshot

    def last_updated(self) -> datetime | None:
        """When the programme was last fetched or confirmed unchanged, by this process or another one
        (the kiosk, ``kiosk activities``): the kept copy says. None: no good copy yet. Fetches nothing."""
        copy = self._copy
        if copy is None and self.cache_path is not None:
            try:
                copy = self._read_copy()
            except (FileNotFoundError, NotADirectoryError):
                return None
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                return None  # unreadable: the next refresh says so and replaces it
        return copy.confirmed_at if copy is not None else None

    # -- fetching -----------------------------------------------------------------------------------
    def _read_file(self) -> tuple[bytes, dict[str, Any]] | None:
        path = Path(self.location)
        try:
            info = path.stat()
            stamp = [info.st_mtime_ns, info.st_size]
            if self._copy is not None and self._copy.stamp == stamp:
                return None
            body = path.read_bytes()
        except FileNotFoundError:
            raise _Stale("missing_file", f"The calendar file {self.where} does not exist.") from None
        except (OSError, ValueError) as error:
            raise _Stale("unreadable_file", f"The calendar file {self.where} cannot be read ({error}).") from None
        return body, {"stamp": stamp}

    def _download(self) -> tuple[bytes, dict[str, Any]] | None:
        import requests  # here, not at start-up: the home screen shows sooner

        if self._session is None:
            self._session = requests.Session()
        headers = {
            "User-Agent": f"ter-plekke-kiosk/{__version__}",
            "Accept": "text/calendar, text/plain;q=0.5, */*;q=0.1",
        }
        if self._copy is not None and self._copy.etag:
            headers["If-None-Match"] = self._copy.etag
        if self._copy is not None and self._copy.last_modified:
            headers["If-Modified-Since"] = self._copy.last_modified
        deadline = time.monotonic() + CONNECT_TIMEOUT + 3 * self.timeout
        try:
            with self._session.get(
                self.location, headers=headers, timeout=(CONNECT_TIMEOUT, self.timeout), stream=True
            ) as response:
                if response.status_code == 304 and self._copy is not None:
                    self._copy.etag = response.headers.get("ETag", self._copy.etag)
                    return None
                self._check_answer(response)
                body = read_capped(response, self.max_bytes, deadline)
                if body is None:
                    raise _Stale("too_large", f"{self.where} is larger than {self.max_bytes // 1_000_000} MB: "
                                              "not a kiosk calendar.")
                validators = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified")}
        except requests.exceptions.SSLError:
            raise _Stale("tls", f"The certificate of {self.where} could not be verified.") from None
        except (requests.exceptions.Timeout, TooSlow):
            raise _Stale("timeout", f"{self.where} did not answer within {self.timeout:g} seconds.") from None
        except requests.exceptions.ConnectionError:
            raise _Stale("offline", f"Cannot reach {self.where}: no network, or the server is down.") from None
        except requests.exceptions.RequestException as error:
            raise _Stale("http_error", f"Fetching {self.where} failed ({type(error).__name__}).") from None
        if body.lstrip()[:1] == b"<":
            raise _Stale("html", f"{self.where} answered with a web page, not a calendar (a Wi-Fi login page?).")
        return body, validators

    def _check_answer(self, response: requests.Response) -> None:
        code = response.status_code
        if code in (404, 410):
            raise _Stale("not_found", f"{self.where} was not found ({code}): check the address in the configuration.")
        if code in (401, 403):
            raise _Stale("refused", f"{self.where} refused access ({code}): the published address may have changed.")
        if code >= 500:
            raise _Stale("server_error", f"The server of {self.where} has a problem ({code}).")
        if code != 200:
            raise _Stale("http_error", f"{self.where} answered {code} {response.reason or ''}".rstrip() + ".")
        if "html" in response.headers.get("Content-Type", "").lower():
            raise _Stale("html", f"{self.where} answered with a web page, not a calendar (a Wi-Fi login page?).")

    def _parse(self, body: bytes) -> Programme:
        try:
            return parse_calendar(body, self.where, self.budget)
        except CalendarError as error:
            raise _Stale("malformed", str(error)) from None

    def _read(self, body: bytes, today) -> Programme:
        """The programme of ``body`` with the window from ``today`` worked out (in a child process if asked)."""
        if self.in_child:
            try:
                programme = elsewhere.work_out(body, self.where, today, self.budget)
            except CalendarTooBusyError as error:
                raise _Stale("too_busy", str(error)) from None
            except CalendarError as error:
                raise _Stale("malformed", str(error)) from None
            if programme is not None:
                return programme
        return self._primed(self._parse(body), today)

    def _primed(self, programme: Programme, today) -> Programme:
        """``programme`` with the window from ``today`` worked out; a calendar over budget is refused."""
        try:
            return prime_window(programme, today)
        except CalendarTooBusyError as error:
            raise _Stale("too_busy", str(error)) from None

    def _kept_primed(self, programme: Programme, today, notes: list[str]) -> Programme:
        """The programme in use, its window moved to ``today`` (in this worker, never in the UI)."""
        if programme.worked_out_elsewhere and not programme.covers(today):
            try:
                return self._read(self._copy.body.encode("utf-8"), today)
            except _Stale as stale:
                notes.append(_sentence(str(stale)))
                return programme
        try:
            return prime_window(programme, today)
        except CalendarTooBusyError as error:
            notes.append(_sentence(str(error)))
            return programme

    # -- the copy on disk ---------------------------------------------------------------------------
    def _read_copy(self) -> _Copy | None:
        """The copy kept on disk, None when it is another calendar's. Raises OSError, ValueError..."""
        kept = json.loads(self.cache_path.read_text(encoding="utf-8"))
        if kept.get("format") != _CACHE_FORMAT or kept.get("source") != self._source_id():
            return None  # another calendar's copy: not ours to show
        return _Copy(
            body=kept["body"],
            fetched_at=datetime.fromisoformat(kept["fetched_at"]),
            confirmed_at=datetime.fromisoformat(kept["confirmed_at"]),
            etag=kept.get("etag"),
            last_modified=kept.get("last_modified"),
            stamp=kept.get("stamp") or [],
        )

    def _load_cache(self, notes: list[str], today) -> Programme | None:
        if self.cache_path is None:
            return None
        try:
            copy = self._read_copy()
            if copy is None:
                return None
            programme = self._read_kept(copy.body, today)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, CalendarError) as error:
            notes.append(f"The kept copy of the calendar could not be read ({str(error)[:120]}); it is ignored.")
            return None
        self._copy = copy
        return programme

    def _read_kept(self, body: str, today) -> Programme:
        """The kept copy's programme (its window is worked out by ``refresh`` next, unless a child did it)."""
        if self.in_child:
            try:
                programme = elsewhere.work_out(body, self.where, today, self.budget)
            except CalendarTooBusyError:
                programme = None  # read here: refresh keeps it and says why (as for any kept copy)
            if programme is not None:
                return programme
        return parse_calendar(body, self.where, self.budget)

    def _save_cache(self, notes: list[str]) -> None:
        if self.cache_path is None or self._copy is None:
            return
        copy = self._copy
        kept = {
            "format": _CACHE_FORMAT,
            "source": self._source_id(),
            "where": self.where,
            "fetched_at": copy.fetched_at.isoformat(timespec="seconds"),
            "confirmed_at": copy.confirmed_at.isoformat(timespec="seconds"),
            "etag": copy.etag,
            "last_modified": copy.last_modified,
            "stamp": copy.stamp,
            "body": copy.body,
        }
        try:
            private_folder(self.cache_path.parent)
            write_atomically(self.cache_path, json.dumps(kept, ensure_ascii=False).encode("utf-8"))
        except (OSError, StorageError) as error:
            notes.append(f"The calendar could not be kept on disk for offline use ({error}).")

    def _source_id(self) -> str:
        """Names the source in the cache without writing a secret address into it a second time."""
        return hashlib.sha256(self.location.encode("utf-8")).hexdigest()


class CalendarRefresher:
    """Refreshes a :class:`CalendarSource` at once and then every ``minutes``, in a daemon thread.

    :meth:`refresh_now` wakes it early (e.g. a staff button); :meth:`stop` ends it. Kivy-free.
    """

    def __init__(self, source: CalendarSource, minutes: float):
        self.source = source
        self.interval = minutes * 60
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="calendar-refresh", daemon=True)
            self._thread.start()

    def refresh_now(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop after the refresh in progress, if any; True when the thread has ended within ``timeout``."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()  # a refresh_now() during the refresh below triggers another one
            try:
                self.source.refresh()
            except Exception:  # noqa: BLE001 - keep refreshing whatever happened
                log.exception("calendar: refresh failed unexpectedly")
            self._wake.wait(self.interval)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
