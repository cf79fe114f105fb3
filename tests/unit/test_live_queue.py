"""The live queue's server over real HTTP on 127.0.0.1: what it shows, what it refuses, when it ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from icstext import local
from kiosk.core import question
from kiosk.core.records import Recorder
from kiosk.errors import ValidationError
from kiosk.export.live_queue import LiveQueue
from kiosk.storage import Repository


class SetClock:
    def __init__(self, moment):
        self.moment = moment

    def now(self):
        return self.moment


@pytest.fixture
def kiosk(tmp_path):
    clock = SetClock(local(2027, 4, 20, 10, 0))
    with Repository(tmp_path) as repo:
        recorder = Recorder(repo, clock, "Zillebeke")

        def mark(question_id, outcome):
            try:
                question.handle(recorder, question_id, outcome)
            except ValidationError as error:
                return error.code
            return ""

        live = LiveQueue(lambda: question.question_queue(repo.records_for_day(clock.now().date())), mark,
                         address="127.0.0.1", expires_at=local(2027, 4, 21, 0, 0), now=clock.now)
        live.start()
        yield live, recorder, clock, repo
        live.stop()


def test_the_queue_shows_number_theme_talk_today_and_minutes_but_no_names_phones_or_texts(kiosk):
    live, recorder, clock, _ = kiosk
    question.ask(recorder, "money", True, "mijn energiefactuur", True, "Zoë", "0470 12 34 56")
    clock.moment += timedelta(minutes=12)
    question.ask(recorder, "digital", False)
    page = requests.get(live.url, timeout=5)
    assert page.status_code == 200 and "Geholpen" in page.text and page.headers["Cache-Control"] == "no-store"
    answer = requests.get(live.url + "/items", timeout=5)
    assert [(i["ticket"], i["theme"], i["talk_today"], i["minutes"]) for i in answer.json()["items"]] == [
        (1, "geld en energie", True, 12), (2, "digitale hulp", False, 0)]
    for secret in ("Zoë", "0470", "energiefactuur"):
        assert secret not in answer.text and secret not in page.text


def test_marking_through_the_page_writes_the_handled_record_once(kiosk):
    live, recorder, _, repo = kiosk
    asked = question.ask(recorder, "housing", True)
    mark = {"question": asked["id"], "outcome": "helped"}
    assert requests.post(live.url + "/mark", json=mark, timeout=5).json() == {"ok": True}
    [handled] = [r for r in repo.records_for_day("2027-04-20") if r["type"] == "handled"]
    assert handled["data"] == {"question": asked["id"], "ticket": asked["data"]["ticket"], "outcome": "helped"}
    again = requests.post(live.url + "/mark", json=mark, timeout=5)
    assert again.status_code == 409 and again.json()["error"] == "already_handled"
    assert requests.get(live.url + "/items", timeout=5).json()["items"] == []


@pytest.mark.parametrize("how", ["form", "bad outcome", "no body", "wrong token", "unknown path", "GET mark"])
def test_everything_but_the_two_buttons_is_read_only_and_checked(kiosk, how):
    live, recorder, _, repo = kiosk
    asked = question.ask(recorder, "housing", True)
    before = len(repo.records_for_day("2027-04-20"))
    wrong = live.url[:-4] + "abcd"
    answer = {
        "form": lambda: requests.post(live.url + "/mark", data={"question": asked["id"], "outcome": "helped"}, timeout=5),
        "bad outcome": lambda: requests.post(live.url + "/mark", json={"question": asked["id"], "outcome": "x"}, timeout=5),
        "no body": lambda: requests.post(live.url + "/mark", headers={"Content-Type": "application/json"}, timeout=5),
        "wrong token": lambda: requests.post(wrong + "/mark", json={"question": asked["id"], "outcome": "helped"}, timeout=5),
        "unknown path": lambda: requests.get(live.url + "/../../etc/passwd", timeout=5),
        "GET mark": lambda: requests.get(live.url + "/mark", timeout=5),
    }[how]()
    assert answer.status_code in (400, 404, 410, 415)
    assert len(repo.records_for_day("2027-04-20")) == before


def test_the_link_ends_at_midnight_and_when_stopped(kiosk):
    live, _, clock, _ = kiosk
    assert requests.get(live.url + "/items", timeout=5).status_code == 200
    clock.moment = local(2027, 4, 21, 0, 0)
    late = requests.get(live.url, timeout=5)
    assert late.status_code == 410 and "verlopen" in late.text and not live.running
    live.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(live.url, timeout=5)
