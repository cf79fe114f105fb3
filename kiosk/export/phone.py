"""Download to a phone: a one-time link, served by a small HTTP server on the kiosk's own network address.

The link holds a random token (``secrets.token_urlsafe``). It works once, for :data:`VALID_FOR` seconds;
a second try, or a late one, gets a plain "this link has expired" page. The server answers nothing else,
logs no request line (the token would be in it), and stops :data:`LINGER` seconds after the link expired
(or when the staff session ends: :meth:`OneTimeDownload.stop`). Kivy-free: ``on_change`` is called from
the server's thread; the app wraps it with ``@mainthread``.

The page is served inline (not as an attachment): Android's download manager fetches an attachment a
second time by itself, which would use up a one-time link before the phone shows it.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
import threading
import time
from enum import StrEnum
from typing import TYPE_CHECKING, Callable

from kiosk.errors import ExportError

if TYPE_CHECKING:  # http.server is imported when a page is first served, not at the kiosk's start
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VALID_FOR = 300.0  # seconds the link works
LINGER = 60.0  # seconds the server stays after that, to say "expired" to a late phone
#: Private addresses used only to ask the system which of its addresses faces the local network.
#: Connecting a UDP socket sends nothing: it only looks up the route.
PROBES = ("10.255.255.254", "192.168.255.254", "172.31.255.254")

EXPIRED_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Link verlopen</title>
<style>body{font-family:sans-serif;font-size:1.3em;margin:2em;line-height:1.5;color:#1f2937}</style></head>
<body><h1>Deze link is verlopen</h1>
<p>Een link van de kiosk werkt één keer en vijf minuten lang. Maak op de kiosk een nieuwe.</p>
<p lang="fr">Ce lien a expiré. Créez-en un nouveau sur la borne.</p>
<p lang="en">This link has expired. Make a new one on the kiosk.</p>
</body></html>
"""


def serve(address: str, port: int, handler: type[BaseHTTPRequestHandler],
          name: str) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """A small HTTP server on ``address`` (port 0: any free one), serving in a daemon thread of its own.
    ExportError ``no_network`` when the address cannot be used."""
    from http.server import ThreadingHTTPServer

    try:
        server = ThreadingHTTPServer((address, port), handler)
    except OSError as error:
        raise ExportError("no_network", f"cannot serve on {address}: {error.strerror or error}") from None
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name=name, daemon=True)
    thread.start()
    return server, thread


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str) -> None:
    """Answer with ``body``: never cached, never sent on as a referrer, never sniffed as another type."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.send_header("Cache-Control", "no-store")
    handler.send_header("Referrer-Policy", "no-referrer")
    handler.send_header("X-Content-Type-Options", "nosniff")
    handler.end_headers()
    handler.wfile.write(body)


class DownloadState(StrEnum):
    WAITING = "waiting"  # the link works
    DOWNLOADED = "downloaded"  # a phone fetched it; it works no more
    EXPIRED = "expired"  # five minutes passed without a download
    STOPPED = "stopped"  # the server is closed


def network_address() -> str | None:
    """The kiosk's address on its local network, or None without a network. Sends nothing."""
    for probe in PROBES:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 9))
                address = udp.getsockname()[0]
        except OSError:
            continue
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local):
            return address
    return None


class OneTimeDownload:
    """Serves ``body`` once at a secret address. :meth:`start` returns the link for the QR code."""

    def __init__(self, body: bytes, content_type: str = "text/html; charset=utf-8", *, address: str,
                 port: int = 0, valid_for: float = VALID_FOR, linger: float = LINGER,
                 clock: Callable[[], float] = time.monotonic,
                 on_change: Callable[[DownloadState], None] | None = None):
        self.body = body
        self.content_type = content_type
        self.address = address
        self.port = port
        self.valid_for = valid_for
        self.linger = linger
        self.clock = clock
        self.on_change = on_change
        self.token = secrets.token_urlsafe(18)
        self._state = DownloadState.WAITING
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None
        self._started = 0.0

    # -- public API ---------------------------------------------------------------------------------
    @property
    def state(self) -> DownloadState:
        with self._lock:
            if self._state is DownloadState.WAITING and self.seconds_left() <= 0:
                self._state = DownloadState.EXPIRED
            return self._state

    @property
    def url(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"http://{host}:{self.port}/d/{self.token}"

    def seconds_left(self) -> float:
        return max(0.0, self._started + self.valid_for - self.clock()) if self._server else 0.0

    def start(self) -> str:
        """Open the server; return the link. ExportError ``no_network`` when the address cannot be used."""
        server, self._thread = serve(self.address, self.port, _handler_for(self), "kiosk-phone-download")
        self._server, self.port, self._started = server, server.server_address[1], self.clock()
        self._timer = threading.Timer(self.valid_for, self._expire)
        self._timer.daemon = True
        self._timer.start()
        return self.url

    def stop(self) -> None:
        """Close the server (idempotent); the link stops working at once."""
        with self._lock:
            server, self._server = self._server, None
            timer, self._timer = self._timer, None
            changed = self._state is not DownloadState.STOPPED
            self._state = DownloadState.STOPPED
        if timer is not None:
            timer.cancel()
        if server is not None:
            if threading.current_thread() is not self._thread:
                server.shutdown()
            server.server_close()
        if changed and server is not None:
            self._tell(DownloadState.STOPPED)

    # -- the server's side ---------------------------------------------------------------------------
    def _take(self, token: str) -> bytes | None:
        """The body, once, for the right token within the time; else None."""
        with self._lock:
            if self._state is not DownloadState.WAITING or self.seconds_left() <= 0:
                return None
            if not hmac.compare_digest(token.encode(), self.token.encode()):
                return None
            self._state = DownloadState.DOWNLOADED
        self._tell(DownloadState.DOWNLOADED)
        return self.body

    def _expire(self) -> None:
        with self._lock:
            expired = self._state is DownloadState.WAITING
            if expired:
                self._state = DownloadState.EXPIRED
            if self._server is not None:
                self._timer = threading.Timer(self.linger, self.stop)
                self._timer.daemon = True
                self._timer.start()
        if expired:
            self._tell(DownloadState.EXPIRED)

    def _tell(self, state: DownloadState) -> None:
        if self.on_change is not None:
            self.on_change(state)


def _handler_for(download: OneTimeDownload) -> type[BaseHTTPRequestHandler]:
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        server_version = "kiosk"
        sys_version = ""
        timeout = 20  # a phone that connects and says nothing does not keep a thread for ever

        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            prefix = "/d/"
            if not self.path.startswith(prefix):
                self._send(404, b"Not found\n", "text/plain; charset=utf-8")
                return
            body = download._take(self.path[len(prefix):].split("?")[0])
            if body is None:
                self._send(410, EXPIRED_PAGE.encode("utf-8"), "text/html; charset=utf-8")
            else:
                self._send(200, body, download.content_type)

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            send(self, status, body, content_type)

        def log_message(self, format, *args) -> None:  # never log the path: it holds the token
            pass

    return Handler
