"""docs/openapi.yaml stays true: a valid OpenAPI 3.1 document, the same routes as the application, and
real answers of a running receiver that match what it documents (status, content type, schema)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, ValidationError
from openapi_spec_validator import validate as validate_spec

from kiosk import __version__
from kiosk.office.app import create_app, office_store
from office_support import KIOSK, OTHER_KIOSK, office, record  # noqa: F401 (fixture)

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def doc():
    return yaml.safe_load(DOC_PATH.read_text(encoding="utf-8"))


def test_the_document_is_valid_openapi_3_1(doc):
    assert doc["openapi"].startswith("3.1")
    validate_spec(doc)


def test_the_documented_routes_are_the_implemented_routes(doc, tmp_path):
    app = create_app(tmp_path, admin_password="x")
    office_store(app).close()
    implemented = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        implemented |= {(path, m.lower()) for m in rule.methods if m.lower() in METHODS}
    documented = {(path, m) for path, item in doc["paths"].items() for m in item if m in METHODS}
    assert implemented == documented
    assert doc["info"]["version"] == __version__


def check(doc, method: str, template: str, response) -> None:
    """The answer's status is documented for the operation, with its content type and schema."""
    operation = doc["paths"][template][method]
    documented = operation["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method.upper()} {template}: {status} is not documented"
    spec = _deref(doc, documented[status])
    content = spec.get("content")
    if not content:
        assert response.content == b""
        return
    mimetype = response.headers["Content-Type"].split(";")[0].strip()
    assert mimetype in content, f"{method.upper()} {template} {status}: {mimetype} not documented"
    schema = content[mimetype]["schema"]
    if mimetype == "application/json":
        validator = Draft202012Validator({**schema, "components": doc["components"]})
        validator.validate(response.json())
    for header in spec.get("headers", {}):
        assert header in response.headers, f"{method.upper()} {template} {status}: no {header} header"


def _deref(doc, node):
    while "$ref" in node:
        target = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_real_answers_match_the_document(doc, office):
    records = "/api/v1/records"
    good = [record(seq=1), record(seq=2)]
    mixed = good + [record(seq=3, type="nope"), 42]
    check(doc, "post", records, office.upload(mixed, status={"pending": 3, "version": "0.1.0"}))
    check(doc, "post", records, office.upload(mixed))  # duplicates
    check(doc, "post", records, office.upload([]))
    check(doc, "post", records, office.upload(good, token="wrong"))
    check(doc, "post", records, office.post(data=b"{", headers={"Content-Type": "application/json"}))
    check(doc, "post", records, office.post(data=b"{}", headers={"Content-Type": "text/plain"}))
    check(doc, "post", records, office.upload([record(seq=n) for n in range(1, 1002)]))
    check(doc, "post", records, office.post(data=b" " * 9_000_000, headers={"Content-Type": "application/json"}))
    with office.store() as store:
        store.add_kiosk(OTHER_KIOSK)
    check(doc, "post", records, office.upload(good, kiosk=OTHER_KIOSK))
    check(doc, "post", records, office.session.get(office.url + records, timeout=10))

    check(doc, "get", "/api/v1/health", office.get("/api/v1/health"))

    calendar = "/api/v1/calendar.ics"
    check(doc, "get", calendar, office.get(calendar))
    (office.data_dir / "calendar.ics").write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    first = office.get(calendar)
    check(doc, "get", calendar, first)
    check(doc, "get", calendar, office.get(calendar, headers={"If-None-Match": first.headers["ETag"]}))
    (office.data_dir / "calendar.ics").unlink()
    (office.data_dir / "calendar.ics").mkdir()
    check(doc, "get", calendar, office.get(calendar))

    check(doc, "get", "/", office.get("/"))
    check(doc, "get", "/", office.get("/", staff=True))
    export = "/export/{kiosk}/{day}.csv"
    check(doc, "get", export, office.get(f"/export/{KIOSK}/2027-04-20.csv", staff=True))
    check(doc, "get", export, office.get(f"/export/{KIOSK}/2027-04-20.csv"))
    check(doc, "get", export, office.get("/export/kiosk-nobody/2027-04-20.csv", staff=True))


def test_check_catches_an_answer_the_document_does_not_describe(doc, office):
    """A guard for the guard: an undocumented status or a body off its schema fails check()."""
    with pytest.raises(AssertionError, match="not documented"):
        check(doc, "get", "/api/v1/health", office.get("/api/v1/nothing"))
    bad = office.get("/api/v1/health")
    bad._content = json.dumps({"status": "fine", "version": "0.1.0"}).encode()
    with pytest.raises(ValidationError, match="'ok' was expected"):
        check(doc, "get", "/api/v1/health", bad)


def test_the_upload_schema_describes_what_the_office_accepts(doc):
    schema = {"$ref": "#/components/schemas/Record", "components": doc["components"]}
    Draft202012Validator(schema).validate(record())
    assert not Draft202012Validator(schema).is_valid(record(type="gossip"))


SEQ_CANDIDATES = [0, 5, 5.0, 1e3, 2**63 - 1, -1, -1.0, 5.5, "5", True, False, None, 2**63, 1e19, float("inf"),
                  float("nan"), [5], {"n": 5}]


@pytest.mark.parametrize("seq", SEQ_CANDIDATES, ids=repr)
def test_the_office_accepts_a_records_seq_exactly_when_the_documented_schema_does(doc, office, seq):
    schema = {**doc["components"]["schemas"]["Record"], "components": doc["components"]}
    sent = record(seq=seq)
    documented_ok = Draft202012Validator(schema).is_valid(sent)
    body = json.dumps({"kiosk": KIOSK, "records": [sent]})  # NaN and Infinity as Python writes them
    answer = office.post(data=body, headers={"Content-Type": "application/json"}).json()
    accepted = answer.get("accepted") == [sent["id"]] if isinstance(answer, dict) else False
    assert accepted == documented_ok, answer
    if accepted:
        with office.store() as store:
            kept = store.records_for(KIOSK, "2027-04-20")
        assert [r["seq"] for r in kept] == [int(seq)] and isinstance(kept[0]["seq"], int)
