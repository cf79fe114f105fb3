"""Garbage in, from every side: no crash, a clear message, nothing lost.

Visitor text, names and phone numbers go through the use cases into the real storage and back; random
configuration files go through ``kiosk check-config``; random answers from a fake office go through
the real Outbox. (Scanner input is not here: the scanner's parser lives on the staff branch.)
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.cli import main as kiosk_main
from kiosk.config import SCHEMA, load_config
from kiosk.core import ideas, question
from kiosk.core.demo import ScriptedClock
from kiosk.core.records import Recorder
from kiosk.core.text import QUESTION_MAX, TITLE_MAX, limit_text
from kiosk.errors import ConfigError
from kiosk.storage import Repository
from kiosk.sync import OfficeSettings, Outbox

LONG = os.environ.get("KIOSK_LONG_TESTS") == "1"  # pytest --long sets it too (conftest.py)


def examples(short: int, long: int):
    return settings(max_examples=long if LONG else short, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


#: Any text at all: every Unicode category, lone surrogates, control characters, line separators.
any_text = st.text(st.characters(exclude_categories=()), max_size=400) | st.sampled_from(
    ["", " ", "\n\n", "\x00", "\ud800", "é\u0301", "👩‍👧", "\u202e", "a" * 301, "0470 12 34 56", "+32 470/12.34.56"])
DAY = date(2027, 4, 20)


def stored_again(data_dir: Path, record_id: str) -> dict:
    with Repository(data_dir) as repo:
        assert repo.damage == []
        return next(r for r in repo.records_for_day(DAY) if r["id"] == record_id)


@examples(60, 600)
@given(text=any_text, name=any_text, phone=any_text, consent=st.booleans(), talk=st.booleans())
def test_a_question_with_any_text_is_always_stored_as_shown(text, name, phone, consent, talk):
    with tempfile.TemporaryDirectory() as folder:
        with Repository(folder) as repo:
            recorder = Recorder(repo, ScriptedClock(DAY, 10), "Zillebeke")
            record = question.ask(recorder, "digital", talk, text, consent=consent, first_name=name, phone=phone)
        assert record["data"]["text"] == limit_text(text, QUESTION_MAX)[0].strip()  # what the visitor saw is kept
        assert stored_again(Path(folder), record["id"]) == record  # and it comes back from disk the same


@examples(60, 600)
@given(title=any_text, text=any_text, name=any_text, phone=any_text, consent=st.booleans())
def test_an_idea_with_any_text_is_always_stored_as_shown(title, text, name, phone, consent):
    with tempfile.TemporaryDirectory() as folder:
        with Repository(folder) as repo:
            recorder = Recorder(repo, ScriptedClock(DAY, 10), "Zillebeke")
            record = ideas.propose(recorder, "other", title, text, consent=consent, first_name=name, phone=phone)
            wall = ideas.idea_wall(repo.records_for_day(DAY), wall="at_once")
        assert record["data"]["title"] == limit_text(title, TITLE_MAX)[0].strip()
        assert stored_again(Path(folder), record["id"]) == record
        assert [idea.id for idea in wall] == [record["id"]] and "phone" not in str(wall)  # no contact on the wall


# -- configuration -----------------------------------------------------------------------------------------

toml_keys = st.text(st.characters(categories=("Ll", "Lu", "Nd"), include_characters="_-"), min_size=1, max_size=12)
toml_scalars = (st.text(max_size=30) | st.integers(min_value=-2**63, max_value=2**63 - 1) | st.booleans()
                | st.floats(allow_nan=True, allow_infinity=True) | st.dates())
toml_values = toml_scalars | st.lists(toml_scalars, max_size=4)
known_keys = st.sampled_from([(section, key) for section, keys in SCHEMA.items() for key in keys])


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))
    if isinstance(value, (int, date)):
        return str(value) if not isinstance(value, date) else value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value)  # a TOML basic string is a JSON string, near enough (\\u escapes included)


@st.composite
def config_files(draw) -> str:
    sections: dict[str, dict[str, object]] = {}
    for section, key in draw(st.lists(known_keys, max_size=8)):
        sections.setdefault(section, {})[key] = draw(toml_values)
    for _ in range(draw(st.integers(0, 2))):  # typos and strangers
        sections.setdefault(draw(st.sampled_from([*SCHEMA, "kiosq", "extra"])), {})[draw(toml_keys)] = draw(toml_values)
    lines = []
    for section, keys in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in keys.items()]
    return "\n".join(lines) + "\n"


def check_config(path: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = kiosk_main(["check-config", "--config", str(path)])
    return code, out.getvalue() + err.getvalue()


@examples(150, 2000)
@given(text=config_files() | st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_any_configuration_file_gets_all_is_well_or_one_line_per_problem(text, tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code, said = check_config(path)
    assert code in (0, 2) and said.strip()
    if code == 0:
        assert said.strip().endswith("all is well")
        load_config(path)  # the app would start with it
    else:
        assert all(line.startswith("kiosk.toml") for line in said.strip().splitlines()), said
        with pytest.raises(ConfigError):
            load_config(path)


# -- office answers ------------------------------------------------------------------------------------------

#: Final answers only: after a 1xx the client rightly waits for more (until its read timeout).
answer_statuses = st.sampled_from([200, 201, 202, 204, 301, 302, 400, 401, 403, 404, 408, 413, 429, 500, 502, 503]) \
    | st.integers(200, 599)
content_types = st.sampled_from(["application/json", "application/json; charset=utf-8", "text/html", "text/plain", ""])


@st.composite
def office_answers(draw, sent: list[str]) -> tuple[int, dict, bytes]:
    """What an office, a proxy or a captive portal might answer to a batch of ``sent`` ids."""
    status = draw(answer_statuses)
    headers = {"Content-Type": draw(content_types)}
    if draw(st.booleans()):
        headers["Retry-After"] = draw(st.sampled_from(["0", "1", "-5", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "99999999999"]))
    some_ids = st.lists(st.sampled_from(sent) | st.text(max_size=8), max_size=len(sent) + 2)
    body = draw(st.one_of(
        st.binary(max_size=200),
        st.builds(lambda a, d, r: json.dumps({"accepted": a, "duplicates": d, "rejected": r}).encode(),
                  some_ids, some_ids,
                  st.lists(st.fixed_dictionaries({"id": st.sampled_from(sent) | st.integers(), "reason": st.text(max_size=10)}), max_size=3)),
        st.builds(lambda a: json.dumps({"accepted": a}).encode(), st.integers() | st.text() | st.none()),
        st.just(b"<!DOCTYPE html><html>Welcome to FreeWiFi</html>"),
    ))
    return status, headers, body


class ScriptedOffice:
    """Answers each POST with the next scripted answer; when there is none, as a good office does."""

    def __init__(self):
        self.answers: list[tuple[int, dict, bytes]] = []
        self.given: list[tuple[int, bytes, list[str]]] = []
        self.stored: dict[str, int] = {}
        office = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                batch = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                ids = [r["id"] for r in batch["records"]]
                if office.answers:
                    status, headers, body = office.answers.pop(0)
                else:
                    for i in ids:
                        office.stored[i] = office.stored.get(i, 0) + 1
                    status, headers = 201, {"Content-Type": "application/json"}
                    body = json.dumps({"accepted": ids, "duplicates": [], "rejected": []}).encode()
                office.given.append((status, body, ids))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture(scope="module")
def scripted_office():
    office = ScriptedOffice()
    yield office
    office.server.shutdown()
    office.server.server_close()


def too_large_alone(given: list[tuple[int, bytes, list[str]]]) -> set[str]:
    """Ids sent alone and refused as too large by the office in its own words (a JSON object)."""
    ids = set()
    for status, body, sent in given:
        try:
            office_said = isinstance(json.loads(body), dict)
        except ValueError:
            office_said = False
        if status == 413 and len(sent) == 1 and office_said:
            ids.add(sent[0])
    return ids


def named(given: list[tuple[int, bytes, list[str]]], key: str) -> set[str]:
    """Ids an answer of 201/202 named under ``key`` (what the kiosk may believe)."""
    ids: set[str] = set()
    for status, body, _ in given:
        try:
            parsed = json.loads(body)
        except ValueError:
            continue
        if status in (201, 202) and isinstance(parsed, dict) and isinstance(parsed.get(key), list):
            ids |= {i.get("id") if isinstance(i, dict) else i for i in parsed[key] if isinstance(i, (str, dict))}
    return ids


@examples(40, 400)
@given(data=st.data())
def test_any_office_answer_leaves_every_record_pending_or_accounted_for(scripted_office, data):
    with tempfile.TemporaryDirectory() as folder:
        with Repository(folder) as repo:
            recorder = Recorder(repo, ScriptedClock(DAY, 20), "Zillebeke")
            made = [question.ask(recorder, "money", True)["id"] for _ in range(data.draw(st.integers(1, 6)))]
            scripted_office.answers = [data.draw(office_answers(made)) for _ in range(data.draw(st.integers(1, 3)))]
            scripted_office.given, scripted_office.stored = [], {}
            outbox = Outbox(repo, OfficeSettings(scripted_office.url, "token"), max_records=data.draw(st.integers(1, 6)))
            report = outbox.drain_once()  # never raises, whatever came back
            assert report.problem is None or isinstance(report.problem, str)
            uploads = {u["id"]: u["status"] for day in repo.days() for u in repo.uploads_for_day(day)}
            pending = {r["id"] for r in repo.pending(100)}
            assert pending | set(uploads) == set(made) and not pending & set(uploads)  # each in one place
            believed = {i for i, status in uploads.items() if status == "uploaded"}
            assert believed <= named(scripted_office.given, "accepted") | named(scripted_office.given, "duplicates") \
                | set(scripted_office.stored)
            assert {i for i, s in uploads.items() if s == "rejected"} <= named(scripted_office.given, "rejected") \
                | too_large_alone(scripted_office.given)
            scripted_office.answers = []
            if not report.auth_failed:  # a good office now: whatever was pending arrives, once
                assert outbox.drain_once().problem is None
                assert set(scripted_office.stored) >= pending and all(n == 1 for n in scripted_office.stored.values())
                assert repo.pending(100) == []


def test_a_proxy_that_calls_everything_too_large_sets_nothing_aside(scripted_office, tmp_path):
    """Found by the fuzzing above: a 413 for every batch (a proxy's web page, not the office's answer)
    split the batches down to single records and set each aside for staff, the whole backlog."""
    with Repository(tmp_path) as repo:
        recorder = Recorder(repo, ScriptedClock(DAY, 20), "Zillebeke")
        made = [question.ask(recorder, "money", True)["id"] for _ in range(8)]
        page = (413, {"Content-Type": "text/html"}, b"<html><body>413 Request Entity Too Large</body></html>")
        scripted_office.answers = [page] * 40
        scripted_office.given, scripted_office.stored = [], {}
        report = Outbox(repo, OfficeSettings(scripted_office.url, "token")).drain_once()
        assert repo.rejected_count() == 0 and len(repo.pending(100)) == 8
        assert "413" in report.problem and "proxy" in report.problem
        scripted_office.answers = []
        assert Outbox(repo, OfficeSettings(scripted_office.url, "token")).drain_once().problem is None
        assert sorted(scripted_office.stored) == sorted(made)
