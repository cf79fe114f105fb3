"""The office under abuse: guessing the staff password gains nothing after a few tries (per address, a
growing wait, every try logged), and idle connections can neither lock everyone out nor stay for ever."""

import logging
import socket
import time

import pytest
import requests

from kiosk.office import throttle as staff_throttle
from office_support import ADMIN_PASSWORD, start_office


@pytest.fixture
def office(tmp_path):
    running = start_office(tmp_path / "office", idle_timeout=2)
    yield running
    running.session.close()
    running.server.close()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_two_thousand_wrong_passwords_get_five_answers_then_only_growing_waits(office, caplog):
    clock = Clock()
    office.server.app.extensions["staff_login_throttle"].clock = clock
    caplog.set_level(logging.WARNING, logger="kiosk.office.throttle")
    statuses = []
    for n in range(2000):
        answer = office.get("/", auth=("kantoor", f"guess-{n}"))
        statuses.append(answer.status_code)
    assert statuses[:6] == [401] * 6  # five free tries, the sixth starts the first wait
    assert set(statuses[6:]) == {429}  # the rest was never compared
    waiting = office.get("/", auth=("kantoor", ADMIN_PASSWORD))
    assert waiting.status_code == 429 and waiting.headers["Retry-After"] == "1"  # not even the right one
    waits = []
    for _ in range(12):  # wait each time, then one more wrong try: the wait doubles
        told = office.get("/", auth=("kantoor", "again"))
        assert told.status_code == 429
        waits.append(int(told.headers["Retry-After"]))
        clock.now += waits[-1] + 0.01
        assert office.get("/", auth=("kantoor", "wrong")).status_code == 401
    assert waits[:10] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300] and set(waits[10:]) == {300}
    clock.now += 301
    assert office.get("/", auth=("kantoor", ADMIN_PASSWORD)).status_code == 200  # the right one clears it
    assert office.get("/", auth=("kantoor", "one more")).status_code == 401
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == 6 + 12 + 1 and all("wrong password from 127.0.0.1" in m for m in logged)
    assert all(ADMIN_PASSWORD not in m and "guess" not in m for m in logged)


def test_a_browsers_first_visit_without_a_password_is_not_a_wrong_try(office):
    for _ in range(20):
        assert office.get("/").status_code == 401
    assert office.get("/", auth=("kantoor", ADMIN_PASSWORD)).status_code == 200


def test_one_address_waiting_does_not_lock_out_another():
    clock = Clock()
    guard = staff_throttle.StaffLoginThrottle(clock)
    for _ in range(10):
        guard.failed("192.0.2.7")
    assert guard.wait("192.0.2.7") > 0 and guard.wait("192.0.2.8") == 0


def test_150_idle_connections_without_a_token_do_not_block_the_office(tmp_path):
    running = start_office(tmp_path / "office")  # the default settings
    idle = []
    try:
        host, port = running.url.removeprefix("http://").split(":")
        for _ in range(150):
            idle.append(socket.create_connection((host, int(port)), timeout=5))
        time.sleep(0.5)
        started = time.monotonic()
        answer = requests.get(running.url + "/api/v1/health", timeout=5)
        assert answer.status_code == 200 and time.monotonic() - started < 5
    finally:
        for sock in idle:
            sock.close()
        running.session.close()
        running.server.close()


def test_a_silent_connection_is_closed_after_the_idle_timeout(office):
    host, port = office.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        started = time.monotonic()
        assert sock.recv(1) == b""  # the office closed it
        assert time.monotonic() - started < 8
