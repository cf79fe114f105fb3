"""A calendar server on 127.0.0.1 in a thread, for the source and CLI tests."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from icstext import WEEKLY_MEETING, calendar

GOOD = calendar(WEEKLY_MEETING).encode()
OTHER = calendar(WEEKLY_MEETING.replace("Ontmoetingsmoment", "Koffiemoment")).encode()


class Office:
    """A calendar server: answers what the test sets, remembers the request headers."""

    def __init__(self):
        self.body = GOOD
        self.status = 200
        self.content_type = "text/calendar; charset=utf-8"
        self.etag: str | None = '"v1"'
        self.last_modified: str | None = None
        self.requests: list[dict[str, str]] = []
        self.release = threading.Event()
        self.hold = False
        office = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                office.requests.append(dict(self.headers))
                if office.hold:
                    office.release.wait(10)
                if office.etag and self.headers.get("If-None-Match") == office.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                if office.last_modified and self.headers.get("If-Modified-Since") == office.last_modified:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(office.status)
                self.send_header("Content-Type", office.content_type)
                self.send_header("Content-Length", str(len(office.body)))
                if office.etag:
                    self.send_header("ETag", office.etag)
                if office.last_modified:
                    self.send_header("Last-Modified", office.last_modified)
                self.end_headers()
                self.wfile.write(office.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/terplekke/private-secret/basic.ics"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
