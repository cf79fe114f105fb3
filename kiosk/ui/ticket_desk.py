"""The app's side of the ticket printer: after a question or a sign-up, hand its ticket to the printer's
worker (the screen shows the number whatever the printer does); keep what went wrong for the Today page."""

from __future__ import annotations

from kivy.clock import mainthread
from kivy.event import EventDispatcher
from kivy.properties import StringProperty

from kiosk.export.ticket_printer import TicketPrinter
from kiosk.ui.ticket import question_ticket, signup_ticket


class TicketDesk(EventDispatcher):
    """``app.tickets``. :attr:`problem` is a code of :data:`kiosk.ui.ticket.PRINTER_PROBLEMS` ("" when fine)."""

    problem = StringProperty("")

    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        self.printer = TicketPrinter(getattr(config, "printer_kind", "none"), getattr(config, "printer_address", ""),
                                     on_problem=self._told)

    def after_done(self, done, lang: str) -> None:
        """A flow finished with ``done``: print its ticket, if it has one and a printer is configured."""
        record = getattr(done, "record", None)
        if record is None or not self.printer.enabled:
            return
        if record.get("type") == "question":
            self.printer.submit(question_ticket(record, lang))
        elif record.get("type") == "signup":
            self.printer.submit(signup_ticket(record, lang, done.place))

    def stop(self) -> None:
        self.printer.stop()

    @mainthread
    def _told(self, problem: str) -> None:
        self.problem = problem
