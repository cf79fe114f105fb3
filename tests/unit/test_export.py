"""Exports: to a USB stick (real mounts where the machine allows), the one-time phone link over real HTTP,
the printable report and member cards."""

import csv
import html.parser
import io
import json
import os
import shutil
import subprocess
import threading
import uuid
from datetime import datetime
from html import escape
from pathlib import Path

import pytest
import requests
from PIL import Image

from kiosk.clock import TIMEZONE
from kiosk.core import daylog, report
from kiosk.core.cards import parse_card
from kiosk.core.daystats import day_stats
from kiosk.errors import ExportError
from kiosk.export import media, phone
from kiosk.export.cards import A4, PER_PAGE, card_pages, write_cards

DAY = "2027-04-20"


def record(rtype, data, minute=0, hour=10):
    return {"id": str(uuid.uuid4()), "type": rtype, "created_at": f"{DAY}T{hour:02d}:{minute:02d}:00+02:00",
            "seq": minute, "clock_ok": True, "location": "Dikkebus", "kiosk": "kiosk-test", "data": data}


RECORDS = [
    record("checkin", {"adults": 2, "children": 1, "first_time": True, "reasons": ["coffee"]}, 1, 9),
    record("checkin", {"adults": 1, "children": 0, "first_time": False, "reasons": ["question"]}, 2, 11),
    record("question", {"theme": "digital", "talk_today": True, "text": "<script>alert(1)</script> & itsme",
                        "first_name": "Zoë", "phone": "0470 12 34 56", "ticket": 1}, 3),
    record("idea", {"category": "walking", "title": "Wandeling <b>vijver</b>", "text": ""}, 4),
    record("signup", {"title": "Samen Tafelen", "start": "2027-04-22T12:00:00+02:00", "persons": 3}, 5),
    record("feedback", {"score": 4, "where": "home"}, 6),
]


def files():
    return report.day_files(DAY, RECORDS, "Ter Plekke", "kiosk-test", datetime(2027, 4, 20, 16, 5, tzinfo=TIMEZONE))


