"""The office's web application (Flask): the upload API for kiosks, the calendar, an overview for staff.

Routes (documented in ``docs/openapi.yaml``)::

    POST /api/v1/records            kiosks upload records (Bearer token of the kiosk)
    GET  /api/v1/health             is the office up (no token)
    GET  /api/v1/calendar.ics       the activity calendar for the kiosks (no token; ETag, 304)
    GET  /                          overview for office staff (HTTP basic auth, see below)
    GET  /export/<kiosk>/<day>.csv  one kiosk's records of one day, CSV for Excel (basic auth)
    GET  /report.<csv|html|json>    the funder's report of a period, counts only (basic auth;
                                    ?from=YYYY-MM-DD&to=YYYY-MM-DD[&kiosk=K][&place=P])

Every error is JSON ``{"error": "what is wrong, in words"}``; an unexpected failure is logged and
answered with a 500 in the same form, never with a traceback.

The overview and the CSV downloads hold personal data: they answer only to HTTP basic auth with the
password in ``KIOSK_OFFICE_ADMIN_PASSWORD`` (any user name). Without that setting they are switched off.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import math
import os
from datetime import date
from pathlib import Path
from typing import Any

import flask
from werkzeug.exceptions import HTTPException

from kiosk import __version__
from kiosk.core import daylog
from kiosk.errors import OfficeError, UploadRefused
from kiosk.office import overview
from kiosk.office.folder import private_office_folder
from kiosk.office.throttle import StaffLoginThrottle
from kiosk.office.report_pages import Retention, report_choice, report_response
from kiosk.office.database import DATABASE_ENV
from kiosk.office.store import DB_NAME, KIOSK_NAME, OfficeStore
from kiosk.office.store import retention_days as keep_days
from kiosk.office.upload import check_envelope, check_records, parse_body

log = logging.getLogger(__name__)

ADMIN_PASSWORD_ENV = "KIOSK_OFFICE_ADMIN_PASSWORD"
CALENDAR_FILE = "calendar.ics"
#: Seconds a kiosk waits before trying again when the database is busy or failing.
RETRY_AFTER_S = 30


def create_app(data_dir: Path, max_body_bytes: int = 2_000_000, admin_password: str | None = None,
               database: str | None = None, retention_days: int | None = None) -> flask.Flask:
    """The office application on the data folder ``data_dir`` (created if needed).

    ``admin_password`` protects the overview; None reads ``KIOSK_OFFICE_ADMIN_PASSWORD``.
    ``database``: ``postgresql://...`` or ``sqlite:///...``; None reads ``KIOSK_OFFICE_DATABASE``, else
    ``office.sqlite3`` in the data folder. ``retention_days``: ``[office] retention_days`` of the
    configuration (``KIOSK_OFFICE_RETENTION_DAYS`` overrides it; neither: 30).
    """
    data_dir = Path(data_dir)
    try:
        database = database or os.environ.get(DATABASE_ENV)
        private_office_folder(data_dir, None if database else DB_NAME)
    except OSError as error:
        raise OfficeError(f"cannot create the office's data folder {data_dir}: {error.strerror or error}") from None
    days = keep_days(configured=retention_days)  # a wrong value stops the office before it opens the database
    store = OfficeStore(database or data_dir / DB_NAME)
    if admin_password is None:
        admin_password = os.environ.get(ADMIN_PASSWORD_ENV) or None
    retention = Retention(store, days)
    retention.run_if_due()
    app = flask.Flask(__name__, static_folder=None)
    app.json.sort_keys = False
    app.extensions["office_store"] = store
    throttle = app.extensions["staff_login_throttle"] = StaffLoginThrottle()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = _error(error.code or 500, error.description or error.name)
        headers = error.get_response().headers
        for name in ("WWW-Authenticate", "Allow", "Retry-After", "Location"):
            if name in headers:
                response.headers[name] = headers[name]
        return response

    @app.errorhandler(UploadRefused)
    def upload_refused(error: UploadRefused):
        return _error(error.status, str(error))

    @app.errorhandler(OfficeError)
    def office_error(error: OfficeError):
        log.error("office problem: %s", error)
        response = _error(503, f"the office cannot do this now, try again later ({error})")
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unexpected error while answering %s %s", flask.request.method, flask.request.path)
        return _error(500, "an unexpected error in the office receiver; it was logged")

    @app.post("/api/v1/records")
    def receive_records():
        kiosk = _authenticated_kiosk(store)
        if flask.request.mimetype != "application/json":
            return _error(415, f'send the records as JSON (Content-Type: application/json), '
                               f'not "{flask.request.mimetype or "nothing"}"')
        upload = check_envelope(parse_body(_body(max_body_bytes)), kiosk)
        good, rejected = check_records(upload.records, kiosk)
        accepted, duplicates = store.store_batch(kiosk, good, upload.sent_at, upload.status)
        if rejected:
            log.warning("kiosk %s: %d of %d records rejected, first: %s", kiosk, len(rejected),
                        len(upload.records), rejected[0]["reason"])
        answer = flask.jsonify(accepted=accepted, duplicates=duplicates, rejected=rejected)
        answer.status_code = 201
        return answer

    @app.get("/api/v1/health")
    def health():
        return flask.jsonify(status="ok", version=__version__)

    @app.get("/api/v1/calendar.ics")
    def calendar():
        path = data_dir / CALENDAR_FILE
        try:
            content, modified = path.read_bytes(), path.stat().st_mtime
        except FileNotFoundError:
            return _error(404, "the office has not published a calendar yet "
                               f"(put it in {CALENDAR_FILE} in the office's data folder)")
        except OSError as error:
            raise OfficeError(f"cannot read {CALENDAR_FILE}: {error.strerror or error}") from None
        response = flask.Response(content, mimetype="text/calendar")
        response.set_etag(hashlib.sha256(content).hexdigest())
        response.last_modified = modified
        response.cache_control.no_cache = True
        return response.make_conditional(flask.request)

    @app.get("/")
    def staff_overview():
        _require_staff(admin_password, throttle)
        retention.run_if_due()
        choice = report_choice(store)
        page = flask.render_template("overview.html", **overview.context(
            store, choice["period"], choice["start"], choice["end"], choice["kiosk"], choice["place"]))
        response = flask.Response(page, mimetype="text/html")
        return _private(response)

    @app.get("/report.<fmt>")
    def report_download(fmt: str):
        """The funder's report of a period (counts only) as csv, html or json."""
        _require_staff(admin_password, throttle)
        if fmt not in ("csv", "html", "json"):
            return _error(404, "a report is report.csv, report.html or report.json")
        choice = report_choice(store, default_period="custom")
        return report_response(store, fmt, choice)

    @app.get("/export/<kiosk>/<day>.csv")
    def export_day(kiosk: str, day: str):
        _require_staff(admin_password, throttle)
        if not KIOSK_NAME.fullmatch(kiosk) or kiosk not in store.kiosk_names():
            return _error(404, f'no kiosk "{kiosk}" is registered at the office')
        try:
            day = date.fromisoformat(day).isoformat()
        except ValueError:
            return _error(404, f'"{day}" is not a day like 2027-04-20')
        response = flask.Response(daylog.to_csv(store.records_for(kiosk, day)).encode("utf-8"),
                                  mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="ter-plekke-{kiosk}-{day}.csv"'
        return _private(response)

    return app


def _error(status: int, message: str) -> flask.Response:
    response = flask.jsonify(error=message)
    response.status_code = status
    return response


def _authenticated_kiosk(store: OfficeStore) -> str:
    """The kiosk whose token came with the request; otherwise a 401 (the token is never logged)."""
    scheme, _, token = flask.request.headers.get("Authorization", "").partition(" ")
    kiosk = store.authenticate(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if kiosk is None:
        response = _error(401, "no valid kiosk token: send Authorization: Bearer <token> with the token "
                               "the office gave this kiosk (kiosk office add-kiosk)")
        response.headers["WWW-Authenticate"] = 'Bearer realm="ter-plekke-office"'
        flask.abort(response)
    return kiosk


def _body(limit: int) -> bytes:
    """The request body, refused with 413 when it is (or turns out to be) larger than ``limit`` bytes."""
    too_large = f"the upload is larger than {limit} bytes; send fewer records at a time"
    length = flask.request.content_length
    if length is not None and length > limit:
        raise UploadRefused(413, too_large)
    body = flask.request.stream.read(limit + 1)
    if len(body) > limit:
        raise UploadRefused(413, too_large)
    return body


def _require_staff(password: str | None, throttle: StaffLoginThrottle) -> None:
    """Let office staff in (HTTP basic auth, any user name), or answer 401 / 403, or 429 while the client's
    address waits after wrong passwords (see :mod:`kiosk.office.throttle`)."""
    if password is None:
        flask.abort(_error(403, f"the staff overview is switched off: start the office with "
                                f"{ADMIN_PASSWORD_ENV} set to a password"))
    address = flask.request.remote_addr or "unknown"
    waiting = throttle.wait(address)
    if waiting:
        seconds = math.ceil(waiting)
        response = _error(429, f"too many wrong passwords from this computer: try again in {seconds} seconds")
        response.headers["Retry-After"] = str(seconds)
        flask.abort(response)
    given = _basic_password()
    if any(hmac.compare_digest(given, accepted) for accepted in _encodings(password)):
        throttle.succeeded(address)
        return
    if given or "Authorization" in flask.request.headers:  # a browser's first visit sends none: no try
        throttle.failed(address)
    response = _error(401, "this page is for office staff: log in with the office password")
    response.headers["WWW-Authenticate"] = 'Basic realm="Ter Plekke kantoor", charset="UTF-8"'
    flask.abort(response)


def _basic_password() -> bytes:
    """The password bytes of an ``Authorization: Basic`` header (b"" when there is none)."""
    scheme, _, encoded = flask.request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return b""
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return b""
    return decoded.partition(b":")[2]


def _encodings(password: str) -> list[bytes]:
    """Browsers send a password in UTF-8 (we ask for it), older clients in Latin-1: both count."""
    forms = [password.encode("utf-8", "surrogatepass")]
    try:
        forms.append(password.encode("latin-1"))
    except UnicodeEncodeError:
        pass
    return forms


def _private(response: flask.Response) -> flask.Response:
    """Pages with personal data: never cached, no scripts, no framing."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def office_store(app: flask.Flask) -> OfficeStore:
    """The store an application made by :func:`create_app` works on."""
    store: Any = app.extensions["office_store"]
    return store
