"""Every HTTP answer is read with a cap and a deadline (kiosk/net.py), by the upload and the calendar alike."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from kiosk.net import TooSlow, read_capped


class Dripping:
    """A server that sends its headers, then one byte of its body every ``every`` seconds."""

    def __init__(self, size: int, every: float):
        stop = self.stop = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                for _ in range(size):
                    if stop.wait(every):
                        return
                    self.wfile.write(b"x")
                    self.wfile.flush()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def dripping():
    server = Dripping(size=1000, every=0.05)
    yield server
    server.close()


def test_a_server_that_drips_is_cut_off_at_the_deadline(dripping):
    started = time.monotonic()
    with requests.get(dripping.url, stream=True, timeout=5) as response:
        with pytest.raises(TooSlow):
            read_capped(response, cap=1_000_000, deadline=time.monotonic() + 0.5)
    assert time.monotonic() - started < 3  # not the 50 s the whole body would take


def test_an_answer_over_the_cap_is_not_read_to_its_end(dripping):
    with requests.get(dripping.url, stream=True, timeout=5) as response:
        assert read_capped(response, cap=3, deadline=time.monotonic() + 10) is None


def test_a_calendar_that_drips_is_a_timeout_not_a_hang(dripping, tmp_path, monkeypatch):
    from kiosk.calendar import source

    monkeypatch.setattr(source, "CONNECT_TIMEOUT", 0.2)
    calendar = source.CalendarSource("https://calendar.example/agenda.ics", tmp_path, timeout=0.3)
    calendar.location = dripping.url  # an https address in the settings; a plain local server in the test
    started = time.monotonic()
    status = calendar.refresh().status
    assert status.problem_code == "timeout" and time.monotonic() - started < 5
