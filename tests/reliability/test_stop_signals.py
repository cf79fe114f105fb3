"""SIGTERM, SIGHUP and Ctrl+C end the real app cleanly in kiosk mode: within 3 s, exit 0, the record kept.

What systemd, a reboot, a closed terminal and Ctrl+C send. The app is ``kiosk run --windowed`` in kiosk
mode (Esc and the window's close button refused), with an upload to the office hanging when the signal
comes (the office accepts the connection and never answers): the upload worker must be left at a safe
point, not waited for.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk.clock import SystemClock

CHILD = Path(__file__).resolve().parent / "checked_in_app.py"


class SilentOffice:
    """An office that takes the connection and never answers: an upload in flight until its timeout."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.called = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.held.append(connection)
            self.called.set()

    def close(self) -> None:
        self.server.close()
        for connection in self.held:
            connection.close()


@pytest.fixture
def office():
    silent = SilentOffice()
    yield silent
    silent.close()


def start_checked_in_app(tmp_path: Path, kiosk_env: dict, office: SilentOffice) -> subprocess.Popen:
    """The real app in kiosk mode, one visitor checked in by touch, an upload of that record hanging."""
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[display]\nkiosk_mode = true\n\n[office]\nurl = "{office.url}"\ntoken = "t0ken-for-tests"\n'
                      "timeout = 30\n")
    env = {**kiosk_env, "KIOSK_CONFIG": str(config), "PYTHONFAULTHANDLER": "1"}
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        pytest.skip("needs a display: run under scripts/with-display (make test does)")
    app = subprocess.Popen([sys.executable, str(CHILD), "--size", "800x480"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and line.strip() != "CHECKED-IN":
            line = app.stdout.readline()
            if not line and app.poll() is not None:
                break
        assert line.strip() == "CHECKED-IN", f"the visitor did not get through:\n{app.stderr.read()[-3000:]}"
        assert office.called.wait(30), "the upload of the new record never started"
        time.sleep(0.3)  # well inside the upload now
    except BaseException:
        app.kill()
        app.communicate()
        raise
    return app


def ended_within(app: subprocess.Popen, seconds: float) -> tuple[float, str]:
    began = time.monotonic()
    try:
        _, err = app.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        app.send_signal(signal.SIGABRT)  # faulthandler: where each thread is
        time.sleep(1)
        app.kill()
        _, err = app.communicate()
        pytest.fail(f"still running {seconds} s after the stop signal:\n{err[-3000:]}")
    return time.monotonic() - began, err


def checkins_on_disk(kiosk) -> list[dict]:
    today = SystemClock().now().date().isoformat()  # the kiosk's day (Brussels), not the machine's
    records = json.loads(kiosk("log", "--date", today, "--format", "json", check=True).stdout)
    return [r for r in records if r["type"] == "checkin"]


def signal_app(app: subprocess.Popen, signum: int) -> None:
    os.kill(app.pid, signum)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_stop_signal_ends_the_kiosk_cleanly_within_3_s_with_the_record_kept(signum, tmp_path, kiosk_env, kiosk, office):
    app = start_checked_in_app(tmp_path, kiosk_env, office)
    signal_app(app, signum)
    seconds, err = ended_within(app, 3)
    assert app.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert len(checkins_on_disk(kiosk)) == 1
    print(f"{signal.Signals(signum).name}: ended in {seconds:.2f} s")


def test_ctrl_c_after_sigterm_still_ends_the_kiosk_cleanly(tmp_path, kiosk_env, kiosk, office):
    app = start_checked_in_app(tmp_path, kiosk_env, office)
    signal_app(app, signal.SIGTERM)
    time.sleep(0.05)
    signal_app(app, signal.SIGINT)
    _, err = ended_within(app, 3)
    assert app.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert len(checkins_on_disk(kiosk)) == 1

