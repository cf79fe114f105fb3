"""``kiosk set-pin``, ``kiosk cards`` and the day's log as a report or an export folder, run for real."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from kiosk.core.staff_pin import HASH_KEY, pin_matches
from kiosk.storage import Repository


def run_with_input(kiosk_env, text, *args):
    return subprocess.run([sys.executable, "-m", "kiosk", *args], env=kiosk_env, input=text, capture_output=True,
                          text=True, timeout=60)


def test_set_pin_stores_only_a_hash(kiosk_env):
    result = run_with_input(kiosk_env, "73915\n", "set-pin", "--pin-stdin")
    assert result.returncode == 0, result.stderr
    state = (Path(kiosk_env["KIOSK_DATA_DIR"]) / "state.json").read_text()
    assert "73915" not in state and pin_matches("73915", json.loads(state)[HASH_KEY])


def test_set_pin_refuses_a_bad_pin_and_no_terminal(kiosk_env, kiosk):
    for bad in ("12\n", "12345678901\n", "abcd\n", "\n"):
        result = run_with_input(kiosk_env, bad, "set-pin", "--pin-stdin")
        assert result.returncode == 2 and "4 to 8 digits" in result.stderr and "Traceback" not in result.stderr
    result = kiosk("set-pin")  # no terminal (capture_output): say how to script it
    assert result.returncode == 2 and "--pin-stdin" in result.stderr
    assert not (Path(kiosk_env["KIOSK_DATA_DIR"]) / "state.json").exists()


def test_set_pin_while_the_kiosk_runs_says_how_to_stop_it(kiosk_env):
    with Repository(kiosk_env["KIOSK_DATA_DIR"]):  # the running app holds the data folder
        result = run_with_input(kiosk_env, "4821\n", "set-pin", "--pin-stdin")
    assert result.returncode == 2 and "systemctl stop ter-plekke-kiosk" in result.stderr


def test_cards_makes_a_pdf_and_refuses_other_files(kiosk, tmp_path):
    result = kiosk("cards", "--count", "12", "--out", str(tmp_path / "cards.pdf"), check=True)
    assert "12 new member cards on 2 A4 pages" in result.stdout
    assert (tmp_path / "cards.pdf").read_bytes().startswith(b"%PDF")
    bad = kiosk("cards", "--count", "2", "--out", str(tmp_path / "cards.txt"))
    assert bad.returncode == 2 and ".pdf or .png" in bad.stderr and not (tmp_path / "cards.txt").exists()


def test_log_as_html_and_as_an_export_folder(kiosk, tmp_path):
    kiosk("demo-data", "--date", "2027-04-20", "--checkins", "6", "--questions", "3", check=True)
    page = kiosk("log", "--date", "2027-04-20", "--format", "html", check=True).stdout
    assert page.startswith("<!DOCTYPE html>") and "dinsdag 20 april 2027" in page and "Verwijder dit bestand" in page
    stick = tmp_path / "stick"
    stick.mkdir()
    result = kiosk("log", "--date", "2027-04-20", "--export", str(stick), check=True)
    names = sorted(p.name for p in stick.iterdir())
    assert names == ["ter-plekke-2027-04-20.csv", "ter-plekke-2027-04-20.html", "ter-plekke-2027-04-20.json"]
    assert all(name in result.stderr for name in names)
    rows = list(csv.reader(io.StringIO((stick / names[0]).read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 9 + 1
    missing = kiosk("log", "--date", "2027-04-20", "--export", str(tmp_path / "no-stick"))
    assert missing.returncode == 2 and "taken out" in missing.stderr
