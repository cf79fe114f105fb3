"""The outbox: a background thread that uploads every pending record to the office, exactly once.

It wakes every ``interval`` seconds, and ``settle`` seconds after :meth:`Outbox.nudge` (call it after
a new record). A pass sends batches until nothing is pending or an attempt fails; then:

- timeouts, connection errors, 5xx, a 200 or an HTML page: wait with exponential backoff and full
  jitter (capped), then try again, for ever;
- 429/503: wait as long as ``Retry-After`` says;
- 413: split the batch in halves, down to one record; a record still too large is set aside as
  rejected, with the reason, for staff;
- 401/403, or settings that cannot work: stop until :meth:`Outbox.configure` gives other settings
  (or staff press "try again": :meth:`Outbox.retry_now`).

A record is marked uploaded only when the office named it accepted or duplicate; the office
deduplicates, so sending a record again (after a lost answer) is always safe.

Results reach the app only through ``on_status(SyncStatus)``, called from the worker thread; the app
wraps it (Kivy: ``@mainthread``). Nothing here imports Kivy, and no method blocks its caller except
:meth:`Outbox.drain_once` (for the command line) and :meth:`Outbox.stop` (at most ``timeout``).
"""

from __future__ import annotations

import logging
import math
import os
import random
import shutil
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Callable

from kiosk import __version__
from kiosk.clock import SystemClock, clock_looks_right
from kiosk.errors import OfficeConfigError, StorageError
from kiosk.storage.repository import Repository
from kiosk.sync.client import MAX_BYTES, MAX_RECORDS, Answer, Batch, OfficeClient, OfficeSettings, Verdict, make_batches
from kiosk.sync.retention import purge

log = logging.getLogger(__name__)

#: Bookkeeping keys in the repository's state file.
LAST_SUCCESS = "sync_last_success"
LAST_ERROR = "sync_last_error"
AUTH_FAILED_FOR = "sync_auth_failed_for"
#: Our clock and the office's (its answer's Date header) agree when this close: then ours is trusted.
OFFICE_CLOCK_AGREES = timedelta(minutes=2)
#: Retention runs at most this often (seconds) in the worker.
PURGE_EVERY = 24 * 3600


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait after a failure. Tests inject small numbers."""

    first_delay: float = 2.0  # the first retry comes within this many seconds
    max_delay: float = 300.0  # backoff never waits longer than this
    min_delay: float = 1.0  # even when the office says Retry-After: 0
    max_retry_after: float = 3600.0  # a Retry-After longer than this is cut to it

    def backoff(self, failures: int, rng: random.Random) -> float:
        """Exponential backoff with full jitter: uniform between 0 and min(cap, first * 2^(n-1))."""
        ceiling = min(self.max_delay, self.first_delay * 2 ** min(max(failures, 1) - 1, 40))
        return rng.uniform(0, ceiling)

    def after_busy(self, retry_after: float | None, failures: int, rng: random.Random) -> float:
        if retry_after is None:
            return self.backoff(failures, rng)
        return min(max(retry_after, self.min_delay), self.max_retry_after)


#: The worker's scheduling priority (Unix nice value): uploads can wait a few milliseconds, the screen cannot.
WORKER_NICENESS = 10


def _yield_cpu_to_the_screen() -> None:
    """Lower this thread's priority, so that reading day files and encoding batches never take CPU the
    app needs to draw (on a Raspberry Pi, or with a software renderer, drawing is CPU work too)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)
    except (AttributeError, OSError):  # not on this platform, or not allowed: uploads still work
        pass


class SyncState(StrEnum):
    """Where the outbox stands; a stable code the UI translates."""

    OFF = "off"  # no office address configured: uploads are off
    IDLE = "idle"  # all sent (or nothing to send); waiting for the next round
    UPLOADING = "uploading"
    WAITING = "waiting"  # an attempt failed; waiting ``retry_in`` seconds to try again
    STOPPED_AUTH = "stopped_auth"  # the office refused the token: a person must change it
    STOPPED_CONFIG = "stopped_config"  # the settings cannot work (no token, CA file missing)


