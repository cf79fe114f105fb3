"""A fake central office on 127.0.0.1 that follows the upload contract (docs/architecture.md) when it behaves, and misbehaves on cue.

It keeps what it stored in ``records`` (a dict by id) and counts inserts per id in ``inserts``, so a
test can check "every record exactly once". Faults are queued per request (``office.faults.extend([...])``)
or set for every request (``max_records``, ``too_large_ids``, ``reject_ids``, the token). Faults:

    "500"       a 500 with a text body
    "503-date"  a 503 with Retry-After as an HTTP date one second after the answer's Date
    "429"       a 429 with Retry-After: ``retry_after`` seconds
    "slow"      waits ``slow_seconds`` (past the client's timeout), then checks, stores and answers as usual
    "reset"     stores, starts a 201 answer, then resets the connection (TCP RST) mid-answer
    "drop"      stores, then closes the connection without a word (the answer is lost)
    "html"      200 with a Wi-Fi login page
    "garbage"   201 with a body that is not JSON
    "partial"   stores, but names only the first half of the ids in its answer
    "redirect"  302 to a login page on another host
    "204-body"  204 No Content, yet with a body (which HTTP says it cannot have): the bytes stay on the line
    "304-body"  the same with 304 Not Modified
    "extra"     stores, answers 201 as usual, then sends bytes beyond the answer's Content-Length
"""

from __future__ import annotations

import collections
import json
import socket
import struct
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).parent / "data"
LOGIN_PAGE = b"<!DOCTYPE html><html><body><h1>Welcome to FreeWiFi</h1><form>Accept terms</form></body></html>"


class FaultOffice:
    def __init__(self, token: str = "good-token", tls: bool = False, port: int = 0):
        self.token = token
        self.records: dict[str, dict] = {}
        self.inserts: collections.Counter = collections.Counter()
        self.faults: collections.deque = collections.deque()
        self.requests: list[dict] = []  # one entry per POST: time, fault, ids, status
        self.duplicates_answered = 0
        self.max_records: int | None = None  # 413 for a batch with more records
        self.too_large_ids: set[str] = set()  # 413 for any batch holding one of these
        self.reject_ids: dict[str, str] = {}  # id -> reason: rejected on their own
        self.retry_after = 1
        self.slow_seconds = 1.0
        self.statuses: list[dict] = []  # the "status" objects the kiosk sent
        self.got_request = threading.Event()
        self.release = threading.Event()  # set at stop: ends slow answers at once
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._server.handle_error = lambda request, address: None  # resets are the point here
        if tls:
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(DATA / "test-office.pem")
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.scheme = "https" if tls else "http"

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def __enter__(self) -> "FaultOffice":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    # -- what the tests check -------------------------------------------------------------------------
    def each_stored_once(self, ids) -> bool:
        return set(self.records) == set(ids) and all(self.inserts[i] == 1 for i in ids)

    def post_count(self) -> int:
        with self.lock:
            return len(self.requests)

    # -- the office's own logic -----------------------------------------------------------------------
    def next_fault(self) -> str:
        with self.lock:
            return self.faults.popleft() if self.faults else "ok"

    def store(self, records: list[dict]) -> dict:
        accepted, duplicates, rejected = [], [], []
        with self.lock:
            for record in records:
                rid = record.get("id")
                if rid in self.reject_ids:
                    rejected.append({"id": rid, "reason": self.reject_ids[rid]})
                elif rid in self.records:
                    duplicates.append(rid)
                    self.duplicates_answered += 1
                else:
                    self.records[rid] = record
                    self.inserts[rid] += 1
                    accepted.append(rid)
        return {"accepted": accepted, "duplicates": duplicates, "rejected": rejected}


def _handler_for(office: FaultOffice):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = -1  # one send per answer: headers and body apart meet Nagle and delayed ACK (40 ms)

        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path != "/api/v1/records":
                return self.answer(404, {"error": "not found"})
            fault = office.next_fault()
            batch = json.loads(body)
            records = batch["records"]
            ids = [r["id"] for r in records]
            entry = {"at": time.monotonic(), "fault": fault, "ids": ids, "status": None}
            with office.lock:
                office.requests.append(entry)
                office.statuses.append(batch.get("status"))
            office.got_request.set()
            if fault == "slow":
                office.release.wait(office.slow_seconds)
            if self.headers.get("Authorization") != f"Bearer {office.token}":
                entry["status"] = 401
                return self.answer(401, {"error": "unknown kiosk token"})
            if (office.max_records is not None and len(records) > office.max_records) or (
                office.too_large_ids & set(ids)
            ):
                entry["status"] = 413
                return self.answer(413, {"error": "too many records in one batch"})
            entry["status"] = self.misbehave(fault, records)

        def misbehave(self, fault: str, records: list[dict]) -> int:
            if fault == "500":
                return self.answer(500, b"Internal Server Error", "text/plain")
            if fault == "429":
                return self.answer(429, {"error": "slow down"}, headers={"Retry-After": str(office.retry_after)})
            if fault == "503-date":
                now = time.time()
                dates = {"Date": formatdate(now, usegmt=True), "Retry-After": formatdate(now + 1, usegmt=True)}
                return self.answer(503, b"maintenance", "text/plain", headers=dates)
            if fault == "html":
                return self.answer(200, LOGIN_PAGE, "text/html; charset=utf-8")
            if fault == "redirect":
                return self.answer(302, b"", "text/plain", headers={"Location": "http://login.freewifi.example/"})
            if fault == "garbage":
                return self.answer(201, b'{"accepted": [', "application/json")
            if fault in ("204-body", "304-body"):  # the body comes a moment later, as from a busy server
                return self.answer(int(fault[:3]), {"accepted": [r["id"] for r in records]}, body_after=0.3)
            if fault == "extra":
                status = self.answer(201, office.store(records))
                time.sleep(0.3)
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                self.wfile.flush()
                return status
            result = office.store(records)
            if fault == "partial":
                half = len(result["accepted"]) // 2
                result = {"accepted": result["accepted"][:half], "duplicates": [], "rejected": []}
            if fault == "drop":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return 0
            if fault == "reset":
                data = json.dumps(result).encode()
                self.wfile.write(
                    b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(data)}\r\n\r\n".encode()
                    + data[: len(data) // 3]
                )
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return 0
            return self.answer(201, result)

        def answer(self, status: int, body, kind: str = "application/json", headers: dict | None = None,
                   body_after: float = 0.0) -> int:
            data = json.dumps(body).encode() if isinstance(body, dict) else body
            headers = {"Date": self.date_time_string(), **(headers or {})}
            try:
                self.send_response_only(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if body_after:
                    self.wfile.flush()
                    time.sleep(body_after)
                self.wfile.write(data)
                self.wfile.flush()
            except OSError:
                pass  # the kiosk gave up waiting (the "slow" fault)
            return status

    return Handler
