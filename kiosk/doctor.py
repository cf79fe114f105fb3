"""``kiosk doctor``: is this device ready to be the kiosk? A checklist in plain words.

Every check is a small function that returns a :class:`Finding`: a :class:`Level` (ok, warning,
problem), a message a volunteer understands, and what to do about it. :func:`examine` runs them all;
:func:`exit_code` turns the findings into 0 (all is well), 1 (warnings) or 2 (problems).

Everything the checks read from the device (files under ``/dev``, ``/sys`` and ``/proc``, environment
variables, commands such as ``timedatectl``, free disk space, the clock, the HTTP session) goes through
one :class:`DeviceEnvironment`, so that a test can build each outcome. The kiosk's own parts are asked
directly: the repository, the calendar source (when the programme was last fetched) and the upload
client (an empty upload with this kiosk's token). Kivy-free; devices are found by reading files.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import struct
import subprocess
import uuid
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from kiosk.calendar.source import CACHE_DIR, CalendarSource
from kiosk.clock import SystemClock, clock_looks_right, parse_time
from kiosk.config import Config, is_loopback_address, load_config
from kiosk.core.staff_pin import StaffLock
from kiosk.errors import ConfigError, KioskError
from kiosk.storage import Repository
from kiosk.storage.repository import DAYS_DIR
from kiosk.sync.client import OfficeClient, OfficeSettings, Verdict

SERVICE = "ter-plekke-kiosk.service"

#: Free space on the disk that holds the data folder.
DISK_WARNING_BYTES = 1_000_000_000
DISK_PROBLEM_BYTES = 100_000_000
#: Records waiting for upload: more than this, or older than that, is worth a look.
PENDING_MANY = 500
PENDING_OLD = timedelta(days=1)
#: A calendar fetched longer ago than this may miss changes.
CALENDAR_STALE = timedelta(days=1)
#: Restarts of the service since it was started before they look like a crash loop.
RESTARTS_MANY = 3

# Linux input event codes (linux/input-event-codes.h).
ABS_X = 0x00
ABS_MT_POSITION_X = 0x35
BTN_TOUCH = 0x14A
INPUT_PROP_POINTER = 0x00  # a touchpad: moves a pointer, is not a screen

#: Check names in the order they run, with the title the checklist shows.
CHECKS: dict[str, str] = {
    "config": "Configuration",
    "display": "Screen",
    "touch": "Touchscreen",
    "service": "Kiosk app",
    "data": "Data folder",
    "disk": "Free space",
    "clock": "Clock",
    "office": "Office",
    "calendar": "Calendar",
    "uploads": "Uploads",
    "damaged": "Damaged files",
    "staff": "Staff PIN",
    "printer": "Ticket printer",
    "speech": "Reading aloud",
}


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Finding:
    """What one check found: ``message`` in plain words, ``todo`` what a person can do (empty when ok)."""

    check: str
    level: Level
    message: str
    todo: str = ""

    @property
    def title(self) -> str:
        return CHECKS.get(self.check, self.check)

    def as_dict(self) -> dict[str, str]:
        return {"check": self.check, "title": self.title, "level": str(self.level),
                "message": self.message, "todo": self.todo}


def ok(check: str, message: str) -> Finding:
    return Finding(check, Level.OK, message)


def warning(check: str, message: str, todo: str) -> Finding:
    return Finding(check, Level.WARNING, message, todo)


def problem(check: str, message: str, todo: str) -> Finding:
    return Finding(check, Level.PROBLEM, message, todo)


def exit_code(findings: Iterable[Finding]) -> int:
    """0 when all is well, 1 with warnings, 2 with problems."""
    levels = {f.level for f in findings}
    return 2 if Level.PROBLEM in levels else 1 if Level.WARNING in levels else 0


# -- the environment ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommandOutput:
    returncode: int
    stdout: str


def _run_command(argv: Sequence[str]) -> CommandOutput | None:
    """Run a system tool; None when it is not installed or does not answer in time."""
    if shutil.which(argv[0]) is None:
        return None
    try:
        done = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL,
            env={**os.environ, "LC_ALL": "C"},
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return CommandOutput(done.returncode, done.stdout)


class DeviceEnvironment:
    """All I/O of the checks. Tests replace what they need; the defaults are the real device.

    ``root`` stands in for ``/`` when reading ``/dev``, ``/sys`` and ``/proc``. ``run(argv)`` returns a
    :class:`CommandOutput` or None (tool missing). ``http`` is the ``requests.Session`` the office check uses
    (the upload client's timeouts come from the configuration).
    ``word_bits`` is the width of the words in ``/proc/bus/input/devices`` bitmaps (the reader's
    ``long``: the kernel prints them for the reading process, 32-bit on a 32-bit system).
    """

    def __init__(
        self,
        root: str | os.PathLike = "/",
        environ: Mapping[str, str] | None = None,
        run: Callable[[Sequence[str]], CommandOutput | None] = _run_command,
        http: Any = None,
        disk_usage: Callable[[Path], Any] = shutil.disk_usage,
        clock: Any = None,
        word_bits: int = struct.calcsize("l") * 8,
    ):
        self.root = Path(root)
        self.environ = os.environ if environ is None else environ
        self.run = run
        if http is None:
            import requests  # here: `kiosk run` imports this module too, and must not wait for requests

            http = requests.Session()
        self.http = http
        self.disk_usage = disk_usage
        self.clock = clock or SystemClock()
        self.word_bits = word_bits

    def path(self, absolute: str) -> Path:
        """A system path (``/sys/class/drm``) under :attr:`root`."""
        return self.root / absolute.lstrip("/")

    def read_text(self, absolute: str) -> str | None:
        try:
            return self.path(absolute).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None


# -- screen and touch -----------------------------------------------------------------------------------


def check_display(env: DeviceEnvironment) -> Finding:
    """A screen to draw on: a running display (Wayland, X11), or a connected screen on a DRM device."""
    for name in ("WAYLAND_DISPLAY", "DISPLAY"):
        if env.environ.get(name):
            return ok("display", f"Running on a display ({name}={env.environ[name]}).")
    drm = env.path("/sys/class/drm")
    connectors = sorted(p for p in drm.glob("card*-*") if (p / "status").exists()) if drm.is_dir() else []
    connected = [p.name.split("-", 1)[1] for p in connectors if _read(p / "status").strip() == "connected"]
    if connected:
        return ok("display", f"A screen is connected ({', '.join(connected)}).")
    cards = sorted(env.path("/dev/dri").glob("card*")) if env.path("/dev/dri").is_dir() else []
    if connectors or cards:
        return problem(
            "display", "The graphics chip is there, but no screen is connected to it.",
            "Check the screen's cable and power. Switch the screen on, then restart the kiosk "
            "(sudo systemctl restart ter-plekke-kiosk) or the Raspberry Pi.",
        )
    return problem(
        "display", "No display found: no graphics device and no running display.",
        "On a Raspberry Pi, /boot/firmware/config.txt must contain the line dtoverlay=vc4-kms-v3d "
        "(a fresh Raspberry Pi OS has it). On a PC, start the kiosk from the desktop.",
    )


@dataclass(frozen=True)
class InputDevice:
    """One block of ``/proc/bus/input/devices``."""

    name: str
    handlers: tuple[str, ...]
    bitmaps: dict[str, int]

    def has(self, bitmap: str, bit: int) -> bool:
        return bool(self.bitmaps.get(bitmap, 0) >> bit & 1)

    @property
    def is_touchscreen(self) -> bool:
        """Touch positions (multi-touch, or one finger with BTN_TOUCH), and not a touchpad."""
        touches = self.has("ABS", ABS_MT_POSITION_X) or (self.has("ABS", ABS_X) and self.has("KEY", BTN_TOUCH))
        return touches and not self.has("PROP", INPUT_PROP_POINTER)

    @property
    def event_node(self) -> str:
        return next((h for h in self.handlers if h.startswith("event")), "")


def parse_input_devices(text: str, word_bits: int) -> list[InputDevice]:
    """Read ``/proc/bus/input/devices``: name, handlers and capability bitmaps (``B: ABS=...``).

    A bitmap is hex words separated by spaces, most significant first, each ``word_bits`` wide.
    """
    devices = []
    for block in text.split("\n\n"):
        name, handlers, bitmaps = "", (), {}
        for line in block.splitlines():
            kind, _, rest = line.partition(": ")
            if kind == "N" and rest.startswith("Name="):
                name = rest[5:].strip().strip('"')
            elif kind == "H" and rest.startswith("Handlers="):
                handlers = tuple(rest[9:].split())
            elif kind == "B" and "=" in rest:
                key, _, words = rest.partition("=")
                value = 0
                try:
                    for word in words.split():
                        value = value << word_bits | int(word, 16)
                except ValueError:
                    continue
                bitmaps[key] = value
        if name or handlers:
            devices.append(InputDevice(name, handlers, bitmaps))
    return devices


def check_touch(env: DeviceEnvironment) -> Finding:
    text = env.read_text("/proc/bus/input/devices")
    if text is None:
        return warning("touch", "Could not look for a touchscreen: this system has no /proc/bus/input/devices.",
                       "Tap the screen and see whether the kiosk answers.")
    screens = [d for d in parse_input_devices(text, env.word_bits) if d.is_touchscreen and d.event_node]
    if screens:
        names = ", ".join(f'"{d.name}" ({d.event_node})' for d in screens)
        return ok("touch", f"Touchscreen found: {names}.")
    return problem(
        "touch", "No touchscreen found: visitors cannot tap the kiosk.",
        "A screen on HDMI sends touch through a separate USB cable: plug it into the Raspberry Pi. "
        "For a Raspberry Pi display, check its flat cable. Then restart the Raspberry Pi.",
    )


# -- the kiosk app as a service ---------------------------------------------------------------------------


def check_service(env: DeviceEnvironment) -> Finding:
    """The systemd service of the Raspberry Pi install: running, and not restarting over and over."""
    out = env.run(["systemctl", "show", SERVICE, "-p", "LoadState", "-p", "ActiveState", "-p", "NRestarts"])
    if out is None or out.returncode != 0:
        return ok("service", "Not checked: this system has no systemd (fine on a tablet or a test PC).")
    props = dict(line.partition("=")[::2] for line in out.stdout.splitlines() if "=" in line)
    if props.get("LoadState") != "loaded":
        return ok("service", "The kiosk is not installed as a service here (fine on a test PC).")
    state = props.get("ActiveState", "unknown")
    restarts = int(props["NRestarts"]) if props.get("NRestarts", "").isdigit() else 0
    logs = "See what went wrong with: journalctl -u ter-plekke-kiosk -b"
    if state == "failed":
        return problem("service", "The kiosk app stopped with an error.",
                       f"{logs}. Start it again: sudo systemctl restart ter-plekke-kiosk")
    if state in ("inactive", "deactivating"):
        return warning("service", "The kiosk app is not running.",
                       "Start it: sudo systemctl start ter-plekke-kiosk (after a reboot it starts by itself).")
    if restarts > RESTARTS_MANY or state == "activating":
        return warning("service", f"The kiosk app keeps restarting ({restarts} restarts).", logs + ".")
    return ok("service", "The kiosk app is running and starts by itself after a power cut.")


# -- data folder and disk -------------------------------------------------------------------------------


def check_data_folder(env: DeviceEnvironment, config: Config) -> Finding:
    """Write, flush and remove a small file: the only sure test that records can be kept.

    The doctor creates no folders: run by another user (root), it would leave folders the kiosk
    cannot write to.
    """
    folder = config.data_dir
    if not folder.exists():
        existing = _nearest_existing(folder)
        if not existing.is_dir():
            return problem("data", f"The data folder {folder} cannot be created: {existing} is a file.",
                           "Choose another folder ([data] folder or KIOSK_DATA_DIR).")
        return warning("data", f"The data folder {folder} does not exist yet; the kiosk makes it when it starts.",
                       "Start the kiosk once, then check again.")
    probe = folder / f".doctor-{uuid.uuid4().hex[:8]}"
    try:
        with open(probe, "wb") as out:
            out.write(b"kiosk doctor\n")
            out.flush()
            os.fsync(out.fileno())
        probe.unlink()
    except OSError as error:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            todo = "The disk is full: free some space (see Free space)."
        elif error.errno == errno.EROFS:
            todo = ("The disk is read-only: the SD card may be failing. Copy the data folder to a safe place "
                    "and ask a technician.")
        else:
            todo = ("On the Raspberry Pi run the doctor as the kiosk's user: sudo kiosk doctor. Otherwise give "
                    "this user write access, or choose another folder ([data] folder or KIOSK_DATA_DIR).")
        return problem("data", f"Records cannot be kept in {folder} ({reason}).", todo)
    return ok("data", f"Records are kept in {folder}, and it is writable.")


def check_disk(env: DeviceEnvironment, config: Config) -> Finding:
    folder = _nearest_existing(config.data_dir)
    try:
        free = env.disk_usage(folder).free
    except OSError as error:
        return warning("disk", f"Could not measure the free space ({error.strerror or error}).",
                       "Check the disk with: df -h")
    shown = f"{free / 1e9:.1f} GB" if free >= 1e9 else f"{free / 1e6:.0f} MB"
    if free < DISK_PROBLEM_BYTES:
        return problem("disk", f"Only {shown} free on the disk of the data folder: the kiosk may soon fail "
                               "to keep records.",
                       "Free space now: remove exported files and old downloads, or use a bigger SD card.")
    if free < DISK_WARNING_BYTES:
        return warning("disk", f"Only {shown} free on the disk of the data folder.",
                       "Remove exported files and old downloads, or use a bigger SD card.")
    return ok("disk", f"{shown} free.")


# -- clock --------------------------------------------------------------------------------------------


def ntp_synchronized(env: DeviceEnvironment) -> bool | None:
    """What ``timedatectl`` says of clock synchronisation; None when it cannot tell."""
    out = env.run(["timedatectl", "show", "-p", "NTPSynchronized", "--value"])
    if out is None or out.returncode != 0:
        return None
    answer = out.stdout.strip()
    return True if answer == "yes" else False if answer == "no" else None


def check_clock(env: DeviceEnvironment, repo: Repository | None) -> Finding:
    """The clock must look right (kiosk/clock.py) and, where the system can tell, be synchronised."""
    now = env.clock.now()
    shown = now.strftime("%d-%m-%Y %H:%M")
    latest = repo.latest_time() if repo is not None else None
    if not clock_looks_right(now, latest):
        return problem(
            "clock", f"The clock says {shown}, which cannot be right. New records are kept but marked "
                     "as having a doubtful time.",
            "Connect the kiosk to the internet: it sets its clock by itself within a minute or two.",
        )
    synced = ntp_synchronized(env)
    if synced is True:
        return ok("clock", f"The clock is set from the internet ({shown}).")
    if synced is False:
        return warning(
            "clock", f"The clock ({shown}) has not been set from the internet since the kiosk started; "
                     "after a power cut it may be off.",
            "Connect the kiosk to the internet (Wi-Fi or cable) and check again in a few minutes.",
        )
    return ok("clock", f"The clock looks right ({shown}); this system cannot say whether it is synchronised.")


# -- office --------------------------------------------------------------------------------------------


def check_office(env: DeviceEnvironment, config: Config, kiosk_id: str | None) -> Finding:
    """The office takes an empty upload with this kiosk's token: the upload client's own judgement."""
    settings = OfficeSettings.from_config(config)
    if not settings.configured:
        return warning("office", "Uploads are off: no office address is set. Records stay on this kiosk only.",
                       "Set [office] url and token in the configuration (the office gives both).")
    unusable = settings.problem()
    if unusable:
        return problem("office", f"Records cannot be sent: {unusable}",
                       "Correct the [office] settings (the office gives the address and this kiosk's token).")
    if kiosk_id is None:
        return warning("office", "This kiosk has no id yet, so the office cannot know it.",
                       "Run: kiosk init (it prints the id); the office registers that id and gives its token.")
    client = OfficeClient(settings, session=env.http)
    answer = client.try_token(kiosk_id, env.clock.now().isoformat(timespec="seconds"))
    base = config.office_url
    if answer.verdict is Verdict.STORED:
        return ok("office", f"The office at {base} answers and accepts this kiosk's token.")
    if answer.verdict is Verdict.AUTH:
        return problem("office", "The office refused this kiosk's token: records cannot be sent.",
                       "Check [office] token in the configuration (no spaces); ask the office for this kiosk's token.")
    if answer.untrusted:
        return problem("office", f"The office at {base} has a certificate this kiosk does not trust.",
                       "Check [office] url. If the office uses its own certificate authority, set [office] ca_file.")
    if answer.http_status is None:
        return warning("office", f"Cannot reach the office: {answer.problem}. Records are kept and sent later.",
                       "Check the network (Wi-Fi or cable). If the network works, check [office] url.")
    return problem("office", f"The address {base} does not answer like a Ter Plekke office: {answer.problem}.",
                   "Check [office] url. On public Wi-Fi, log in once with a phone or laptop. "
                   "If it stays, tell the office.")


def unencrypted_office(config: Config, found: Finding) -> Finding:
    """An office reached over plain http:// on another machine (``allow_insecure_http = true``) is never
    just "ok": the token and visitors' details cross the network unencrypted."""
    if found.level is not Level.OK or not config.office_url.startswith("http://") or is_loopback_address(config.office_url):
        return found
    return warning("office", f"NOT ENCRYPTED: the office at {config.office_url} answers over plain http://, so "
                             "the kiosk's token and visitors' names and phone numbers cross the network readable "
                             "by anyone on it.",
                   "Give the office an https:// address (see docs/office.md, reverse proxy with TLS) and remove "
                   "allow_insecure_http from the configuration.")


# -- calendar, uploads, damaged files ---------------------------------------------------------------------


def check_calendar(env: DeviceEnvironment, config: Config) -> Finding:
    """When the programme was last fetched (by the kiosk, or ``kiosk activities``), from the kept copy."""
    source = CalendarSource(config.calendar_source, config.data_dir / CACHE_DIR, clock=env.clock)
    when = source.last_updated()
    if when is None:
        return warning("calendar", "The calendar has not been fetched yet: the kiosk shows no activities.",
                       "Check the network and the calendar address in the configuration.")
    age = env.clock.now() - when
    if age > CALENDAR_STALE:
        return warning("calendar", f"The calendar was last fetched on {when:%d-%m-%Y %H:%M}: activities may be "
                                   "out of date.",
                       "Check the network and the calendar address in the configuration.")
    return ok("calendar", f"The calendar is up to date (fetched {when:%d-%m-%Y %H:%M}).")


def check_uploads(env: DeviceEnvironment, config: Config, repo: Repository) -> Finding:
    count = repo.pending_count()
    rejected = len(repo.rejected())
    if not config.office_url:
        return ok("uploads", f"{count} records are kept on this kiosk only (uploads are off).")
    if rejected:
        return warning("uploads", f"The office refused {rejected} records; they are kept aside on this kiosk.",
                       "Tell the office; 'kiosk status' shows the kiosk's state.")
    if count == 0:
        return ok("uploads", "Every record has reached the office.")
    oldest = repo.pending(limit=1)
    created = parse_time(oldest[0].get("created_at")) if oldest else None
    waiting = env.clock.now() - created if created else timedelta(0)
    if count >= PENDING_MANY or waiting > PENDING_OLD:
        since = f", the oldest from {created:%d-%m-%Y %H:%M}" if created else ""
        return warning("uploads", f"{count} records are waiting to be sent{since}.",
                       "Check the network and the Office line above. Nothing is lost: they go out once the "
                       "office is reachable.")
    return ok("uploads", f"{count} records are waiting to be sent (normal: they go out within minutes).")


def check_damaged(repo: Repository) -> Finding:
    files = repo.damaged_files()
    if not files and not repo.damage:
        return ok("damaged", "No damaged files.")
    what = f"{len(files)} damaged files were set aside in {repo.data_dir / 'damaged'}" if files else ""
    now = "; ".join(repo.damage)
    message = ". ".join(part for part in (what, now) if part)
    return warning("damaged", f"{message}. The kiosk kept every readable record and keeps working.",
                   "Keep the damaged/ folder for the office or a technician; a power cut is the usual cause.")


def check_printer(config: Config, opener: Callable | None = None) -> Finding:
    """Whether the ticket printer is there and has paper (it prints nothing)."""
    from kiosk.export.ticket_printer import TicketPrinter

    if config.printer_kind == "none":
        return ok("printer", "No ticket printer is set up: visitors see their number on the screen only.")
    where = f"{config.printer_kind} printer {config.printer_address}"
    printer = TicketPrinter(config.printer_kind, config.printer_address, **({"opener": opener} if opener else {}))
    found = printer.check()
    if found == "not_found":
        return problem("printer", f"The {where} cannot be reached: no tickets are printed.",
                       "Plug it in and switch it on; check [printer] address. Then: kiosk print-test")
    if found == "no_paper":
        return problem("printer", f"The {where} has no paper.", "Put in a new roll, then: kiosk print-test")
    if found == "paper_low":
        return warning("printer", f"The {where} is almost out of paper.", "Have a new roll ready.")
    return ok("printer", f"The {where} is ready.")


def check_staff_pin(env: DeviceEnvironment, repo: Repository | None) -> Finding:
    lock = StaffLock(repo, env.clock) if repo is not None else None
    if lock is None or not lock.is_set:
        return warning("staff", "No staff PIN is set: staff cannot open the staff pages.",
                       "Set one: sudo kiosk set-pin (stop the kiosk first: sudo systemctl stop ter-plekke-kiosk).")
    return ok("staff", "A staff PIN is set.")


def check_speech(env: DeviceEnvironment, config: Config) -> Finding:
    """The speech engine and a sound output (kiosk/speech/health.py knows how)."""
    from kiosk.speech.health import speech_problems

    works, problems = speech_problems(config.speech, env.root, env.environ)
    if not problems:
        return ok("speech", works)
    return warning("speech", "Reading aloud: " + "; ".join(problems) + ".",
                   "Install what is named (scripts/install-system-packages does espeak-ng), plug in a loudspeaker, "
                   "or check [speech] in the configuration: kiosk check-config")


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def examine(env: DeviceEnvironment, config_file: str | os.PathLike | None = None,
            skip: Iterable[str] = ()) -> list[Finding]:
    """Run every check not in ``skip``, in the order of :data:`CHECKS`."""
    skip = set(skip)
    findings: list[Finding] = []

    def add(check: str, run: Callable[[], Finding]) -> None:
        if check in skip:
            return
        try:
            findings.append(run())
        except KioskError as error:  # a check that cannot finish is itself a finding, never a traceback
            findings.append(problem(check, f"Could not check: {error}",
                                    "Run the doctor again; if it stays, ask a technician."))

    config: Config | None = None
    try:
        config = load_config(config_file)
        verdict = ok("config", f"{config.source or 'Built-in defaults'}: all is well.")
    except ConfigError as error:
        verdict = problem("config", "The configuration has mistakes: " + "; ".join(error.problems),
                          "Correct these lines, then check again: kiosk check-config")
    add("config", lambda: verdict)
    add("display", lambda: check_display(env))
    add("touch", lambda: check_touch(env))
    add("service", lambda: check_service(env))
    if config is None:
        add("clock", lambda: check_clock(env, None))
        return findings
    add("data", lambda: check_data_folder(env, config))
    add("disk", lambda: check_disk(env, config))
    repo: Repository | None = None
    unreadable = ""
    if (config.data_dir / DAYS_DIR).is_dir():  # else no records yet; a reader would create the folder
        try:
            repo = Repository(config.data_dir, writer=False)  # a reader: safe beside the running kiosk
        except KioskError as error:
            unreadable = str(error)
    try:
        add("clock", lambda: check_clock(env, repo))
        known_id = repo.kiosk_id if repo is not None and not repo.state.is_new else None
        add("office", lambda: unencrypted_office(config, check_office(env, config, known_id)))
        add("calendar", lambda: check_calendar(env, config))
        if unreadable:
            add("uploads", lambda: problem("uploads", f"The kiosk's records cannot be read: {unreadable}",
                                           "See the Data folder line above."))
        elif repo is None:
            add("uploads", lambda: ok("uploads", "No records on this kiosk yet."))
            add("damaged", lambda: ok("damaged", "No damaged files."))
        else:
            add("uploads", lambda: check_uploads(env, config, repo))
            add("damaged", lambda: check_damaged(repo))
        if not unreadable:
            add("staff", lambda: check_staff_pin(env, repo))
        add("printer", lambda: check_printer(config))
        add("speech", lambda: check_speech(env, config))
    finally:
        if repo is not None:
            repo.close()
    return findings