@dataclass(frozen=True)
class SyncStatus:
    """What staff and the UI see about uploads."""

    state: SyncState
    pending: int  # records not yet at the office
    rejected: int  # records the office refused, kept for staff
    last_success: str | None  # ISO time the office last confirmed records, or None
    last_error: str | None  # the current problem in words, or None when the last attempt worked
    retry_in: float | None = None  # seconds to the next attempt while WAITING

    @property
    def auth_stopped(self) -> bool:
        return self.state is SyncState.STOPPED_AUTH

    @property
    def needs_person(self) -> bool:
        """Uploads will not resume by themselves."""
        return self.state in (SyncState.STOPPED_AUTH, SyncState.STOPPED_CONFIG)

    def in_words(self) -> str:
        """One line for staff and logs, in English (the UI translates ``state`` itself)."""
        if self.state is SyncState.OFF:
            return "Uploads are off: no office address is configured."
        if self.needs_person:
            return f"Uploads are stopped: {self.last_error or 'the settings cannot work'}"
        waiting = f"{self.pending} record{'s' if self.pending != 1 else ''} waiting to be uploaded"
        if self.pending == 0:
            waiting = "everything is at the office"
        if self.state is SyncState.UPLOADING:
            return f"Uploading: {waiting}."
        if self.last_error:
            later = f" Next try in {self.retry_in:.0f} s." if self.retry_in is not None else ""
            return f"{waiting[0].upper()}{waiting[1:]}; the last try failed: {sentence(self.last_error)}{later}"
        return f"{waiting[0].upper()}{waiting[1:]}."


@dataclass
class DrainReport:
    """What one pass did. ``uploaded`` includes ``duplicates`` (records the office already had)."""

    uploaded: int = 0
    duplicates: int = 0
    rejected: int = 0
    remaining: int = 0
    problem: str | None = None
    verdict: Verdict | None = None  # of the attempt that ended the pass early
    retry_after: float | None = None
    config_problem: bool = False
    confirmed_at: str | None = None  # when the office last confirmed a batch in this pass

    @property
    def auth_failed(self) -> bool:
        return self.verdict is Verdict.AUTH


