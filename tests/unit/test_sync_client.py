"""The upload client: batches, how an answer is judged, Retry-After, settings, TLS, and the token's secrecy."""

import json
import logging
import random
from datetime import datetime, timezone

import pytest

from fault_office import DATA, FaultOffice
from kiosk.errors import OfficeConfigError
from kiosk.sync.client import OfficeClient, OfficeSettings, Verdict, judge, make_batches, parse_retry_after
from kiosk.sync.outbox import RetryPolicy

JSON = {"Content-Type": "application/json"}
SENT = ["a", "b", "c"]


def answer(status, body, headers=JSON):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return judge(status, headers, raw, SENT, "office.example.be")


def records(n, size=10):
    return [{"id": f"r{i}", "created_at": "2027-04-20T10:00:00+02:00", "data": {"text": "x" * size}} for i in range(n)]


# -- batches -----------------------------------------------------------------------------------------
def test_batches_respect_record_and_byte_limits_and_keep_order():
    batches, too_large = make_batches(records(25), max_records=10, max_bytes=10_000)
    assert [len(b) for b in batches] == [10, 10, 5] and not too_large
    assert [i for b in batches for i in b.ids] == [f"r{i}" for i in range(25)]
    batches, _ = make_batches(records(25, size=900), max_records=100, max_bytes=5_000)
    assert all(b.size <= 5_000 for b in batches) and sum(len(b) for b in batches) == 25


def test_a_record_larger_than_the_limit_is_set_aside():
    big = {"id": "big", "created_at": "2027-04-20T10:00:00+02:00", "data": {"text": "x" * 2_000}}
    batches, too_large = make_batches([*records(2), big], max_records=10, max_bytes=1_000)
    assert [b.ids for b in batches] == [["r0", "r1"]] and too_large[0][0]["id"] == "big"


def test_batch_body_is_the_contracts_json():
    batch = make_batches(records(2))[0][0]
    body = json.loads(batch.body("kiosk-1", "2027-04-20T10:00:00+02:00", {"pending": 2}))
    assert body == {"kiosk": "kiosk-1", "sent_at": "2027-04-20T10:00:00+02:00", "status": {"pending": 2},
                    "records": records(2)}
    first, second = make_batches(records(5))[0][0].halves()
    assert first.ids == ["r0", "r1"] and second.ids == ["r2", "r3", "r4"]


# -- judging the answer ------------------------------------------------------------------------------
def test_success_only_when_every_id_is_accounted_for():
    ok = answer(201, {"accepted": ["a"], "duplicates": ["b"], "rejected": [{"id": "c", "reason": "bad type"}]})
    assert ok.verdict is Verdict.STORED and ok.uploaded == ("a", "b") and ok.duplicates == 1
    assert ok.rejected == {"c": "bad type"}
    assert answer(202, {"accepted": SENT, "duplicates": [], "rejected": []}).verdict is Verdict.STORED


def test_ids_not_mentioned_stay_pending_and_strangers_are_ignored():
    partial = answer(201, {"accepted": ["a", "zzz"], "duplicates": [], "rejected": [{"id": None, "reason": "no id"}]})
    assert partial.verdict is Verdict.FAILED and partial.uploaded == ("a",) and partial.rejected == {}
    assert "did not account for 2 of the 3" in partial.problem


@pytest.mark.parametrize(
    "status, body, headers, words",
    [
        (200, {"accepted": SENT, "duplicates": [], "rejected": []}, JSON, "answered 200, not 201 or 202"),
        (200, b"<html><body>Log in to FreeWiFi</body></html>", {"Content-Type": "text/html"}, "Wi-Fi login page"),
        (201, b"<!DOCTYPE html><html></html>", {}, "a web page answered"),
        (201, b"not json", JSON, "without the JSON"),
        (201, [1, 2], JSON, "without the JSON"),
        (201, {"accepted": "a,b,c"}, JSON, "not understood"),
        (201, {"accepted": [1, 2, 3]}, JSON, "not understood"),
        (201, {"accepted": SENT, "rejected": [{"id": "a", "reason": "x"}]}, JSON, "contradicts itself"),
        (302, b"", {"Location": "http://login.example/portal"}, "redirects elsewhere (to login.example)"),
        (404, b"", {}, "is [office] url right"),
        (500, {"error": "database is locked"}, JSON, "answered 500: database is locked"),
        (400, {"reason": "bad body"}, JSON, "answered 400: bad body"),
    ],
)
def test_anything_else_is_a_failure_in_words_and_marks_nothing(status, body, headers, words):
    result = answer(status, body, headers)
    assert result.verdict is Verdict.FAILED and result.uploaded == () and result.rejected == {}
    assert words in result.problem


def test_auth_too_large_and_busy():
    refused = answer(401, {"error": "unknown kiosk"})
    assert refused.verdict is Verdict.AUTH and "stopped until the office address or token is changed" in refused.problem
    assert answer(403, b"").verdict is Verdict.AUTH
    assert answer(413, b"<html>too big</html>", {"Content-Type": "text/html"}).verdict is Verdict.TOO_LARGE
    busy = answer(429, b"", {"Retry-After": "7"})
    assert busy.verdict is Verdict.BUSY and busy.retry_after == 7.0
    assert answer(503, b"", {}).retry_after is None


