"""Garbage in, never a 500 out: fuzzed requests against a real receiver. Every answer is JSON with a
reason, and a 201 accounts for every record sent."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest
import requests
from hypothesis import given, settings, strategies as st

from kiosk.office.store import DB_NAME
from office_support import KIOSK, TIMEOUT, record, start_office

ANSWERS = {201, 400, 401, 403, 413, 415}
FUZZ = settings(max_examples=150, deadline=None)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    running = start_office(tmp_path_factory.mktemp("office"), max_body_bytes=50_000)
    yield running
    running.session.close()
    running.server.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


#: A few ids used again and again, so that fuzzed batches also meet duplicates.
ID_POOL = [str(uuid.UUID(int=n, version=4)) for n in range(1, 12)]

wrong_values = {
    "id": st.text(max_size=40) | st.sampled_from([ID_POOL[0].upper(), "{%s}" % ID_POOL[0], ""]) | json_values,
    "type": st.sampled_from(["Idea", "", "vote ", "checkins"]) | json_values,
    "created_at": st.sampled_from(["2027-04-20", "2027-04-20T09:30:00", "20/04/2027", "2027-02-30T09:00:00+01:00"])
    | st.text(max_size=30) | json_values,
    "seq": st.integers(max_value=-1) | st.integers(min_value=2**63) | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False),
    "clock_ok": json_values.filter(lambda v: not isinstance(v, bool)),
    "location": st.text(min_size=201, max_size=300) | json_values.filter(lambda v: not isinstance(v, str)),
    "kiosk": st.sampled_from(["kiosk-other", KIOSK.upper(), ""]) | json_values,
    "data": json_values.filter(lambda v: not isinstance(v, dict)),
}
right_values = {
    "type": st.sampled_from(["checkin", "question", "idea", "vote", "feedback", "signup", "handled", "moderation"]),
    "created_at": st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    "location": st.text(max_size=60),
    "clock_ok": st.booleans(),
    "data": st.dictionaries(st.text(max_size=8), json_values, max_size=4),
}


@st.composite
def record_like(draw):
    """Mostly a right record, else with one or two fields wrong or missing; sometimes not a record at all."""
    rec = record(seq=draw(st.integers(0, 10**6)),
                 id=draw(st.sampled_from(ID_POOL) | st.uuids(version=4).map(str)),
                 **{name: draw(strategy) for name, strategy in right_values.items()})
    for name in draw(mostly(st.just([]), st.lists(st.sampled_from(sorted(wrong_values)), min_size=1, max_size=2))):
        if draw(st.booleans()):
            rec[name] = draw(wrong_values[name])
        else:
            rec.pop(name, None)
    return draw(mostly(st.just(rec)))


def mostly(right, wrong=json_values):
    """``right`` five times in six (st.one_of alone favours the richer ``wrong``)."""
    return st.sampled_from([True] * 5 + [False]).flatmap(lambda ok: right if ok else wrong)


envelopes = st.fixed_dictionaries(
    {"kiosk": mostly(st.just(KIOSK)), "records": mostly(st.lists(record_like(), max_size=8))},
    optional={"sent_at": mostly(st.just("2027-04-20T10:00:00+02:00")),
              "status": mostly(st.dictionaries(st.text(max_size=10), json_values)),
              "extra": json_values},
)


def check_answer(office, response: requests.Response, records=None) -> None:
    assert response.status_code in ANSWERS, (response.status_code, response.text[:300])
    assert response.headers["Content-Type"] == "application/json"
    answer = response.json()
    if response.status_code != 201:
        assert isinstance(answer["error"], str) and answer["error"]
        return
    assert set(answer) == {"accepted", "duplicates", "rejected"}
    assert isinstance(records, list)
    assert len(answer["accepted"]) + len(answer["duplicates"]) + len(answer["rejected"]) == len(records)
    named = set(answer["accepted"]) | set(answer["duplicates"]) | {r["id"] for r in answer["rejected"]}
    for rec in records:
        if isinstance(rec, dict) and isinstance(rec.get("id"), str):
            assert rec["id"] in named
    assert all(isinstance(r["reason"], str) and r["reason"] for r in answer["rejected"])
    kept = answer["accepted"] + answer["duplicates"]
    with sqlite3.connect(office.data_dir / DB_NAME) as db:
        found = db.execute(f"SELECT COUNT(*) FROM records WHERE id IN ({','.join('?' * len(kept))})", kept)
        assert found.fetchone()[0] == len(set(kept))


@FUZZ
@given(envelope=envelopes)
def test_fuzzed_uploads_are_answered_in_json_and_accounted_for(office, envelope):
    response = office.post(json=envelope)
    check_answer(office, response, envelope.get("records"))


@FUZZ
@given(body=st.binary(max_size=300) | st.text(max_size=300).map(str.encode) | json_values.map(lambda v: json.dumps(v).encode()),
       content_type=st.sampled_from(["application/json", "application/json; charset=latin-1", "text/plain", "",
                                     "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]),
       token=st.sampled_from(["valid", "", "Bearer", "Bearer x", "Basic Zm9vOmJhcg==", "bearer  valid "]))
def test_fuzzed_bytes_never_make_a_500(office, body, content_type, token):
    auth = {"valid": f"Bearer {office.token}", "bearer  valid ": f"bearer  {office.token} "}.get(token, token)
    headers = {"Content-Type": content_type, "Authorization": auth}
    response = office.session.post(office.url + "/api/v1/records", data=body, headers=headers, timeout=TIMEOUT)
    assert response.status_code in ANSWERS
    assert response.status_code != 201 or json.loads(body)["records"] == []  # nothing random is a valid batch


@FUZZ
@given(kiosk=st.text(min_size=1, max_size=20), day=st.text(min_size=1, max_size=12),
       path=st.text(min_size=0, max_size=30))
def test_fuzzed_paths_never_make_a_500(office, kiosk, day, path):
    for url in (f"/export/{kiosk}/{day}.csv", f"/{path}", f"/api/v1/{path}"):
        response = office.get(requests.utils.quote(url), staff=True)
        assert response.status_code < 500, (url, response.status_code)


@pytest.mark.parametrize("changes", [{"location": "MARK"}, {"data": {"text": ["MARK"]}}, {"data": {"MARK": 1}}])
def test_text_that_is_not_unicode_is_rejected_by_record(office, changes):
    good, bad = record(), record(**changes)
    text = json.dumps({"kiosk": KIOSK, "records": [good, bad]}).replace("MARK", "\\ud800")
    response = office.post(data=text.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code == 201
    answer = response.json()
    assert answer["accepted"] == [good["id"]]
    assert answer["rejected"] == [{"id": bad["id"], "reason": "the record holds text that is not valid Unicode "
                                                              "(a lone surrogate)"}]


def test_status_or_sent_at_that_is_not_unicode_is_400(office):
    for extra in ('"status": {"version": "\\ud800"}', '"sent_at": "\\ud800"'):
        body = '{"kiosk": "%s", "records": [], %s}' % (KIOSK, extra)
        response = office.post(data=body.encode(), headers={"Content-Type": "application/json"})
        assert response.status_code == 400, extra