# -- the report --------------------------------------------------------------------------------------
class Parsed(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_the_report_is_escaped_printable_and_carries_the_reminder():
    page = files()["ter-plekke-2027-04-20.html"].decode()
    parsed = Parsed()
    parsed.feed(page)
    assert "script" not in parsed.tags and "b" not in parsed.tags  # visitor text stays text
    text = " ".join(parsed.text)
    assert "<script>alert(1)</script> & itsme" in text and "Wandeling <b>vijver</b>" in text
    assert text.count(daylog.PRIVACY_REMINDER) == 2 and "dinsdag 20 april 2027" in text
    assert "digitale hulp" in text and "Zoë · 0470 12 34 56" in text and "Samen Tafelen" in text
    assert "@media print" in page and "<svg" in page and "<rect" in page
    assert "22/04/2027 12:00" in text and "dinsdag 20 april 2027 om 16:05" in text


def test_the_chart_draws_one_bar_per_busy_hour_scaled_to_the_busiest():
    svg = report.hour_chart_svg(day_stats(DAY, RECORDS))
    assert svg.count("<rect") == 2 and 'height="160"' in svg  # 9h (3 persons) is the full height
    assert ">9u<" in svg and ">12u<" in svg


def test_embedded_files_are_download_links():
    stats = day_stats(DAY, RECORDS)
    page = report.day_report(stats, "Ter Plekke", "k", files=[("x.csv", "text/csv", b"a;b")])
    assert 'download="x.csv"' in page and "base64,YTti" in page


def test_the_phone_page_is_the_report_with_the_csv_and_json_inside():
    page = report.day_page(DAY, RECORDS, "Ter Plekke", "kiosk-test", datetime(2027, 4, 20, 16, 5, tzinfo=TIMEZONE))
    text = page.decode()
    assert 'download="ter-plekke-2027-04-20.csv"' in text and 'download="ter-plekke-2027-04-20.json"' in text
    assert "data:text/csv;charset=utf-8;base64," in text and "data:application/json;base64," in text
    assert "dinsdag 20 april 2027" in text


def embedded_files(page: str) -> str:
    """The page with its base64 download links decoded, to look inside the CSV and JSON too."""
    import base64
    import re

    return page + "".join(base64.b64decode(b).decode("utf-8") for b in re.findall(r"base64,([A-Za-z0-9+/=]+)", page))


def test_the_phone_page_holds_no_names_phones_or_visitor_texts_unless_staff_choose_them():
    made = datetime(2027, 4, 20, 16, 5, tzinfo=TIMEZONE)
    personal = [value for r in RECORDS for key, value in r["data"].items()
                if key in ("first_name", "phone", "text") and value]
    assert len(personal) >= 3
    plain = embedded_files(report.day_page(DAY, RECORDS, "Ter Plekke", "kiosk-test", made).decode())
    for value in personal:
        assert value not in plain and escape(value) not in plain and json.dumps(value)[1:-1] not in plain
    assert report.WITHOUT_PERSONAL in plain and "digitale hulp" in plain and "Vragen" in plain
    assert "<th>Contact</th>" not in plain
    chosen = embedded_files(report.day_page(DAY, RECORDS, "Ter Plekke", "kiosk-test", made, personal=True).decode())
    assert all(value in chosen or escape(value) in chosen for value in personal)
    assert "<th>Contact</th>" in chosen and report.WITHOUT_PERSONAL not in chosen


# -- a USB stick -------------------------------------------------------------------------------------
def test_files_are_written_whole_and_read_back_in_excel_terms(tmp_path):
    written = media.write_files(tmp_path, files())
    assert sorted(p.name for p in written) == ["ter-plekke-2027-04-20.csv", "ter-plekke-2027-04-20.html",
                                               "ter-plekke-2027-04-20.json"]
    raw = (tmp_path / "ter-plekke-2027-04-20.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    heading = rows[0]
    assert {"Tijdstip", "Thema", "Voornaam", "Telefoon", "Wachtnummer", "Personen"} <= set(heading)
    assert rows[3][heading.index("Thema")] == "digitale hulp"
    assert rows[-1] == [daylog.PRIVACY_REMINDER]
    exported = json.loads((tmp_path / "ter-plekke-2027-04-20.json").read_text())
    assert exported["note"] == daylog.PRIVACY_REMINDER and len(exported["records"]) == len(RECORDS)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_full_stick_gets_nothing_and_says_so(tmp_path, monkeypatch):
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(media.shutil, "disk_usage", lambda path: usage._replace(free=10_000))
    with pytest.raises(ExportError) as caught:
        media.write_files(tmp_path, files())
    assert caught.value.code == "full" and "full" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_write_that_fails_halfway_leaves_no_temporary_files(tmp_path, monkeypatch):
    real = os.replace
    calls = []

    def replace_then_fail(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")  # the stick was pulled out
        real(src, dst)

    monkeypatch.setattr(media.os, "replace", replace_then_fail)
    with pytest.raises(ExportError) as caught:
        media.write_files(tmp_path, files())
    assert caught.value.code == "no_place"
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["ter-plekke-2027-04-20.csv"]  # whole, or not there at all
    with pytest.raises(ExportError) as caught:
        media.write_files(tmp_path / "missing", {"a.csv": b""})
    assert caught.value.code == "no_place"


@pytest.fixture
def mounted(tmp_path):
    """Real tmpfs mounts standing in for USB sticks (needs root with CAP_SYS_ADMIN, else skipped)."""
    made = []

    def mount(path: Path, options: str) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
        if result.returncode != 0:
            pytest.skip("this machine does not allow mounting a file system for the test")
        made.append(path)
        return path

    yield mount
    for path in reversed(made):
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_real_sticks_are_found_and_a_full_or_read_only_one_is_said_in_words(tmp_path, mounted, monkeypatch):
    roots = [tmp_path / "media", tmp_path / "run-media"]
    small = mounted(roots[0] / "kiosk" / "SMALL", "size=256k")
    locked = mounted(roots[1] / "kiosk" / "LOCKED", "size=1m,ro")
    usb0 = mounted(roots[0] / "usb0", "size=4m")
    (roots[0] / "kiosk" / "not-a-stick").mkdir()
    export_folder = tmp_path / "share"
    export_folder.mkdir()
    places = media.find_places(export_folder, roots)
    assert [(p.name, p.removable) for p in places] == [("share", False), ("LOCKED", True), ("SMALL", True),
                                                       ("usb0", True)]
    assert [p.path for p in places[1:]] == [locked, small, usb0]
    big = {"big.csv": b"x" * 300_000}
    for folder, code in ((small, "full"), (locked, "read_only")):
        with pytest.raises(ExportError) as caught:
            media.write_files(folder, big)
        assert caught.value.code == code
        assert list(folder.iterdir()) == []
    media.write_files(small, {"a.bin": b"x" * 100_000})
    usage = shutil.disk_usage(small)
    monkeypatch.setattr(media.shutil, "disk_usage", lambda path: usage._replace(free=10**9))  # a stick that lies
    with pytest.raises(ExportError) as caught:  # the free-space check passes, the write itself runs out
        media.write_files(small, {"b.bin": b"y" * 100_000, "c.bin": b"z" * 100_000})
    assert caught.value.code == "full"
    assert sorted(p.name for p in small.iterdir()) == ["a.bin"]


def test_places_without_sticks_or_folder(tmp_path):
    assert media.find_places("", [tmp_path / "nothing"]) == []
    assert media.find_places(tmp_path / "missing", [tmp_path]) == []


# -- a phone -----------------------------------------------------------------------------------------
class SetClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_link_works_once_then_says_expired():
    changes = []
    seen = threading.Event()
    download = phone.OneTimeDownload(b"<p>the report</p>", address="127.0.0.1",
                                     on_change=lambda state: (changes.append(state), seen.set()))
    url = download.start()
    try:
        assert url.startswith(f"http://127.0.0.1:{download.port}/d/") and len(download.token) >= 24
        assert requests.get(url.replace(download.token, "wrong" * 5), timeout=5).status_code == 410
        assert requests.get(f"http://127.0.0.1:{download.port}/favicon.ico", timeout=5).status_code == 404
        assert download.state is phone.DownloadState.WAITING  # wrong tries use nothing up
        first = requests.get(url, timeout=5)
        assert first.status_code == 200 and first.content == b"<p>the report</p>"
        assert first.headers["Cache-Control"] == "no-store"
        assert seen.wait(5) and changes == [phone.DownloadState.DOWNLOADED]
        second = requests.get(url, timeout=5)
        assert second.status_code == 410 and "verlopen" in second.text and "expired" in second.text
    finally:
        download.stop()
    assert download.state is phone.DownloadState.STOPPED
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)


def test_a_late_phone_gets_the_expired_page_and_the_server_stops_by_itself():
    clock = SetClock()
    stopped = threading.Event()
    download = phone.OneTimeDownload(b"x", address="127.0.0.1", valid_for=0.3, linger=0.3, clock=clock,
                                     on_change=lambda state: state is phone.DownloadState.STOPPED and stopped.set())
    url = download.start()
    clock.now += 301
    late = requests.get(url, timeout=5)
    assert late.status_code == 410 and download.state is phone.DownloadState.EXPIRED
    assert stopped.wait(5)  # the timers: expire after valid_for, stop after linger
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)


def test_an_unusable_address_is_no_network():
    with pytest.raises(ExportError) as caught:
        phone.OneTimeDownload(b"x", address="192.0.2.1").start()  # TEST-NET: not this machine's
    assert caught.value.code == "no_network"


def test_network_address_is_one_of_this_machines_own_or_none():
    import socket

    address = phone.network_address()
    if address is None:
        pytest.skip("this machine has no network route")
    assert not address.startswith("127.")
    with socket.socket() as probe:
        probe.bind((address, 0))  # the kiosk can serve on it: it is this machine's address


# -- member cards ------------------------------------------------------------------------------------
def test_card_pages_hold_ten_cards_each_with_a_readable_qr(tmp_path):
    written, ids = write_cards(PER_PAGE + 2, tmp_path / "cards.pdf")
    assert written == [tmp_path / "cards.pdf"] and (tmp_path / "cards.pdf").read_bytes().startswith(b"%PDF")
    assert len(set(ids)) == PER_PAGE + 2 and all(parse_card(card) == card for card in ids)
    assert b"/Count 2" in (tmp_path / "cards.pdf").read_bytes()  # two A4 pages
    pngs, _ = write_cards(PER_PAGE + 1, tmp_path / "cards.png")
    assert [p.name for p in pngs] == ["cards-1.png", "cards-2.png"]
    with Image.open(pngs[0]) as page:
        assert page.size == A4


def test_the_printed_qr_code_holds_the_card_id_module_for_module():
    import qrcode

    from kiosk.export import cards as sheet

    card = "TPKHNRDXBSEUCB"
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(card)
    matrix = code.get_matrix()
    [page] = card_pages([card])
    left, top = (A4[0] - sheet.COLUMNS * sheet.CARD[0]) // 2 + 50, (A4[1] - sheet.ROWS * sheet.CARD[1]) // 2 + 60
    module = 420 / len(matrix)
    drawn = [[page.getpixel((int(left + (x + 0.5) * module), int(top + (y + 0.5) * module)))[0] < 128
              for x in range(len(matrix))] for y in range(len(matrix))]
    assert drawn == matrix


def test_cards_refuse_other_file_kinds_and_counts(tmp_path):
    from kiosk.errors import KioskError

    with pytest.raises(KioskError, match=r"\.pdf or \.png"):
        write_cards(2, tmp_path / "cards.docx")
    with pytest.raises(KioskError, match="1 to 1000"):
        write_cards(0, tmp_path / "cards.pdf")