def test_retry_after_as_seconds_or_http_date():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    now = datetime(2027, 4, 20, 10, 0, tzinfo=timezone.utc)
    assert parse_retry_after("Tue, 20 Apr 2027 10:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Tue, 20 Apr 2027 09:00:00 GMT", now=now) == 0.0
    # Measured against the answer's own Date, so a kiosk clock stuck in 1970 waits the right time.
    assert parse_retry_after("Tue, 20 Apr 2027 10:00:45 GMT", "Tue, 20 Apr 2027 10:00:00 GMT",
                             now=datetime(1970, 1, 1, tzinfo=timezone.utc)) == 45.0


def test_backoff_is_exponential_full_jitter_and_capped():
    policy = RetryPolicy(first_delay=2, max_delay=300, min_delay=1, max_retry_after=3600)
    rng = random.Random(7)
    for failures, ceiling in [(1, 2), (2, 4), (5, 32), (9, 300), (1000, 300)]:
        delays = [policy.backoff(failures, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8 and min(delays) < ceiling * 0.2  # spread over the whole range
    assert policy.after_busy(0, 1, rng) == 1 and policy.after_busy(10**6, 1, rng) == 3600
    assert policy.after_busy(30, 1, rng) == 30


# -- settings ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url, token, ca_file, words",
    [
        ("", "t", "", "No office address is configured"),
        ("https://office.example.be", "", "", "No token for the office"),
        ("https://office.example.be", "two words", "", "cannot be sent"),
        ("https://office.example.be", "line\nbreak", "", "cannot be sent"),
        ("https://me:pw@office.example.be", "t", "", "must not hold a user name or password"),
        ("https://office.example.be", "t", "/nowhere/ca.pem", "/nowhere/ca.pem ([office] ca_file) does not exist"),
    ],
)
def test_settings_that_cannot_work_are_refused_in_words(url, token, ca_file, words):
    settings = OfficeSettings(url, token, ca_file)
    assert words in settings.problem()
    with pytest.raises(OfficeConfigError, match=words.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        OfficeClient(settings)


def test_fingerprint_follows_address_and_token_and_hides_the_token():
    a = OfficeSettings("https://office.example.be", "s3cret-token-value")
    assert a.fingerprint == OfficeSettings("https://office.example.be", "s3cret-token-value", "x").fingerprint
    assert a.fingerprint != OfficeSettings("https://office.example.be", "other").fingerprint
    assert a.fingerprint != OfficeSettings("https://office2.example.be", "s3cret-token-value").fingerprint
    assert "s3cret" not in repr(a) and "s3cret" not in a.fingerprint


def test_the_token_never_shows_in_reprs_messages_or_logs(caplog):
    token = "TOKEN-7f3a9c-do-not-leak"
    caplog.set_level(logging.DEBUG)
    batch = make_batches(records(3))[0][0]
    with FaultOffice(token="another") as office:
        client = OfficeClient(OfficeSettings(office.url, token, connect_timeout=1, read_timeout=1))
        refused = client.upload(batch, "k", "now", {})
        unreachable = OfficeClient(OfficeSettings("http://127.0.0.1:9", token, connect_timeout=1, read_timeout=1))
        failed = unreachable.upload(batch, "k", "now", {})
    assert refused.verdict is Verdict.AUTH and failed.verdict is Verdict.FAILED
    seen = [repr(client), repr(client.settings), repr(client._auth), refused.problem, failed.problem, caplog.text]
    assert not any(token in text for text in seen)
    assert "refused the connection" in failed.problem


# -- TLS ---------------------------------------------------------------------------------------------
def test_tls_is_verified_and_a_ca_file_lets_the_offices_own_certificate_in():
    batch = make_batches(records(3))[0][0]
    with FaultOffice(tls=True) as office:
        untrusted = OfficeClient(OfficeSettings(office.url, "good-token", connect_timeout=2, read_timeout=2))
        refused = untrusted.upload(batch, "k", "now", {})
        assert refused.verdict is Verdict.FAILED and "certificate could not be verified" in refused.problem
        assert office.records == {}
        trusted = OfficeClient(OfficeSettings(office.url, "good-token", str(DATA / "test-ca.pem"), 2, 2))
        stored = trusted.upload(batch, "k", "now", {})
    assert stored.verdict is Verdict.STORED and set(office.records) == {"r0", "r1", "r2"}


def test_sync_never_imports_kivy():
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, kiosk.sync, kiosk.cli.sync_commands; print(sorted(m for m in sys.modules if m.startswith('kivy')))"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": str(root), "PATH": ""}, cwd=root)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("fault", ["204-body", "304-body", "extra", "garbage", "html", "500"])
def test_an_answer_that_leaves_bytes_on_the_line_never_spoils_the_next_upload(fault):
    with FaultOffice() as office:
        client = OfficeClient(OfficeSettings(office.url, office.token))
        office.faults.append(fault)
        first_batch, second_batch = (make_batches(records(2))[0][0], make_batches(records(3)[2:])[0][0])
        first = client.upload(first_batch, "kiosk-1", "2027-04-20T10:00:00+02:00", {})
        second = client.upload(second_batch, "kiosk-1", "2027-04-20T10:00:01+02:00", {})
        client.close()
    assert first.verdict is (Verdict.STORED if fault == "extra" else Verdict.FAILED)
    assert second.verdict is Verdict.STORED, second.problem
    assert second.uploaded == ("r2",)
