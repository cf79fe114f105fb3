"""``kiosk office ...`` in a real subprocess: add-kiosk prints a token that works; serve serves."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

from kiosk.office.serve import start_in_thread
from office_support import KIOSK, TIMEOUT, record

PROJECT = Path(__file__).resolve().parents[2]


def kiosk_command(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=60,
                          env=_env(env), cwd=PROJECT, **kwargs)


def _env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["PYTHONPATH"] = str(PROJECT)
    env.update(extra or {})
    return env


def upload(url: str, token: str, records: list) -> requests.Response:
    return requests.post(url + "/api/v1/records", json={"kiosk": KIOSK, "records": records},
                         headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)


def test_add_kiosk_prints_a_token_once_that_then_works(tmp_path):
    data = tmp_path / "office"
    added = kiosk_command("office", "add-kiosk", KIOSK, "--data", str(data))
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", token), added.stdout
    assert "KIOSK_OFFICE_TOKEN" in added.stderr and "only this once" in added.stderr
    assert token not in (data / "office.sqlite3").read_bytes().decode("latin-1")

    server, url = start_in_thread(data)
    try:
        rec = record()
        response = upload(url, token, [rec])
        assert response.status_code == 201 and response.json()["accepted"] == [rec["id"]]

        again = kiosk_command("office", "add-kiosk", KIOSK, "--data", str(data))
        assert again.returncode == 2 and again.stdout == ""
        assert "already registered" in again.stderr and "--replace" in again.stderr
        assert "Traceback" not in again.stderr
        assert upload(url, token, [record()]).status_code == 201

        replaced = kiosk_command("office", "add-kiosk", KIOSK, "--replace", "--data", str(data))
        assert replaced.returncode == 0
        assert upload(url, token, [record()]).status_code == 401
        assert upload(url, replaced.stdout.strip(), [record()]).status_code == 201
    finally:
        server.close()


def test_add_kiosk_takes_the_data_folder_from_the_environment(tmp_path):
    added = kiosk_command("office", "add-kiosk", KIOSK, env={"KIOSK_OFFICE_DATA": str(tmp_path / "env-office")})
    assert added.returncode == 0, added.stderr
    assert (tmp_path / "env-office" / "office.sqlite3").is_file()


def test_a_bad_kiosk_name_is_refused_in_words(tmp_path):
    refused = kiosk_command("office", "add-kiosk", "my kiosk/1", "--data", str(tmp_path))
    assert refused.returncode == 2
    assert "cannot be a kiosk name" in refused.stderr and "Traceback" not in refused.stderr


def test_serve_runs_until_interrupted(tmp_path):
    data = tmp_path / "office"
    token = kiosk_command("office", "add-kiosk", KIOSK, "--data", str(data)).stdout.strip()
    process = subprocess.Popen([sys.executable, "-m", "kiosk", "office", "serve", "--port", "0", "--data", str(data)],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=_env(), cwd=PROJECT)
    try:
        first = process.stderr.readline()  # printed once the server listens
        url = re.search(r"http://127\.0\.0\.1:\d+", first).group(0)
        assert "Office receiver on" in first and str(data) in first
        assert "overview is off" in process.stderr.readline()
        assert requests.get(url + "/api/v1/health", timeout=TIMEOUT).json()["status"] == "ok"
        assert upload(url, token, [record()]).status_code == 201
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()


def test_serve_on_a_port_in_use_says_so(tmp_path):
    server, url = start_in_thread(tmp_path / "first")
    try:
        port = url.rsplit(":", 1)[1]
        busy = kiosk_command("office", "serve", "--port", port, "--data", str(tmp_path / "second"))
        assert busy.returncode == 2
        assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr and "Traceback" not in busy.stderr
    finally:
        server.close()


def test_the_office_never_imports_kivy():
    code = ("import sys, kiosk.office.serve, kiosk.cli; kiosk.cli.build_parser(); "
            "sys.exit(1 if any(m.startswith('kivy') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], env=_env(), cwd=PROJECT, timeout=60).returncode == 0
