"""The live queue on a staff member's own phone: a QR code of a link the kiosk serves until midnight or until
staff stop it (:class:`kiosk.export.live_queue.LiveQueue`). The page has its own small controller.

The link outlives the staff session (staff walk the floor with it); stopping it, midnight or a restart end it.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from kivy.app import App
from kivy.clock import mainthread
from kivy.properties import StringProperty

from kiosk.core import question
from kiosk.errors import ExportError, KioskError
from kiosk.export.live_queue import LiveQueue
from kiosk.i18n import N_
from kiosk.ui.staff.page import StaffPage

log = logging.getLogger(__name__)


class LiveQueueController:
    """Starts, shows and stops the one live-queue link of this kiosk."""

    def __init__(self, page: "LiveQueueScreen", app):
        self.page, self.app = page, app
        self.live: LiveQueue | None = None

    def refresh(self) -> None:
        """Shown: start the link if there is none (or it ran out), and show its QR code."""
        if self.live is None or not self.live.running:
            self.start()
        self.page.url = self.live.url if self.live is not None else ""

    def start(self) -> None:
        self.stop()
        services = self.app.services
        address = self.app.staff.find_address()
        if address is None:
            self.page.say(N_("This kiosk is not connected to a network. Connect it to Wi-Fi first, or use a USB stick."),
                          "problem")
            return
        now = services.clock.now()
        midnight = datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=now.tzinfo)
        live = LiveQueue(self._queue, self._mark, address=address, expires_at=midnight, now=services.clock.now,
                         title=f"{services.config.name}: wachtrij")
        try:
            live.start()
        except ExportError as error:
            log.warning("live queue: %s", error)
            self.page.say(N_("This kiosk is not connected to a network. Connect it to Wi-Fi first, or use a USB stick."),
                          "problem")
            return
        self.live = live
        self.page.say("")

    def stop(self) -> None:
        live, self.live = self.live, None
        if live is not None:
            live.stop()
        self.page.url = ""

    # -- called from the server's threads (the repository is thread-safe) ---------------------------
    def _queue(self):
        services = self.app.services
        return question.question_queue(services.repo.records_for_day(services.clock.now().date()))

    def _mark(self, question_id: str, outcome: str) -> str:
        try:
            question.handle(self.app.services.recorder, question_id, outcome)
        except KioskError as error:
            return getattr(error, "code", "failed")
        self._marked()
        return ""

    @mainthread
    def _marked(self) -> None:
        staff = self.app.staff
        if staff.logged_in and self.app.current in ("staff_questions", "staff_today"):
            staff.refresh(self.app.current)


class LiveQueueScreen(StaffPage):
    """The QR code of the live-queue link, and "stop"."""

    url = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.controller = LiveQueueController(self, App.get_running_app())

    def refresh(self) -> None:
        self.controller.refresh()

    def reset(self) -> None:
        super().reset()  # the link itself goes on: staff carry it on their phone