class Outbox:
    """Uploads the records of ``repo`` to the office described by ``office`` (None: uploads off).

    ``on_status(SyncStatus)`` is called from the worker thread (or from :meth:`drain_once`'s caller).
    ``retention_days``: when set, the worker also removes days uploaded that long ago, once a day.
    """

    def __init__(
        self,
        repo: Repository,
        office: OfficeSettings | None,
        *,
        interval: float = 60.0,
        settle: float = 1.0,
        on_status: Callable[[SyncStatus], Any] | None = None,
        policy: RetryPolicy = RetryPolicy(),
        clock: Any = None,
        rng: random.Random | None = None,
        max_records: int = MAX_RECORDS,
        max_bytes: int = MAX_BYTES,
        retention_days: int | None = None,
    ):
        self.repo = repo
        self.interval = interval
        self.settle = settle
        self.on_status = on_status
        self.policy = policy
        self.clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self.max_records = max_records
        self.max_bytes = max_bytes
        self.retention_days = retention_days
        self._cond = threading.Condition()
        self._pass_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._nudged = False
        self._changed = False
        self._failures = 0
        self._due = math.inf
        self._client: OfficeClient | None = None
        self._batch_limit = max_records
        self._last_purge: float | None = None
        self._last_error: str | None = repo.get_setting(LAST_ERROR)
        self._office: OfficeSettings | None = None
        self._state = SyncState.OFF
        self._adopt(office)

    # -- public API ---------------------------------------------------------------------------------
    def start(self) -> "Outbox":
        """Start the worker thread (a daemon: it never keeps the app from exiting)."""
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="kiosk-outbox", daemon=True)
                self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> bool:
        """Stop the worker; True when it has ended within ``timeout`` seconds.

        An upload in flight is abandoned: its records stay pending and go again later (the office
        deduplicates). Call this before closing the repository.
        """
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        stopped = thread is None or not thread.is_alive()
        if stopped and self._client is not None:
            self._client.close()
            self._client = None
        return stopped

    def nudge(self) -> None:
        """A record was just written: upload soon, unless waiting after a failure. Never blocks."""
        with self._cond:
            self._nudged = True
            if self._state is SyncState.IDLE:
                self._due = min(self._due, time.monotonic() + self.settle)
                self._cond.notify_all()

    def retry_now(self) -> None:
        """Staff asked to try again now: skip the backoff wait, and the stop after a refused token."""
        with self._cond:
            if self._office is None or not self._office.configured:
                return
            self._failures = 0
            self._state = SyncState.IDLE
            self._due = time.monotonic()
            self._cond.notify_all()

    def configure(self, office: OfficeSettings | None) -> None:
        """New office settings (address, token, CA file): start afresh with them. Returns at once.

        The worker publishes the new status (and uploads, when the settings can work).
        """
        with self._cond:
            self._adopt(office)
            self._changed = True
            self._cond.notify_all()

    def status(self) -> SyncStatus:
        """The current status. Safe from any thread, but it reads the repository (the first time, the
        day files with pending records): on the UI thread, prefer the ``on_status`` callback."""
        with self._cond:
            state, error = self._state, self._last_error
            retry_in = max(0.0, self._due - time.monotonic()) if state is SyncState.WAITING else None
        return SyncStatus(
            state=state,
            pending=self.repo.pending_count(),
            rejected=self.repo.rejected_count(),
            last_success=self.repo.get_setting(LAST_SUCCESS),
            last_error=error,
            retry_in=retry_in,
        )

    def drain_once(self) -> DrainReport:
        """One pass now, in the caller's thread: send until nothing is pending or an attempt fails.

        Ignores the backoff wait and a stop after a refused token (a person asked for it).
        """
        with self._pass_lock:
            office = self._office
            report = self._drain(office)
            self._after(report, office)
        self._publish()
        return report

    # -- the worker ---------------------------------------------------------------------------------
    def _run(self) -> None:
        _yield_cpu_to_the_screen()
        self._publish()
        while True:
            with self._cond:
                while not self._stopping and not self._changed:
                    wait = self._due - time.monotonic()
                    if wait <= 0:
                        break
                    self._cond.wait(None if math.isinf(wait) else wait)
                if self._stopping:
                    return
                only_publish = self._changed and self._due > time.monotonic()
                self._changed = False
                if not only_publish:
                    self._nudged = False
            if only_publish:  # new settings that cannot upload (yet): say so
                self._publish()
                continue
            with self._pass_lock:
                office = self._office
                try:
                    report = self._drain(office)
                except StorageError as error:  # e.g. the disk is full: the records stay pending
                    report = DrainReport(problem=str(error))
                except Exception as error:  # never let the worker die silently
                    log.exception("upload pass failed")
                    report = DrainReport(problem=f"an unexpected problem while uploading ({type(error).__name__})")
                if self._stopping:
                    return
                self._after(report, office)
                self._retain()
            self._publish()

    def _adopt(self, office: OfficeSettings | None) -> None:
        """Take ``office`` as the settings and decide where to start (call with ``_cond`` held)."""
        self._office = office
        self._failures = 0
        self._batch_limit = self.max_records
        self._due = math.inf
        if office is None or not office.configured:
            self._state, self._last_error = SyncState.OFF, None
            return
        problem = office.problem()
        if problem:
            self._state, self._last_error = SyncState.STOPPED_CONFIG, problem
        elif self.repo.get_setting(AUTH_FAILED_FOR) == office.fingerprint:
            self._state = SyncState.STOPPED_AUTH
        else:
            if self.repo.get_setting(AUTH_FAILED_FOR) or self._state is SyncState.STOPPED_CONFIG:
                self._last_error = None  # that problem was about other settings
            self._state, self._due = SyncState.IDLE, time.monotonic()

    # -- one pass -----------------------------------------------------------------------------------
    def _drain(self, office: OfficeSettings | None) -> DrainReport:
        report = DrainReport()
        try:
            client = self._client_for(office)
        except OfficeConfigError as error:
            report.problem, report.config_problem = str(error), True
            report.remaining = self.repo.pending_count()
            return report
        sent: set[str] = set()
        try:
            while not self._stopping:
                records = self.repo.pending(self._batch_limit)
                if not records:
                    break
                if any(r["id"] in sent for r in records):
                    report.problem = "records the office confirmed are still listed as pending (bookkeeping problem)"
                    break
                self._set_state(SyncState.UPLOADING)
                batches, too_large = make_batches(records, self._batch_limit, self.max_bytes)
                for record, size in too_large:
                    reason = f"too large to upload ({size // 1000} kB; the limit is {self.max_bytes // 1000} kB)"
                    self._reject_locally(record, reason, report, sent)
                for batch in batches:
                    if self._stopping or not self._send(client, batch, report, sent):
                        return report
        finally:
            if not self._stopping:
                report.remaining = self.repo.pending_count()
        return report

    def _client_for(self, office: OfficeSettings | None) -> OfficeClient:
        if office is None or not office.configured:
            raise OfficeConfigError("No office address is configured: set [office] url in the configuration.")
        if self._client is None or self._client.settings != office:
            if self._client is not None:
                self._client.close()
            self._client = OfficeClient(office)
        return self._client

    def _send(self, client: OfficeClient, batch: Batch, report: DrainReport, sent: set[str]) -> bool:
        """Upload one batch (splitting it on 413); False when the pass must end here."""
        answer = client.upload(batch, self.repo.kiosk_id, self._now().isoformat(timespec="seconds"), self._office_status())
        self._apply(answer, batch, report, sent)
        if answer.verdict is Verdict.STORED:
            self._check_clock(answer.office_time)
            return True
        if answer.verdict is Verdict.TOO_LARGE:
            if len(batch) == 1:
                if not answer.office_json:
                    # Not the office's own answer (a proxy, a Wi-Fi portal): on its word alone every record
                    # would be set aside one by one. Try again later instead.
                    report.problem = f"{answer.problem}, but not in the office's own words: a proxy in between?"
                    report.verdict = Verdict.FAILED
                    return False
                self._reject_locally(batch.records[0], "the office refused it as too large (413)", report, sent)
                return True
            first, second = batch.halves()
            self._batch_limit = max(1, min(self._batch_limit, len(first)))
            return self._send(client, first, report, sent) and self._send(client, second, report, sent)
        report.problem, report.verdict, report.retry_after = answer.problem, answer.verdict, answer.retry_after
        return False

    def _apply(self, answer: Answer, batch: Batch, report: DrainReport, sent: set[str]) -> None:
        """Mark what the office named: uploaded (accepted or duplicate) or rejected with its reason."""
        if not answer.uploaded and not answer.rejected:
            return
        days = {r["id"]: _day_of(r) for r in batch.records}
        outcomes = [(days[i], i, "uploaded", "") for i in answer.uploaded]
        outcomes += [(days[i], i, "rejected", reason) for i, reason in answer.rejected.items()]
        now = self._now().isoformat(timespec="seconds")
        self.repo.mark_done(outcomes, at=now)
        sent.update(i for _, i, _, _ in outcomes)
        report.uploaded += len(answer.uploaded)
        report.duplicates += answer.duplicates
        report.rejected += len(answer.rejected)
        report.confirmed_at = now
        self._publish()

    def _check_clock(self, office_time: datetime | None) -> None:
        """When the office's clock agrees with ours, ours is right now: a newest time beyond it was left
        by a clock that ran ahead, and must not keep flagging right times as wrong (clock_ok)."""
        if office_time is None:
            return
        now = self._now()
        if abs(now - office_time) <= OFFICE_CLOCK_AGREES and self.repo.trust_clock(now):
            log.warning("the clock had run ahead; the office confirms the time now (%s)", now.isoformat(timespec="seconds"))

    def _reject_locally(self, record: dict, reason: str, report: DrainReport, sent: set[str]) -> None:
        log.warning("record %s set aside, not uploaded: %s", record["id"], reason)
        self.repo.mark_done([(_day_of(record), record["id"], "rejected", reason)], at=self._now().isoformat(timespec="seconds"))
        sent.add(record["id"])
        report.rejected += 1

    def _office_status(self) -> dict[str, Any]:
        """How this kiosk is doing, sent with every batch for the office's overview."""
        try:
            free_mb: int | None = shutil.disk_usage(self.repo.data_dir).free // 1_000_000
        except OSError:
            free_mb = None
        return {
            "pending": self.repo.pending_count(),
            "app_version": __version__,
            "clock_ok": clock_looks_right(self._now(), self.repo.latest_time()),
            "free_disk_mb": free_mb,
        }

    # -- after a pass -------------------------------------------------------------------------------
    def _after(self, report: DrainReport, office: OfficeSettings | None) -> None:
        """Schedule the next pass and keep the bookkeeping (last success, last error, auth stop).

        ``office`` is the settings the pass used. If :meth:`configure` replaced them meanwhile, the
        new settings keep the fresh start it gave them; only a success is written down.
        """
        with self._cond:
            replaced = office is not self._office
            if not replaced:
                self._schedule(report, office)
                off = self._state is SyncState.OFF
                changed = report.problem != self._last_error
                self._last_error = None if off else report.problem
        if replaced:
            if report.confirmed_at:
                self._write(LAST_SUCCESS, report.confirmed_at)
            return
        if report.problem and changed:
            log.warning("upload to the office: %s", report.problem)
        self._keep_books(report, office, off)

    def _schedule(self, report: DrainReport, office: OfficeSettings | None) -> None:
        """Where the outbox stands after a pass, and when the next pass is due (``_cond`` held)."""
        now = time.monotonic()
        if report.problem is None:
            self._failures = 0
            self._batch_limit = self.max_records  # a 413 limits this pass, not every pass to come
            self._state = SyncState.IDLE if office and office.configured else SyncState.OFF
            self._due = now + (self.settle if self._nudged else self.interval)
        elif report.config_problem:
            configured = office is not None and office.configured
            self._state = SyncState.STOPPED_CONFIG if configured else SyncState.OFF
            self._due = math.inf
        elif report.auth_failed:
            self._state, self._due = SyncState.STOPPED_AUTH, math.inf
        else:
            self._failures += 1
            if report.verdict is Verdict.BUSY:
                delay = self.policy.after_busy(report.retry_after, self._failures, self.rng)
            else:
                delay = self.policy.backoff(self._failures, self.rng)
            self._state, self._due = SyncState.WAITING, now + delay

    def _keep_books(self, report: DrainReport, office: OfficeSettings | None, off: bool) -> None:
        if report.confirmed_at:
            self._write(LAST_SUCCESS, report.confirmed_at)
        self._write(LAST_ERROR, None if off else report.problem)
        if report.auth_failed and office is not None:
            self._write(AUTH_FAILED_FOR, office.fingerprint)
        elif report.confirmed_at:
            self._write(AUTH_FAILED_FOR, None)

    def _write(self, key: str, value: Any) -> None:
        """Keep one bookkeeping value in the state file (written only when it changes)."""
        try:
            if self.repo.get_setting(key) != value:
                self.repo.set_setting(key, value)
        except StorageError as error:
            log.warning("could not keep the upload bookkeeping: %s", error)

    def _retain(self) -> None:
        if not self.retention_days:
            return
        now = time.monotonic()
        if self._last_purge is not None and now - self._last_purge < PURGE_EVERY:
            return
        self._last_purge = now
        try:
            done = purge(self.repo, self._now(), self.retention_days)
        except StorageError as error:
            log.warning("retention: %s", error)
            return
        if done and done.removed_days:
            log.info("retention removed %d uploaded records (%s)", done.removed_records, ", ".join(done.removed_days))

    # -- helpers ------------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return self.clock.now()

    def _set_state(self, state: SyncState) -> None:
        with self._cond:
            changed = self._state is not state
            self._state = state
        if changed:
            self._publish()

    def _publish(self) -> None:
        if self.on_status is None or self._stopping:
            return
        try:
            status = self.status()
        except StorageError:
            return
        try:
            self.on_status(status)
        except Exception:
            log.exception("the on_status callback failed")


def sentence(text: str) -> str:
    """``text`` ending as a sentence does: a full stop unless it already ends with . ? or !"""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _day_of(record: dict[str, Any]) -> str:
    """The day file a record lives in (the repository files records by the date in ``created_at``)."""
    return record["created_at"][:10]
