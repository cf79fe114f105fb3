"""The live queue on a staff member's own phone: a small page served by the kiosk on its own network address.

The link holds a random token (``secrets.token_urlsafe``) and works until :attr:`LiveQueue.expires_at` (the end
of the day) or until staff end it (:meth:`LiveQueue.stop`); it lives in memory only, so a restart ends it too.
The page lists the open questions (ticket, theme, "talk today", minutes waiting: no names, phone numbers or
typed text), asks for them again every :data:`POLL_SECONDS` seconds, and beeps and vibrates when a new "talk
today" ticket arrives. Everything is read-only except "geholpen" / "niet nodig": a POST with the token
and a JSON body (a plain form from another site cannot send one), handed to ``mark`` — the same ``handled``
records as the kiosk's staff page. Kivy-free: ``source`` and ``mark`` are called from the server's threads
(the repository is thread-safe).
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable

from kiosk.core.daylog import VALUE_NAMES
from kiosk.core.question import OUTCOMES, QueueItem, minutes_waiting
from kiosk.export.phone import EXPIRED_PAGE, send, serve

if TYPE_CHECKING:  # http.server is imported when a page is first served, not at the kiosk's start
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

POLL_SECONDS = 3
MAX_BODY = 2048


def queue_items(items: Iterable[QueueItem], now: datetime) -> list[dict[str, Any]]:
    """The open questions as the phone may see them: no names, phone numbers or visitor texts."""
    return [{"id": item.id, "ticket": item.ticket, "theme": VALUE_NAMES["theme"].get(item.theme, item.theme),
             "talk_today": item.talk_today, "minutes": minutes_waiting(item, now)}
            for item in items if item.is_open]


class LiveQueue:
    """Serves the queue page at a secret address until ``expires_at``; :meth:`start` returns the link.

    ``source()`` gives today's :class:`~kiosk.core.question.QueueItem` list; ``mark(question_id, outcome)``
    stores a ``handled`` record and returns "" or a problem code; ``now()`` is the kiosk's clock.
    """

    def __init__(self, source: Callable[[], list[QueueItem]], mark: Callable[[str, str], str], *,
                 address: str, expires_at: datetime, now: Callable[[], datetime], port: int = 0,
                 title: str = "Wachtrij"):
        self.source, self.mark, self.now = source, mark, now
        self.address, self.port, self.expires_at, self.title = address, port, expires_at, title
        self.token = secrets.token_urlsafe(18)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"http://{host}:{self.port}/q/{self.token}"

    @property
    def running(self) -> bool:
        return self._server is not None and self.now() < self.expires_at

    def start(self) -> str:
        """Open the server; return the link. ExportError ``no_network`` when the address cannot be used."""
        server, self._thread = serve(self.address, self.port, _handler_for(self), "kiosk-live-queue")
        self._server, self.port = server, server.server_address[1]
        return self.url

    def stop(self) -> None:
        """Close the server (idempotent): the link stops working at once."""
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            if threading.current_thread() is not self._thread:
                server.shutdown()
            server.server_close()

    # -- the server's side ---------------------------------------------------------------------------
    def _allowed(self, token: str) -> bool:
        return (self._server is not None and self.now() < self.expires_at
                and hmac.compare_digest(token.encode(), self.token.encode()))

    def _items(self) -> dict[str, Any]:
        now = self.now()
        return {"items": queue_items(self.source(), now), "time": f"{now:%H:%M}"}

    def _page(self) -> bytes:
        return PAGE.replace("{{TITLE}}", _html(self.title)).replace("{{POLL}}", str(POLL_SECONDS * 1000)).encode()


def _handler_for(live: LiveQueue) -> type[BaseHTTPRequestHandler]:
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        server_version = "kiosk"
        sys_version = ""
        timeout = 20

        def _route(self) -> tuple[str, str] | None:
            """(token, what) for /q/<token>[/items|/mark]; None for any other path."""
            parts = self.path.split("?")[0].split("/")
            if len(parts) < 3 or parts[1] != "q" or len(parts) > 4:
                return None
            return parts[2], parts[3] if len(parts) == 4 else ""

        def do_GET(self) -> None:  # noqa: N802
            route = self._route()
            if route is None or route[1] not in ("", "items"):
                send(self, 404, b"Not found\n", "text/plain; charset=utf-8")
            elif not live._allowed(route[0]):
                send(self, 410, EXPIRED_PAGE.encode("utf-8"), "text/html; charset=utf-8")
            elif route[1] == "items":
                send(self, 200, json.dumps(live._items()).encode(), "application/json")
            else:
                send(self, 200, live._page(), "text/html; charset=utf-8")

        def do_POST(self) -> None:  # noqa: N802
            route = self._route()
            if route is None or route[1] != "mark":
                return self._json(404, {"error": "not_found"})
            if not live._allowed(route[0]):
                return self._json(410, {"error": "expired"})
            if self.headers.get_content_type() != "application/json":
                return self._json(415, {"error": "json_only"})
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = -1
            if not 0 < length <= MAX_BODY:
                return self._json(400, {"error": "bad_request"})
            try:
                body = json.loads(self.rfile.read(length))
                question_id, outcome = body["question"], body["outcome"]
            except (ValueError, KeyError, TypeError):
                return self._json(400, {"error": "bad_request"})
            if not isinstance(question_id, str) or outcome not in OUTCOMES:
                return self._json(400, {"error": "bad_request"})
            problem = live.mark(question_id, outcome)
            if problem:
                return self._json(409, {"error": problem})
            self._json(200, {"ok": True})

        def _json(self, status: int, value: dict[str, Any]) -> None:
            send(self, status, json.dumps(value).encode(), "application/json")

        def log_message(self, format, *args) -> None:  # never log the path: it holds the token
            pass

    return Handler


def _html(text: str) -> str:
    from html import escape

    return escape(text)


#: The phone's page: no outside files; its script asks for the items every few seconds.
PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{TITLE}}</title>
<style>
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0;background:#fff8ee;color:#1f2937;font-size:20px}
header{background:#374151;color:#fff;padding:12px 16px;display:flex;justify-content:space-between;align-items:center}
header h1{font-size:1.2em;margin:0}
#state{font-size:.85em}
main{padding:10px}
.card{background:#fff;border-radius:14px;padding:12px;margin:0 0 10px;display:grid;grid-template-columns:auto 1fr;gap:4px 14px;align-items:center}
.card.talk{border-left:10px solid #991b1b}
.nr{font-size:2.6em;font-weight:bold;grid-row:span 3;min-width:2ch;text-align:center}
.theme{font-weight:bold}
.theme::first-letter{text-transform:uppercase}
.wait{font-weight:bold}
.talk .when{color:#991b1b;font-weight:bold}
.buttons{grid-column:1/3;display:flex;gap:10px;margin-top:6px}
button{flex:1;min-height:56px;font-size:1em;border-radius:10px;border:0}
.helped{background:#15803d;color:#fff}
.notneeded{background:#e5e7eb;color:#1f2937}
.empty{color:#4b5563;font-style:italic;padding:20px 6px}
#sound{margin:10px 10px 0;width:calc(100% - 20px);min-height:48px;font-size:.9em;border-radius:10px;border:1px solid #374151;background:#fff}
</style></head>
<body>
<header><h1>{{TITLE}}</h1><span id="state">…</span></header>
<button id="sound" type="button">Geluid aan bij een nieuw nummer</button>
<main id="list"><p class="empty">Even geduld…</p></main>
<script>
"use strict";
const base = location.pathname.replace(/\\/$/, "");
const known = new Set(); let first = true; let audio = null;
document.getElementById("sound").onclick = function () {
  audio = audio || new (window.AudioContext || window.webkitAudioContext)();
  this.textContent = "Geluid staat aan"; beep();
};
function beep() {
  if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
  if (!audio) return;
  const o = audio.createOscillator(), g = audio.createGain();
  o.frequency.value = 880; o.connect(g); g.connect(audio.destination);
  g.gain.setValueAtTime(0.3, audio.currentTime); o.start(); o.stop(audio.currentTime + 0.4);
}
function card(item) {
  const div = document.createElement("div");
  div.className = "card" + (item.talk_today ? " talk" : "");
  div.dataset.id = item.id;
  const nr = document.createElement("div"); nr.className = "nr"; nr.textContent = item.ticket;
  const theme = document.createElement("div"); theme.className = "theme"; theme.textContent = item.theme;
  const when = document.createElement("div"); when.className = "when";
  when.textContent = item.talk_today ? "Wil vandaag praten" : "Een andere keer mag";
  const wait = document.createElement("div"); wait.className = "wait"; wait.textContent = "Wacht " + item.minutes + " min";
  const buttons = document.createElement("div"); buttons.className = "buttons";
  for (const [outcome, label, css] of [["helped", "Geholpen", "helped"], ["not_needed", "Niet nodig", "notneeded"]]) {
    const b = document.createElement("button"); b.type = "button"; b.className = css; b.textContent = label;
    b.onclick = () => mark(item.id, outcome, b); buttons.appendChild(b);
  }
  div.append(nr, theme, when, wait, buttons);
  return div;
}
function show(data) {
  const list = document.getElementById("list"); list.replaceChildren();
  let fresh = false;
  for (const item of data.items) {
    if (!known.has(item.id) && item.talk_today && !first) fresh = true;
    known.add(item.id); list.appendChild(card(item));
  }
  if (!data.items.length) { const p = document.createElement("p"); p.className = "empty"; p.textContent = "Niemand wacht."; list.appendChild(p); }
  document.getElementById("state").textContent = data.items.length + " open · " + data.time;
  if (fresh) beep();
  first = false;
}
async function load() {
  try {
    const r = await fetch(base + "/items", {cache: "no-store"});
    if (r.status === 410) { document.getElementById("state").textContent = "Link verlopen"; return false; }
    show(await r.json());
  } catch (e) { document.getElementById("state").textContent = "Geen verbinding…"; }
  return true;
}
async function mark(id, outcome, button) {
  button.disabled = true;
  try {
    await fetch(base + "/mark", {method: "POST", headers: {"Content-Type": "application/json"},
                                 body: JSON.stringify({question: id, outcome: outcome})});
  } finally { load(); }
}
(async function poll() { if (await load()) setTimeout(poll, {{POLL}}); })();
</script>
</body></html>
"""
