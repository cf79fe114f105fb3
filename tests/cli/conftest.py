"""Run the real ``kiosk`` command in a subprocess, on a data folder of the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kiosk_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(PROJECT)
    return env


@pytest.fixture
def kiosk(kiosk_env):
    def run(*args: str, check: bool = False, timeout: float = 60) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", *args], env=kiosk_env, capture_output=True, text=True, timeout=timeout
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    return run
