"""Running the office application on waitress (pure Python, runs on any office PC).

:func:`serve` runs in the foreground until Ctrl-C; :func:`start_in_thread` runs a server in a daemon
thread for tests and benchmarks and returns it with its base URL; ``server.close()`` stops it.
"""

from __future__ import annotations

import logging
import threading
from os import PathLike
from pathlib import Path
from typing import Callable

import flask
import waitress
from waitress import wasyncore

from kiosk.errors import OfficeError
from kiosk.office.app import create_app, office_store

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY = 2_000_000
#: waitress itself refuses bodies beyond this many times the application's limit, before buffering them.
#: Between the two limits the application answers 413 in JSON.
WAITRESS_BODY_FACTOR = 4
THREADS = 4
#: Connections waitress keeps open at once (its default, 100, let 150 idle sockets lock everyone out),
#: watched with poll() rather than select(), which cannot watch more than 1024.
CONNECTION_LIMIT = 500
#: Seconds a connection may stay silent before it is closed (waitress's default is 120), and how often
#: that is checked. A kiosk's upload is one request on a fresh connection; a browser reconnects.
IDLE_TIMEOUT = 15
CLEANUP_INTERVAL = 5


class OfficeServer:
    """A waitress server running the office application in a background thread."""

    def __init__(self, server, app: flask.Flask, thread: threading.Thread):
        self.waitress = server
        self.thread = thread
        self.app = app
        self.store = office_store(app)
        self.base_url = f"http://{_url_host(server.effective_host)}:{server.effective_port}"

    def close(self, timeout: float = 5.0) -> None:
        """Let the requests being answered finish, close every connection, stop, close the database."""
        # Worker threads first: one still finishing an answer pulls the trigger, which must still be open.
        self.waitress.task_dispatcher.shutdown(timeout=timeout)
        if self.thread.is_alive():
            # The loop may run the thunk before pull_trigger has written its wake-up byte, so the thunk
            # leaves the trigger open (only out of the map) and it is closed here once the loop has ended.
            self.waitress.trigger.pull_trigger(self._close_connections)
            self.thread.join(timeout)
        if self.thread.is_alive():
            log.warning("the office server's loop did not stop within %s s", timeout)
        else:
            self._close_connections()
            self.waitress.trigger.close()
        self.store.close()

    def _close_connections(self) -> None:
        """Close the listening socket and every connection; with an empty map the server's loop ends."""
        trigger = self.waitress.trigger
        for channel in list(self.waitress._map.values()):
            if channel is trigger:
                trigger.del_channel()
            elif channel is self.waitress:
                wasyncore.dispatcher.close(channel)  # its own close() would close the trigger too
            else:
                channel.close()
        self.waitress._map.clear()

    def __enter__(self) -> "OfficeServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _create_server(data_dir: str | PathLike, host: str, port: int, max_body_bytes: int,
                   admin_password: str | None, idle_timeout: int = IDLE_TIMEOUT, database: str | None = None,
                   retention_days: int | None = None):
    app = create_app(Path(data_dir), max_body_bytes=max_body_bytes, admin_password=admin_password,
                     database=database, retention_days=retention_days)
    try:
        server = waitress.create_server(app, host=host, port=port, threads=THREADS,
                                        max_request_body_size=max_body_bytes * WAITRESS_BODY_FACTOR,
                                        ident="ter-plekke-office", **connection_settings(idle_timeout))
        return server, app
    except OSError as error:
        raise OfficeError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def connection_settings(idle_timeout: int = IDLE_TIMEOUT) -> dict[str, float | int | bool]:
    """waitress's settings for how many connections, and how long an idle one is kept (see above)."""
    return {
        "connection_limit": CONNECTION_LIMIT,
        "asyncore_use_poll": True,
        "channel_timeout": int(idle_timeout),
        "cleanup_interval": min(CLEANUP_INTERVAL, max(int(idle_timeout) // 2, 1)),
    }


def start_in_thread(data_dir: str | PathLike, host: str = "127.0.0.1", port: int = 0,
                    max_body_bytes: int = DEFAULT_MAX_BODY,
                    admin_password: str | None = None,
                    idle_timeout: int = IDLE_TIMEOUT, database: str | None = None,
                    retention_days: int | None = None) -> tuple[OfficeServer, str]:
    """Start the office on ``host:port`` (0: any free port) in a daemon thread; return (server, base URL).

    ``admin_password`` protects the staff overview (None: ``KIOSK_OFFICE_ADMIN_PASSWORD``, else off).
    ``idle_timeout``: seconds a silent connection is kept.
    """
    server, app = _create_server(data_dir, host, port, max_body_bytes, admin_password, idle_timeout, database,
                                 retention_days)
    thread = threading.Thread(target=server.run, name="office-server", daemon=True)
    thread.start()
    office = OfficeServer(server, app, thread)
    return office, office.base_url


def serve(data_dir: str | PathLike, host: str = "127.0.0.1", port: int = 8080,
          max_body_bytes: int = DEFAULT_MAX_BODY, admin_password: str | None = None,
          on_ready: Callable[[str], None] | None = None, database: str | None = None,
          retention_days: int | None = None) -> None:
    """Run the office in the foreground until interrupted; ``on_ready(base_url)`` once it listens."""
    server, _ = _create_server(data_dir, host, port, max_body_bytes, admin_password, database=database,
                               retention_days=retention_days)
    base_url = f"http://{_url_host(server.effective_host)}:{server.effective_port}"
    log.info("office receiver on %s, data in %s", base_url, data_dir)
    if on_ready is not None:
        on_ready(base_url)
    try:
        server.run()
    finally:
        server.task_dispatcher.shutdown()
