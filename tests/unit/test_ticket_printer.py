"""The printed ticket: its bytes on python-escpos's Dummy printer in nl, fr and en; a real TCP "printer"
on 127.0.0.1 that takes tickets, runs out of paper, or is unplugged; doctor, print-test and the settings."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from escpos.printer import Dummy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fake_printer import CUT, FakePrinter, free_port  # noqa: E402

from kiosk import doctor
from kiosk.config import load_config
from kiosk.errors import ConfigError
from kiosk.export.ticket_printer import Ticket, TicketPrinter, parse_address, render
from kiosk.ui.ticket import question_ticket, signup_ticket

QUESTION = {"type": "question", "created_at": "2027-04-20T10:42:00+02:00",
            "data": {"ticket": 17, "theme": "money", "talk_today": True}}
SIGNUP = {"type": "signup", "created_at": "2027-04-20T10:45:00+02:00",
          "data": {"activity": "meal@test", "title": "Samen Tafelen", "start": "2027-04-22T12:00:00+02:00",
                   "persons": 2, "first_name": "Rik"}}
HUGE = b"\x1d!\x77"  # GS ! : eight times as wide and as high
CP437 = "cp437"  # what python-escpos picks for these letters on a default printer

EXPECTED = {
    "nl": (["Uw nummer", "Geld en energie", "dinsdag 20 april 2027  10:42", "Een medewerker roept uw nummer."],
           ["", "Samen Tafelen", "donderdag 22 april 2027  12:00", "Zaal De Linde", "Voor 2 personen"]),
    "fr": (["Votre numéro", "Argent et énergie", "mardi 20 avril 2027  10:42", "appellera votre numéro."],
           ["", "Samen Tafelen", "jeudi 22 avril 2027  12:00", "Zaal De Linde", "Pour 2 personnes"]),
    "en": (["Your number", "Money and energy", "Tuesday 20 April 2027  10:42", "A staff member will call your number."],
           ["", "Samen Tafelen", "Thursday 22 April 2027  12:00", "Zaal De Linde", "For 2 persons"]),
}


def printed(ticket: Ticket) -> bytes:
    device = Dummy()
    render(device, ticket)
    return device.output


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_a_question_ticket_holds_the_huge_number_theme_time_and_the_call_then_a_cut(lang):
    out = printed(question_ticket(QUESTION, lang))
    assert HUGE + b"\x1bE\x01\x1ba\x01" in out and b"17\n" in out[out.index(HUGE):]
    words, _ = EXPECTED[lang]
    positions = [out.index(text.encode(CP437)) for text in words]
    assert positions == sorted(positions)  # in this order on the paper
    assert CUT in out[-4:]


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_a_sign_up_ticket_holds_the_activity_day_time_place_and_persons_in_the_visitors_language(lang):
    from kiosk.i18n import translate

    out = printed(signup_ticket(SIGNUP, lang, "Zaal De Linde"))
    heading = translate("You are signed up!", lang)
    words = [heading, *EXPECTED[lang][1][1:]]
    positions = [out.index(text.encode(CP437)) for text in words]
    assert positions == sorted(positions)
    assert HUGE not in out and CUT in out[-4:]


def test_a_network_printer_gets_the_ticket_in_the_background_and_says_nothing_is_wrong():
    fake = FakePrinter()
    problems = []
    printer = TicketPrinter("network", f"127.0.0.1:{fake.port}", on_problem=problems.append)
    try:
        printer.submit(question_ticket(QUESTION, "nl"))
        assert fake.tickets.wait(10)
        deadline = time.monotonic() + 5
        while not problems and time.monotonic() < deadline:
            time.sleep(0.02)
        assert problems == [""] and b"Een medewerker roept uw nummer." in fake.received
    finally:
        printer.stop()
        fake.close()


def test_submitting_never_waits_for_a_slow_printer():
    hold = threading.Event()
    fake = FakePrinter(hold=hold)
    printer = TicketPrinter("network", f"127.0.0.1:{fake.port}")
    try:
        printer.submit(question_ticket(QUESTION, "nl"))  # the printer holds the line...
        assert not fake.tickets.is_set() and fake.received == b""  # ...and submit came back already
        hold.set()
        assert fake.tickets.wait(10)
    finally:
        printer.stop()
        fake.close()


def test_out_of_paper_prints_nothing_and_says_no_paper():
    fake = FakePrinter(paper=0x72)
    try:
        printer = TicketPrinter("network", f"127.0.0.1:{fake.port}")
        assert printer.print_now(question_ticket(QUESTION, "nl")) == "no_paper"
        assert CUT not in fake.received and printer.problem == "no_paper"
        assert printer.check() == "no_paper"
    finally:
        fake.close()


def test_an_unplugged_printer_is_not_found_and_no_printer_does_nothing():
    printer = TicketPrinter("network", f"127.0.0.1:{free_port()}")
    assert printer.print_now(question_ticket(QUESTION, "nl")) == "not_found" and printer.check() == "not_found"
    none = TicketPrinter("none", "", opener=lambda where: pytest.fail("opened a printer that is not there"))
    none.submit(question_ticket(QUESTION, "nl"))
    assert not none.enabled and none.problem == ""


def test_doctor_says_which_problem_the_printer_has(tmp_path):
    fake = FakePrinter(paper=0x72)
    try:
        for address, level, words in [(f"127.0.0.1:{fake.port}", "problem", "no paper"),
                                      (f"127.0.0.1:{free_port()}", "problem", "cannot be reached")]:
            config = write_config(tmp_path, "network", address)
            found = doctor.check_printer(load_config(config))
            assert (found.level, found.check) == (level, "printer") and words in found.message
        fake.paper = 0x12
        assert doctor.check_printer(load_config(write_config(tmp_path, "network", f"127.0.0.1:{fake.port}"))).level == "ok"
        assert "No ticket printer" in doctor.check_printer(load_config(write_config(tmp_path, "none", ""))).message
    finally:
        fake.close()


def write_config(folder: Path, kind: str, address: str) -> Path:
    path = folder / "kiosk.toml"
    path.write_text(f'[printer]\nkind = "{kind}"\naddress = "{address}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("kind, address, words", [
    ("usb", "", "needs its address"), ("usb", "epson", "vendor:product"), ("serial", "COM", None),
    ("serial", "ttyUSB0", "/dev/ttyUSB0"), ("network", "host:99999", "printer.local:9100"), ("laser", "", "one of"),
])
def test_printer_settings_are_checked_with_a_plain_message(tmp_path, kind, address, words):
    path = write_config(tmp_path, kind, address)
    if words is None:
        assert load_config(path).printer_kind == kind
        return
    with pytest.raises(ConfigError) as error:
        load_config(path)
    [line] = error.value.problems
    assert "[printer]" in line and words in line


def test_addresses_of_each_kind_are_understood():
    assert parse_address("usb", "04b8:0E15").usb == (0x04B8, 0x0E15)
    assert parse_address("network", "192.168.1.50").port == 9100
    assert (parse_address("network", "printer.local:9101").host, parse_address("network", "printer.local:9101").port) == ("printer.local", 9101)
    assert parse_address("serial", "/dev/ttyUSB0").device == "/dev/ttyUSB0"


def test_print_test_prints_a_ticket_or_says_why_not(tmp_path):
    fake = FakePrinter()
    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[2]), "KIOSK_DATA_DIR": str(tmp_path / "data"),
           "PATH": "/usr/bin:/bin"}
    try:
        config = write_config(tmp_path, "network", f"127.0.0.1:{fake.port}")
        done = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "print-test", "--lang", "fr"],
                              capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert fake.tickets.wait(5) and "appellera votre num".encode() in fake.received
        missing = write_config(tmp_path, "network", f"127.0.0.1:{free_port()}")
        failed = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(missing), "print-test"],
                                capture_output=True, text=True, env=env, timeout=60)
        assert failed.returncode == 2 and "cannot be reached" in failed.stderr and "Traceback" not in failed.stderr
    finally:
        fake.close()
