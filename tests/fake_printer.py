"""A receipt printer on 127.0.0.1 for tests: a real TCP socket like an ESC/POS printer's port 9100."""

from __future__ import annotations

import socket
import threading

CUT = b"\x1dV"  # GS V: cut the paper


class FakePrinter:
    """Listens on 127.0.0.1 like a receipt printer on port 9100: keeps what it gets, answers paper queries."""

    def __init__(self, paper: int = 0x12, hold: threading.Event | None = None):
        self.paper = paper  # the status byte: 0x12 paper, 0x1e nearly out, 0x72 out
        self.hold = hold
        self.received = bytearray()
        self.tickets = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                if self.hold is not None:
                    self.hold.wait(10)
                while chunk := conn.recv(4096):
                    if b"\x10\x04\x04" in chunk:
                        conn.sendall(bytes([self.paper]))
                        chunk = chunk.replace(b"\x10\x04\x04", b"")
                    self.received += chunk
                    if CUT in self.received:
                        self.tickets.set()

    def close(self):
        self.server.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
