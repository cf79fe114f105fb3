"""Staff mode: the PIN, the staff session, and the wiring of the staff pages. The app calls into this.

Getting in: a finger held on the kiosk's name on the home screen opens the PIN pad (:meth:`StaffMode.open_pad`);
the right PIN opens "Today". The PIN is checked in a worker thread (scrypt is slow on purpose) and the
answer comes back through the Kivy clock. The session ends with "Close", on idle (the app's idle care:
staff pages count as away from home), and whenever the app goes home: :meth:`StaffMode.end_session`
stops the phone link, and the app's ``go_home`` resets every page, so no visitor sees what staff saw.

Each page is its own controller beside its .kv (``refresh()`` and its actions; see
:class:`kiosk.ui.staff.page.StaffPage`); this class makes the pages, shows them, refreshes the live ones,
and keeps what spans pages: the session, the phone link, the count of open questions. Slow work (a USB
stick, the PIN) runs in a worker thread; only the main thread touches widgets.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta
from typing import Callable

from kivy.clock import Clock, mainthread
from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty

from kiosk.core import report
from kiosk.core.cards import SEEN_KEY
from kiosk.core.daystats import DayStats, day_stats
from kiosk.core.staff_pin import Attempt, Outcome, StaffLock
from kiosk.errors import ExportError
from kiosk.export import media
from kiosk.export.phone import DownloadState, OneTimeDownload, network_address
from kiosk.i18n import N_, format_day
from kiosk.ui.kv import load_kv
from kiosk.ui.staff.ideas import IdeasScreen
from kiosk.ui.staff.log import EXPORT_PROBLEMS, LogScreen
from kiosk.ui.staff.phone import PhoneScreen
from kiosk.ui.staff.pin import PinScreen
from kiosk.ui.staff.place import PlaceScreen
from kiosk.ui.staff.privacy import PersonalDataScreen
from kiosk.ui.staff.questions import QuestionsScreen
from kiosk.ui.staff.live_queue import LiveQueueScreen
from kiosk.ui.staff.signups import SignupsScreen
from kiosk.ui.staff.today import TodayScreen

log = logging.getLogger(__name__)

KV_FILES = ["staff/widgets.kv", "staff/pin.kv", "staff/today.kv", "staff/questions.kv", "staff/ideas.kv",
            "staff/log.kv", "staff/phone.kv", "staff/privacy.kv", "staff/place.kv"]
KV_FILES += ["staff/signups.kv", "staff/live_queue.kv"]
SCREENS = {
    "staff_pin": PinScreen,
    "staff_today": TodayScreen,
    "staff_questions": QuestionsScreen,
    "staff_ideas": IdeasScreen,
    "staff_log": LogScreen,
    "staff_phone": PhoneScreen,
    "staff_privacy": PersonalDataScreen,
    "staff_place": PlaceScreen,
}
SCREENS["staff_signups"] = SignupsScreen
SCREENS["staff_live_queue"] = LiveQueueScreen
#: The staff menu: (page, pictogram, message id).
MENU = [
    ("staff_today", "chart", N_("Today")),
    ("staff_questions", "question", N_("Questions")),
    ("staff_ideas", "idea", N_("Ideas and sign-ups")),
    ("staff_log", "save", N_("Day's log")),
    ("staff_privacy", "privacy", N_("Personal details")),
    ("staff_place", "place", N_("Today's place")),
]
MENU.insert(3, ("staff_signups", "activities", N_("Who is coming")))
#: Pages whose numbers are refreshed while they are shown (every REFRESH_SECONDS).
LIVE_PAGES = ("staff_today", "staff_questions", "staff_ideas")
REFRESH_SECONDS = 10


class StaffMode(EventDispatcher):
    """The staff side of the app (``app.staff``)."""

    logged_in = BooleanProperty(False)
    """True during a staff session."""

    open_questions = NumericProperty(0)
    """Today's questions nobody has handled yet (shown in the menu)."""

    menu = MENU
    """The staff menu (:data:`MENU`), read by :class:`kiosk.ui.staff.widgets.StaffMenu`."""

    def __init__(self, app, **kwargs):
        super().__init__(**kwargs)
        self.app = app
        self.services = app.services
        self.lock = StaffLock(self.services.repo, self.services.clock)
        #: Finds the kiosk's network address (tests give 127.0.0.1).
        self.find_address: Callable[[], str | None] = network_address
        #: Where USB sticks are mounted (tests give a folder of their own).
        self.media_roots: tuple[str, ...] = media.REMOVABLE_ROOTS
        self.download: OneTimeDownload | None = None
        self._tick_event = None
        self._ticks = 0
        self._checking = False

    # -- wiring -------------------------------------------------------------------------------------
    def make_page(self, name: str):
        """A new staff page (the app makes each the first time it is shown; their kv is read then too)."""
        load_kv(KV_FILES)
        page = SCREENS[name](name=name)
        page.staff = self
        return page

    def page(self, name: str):
        return self.app.screen(name)

    # -- getting in ---------------------------------------------------------------------------------
    def open_pad(self) -> None:
        """The hidden gesture on the home screen: show the PIN pad."""
        if self.app.current != "home":
            return
        pad = self.page("staff_pin")
        pad.reset()
        pad.no_pin = not self.lock.is_set
        if pad.no_pin:
            pad.message = N_("No staff PIN has been set yet. Ask the person who installed the kiosk to run: kiosk set-pin")
        self._show_wait(pad, self.lock.wait())
        self.app.show("staff_pin")
        self._start_ticking()

    def try_pin(self, pin: str) -> None:
        """Check ``pin`` in a worker thread; the pad waits meanwhile."""
        if self._checking:
            return
        self._checking = True
        pad = self.page("staff_pin")
        pad.checking = True

        def check() -> None:
            try:
                result: Attempt | Exception = self.lock.try_pin(pin)
            except Exception as error:  # e.g. the state file cannot be written: the pad must not wait for ever
                result = error
            Clock.schedule_once(lambda dt: self._pin_checked(result))

        threading.Thread(target=check, name="kiosk-pin-check", daemon=True).start()

    def _pin_checked(self, result: Attempt | Exception) -> None:
        self._checking = False
        pad = self.page("staff_pin")
        pad.checking, pad.entered = False, ""
        if self.app.current != "staff_pin":
            return  # the pad was closed while the PIN was checked
        if isinstance(result, Exception):
            log.error("checking the staff PIN failed: %r", result)
            pad.message, pad.fields = N_("This did not work."), {}
        elif result.outcome is Outcome.OK:
            self.logged_in = True
            self.show("staff_today")
        elif result.outcome is Outcome.WRONG:
            pad.message, pad.fields = N_("That is not the right PIN. Tries left before a wait: {n}"), {"n": result.tries_left}
        elif result.outcome is Outcome.LOCKED:
            self._show_wait(pad, result.wait)
        elif result.outcome is Outcome.UNCOUNTED:
            log.error("a staff PIN try could not be counted: the state file cannot be written")
            pad.message, pad.fields = N_("The PIN cannot be checked now: the kiosk cannot save. Ask a technician."), {}
        else:
            pad.no_pin = True
            pad.message = N_("No staff PIN has been set yet. Ask the person who installed the kiosk to run: kiosk set-pin")

    def _show_wait(self, pad: PinScreen, wait: timedelta) -> None:
        seconds = int(wait.total_seconds() + 0.999)
        pad.wait_seconds = seconds
        if seconds:
            pad.message = N_("Too many wrong tries. You can try again in {time}.")
            pad.fields = {"time": f"{seconds // 60}:{seconds % 60:02d}"}
        elif pad.message == N_("Too many wrong tries. You can try again in {time}."):
            pad.message, pad.fields = "", {}

    def end_session(self) -> None:
        """Log out: stop the phone link and the timers. The app resets the pages as it goes home."""
        self.logged_in = False
        self.stop_download()
        self._stop_ticking()

    def close(self) -> None:
        """"Close": back to the visitor home screen."""
        self.app.go_home()

    # -- pages --------------------------------------------------------------------------------------
    def show(self, name: str) -> None:
        """Fill a staff page with fresh numbers and show it (only during a session)."""
        if not self.logged_in or name not in SCREENS:
            return
        if name != "staff_phone":
            self.stop_download()
        self.refresh(name)
        self.app.show(name)
        self._start_ticking()

    def refresh(self, name: str) -> None:
        self.page(name).refresh()

    def day_stats(self) -> DayStats:
        """Today's numbers; keeps :attr:`open_questions` (shown in the menu) up to date."""
        repo, today = self.services.repo, self.today()
        stats = day_stats(today, repo.records_for_day(today), repo.get_setting(SEEN_KEY))
        self.open_questions = len(stats.open_questions)
        return stats

    def day_files(self, day: str) -> dict[str, bytes]:
        """The files of one day's log (CSV, JSON, the printable report) as staff save them."""
        repo = self.services.repo
        return report.day_files(day, repo.records_for_day(day), self.services.config.name, repo.kiosk_id,
                                self.services.clock.now(), repo.get_setting(SEEN_KEY))

    # -- what the pages' buttons call (kept here so the kv and the cards reach them by one name) ------
    def mark(self, question_id: str, outcome: str) -> None:
        self.page("staff_questions").mark(question_id, outcome)

    def set_location(self, place: str) -> None:
        self.page("staff_place").set_location(place)

    def choose_day(self, day: str) -> None:
        self.page("staff_log").choose_day(day)

    def look_for_sticks(self) -> None:
        self.page("staff_log").look_for_sticks()

    def export_to(self, folder: str, name: str) -> None:
        self.page("staff_log").export_to(folder, name)

    def erase(self, day: str, record_id: str, record_type: str) -> None:
        self.page("staff_privacy").erase(day, record_id, record_type)

    # -- a phone ------------------------------------------------------------------------------------
    def phone_start(self, personal: bool = False) -> None:
        """Serve the chosen day's report (with the CSV and JSON inside) once, on a link shown as a QR code;
        with names and phone numbers only when staff chose ``personal`` for this download."""
        log_page = self.page("staff_log")
        if not self.logged_in or not log_page.day:
            return
        self.stop_download()
        address = self.find_address()
        if address is None:
            log_page.say(EXPORT_PROBLEMS["no_network"], "problem")
            if self.app.current != "staff_log":
                self.show("staff_log")
            return
        day, repo = log_page.day, self.services.repo
        body = report.day_page(day, repo.records_for_day(day), self.services.config.name, repo.kiosk_id,
                               self.services.clock.now(), repo.get_setting(SEEN_KEY), personal=personal)
        download = OneTimeDownload(body, address=address,
                                   on_change=lambda state: self._download_changed(download, state))
        try:
            url = download.start()
        except ExportError as error:
            log.warning("phone download: %s", error)
            log_page.say(EXPORT_PROBLEMS["no_network"], "problem")
            return
        self.download = download
        page = self.page("staff_phone")
        page.reset()
        page.url, page.state, page.seconds_left = url, "waiting", download.seconds_left()
        page.day_label, page.personal = self.day_words(day), personal
        self.show("staff_phone")

    @mainthread
    def _download_changed(self, download: OneTimeDownload, state: DownloadState) -> None:
        if download is self.download:
            self.page("staff_phone").state = state.value

    def stop_download(self) -> None:
        download, self.download = self.download, None
        if download is not None:
            download.stop()
            self.page("staff_phone").state = DownloadState.STOPPED.value

    # -- uploads ------------------------------------------------------------------------------------
    def retry_uploads(self) -> None:
        outbox = getattr(self.app, "outbox", None)
        if outbox is not None:
            outbox.retry_now()

    # -- the clock ----------------------------------------------------------------------------------
    def _start_ticking(self) -> None:
        if self._tick_event is None:
            self._ticks = 0
            self._tick_event = Clock.schedule_interval(self._tick, 1)

    def _stop_ticking(self) -> None:
        if self._tick_event is not None:
            self._tick_event.cancel()
            self._tick_event = None

    def _tick(self, dt) -> None:
        current = self.app.current
        self._ticks += 1
        if current == "staff_pin":
            pad = self.page("staff_pin")
            if pad.wait_seconds:
                self._show_wait(pad, self.lock.wait())
        elif current == "staff_phone" and self.download is not None:
            self.page("staff_phone").seconds_left = self.download.seconds_left()
        elif current in LIVE_PAGES and self.logged_in and self._ticks % REFRESH_SECONDS == 0:
            self._refresh_quietly(current)

    def _refresh_quietly(self, name: str) -> None:
        """New questions arrive while staff look: refresh, unless a finger is on the page."""
        from kivy.base import EventLoop

        if any(getattr(touch, "grab_current", None) is not None for touch in EventLoop.touches):
            return
        self.refresh(name)

    # -- helpers ------------------------------------------------------------------------------------
    def today(self) -> str:
        return self.services.clock.now().date().isoformat()

    def day_words(self, day: str) -> str:
        return format_day(date.fromisoformat(day), self.app.lang)
