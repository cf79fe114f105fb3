"""``kiosk doctor``: is this device ready to be the kiosk? A checklist in plain words.

Every check is a small function that returns a :class:`Finding`: a :class:`Level` (ok, warning,
problem), a message a volunteer understands, and what to do about it. :func:`examine` runs them all;
:func:`exit_code` turns the findings into 0 (all is well), 1 (warnings) or 2 (problems).

Everything the checks read from the world (files under ``/dev``, ``/sys`` and ``/proc``, environment
variables, commands such as ``timedatectl``, the office over HTTP, free disk space, the clock, the
optional calendar module) goes through one :class:`DeviceEnvironment`, so that a test can build each
outcome. Kivy-free; no extra packages: devices are found by reading files.

The calendar check imports ``kiosk.calendar`` only when it runs and asks it
``kiosk.calendar.last_updated(config) -> datetime | None`` (an aware time, None: never fetched).
Without that module or function it says "unknown" at the ok level.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import shutil
import struct
import subprocess
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import requests

from kiosk.clock import SystemClock, clock_looks_right
from kiosk.config import Config, load_config
from kiosk.core.staff_pin import StaffLock
from kiosk.errors import ConfigError, KioskError
from kiosk.storage import Repository
from kiosk.storage.repository import DAYS_DIR

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
#: Seconds to wait for the office (connect and read).
HTTP_TIMEOUT = 5.0

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
    :class:`CommandOutput` or None (tool missing). ``http`` is a ``requests.Session``-like object.
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
        import_module: Callable[[str], Any] = importlib.import_module,
        word_bits: int = struct.calcsize("l") * 8,
        http_timeout: float = HTTP_TIMEOUT,
    ):
        self.root = Path(root)
        self.environ = os.environ if environ is None else environ
        self.run = run
        self.http = http if http is not None else requests.Session()
        self.disk_usage = disk_usage
        self.clock = clock or SystemClock()
        self.import_module = import_module
        self.word_bits = word_bits
        self.http_timeout = http_timeout

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


def check_office(env: DeviceEnvironment, config: Config, kiosk_id: str) -> Finding:
    """The office answers ``GET /api/v1/health``, then accepts an empty upload with this kiosk's token."""
    if not config.office_url:
        return warning("office", "Uploads are off: no office address is set. Records stay on this kiosk only.",
                       "Set [office] url and token in the configuration (the office gives both).")
    base = config.office_url
    verify: bool | str = config.office_ca_file or True
    try:
        health = env.http.get(f"{base}/api/v1/health", timeout=env.http_timeout, verify=verify,
                              allow_redirects=False)
    except requests.exceptions.SSLError:
        return _untrusted(base)
    except requests.exceptions.Timeout:
        return _unreachable(base, "it did not answer in time")
    except requests.exceptions.RequestException:
        return _unreachable(base, "no connection")
    if health.status_code != 200:
        return _not_the_office(base, health.status_code, "/api/v1/health")
    if not config.office_token:
        return problem("office", f"The office at {base} answers, but this kiosk has no token to send records.",
                       "Set [office] token in the configuration (or KIOSK_OFFICE_TOKEN); the office gives it.")
    body = {"kiosk": kiosk_id, "sent_at": env.clock.now().isoformat(timespec="seconds"), "records": []}
    try:
        answer = env.http.post(f"{base}/api/v1/records", json=body, timeout=env.http_timeout, verify=verify,
                               headers={"Authorization": f"Bearer {config.office_token}"}, allow_redirects=False)
    except requests.exceptions.SSLError:
        return _untrusted(base)
    except requests.exceptions.Timeout:
        return _unreachable(base, "it did not answer in time")
    except requests.exceptions.RequestException:
        return _unreachable(base, "the connection broke off")
    if answer.status_code in (401, 403):
        return problem("office", "The office refused this kiosk's token: records cannot be sent.",
                       "Check [office] token in the configuration (no spaces); ask the office for this kiosk's token.")
    if answer.status_code in (201, 202) and _accounts_for_ids(answer):
        return ok("office", f"The office at {base} answers and accepts this kiosk's token.")
    return _not_the_office(base, answer.status_code, "/api/v1/records")


def _accounts_for_ids(answer: Any) -> bool:
    try:
        body = answer.json()
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("accepted"), list)


def _unreachable(base: str, why: str) -> Finding:
    return warning("office", f"Cannot reach the office at {base} ({why}). Records are kept and sent later.",
                   "Check the network (Wi-Fi or cable). If the network works, check [office] url.")


def _untrusted(base: str) -> Finding:
    return problem("office", f"The office at {base} has a certificate this kiosk does not trust.",
                   "Check [office] url. If the office uses its own certificate authority, set [office] ca_file.")


def _not_the_office(base: str, status: int, path: str) -> Finding:
    if 300 <= status < 400:
        what = "sends the kiosk elsewhere (a Wi-Fi login page?)"
    elif status >= 500:
        what = "has a problem of its own"
    else:
        what = "does not answer like a Ter Plekke office"
    return problem("office", f"The address {base} {what} (HTTP {status} for {path}).",
                   "Check [office] url. On public Wi-Fi, log in once with a phone or laptop. "
                   "If it stays, tell the office.")


# -- calendar, uploads, damaged files ---------------------------------------------------------------------


def check_calendar(env: DeviceEnvironment, config: Config) -> Finding:
    try:
        calendar = env.import_module("kiosk.calendar")
    except ModuleNotFoundError as error:
        if error.name in ("kiosk.calendar", "kiosk"):
            return ok("calendar", "Unknown: this version of the kiosk has no activity calendar.")
        return problem("calendar", f"The calendar cannot start: a part is missing ({error.name}).",
                       "Install the kiosk again (see the guide: updating).")
    last_updated = getattr(calendar, "last_updated", None)
    if not callable(last_updated):
        return ok("calendar", "Unknown: this version's calendar does not say when it was last fetched.")
    try:
        when = last_updated(config)
    except KioskError as error:
        return warning("calendar", f"The calendar cannot be read: {error}", "Check [calendar] in the configuration.")
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
    created = _parse_time(oldest[0].get("created_at")) if oldest else None
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


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# -- all together --------------------------------------------------------------------------------------


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
        add("office", lambda: check_office(env, config, repo.kiosk_id if repo else "kiosk-unknown"))
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
        add("speech", lambda: check_speech(env, config))
    finally:
        if repo is not None:
            repo.close()
    return findings
