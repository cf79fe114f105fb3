"""Reliability tests: the kiosk under kill -9, power cuts, a full disk, a wrong clock, garbage, a long day.

Short form by default (CI, well under a minute); the long form with ``pytest --long`` or
``KIOSK_LONG_TESTS=1`` repeats everything many more times. Commands run for real in subprocesses; the
app runs for real under a display (Xvfb when there is none) in a process of its own, driven by the
visitor robot (tests/visitor_robot.py) through ``app_scenarios.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SCENARIOS = Path(__file__).resolve().parent / "app_scenarios.py"


def is_long(config) -> bool:
    return config.getoption("--long") or os.environ.get("KIOSK_LONG_TESTS") == "1"


def pytest_configure(config):
    if is_long(config):
        os.environ["KIOSK_LONG_TESTS"] = "1"  # before the test modules are imported (test_fuzz reads it)


def pytest_collection_modifyitems(config, items):
    """The long form may take many minutes per test: lift pytest-timeout's cap for it."""
    if is_long(config):
        for item in items:
            if Path(str(item.fspath)).parent == Path(__file__).parent:
                item.add_marker(pytest.mark.timeout(3600))


@pytest.fixture(scope="session")
def long_run(request) -> bool:
    return is_long(request.config)


@pytest.fixture(scope="session")
def scale(long_run):
    """``scale(short, long)``: how many times to repeat, by the form of the run."""
    return lambda short, long: long if long_run else short


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def kiosk_env(data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "KIVY_"))}
    env.update(KIOSK_DATA_DIR=str(data_dir), PYTHONPATH=os.pathsep.join([str(PROJECT), str(PROJECT / "tests")]),
               KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1")
    return env


@pytest.fixture
def kiosk(kiosk_env):
    """Run the real ``kiosk`` command; ``check=True`` asserts exit 0 and no traceback."""

    def run(*args: str, check: bool = False, timeout: float = 60) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "kiosk", *args], env=kiosk_env, capture_output=True,
                                text=True, timeout=timeout)
        assert "Traceback" not in result.stderr, result.stderr
        if check:
            assert result.returncode == 0, result.stderr
        return result

    return run


def display_command() -> list[str]:
    """The prefix that gives a command a display, or skip the test when there is none to be had."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return []
    if shutil.which("xvfb-run"):
        return ["xvfb-run", "--auto-servernum", "--server-args=-screen 0 1280x800x24"]
    pytest.skip("needs a display or Xvfb")


@pytest.fixture
def app_scenario(kiosk_env):
    """Run one scenario of app_scenarios.py with the real app; returns its JSON report."""

    def run(name: str, data_dir: Path, *args: str, timeout: float = 300) -> dict:
        command = [*display_command(), sys.executable, str(SCENARIOS), name, str(data_dir), *args]
        result = subprocess.run(command, env=kiosk_env, capture_output=True, text=True, timeout=timeout)
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        assert result.returncode == 0 and lines, f"scenario {name} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        return json.loads(lines[-1])

    return run
