"""A ticket in the hand: an ESC/POS receipt printer (USB, serial or network) through python-escpos.

A :class:`Ticket` is already in the visitor's words (the UI makes it); :func:`render` puts it on any
python-escpos printer (tests use its ``Dummy``). :class:`TicketPrinter` prints in a worker thread of its own,
so the screen never waits for paper: it tells what went wrong through ``on_problem`` (a code from
:data:`PROBLEMS`, "" once a ticket printed) and keeps the last code in :attr:`TicketPrinter.problem`.
Kivy-free: the app wraps ``on_problem`` with ``@mainthread``.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Any, Callable

log = logging.getLogger(__name__)

KINDS = ("none", "usb", "serial", "network")
NETWORK_PORT = 9100
#: Seconds to wait for a printer on the network (or a USB/serial answer) before calling it unreachable.
TIMEOUT = 5.0
#: What can be wrong, by code (the UI says it in words).
PROBLEMS = ("no_paper", "paper_low", "not_found", "failed")


@dataclass(frozen=True)
class Ticket:
    """What one ticket says: ``number`` very large (empty for a sign-up), a ``heading``, then ``lines``."""

    number: str
    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PrinterAddress:
    kind: str
    usb: tuple[int, int] | None = None
    device: str = ""
    host: str = ""
    port: int = NETWORK_PORT


def parse_address(kind: str, address: str) -> PrinterAddress:
    """``[printer] kind`` and ``address`` checked: ValueError with what was expected.

    usb: ``"04b8:0e15"`` (vendor:product, hexadecimal); serial: ``"/dev/ttyUSB0"``; network: ``"192.168.1.50"``
    or ``"printer.local:9100"``.
    """
    address = address.strip()
    if kind not in KINDS:
        raise ValueError(f"expected one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "none":
        return PrinterAddress("none")
    if not address:
        raise ValueError(f'a "{kind}" printer needs its address')
    if kind == "usb":
        try:
            vendor, product = (int(part.removeprefix("0x"), 16) for part in address.lower().split(":"))
        except ValueError:
            raise ValueError(f'expected a USB printer as vendor:product, like "04b8:0e15", got {address!r}') from None
        if not (0 < vendor <= 0xFFFF and 0 < product <= 0xFFFF):
            raise ValueError(f'expected a USB printer as vendor:product, like "04b8:0e15", got {address!r}')
        return PrinterAddress("usb", usb=(vendor, product))
    if kind == "serial":
        if not address.startswith("/dev/") and not address.upper().startswith("COM"):
            raise ValueError(f'expected a serial device like "/dev/ttyUSB0", got {address!r}')
        return PrinterAddress("serial", device=address)
    host, _, port = address.rpartition(":") if address.count(":") == 1 else (address, "", "")
    if not port:
        host = address
    try:
        number = int(port) if port else NETWORK_PORT
    except ValueError:
        raise ValueError(f'expected a network printer like "192.168.1.50" or "printer.local:9100", got {address!r}') from None
    if not host or not 0 < number < 65536:
        raise ValueError(f'expected a network printer like "192.168.1.50" or "printer.local:9100", got {address!r}')
    return PrinterAddress("network", host=host, port=number)


def open_device(where: PrinterAddress):
    """A python-escpos printer for ``where``, opened: ``escpos.exceptions.DeviceNotFoundError`` (or an OSError)
    when it is not there."""
    from escpos import printer

    if where.kind == "usb":
        device = printer.Usb(where.usb[0], where.usb[1], timeout=int(TIMEOUT * 1000))
    elif where.kind == "serial":
        device = printer.Serial(where.device, timeout=TIMEOUT)
    elif where.kind == "network":
        device = printer.Network(where.host, where.port, timeout=TIMEOUT)
    else:
        raise ValueError("no printer is configured")
    device.open()
    return device


def render(device, ticket: Ticket) -> None:
    """Put ``ticket`` on ``device`` (any python-escpos printer): the number as large as the printer prints,
    the heading in double size, the lines, then a cut."""
    device.set(align="center", normal_textsize=True)
    if ticket.number:
        device.set(align="center", bold=True, custom_size=True, width=8, height=8)
        device.text(f"{ticket.number}\n")
    device.set(align="center", bold=True, double_width=True, double_height=True)
    device.text(f"{ticket.heading}\n")
    device.set(align="center", normal_textsize=True)
    for line in ticket.lines:
        device.text(f"{line}\n")
    device.cut()


def paper_problem(device) -> str:
    """``no_paper``, ``paper_low`` or "" (fine, or a printer that does not say)."""
    try:
        status = device.paper_status()
    except Exception:  # a printer that does not answer status queries: assume paper
        return ""
    return {0: "no_paper", 1: "paper_low"}.get(status, "")


class TicketPrinter:
    """Prints tickets one after another in a worker thread; never blocks the caller."""

    def __init__(self, kind: str = "none", address: str = "", *,
                 opener: Callable[[PrinterAddress], Any] = open_device,
                 on_problem: Callable[[str], None] | None = None):
        self.where = parse_address(kind, address)
        self.opener = opener
        self.on_problem = on_problem
        self.problem = ""
        self._queue: queue.Queue[Ticket | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.where.kind != "none"

    def submit(self, ticket: Ticket) -> None:
        """Print ``ticket`` soon, in the worker; with no printer configured, nothing happens."""
        if not self.enabled:
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="kiosk-ticket-printer", daemon=True)
                self._thread.start()
        self._queue.put(ticket)

    def print_now(self, ticket: Ticket) -> str:
        """Print ``ticket`` in this thread (the worker, ``kiosk print-test``); return the problem code or ""."""
        try:
            device = self.opener(self.where)
        except Exception as error:  # DeviceNotFoundError, USBNotFoundError, OSError...
            log.warning("the ticket printer cannot be reached: %s", error)
            return self._tell("not_found")
        try:
            problem = paper_problem(device)
            if problem == "no_paper":
                return self._tell(problem)
            render(device, ticket)
            return self._tell(problem)
        except Exception as error:
            log.warning("printing a ticket failed: %s", error)
            return self._tell("failed")
        finally:
            try:
                device.close()
            except Exception:
                pass

    def check(self) -> str:
        """Whether the printer is there and has paper, without printing (``kiosk doctor``)."""
        try:
            device = self.opener(self.where)
        except Exception:
            return "not_found"
        try:
            return paper_problem(device)
        finally:
            try:
                device.close()
            except Exception:
                pass

    def stop(self) -> None:
        self._queue.put(None)

    def _work(self) -> None:
        while True:
            ticket = self._queue.get()
            if ticket is None:
                return
            self.print_now(ticket)

    def _tell(self, problem: str) -> str:
        self.problem = problem
        if self.on_problem is not None:
            try:
                self.on_problem(problem)
            except Exception:
                log.exception("telling about the printer failed")
        return problem
