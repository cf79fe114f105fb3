"""``kiosk doctor``: every outcome of every check, through the injectable environment, with real files, a
real repository, a real HTTP server on 127.0.0.1, and the real command in a subprocess for exit codes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import types
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk import doctor
from kiosk.calendar.source import CACHE_DIR, CalendarSource
from kiosk.clock import TIMEZONE
from kiosk.config import load_config
from kiosk.core.checkin import check_in
from kiosk.core.records import Recorder
from kiosk.core.staff_pin import StaffLock
from kiosk.doctor import CommandOutput, DeviceEnvironment, Finding, Level, examine, exit_code
from kiosk.errors import StorageError
from kiosk.storage import Repository
from kiosk.storage.repository import DAYS_DIR
from calendar_server import Office as CalendarServer
from clocks import FixedClock
from fault_office import FaultOffice
from office_support import KIOSK, start_office

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2027, 4, 20, 10, 0, tzinfo=TIMEZONE)


def env_for(tmp_path: Path, **kwargs) -> DeviceEnvironment:
    """A device made of files under ``tmp_path/root``, no commands, a fixed clock, plenty of disk."""
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    kwargs.setdefault("environ", {})
    kwargs.setdefault("run", lambda argv: None)
    kwargs.setdefault("clock", FixedClock(NOW))
    kwargs.setdefault("disk_usage", lambda path: types.SimpleNamespace(free=50_000_000_000))
    return DeviceEnvironment(root=root, **kwargs)


def write(root: Path, path: str, text: str) -> None:
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


def config_for(tmp_path: Path, office: str = "", token: str = "", extra: str = ""):
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[data]\nfolder = "{tmp_path / "data"}"\n[office]\nurl = "{office}"\ntoken = "{token}"\n{extra}')
    return load_config(path)


def add_checkins(repo: Repository, count: int, start: datetime = NOW - timedelta(hours=1)) -> list[dict]:
    moments = iter(start + timedelta(seconds=i) for i in range(count))
    recorder = Recorder(repo, types.SimpleNamespace(now=lambda: next(moments)), "Zillebeke")
    return [check_in(recorder, 1, 0, None, ["coffee"]) for _ in range(count)]


@pytest.fixture(autouse=True)
def no_outside_config(monkeypatch):
    for name in ("KIOSK_CONFIG", "KIOSK_DATA_DIR", "KIOSK_OFFICE_TOKEN"):
        monkeypatch.delenv(name, raising=False)


# -- exit codes ------------------------------------------------------------------------------------------


def test_exit_code_is_the_worst_level():
    assert exit_code([]) == 0
    assert exit_code([doctor.ok("a", "x"), doctor.ok("b", "y")]) == 0
    assert exit_code([doctor.ok("a", "x"), doctor.warning("b", "y", "z")]) == 1
    assert exit_code([doctor.problem("a", "x", "y"), doctor.warning("b", "y", "z")]) == 2


# -- screen ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["WAYLAND_DISPLAY", "DISPLAY"])
def test_display_running(tmp_path, name):
    found = doctor.check_display(env_for(tmp_path, environ={name: "wayland-0"}))
    assert found.level is Level.OK and name in found.message


def test_display_connected_screen_on_drm(tmp_path):
    env = env_for(tmp_path)
    write(env.root, "/sys/class/drm/card1-HDMI-A-1/status", "connected\n")
    write(env.root, "/sys/class/drm/card1-HDMI-A-2/status", "disconnected\n")
    write(env.root, "/sys/class/drm/card1-Writeback-1/status", "unknown\n")
    found = doctor.check_display(env)
    assert found.level is Level.OK and "HDMI-A-1" in found.message and "HDMI-A-2" not in found.message


def test_display_graphics_chip_without_screen(tmp_path):
    env = env_for(tmp_path)
    write(env.root, "/sys/class/drm/card1-HDMI-A-1/status", "disconnected\n")
    found = doctor.check_display(env)
    assert found.level is Level.PROBLEM and "no screen is connected" in found.message and "cable" in found.todo


def test_display_nothing_at_all(tmp_path):
    found = doctor.check_display(env_for(tmp_path))
    assert found.level is Level.PROBLEM and "vc4-kms-v3d" in found.todo


# -- touchscreen: /proc/bus/input/devices as the kernel prints it -------------------------------------------

KEYBOARD = """I: Bus=0003 Vendor=04d9 Product=1603 Version=0110
N: Name="USB Keyboard"
H: Handlers=sysrq kbd leds event1
B: PROP=0
B: EV=120013
B: KEY=1000000000007 ff9f207ac14057ff febeffdfffefffff fffffffffffffffe
"""
MOUSE = """I: Bus=0003 Vendor=046d Product=c077 Version=0111
N: Name="Logitech USB Optical Mouse"
H: Handlers=mouse1 event2
B: PROP=0
B: EV=17
B: KEY=70000 0 0 0 0
B: REL=903
"""
TOUCHPAD = """I: Bus=0011 Vendor=0002 Product=0007 Version=01b1
N: Name="SynPS/2 Synaptics TouchPad"
H: Handlers=mouse0 event3
B: PROP=5
B: EV=b
B: KEY=e520 10000 0 0 0 0
B: ABS=660800011000003
"""
#: The Raspberry Pi Touch Display (ft5x06), 64-bit words: ABS has X, Y and the multi-touch bits.
PI_DISPLAY_64 = """I: Bus=0018 Vendor=0000 Product=0000 Version=0000
N: Name="generic ft5x06 (79)"
H: Handlers=mouse0 event0
B: PROP=2
B: EV=b
B: KEY=400 0 0 0 0 0
B: ABS=260800000000003
"""
#: The same device read by a 32-bit system: the same bitmaps in 32-bit words.
PI_DISPLAY_32 = PI_DISPLAY_64.replace("KEY=400 0 0 0 0 0", "KEY=400 0 0 0 0 0 0 0 0 0 0").replace(
    "ABS=260800000000003", "ABS=2608000 3")
#: A single-touch resistive screen: ABS_X/ABS_Y with BTN_TOUCH, no multi-touch.
SINGLE_TOUCH = """I: Bus=0003 Vendor=0eef Product=0001 Version=0100
N: Name="eGalax Inc. USB TouchController"
H: Handlers=mouse3 event5
B: PROP=0
B: EV=b
B: KEY=400 0 0 0 0 0
B: ABS=3
"""


@pytest.mark.parametrize("screen, bits", [(PI_DISPLAY_64, 64), (PI_DISPLAY_32, 32), (SINGLE_TOUCH, 64)],
                         ids=["multi-touch-64", "multi-touch-32", "single-touch"])
def test_touchscreen_found(tmp_path, screen, bits):
    env = env_for(tmp_path, word_bits=bits)
    write(env.root, "/proc/bus/input/devices", "\n".join([KEYBOARD, screen, MOUSE]))
    found = doctor.check_touch(env)
    assert found.level is Level.OK
    name = screen.split('Name="')[1].split('"')[0]
    assert name in found.message


def test_touchpad_keyboard_and_mouse_are_not_a_touchscreen(tmp_path):
    env = env_for(tmp_path, word_bits=64)
    write(env.root, "/proc/bus/input/devices", "\n".join([KEYBOARD, TOUCHPAD, MOUSE]))
    found = doctor.check_touch(env)
    assert found.level is Level.PROBLEM and "USB cable" in found.todo


def test_touch_cannot_be_looked_for(tmp_path):
    assert doctor.check_touch(env_for(tmp_path)).level is Level.WARNING


def test_input_bitmaps_are_read_in_the_readers_word_size():
    (device,) = doctor.parse_input_devices(PI_DISPLAY_32, 32)
    assert device.has("ABS", doctor.ABS_MT_POSITION_X) and device.has("KEY", doctor.BTN_TOUCH)
    (wrong,) = doctor.parse_input_devices(PI_DISPLAY_32, 64)  # read with the wrong width, the bits move
    assert not wrong.has("KEY", doctor.BTN_TOUCH)


# -- the service --------------------------------------------------------------------------------------------


def systemctl(stdout: str | None, returncode: int = 0):
    def run(argv):
        assert argv[:3] == ["systemctl", "show", "ter-plekke-kiosk.service"]
        return None if stdout is None else CommandOutput(returncode, stdout)
    return run


@pytest.mark.parametrize("stdout, returncode, level, words", [
    (None, 0, Level.OK, "no systemd"),
    ("", 1, Level.OK, "no systemd"),
    ("LoadState=not-found\nActiveState=inactive\nNRestarts=0\n", 0, Level.OK, "not installed"),
    ("LoadState=loaded\nActiveState=active\nNRestarts=0\n", 0, Level.OK, "is running"),
    ("LoadState=loaded\nActiveState=active\nNRestarts=7\n", 0, Level.WARNING, "keeps restarting (7"),
    ("LoadState=loaded\nActiveState=activating\nNRestarts=2\n", 0, Level.WARNING, "keeps restarting"),
    ("LoadState=loaded\nActiveState=inactive\nNRestarts=0\n", 0, Level.WARNING, "not running"),
    ("LoadState=loaded\nActiveState=failed\nNRestarts=0\n", 0, Level.PROBLEM, "stopped with an error"),
])
def test_service(tmp_path, stdout, returncode, level, words):
    found = doctor.check_service(env_for(tmp_path, run=systemctl(stdout, returncode)))
    assert found.level is level and words in found.message


# -- data folder and disk ---------------------------------------------------------------------------------


def test_data_folder_writable(tmp_path):
    config = config_for(tmp_path)
    config.data_dir.mkdir()
    found = doctor.check_data_folder(env_for(tmp_path), config)
    assert found.level is Level.OK and str(config.data_dir) in found.message
    assert list(config.data_dir.iterdir()) == []  # the probe file is gone


def test_data_folder_not_there_yet_is_not_created_by_the_doctor(tmp_path):
    config = config_for(tmp_path)
    found = doctor.check_data_folder(env_for(tmp_path), config)
    assert found.level is Level.WARNING and "does not exist yet" in found.message
    assert not config.data_dir.exists()


def with_data_dir(config, folder: Path):
    return type(config)(**{**config.__dict__, "data_dir": folder})


def test_data_folder_cannot_be_created(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    config = with_data_dir(config_for(tmp_path), blocker / "data")
    found = doctor.check_data_folder(env_for(tmp_path), config)
    assert found.level is Level.PROBLEM and "cannot be created" in found.message and "KIOSK_DATA_DIR" in found.todo


def test_data_folder_cannot_be_written(tmp_path):
    not_a_folder = tmp_path / "data"  # exists, but a file: writing into it fails even for root
    not_a_folder.write_text("x")
    found = doctor.check_data_folder(env_for(tmp_path), with_data_dir(config_for(tmp_path), not_a_folder))
    assert found.level is Level.PROBLEM and "Records cannot be kept" in found.message
    assert "sudo kiosk doctor" in found.todo


@pytest.mark.parametrize("free, level", [(50_000_000_000, Level.OK), (500_000_000, Level.WARNING),
                                         (50_000_000, Level.PROBLEM)])
def test_free_disk(tmp_path, free, level):
    seen = []
    env = env_for(tmp_path, disk_usage=lambda path: seen.append(path) or types.SimpleNamespace(free=free))
    found = doctor.check_disk(env, config_for(tmp_path))
    assert found.level is level
    assert seen == [tmp_path]  # the data folder does not exist yet: its nearest existing parent


def test_free_disk_unknown(tmp_path):
    def broken(path):
        raise PermissionError(13, "Permission denied")
    assert doctor.check_disk(env_for(tmp_path, disk_usage=broken), config_for(tmp_path)).level is Level.WARNING


# -- clock ------------------------------------------------------------------------------------------------


def timedatectl(answer: str | None):
    def run(argv):
        assert argv == ["timedatectl", "show", "-p", "NTPSynchronized", "--value"]
        return None if answer is None else CommandOutput(0, answer + "\n")
    return run


@pytest.mark.parametrize("answer, level", [("yes", Level.OK), ("no", Level.WARNING), (None, Level.OK)])
def test_clock_synchronisation(tmp_path, answer, level):
    found = doctor.check_clock(env_for(tmp_path, run=timedatectl(answer)), None)
    assert found.level is level and "20-04-2027 10:00" in found.message


def test_clock_before_the_software_existed(tmp_path):
    env = env_for(tmp_path, run=timedatectl("yes"), clock=FixedClock(datetime(1970, 1, 1, tzinfo=TIMEZONE)))
    found = doctor.check_clock(env, None)
    assert found.level is Level.PROBLEM and "cannot be right" in found.message


def test_clock_behind_the_records_already_written(tmp_path):
    with Repository(tmp_path / "data") as repo:
        add_checkins(repo, 1, start=NOW + timedelta(days=2))
    with Repository(tmp_path / "data", writer=False) as repo:
        found = doctor.check_clock(env_for(tmp_path, run=timedatectl(None)), repo)
    assert found.level is Level.PROBLEM


# -- office: a real HTTP server on 127.0.0.1 -----------------------------------------------------------------


# -- the office: the real receiver, and the fault office the upload tests use ----------------------------


def test_office_off(tmp_path):
    found = doctor.check_office(env_for(tmp_path), config_for(tmp_path), "kiosk-1")
    assert found.level is Level.WARNING and "Uploads are off" in found.message


def test_office_reachable_and_token_accepted(tmp_path):
    office = start_office(tmp_path / "office")
    try:
        found = doctor.check_office(env_for(tmp_path), config_for(tmp_path, office.url, office.token), KIOSK)
    finally:
        office.server.close()
    assert found.level is Level.OK and "accepts this kiosk's token" in found.message


def test_the_token_check_sends_no_records_and_no_status(tmp_path):
    with FaultOffice(token="s3cret") as office:
        found = doctor.check_office(env_for(tmp_path), config_for(tmp_path, office.url, "s3cret"), "kiosk-1")
        stored = dict(office.records)
    assert found.level is Level.OK and stored == {}


def test_office_refuses_a_wrong_token_and_never_shows_it(tmp_path):
    office = start_office(tmp_path / "office")
    try:
        found = doctor.check_office(env_for(tmp_path), config_for(tmp_path, office.url, "wrong-token"), KIOSK)
    finally:
        office.server.close()
    assert found.level is Level.PROBLEM and "refused this kiosk's token" in found.message
    assert "wrong-token" not in found.message + found.todo


def test_office_connection_refused(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    found = doctor.check_office(env_for(tmp_path), config_for(tmp_path, url, "s3cret"), "kiosk-1")
    assert found.level is Level.WARNING and "Cannot reach the office" in found.message
    assert "refused the connection" in found.message  # the upload client's own words


def test_office_does_not_answer_within_the_configured_timeout(tmp_path):
    with FaultOffice(token="s3cret") as office:
        office.slow_seconds = 5
        office.faults.append("slow")
        config = config_for(tmp_path, office.url, "s3cret", extra="timeout = 2\n")
        found = doctor.check_office(env_for(tmp_path), config, "kiosk-1")
    assert found.level is Level.WARNING and "did not answer within 2 s" in found.message


def test_office_certificate_not_trusted(tmp_path):
    with FaultOffice(token="s3cret", tls=True) as office:  # a certificate no authority signed
        found = doctor.check_office(env_for(tmp_path), config_for(tmp_path, office.url, "s3cret"), "kiosk-1")
    assert found.level is Level.PROBLEM and "certificate" in found.message and "ca_file" in found.todo


def test_office_without_token_is_not_asked(tmp_path):
    with FaultOffice(token="s3cret") as office:
        found = doctor.check_office(env_for(tmp_path), config_for(tmp_path, office.url), "kiosk-1")
        asked = office.post_count()
    assert found.level is Level.PROBLEM and "No token" in found.message and asked == 0


def test_office_not_asked_before_the_kiosk_has_an_id(tmp_path):
    found = doctor.check_office(env_for(tmp_path), config_for(tmp_path, "https://office.example", "t"), None)
    assert found.level is Level.WARNING and "kiosk init" in found.todo


@pytest.mark.parametrize("fault, words", [
    ("html", "Wi-Fi login page"),
    ("redirect", "redirects elsewhere"),
    ("garbage", "without the JSON"),
    ("500", "answered 500"),
])
def test_office_answers_but_is_not_the_office(tmp_path, fault, words):
    with FaultOffice(token="s3cret") as office:
        office.faults.append(fault)
        found = doctor.check_office(env_for(tmp_path), config_for(tmp_path, office.url, "s3cret"), "kiosk-1")
    assert found.level is Level.PROBLEM and words in found.message


# -- calendar: the real calendar source, and the copy it keeps --------------------------------------------


def calendar_config(tmp_path, source):
    return config_for(tmp_path, extra=f'[calendar]\nsource = "{source}"\n')


def fetch_as_kiosk_activities_does(config, at):
    CalendarSource(config.calendar_source, config.data_dir / CACHE_DIR, clock=FixedClock(at)).refresh()


def test_calendar_never_fetched(tmp_path):
    config = calendar_config(tmp_path, "https://calendar.example/agenda.ics")
    found = doctor.check_calendar(env_for(tmp_path), config)
    assert found.level is Level.WARNING and "not been fetched" in found.message


@pytest.mark.parametrize("fetched, level, words", [
    (NOW - timedelta(hours=2), Level.OK, "up to date (fetched 20-04-2027 08:00)"),
    (NOW - timedelta(days=3), Level.WARNING, "last fetched on 17-04-2027 10:00"),
], ids=["fresh", "stale"])
def test_calendar_reports_the_last_good_fetch(tmp_path, fetched, level, words):
    server = CalendarServer()
    try:
        config = calendar_config(tmp_path, server.url)
        fetch_as_kiosk_activities_does(config, fetched)
        server.status, server.etag = 500, None  # a failed fetch later does not change the last good one
        CalendarSource(config.calendar_source, config.data_dir / CACHE_DIR, clock=FixedClock(NOW)).refresh()
    finally:
        server.stop()
    found = doctor.check_calendar(env_for(tmp_path), config)
    assert found.level is level and words in found.message


# -- uploads and damaged files, on a real repository ----------------------------------------------------------


def test_uploads_off_keeps_records_here(tmp_path):
    config = config_for(tmp_path)
    with Repository(config.data_dir) as repo:
        add_checkins(repo, 3)
        found = doctor.check_uploads(env_for(tmp_path), config, repo)
    assert found.level is Level.OK and "3 records are kept on this kiosk only" in found.message


def test_uploads_all_sent_and_a_few_waiting(tmp_path):
    config = config_for(tmp_path, "https://office.example", "t")
    with Repository(config.data_dir) as repo:
        written = add_checkins(repo, 3)
        repo.mark_done([("2027-04-20", r["id"], "uploaded", "") for r in written], at="now")
        assert doctor.check_uploads(env_for(tmp_path), config, repo).message == "Every record has reached the office."
        add_checkins(repo, 2, start=NOW - timedelta(minutes=5))
        found = doctor.check_uploads(env_for(tmp_path), config, repo)
    assert found.level is Level.OK and "2 records are waiting" in found.message


def test_uploads_waiting_too_long(tmp_path):
    config = config_for(tmp_path, "https://office.example", "t")
    with Repository(config.data_dir) as repo:
        add_checkins(repo, 2, start=NOW - timedelta(days=3))
        found = doctor.check_uploads(env_for(tmp_path), config, repo)
    assert found.level is Level.WARNING and "the oldest from 17-04-2027" in found.message


def test_uploads_waiting_too_many(tmp_path, monkeypatch):
    monkeypatch.setattr(doctor, "PENDING_MANY", 5)
    config = config_for(tmp_path, "https://office.example", "t")
    with Repository(config.data_dir) as repo:
        add_checkins(repo, 5)
        found = doctor.check_uploads(env_for(tmp_path), config, repo)
    assert found.level is Level.WARNING and "5 records are waiting" in found.message


def test_uploads_refused_by_the_office(tmp_path):
    config = config_for(tmp_path, "https://office.example", "t")
    with Repository(config.data_dir) as repo:
        (record,) = add_checkins(repo, 1)
        repo.mark_done([("2027-04-20", record["id"], "rejected", "unknown type")], at="now")
        found = doctor.check_uploads(env_for(tmp_path), config, repo)
    assert found.level is Level.WARNING and "refused 1 records" in found.message


def test_staff_pin(tmp_path):
    env = env_for(tmp_path)
    assert doctor.check_staff_pin(env, None).level is Level.WARNING
    with Repository(tmp_path / "data") as repo:
        found = doctor.check_staff_pin(env, repo)
        assert found.level is Level.WARNING and "kiosk set-pin" in found.todo
        StaffLock(repo, env.clock).set_pin("4821")
    with Repository(tmp_path / "data", writer=False) as reader:
        assert doctor.check_staff_pin(env, reader) == Finding("staff", Level.OK, "A staff PIN is set.")


def test_damaged_files(tmp_path):
    data = tmp_path / "data"
    with Repository(data) as repo:
        add_checkins(repo, 5)
        assert doctor.check_damaged(repo).level is Level.OK
    day = data / DAYS_DIR / "2027-04-20.jsonl"
    day.write_bytes(day.read_bytes() + b"\x00\xff torn line")
    with Repository(data, writer=False) as reader:  # found now, not yet set aside
        found = doctor.check_damaged(reader)
    assert found.level is Level.WARNING and "2027-04-20.jsonl was damaged" in found.message
    with Repository(data) as repo:  # the kiosk sets it aside
        pass
    with Repository(data, writer=False) as reader:
        found = doctor.check_damaged(reader)
    assert found.level is Level.WARNING and "1 damaged files were set aside" in found.message


# -- all together ---------------------------------------------------------------------------------------


def test_examine_runs_every_check_in_order(tmp_path):
    config = config_for(tmp_path)
    found = examine(env_for(tmp_path), config.source)
    assert [f.check for f in found] == list(doctor.CHECKS)


def test_examine_with_a_broken_configuration_still_checks_the_device(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nidle_timeout = "soon"\n')
    found = examine(env_for(tmp_path, environ={"DISPLAY": ":0"}), path)
    assert [f.check for f in found] == ["config", "display", "touch", "service", "clock"]
    assert found[0].level is Level.PROBLEM and "idle_timeout" in found[0].message


def test_examine_with_an_unusable_data_folder(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[data]\nfolder = "{blocker / "data"}"\n')
    found = {f.check: f for f in examine(env_for(tmp_path), path, skip=["display", "touch"])}
    assert found["data"].level is Level.PROBLEM and "cannot be created" in found["data"].message
    assert found["uploads"].message == "No records on this kiosk yet."
    assert not (blocker.parent / "data").exists()


def test_examine_with_records_that_cannot_be_read(tmp_path, monkeypatch):
    config = config_for(tmp_path)
    with Repository(config.data_dir):
        pass

    def unreadable(*args, **kwargs):
        raise StorageError("Could not read state.json: Permission denied")
    monkeypatch.setattr(doctor, "Repository", unreadable)
    found = {f.check: f for f in examine(env_for(tmp_path), config.source, skip=["display", "touch"])}
    assert found["uploads"].level is Level.PROBLEM and "Permission denied" in found["uploads"].message
    assert "damaged" not in found


def test_examine_skips_and_survives_a_check_that_cannot_finish(tmp_path, monkeypatch):
    def broken(env, config):
        raise doctor.KioskError("the disk went away")
    monkeypatch.setattr(doctor, "check_disk", broken)
    config = config_for(tmp_path)
    found = examine(env_for(tmp_path), config.source, skip=["display", "touch"])
    assert "display" not in [f.check for f in found]
    disk = next(f for f in found if f.check == "disk")
    assert disk.level is Level.PROBLEM and "the disk went away" in disk.message


# -- the real command, in a subprocess ---------------------------------------------------------------------

MACHINE_DEPENDENT = "display,touch,service,disk,clock,calendar,speech"


def run_doctor(tmp_path: Path, *args: str, config: Path | None = None) -> subprocess.CompletedProcess:
    (tmp_path / "data").mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_DATA_DIR": str(tmp_path / "data")}
    env.pop("KIOSK_CONFIG", None)
    env.pop("KIOSK_OFFICE_TOKEN", None)
    config_args = ["--config", str(config or tmp_path / "kiosk.toml")]
    return subprocess.run([sys.executable, "-m", "kiosk", *config_args, "doctor", *args],
                          env=env, capture_output=True, text=True, timeout=60)


def test_command_exit_0_when_all_is_well(tmp_path):
    with Repository(tmp_path / "data") as repo:
        StaffLock(repo, None).set_pin("4821")
        kiosk_id = repo.kiosk_id
    office = start_office(tmp_path / "office")
    try:
        with office.store() as store:
            token = store.add_kiosk(kiosk_id)
        config_for(tmp_path, office.url, token)
        done = run_doctor(tmp_path, "--skip", MACHINE_DEPENDENT)
    finally:
        office.server.close()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All is well." in done.stdout and "[  ok   ] Office" in done.stdout


def test_command_exit_1_with_warnings(tmp_path):
    config_for(tmp_path)
    done = run_doctor(tmp_path, "--skip", MACHINE_DEPENDENT)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "[WARNING] Office" in done.stdout and "What to do:" in done.stdout


def test_command_exit_2_with_problems(tmp_path):
    with Repository(tmp_path / "data"):
        pass  # the kiosk has started once: it has an id
    with FaultOffice(token="right") as office:
        config_for(tmp_path, office.url, "wrong")
        done = run_doctor(tmp_path, "--skip", MACHINE_DEPENDENT)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "[PROBLEM] Office" in done.stdout and "1 problem" in done.stdout
    assert "Traceback" not in done.stderr


def test_command_json_matches_its_exit_code_on_this_machine(tmp_path):
    config_for(tmp_path)
    done = run_doctor(tmp_path, "--json")
    report = json.loads(done.stdout)
    assert [c["check"] for c in report["checks"]] == list(doctor.CHECKS)
    levels = {c["level"] for c in report["checks"]}
    expected = 2 if "problem" in levels else 1 if "warning" in levels else 0
    assert done.returncode == report["exit_code"] == expected


def test_command_broken_configuration_is_a_problem_not_a_traceback(tmp_path):
    (tmp_path / "kiosk.toml").write_text("[kiosk\n")
    done = run_doctor(tmp_path, "--skip", MACHINE_DEPENDENT)
    assert done.returncode == 2 and "[PROBLEM] Configuration" in done.stdout and "Traceback" not in done.stderr


def test_command_unknown_check_name(tmp_path):
    done = run_doctor(tmp_path, "--skip", "toaster")
    assert done.returncode == 2 and 'unknown check "toaster"' in done.stderr


def test_command_reports_when_kiosk_activities_last_fetched_the_calendar(tmp_path):
    server = CalendarServer()
    try:
        calendar_config(tmp_path, server.url)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_DATA_DIR": str(tmp_path / "data")}
        fetched = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(tmp_path / "kiosk.toml"),
                                  "activities", "--json"], env=env, capture_output=True, text=True, timeout=60)
        assert fetched.returncode == 0, fetched.stderr
        before = run_doctor(tmp_path, "--json", "--skip", "display,touch,service,disk,clock")
    finally:
        server.stop()
    [calendar] = [c for c in json.loads(before.stdout)["checks"] if c["check"] == "calendar"]
    kept = json.loads((tmp_path / "data" / CACHE_DIR / "calendar-cache.json").read_text(encoding="utf-8"))
    when = datetime.fromisoformat(kept["confirmed_at"])
    assert calendar["level"] == "ok" and f"up to date (fetched {when:%d-%m-%Y %H:%M})" in calendar["message"]
