"""The Kivy app: wires screens to the flows and the core. Layout lives in the .kv files.

Navigation: ``open(target)`` starts a flow or shows a screen. In a flow, each step is shown on a
screen of its kind (one of each kind); ``answer(value)`` moves on (skipping steps whose
``when`` says no); the flow's ``finish`` stores the record (durably, before anything is shown); the done
screen goes home by itself. ``go_back()`` returns one step, with what the visitor left there;
``go_home()`` drops the unfinished answers, ``end_visit()`` also forgets the visitor's language and
hearts (for the next visitor). Idle care: after ``idle_timeout`` seconds without a touch
away from home, "Are you still there?" counts down ``idle_countdown`` seconds, then ends the visit.
Only the main thread touches widgets; nothing here waits on the network.

Staff mode lives in :mod:`kiosk.ui.staff` (``self.staff``): its pages are screens like any other (so idle
care covers them), and going home always ends a staff session. Member-card scans: :mod:`kiosk.ui.scanner`.
Uploads: the outbox runs from ``on_start`` to ``on_stop``; its status lands in ``sync_status``.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.core.window import Window
from kivy.properties import ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import ScreenManager

from kiosk.calendar.source import CalendarRefresher, CalendarSnapshot
from kiosk.core import ideas
from kiosk.core.feedback import FeedbackDesk
from kiosk.core.signup import persons_signed_up, places_left, recent_signups
from kiosk.errors import KioskError, ValidationError
from kiosk.services import Services
from kiosk.shutdown import Workers
from kiosk.ui.flows import FLOWS, Done, Flow, Step
from kiosk.ui.ticket_desk import TicketDesk
from kiosk.ui.flows import HOME_TILES as FLOWS_HOME_TILES
from kiosk.ui import memory, theme
from kiosk.i18n import N_, fill, format_day, ntranslate, translate
from kiosk.ui.idle import StillThereOverlay
from kiosk.ui.kv import load_kv
from kiosk.ui.scanner import CardReader
from kiosk.ui.sizes import ui
from kiosk.ui.speech import ReadAloud
from kiosk.ui.screens.activities import ActivitiesScreen
from kiosk.ui.screens.base import StepScreen
from kiosk.ui.screens.choice import ChoiceScreen
from kiosk.ui.screens.count import CountScreen
from kiosk.ui.screens.done import DoneScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.privacy import PrivacyScreen
from kiosk.ui.screens.text import TextScreen
from kiosk.ui.screens.wall import IdeaWallScreen
from kiosk.ui.widgets import Cut

if TYPE_CHECKING:  # imported after the first frame, where they are used (start-up)
    from kiosk.sync import Outbox, SyncStatus
    from kiosk.ui.staff.mode import StaffMode

log = logging.getLogger(__name__)

KV_FILES = ["drawing.kv", "speech.kv", "widgets.kv", "idle.kv", "screens/base.kv", "screens/home.kv"]
#: The rules of the screens made later: read after the first frame (or when one is first made), not before
#: it (reading them took a fifth of a second of start-up).
LATER_KV_FILES = ["keyboard.kv", "screens/choice.kv", "screens/count.kv", "screens/text.kv", "screens/done.kv",
                  "screens/wall.kv", "screens/privacy.kv", "screens/activities.kv"]
#: The screen that shows each kind of flow step, and its class: one of each, made when first needed, shows
#: every step of its kind (a screen per step, 17 of them, kept 45 MB; two of each kind, taken in turn for a
#: fade, 4 MB more than one).
STEP_SCREENS = {"choice": ("choice", ChoiceScreen), "count": ("count", CountScreen),
                "persons": ("count", CountScreen), "text": ("text", TextScreen)}
#: The other visitor screens besides home.
SCREENS = {"done": DoneScreen, "wall": IdeaWallScreen, "privacy": PrivacyScreen, "activities": ActivitiesScreen}

#: What a refused save tells the visitor, by the core's code (anything else: "This did not work.").
REFUSALS = {
    "full": N_("Sorry, this activity is full."),
    "not_enough_places": N_("Sorry, there are not enough places left."),
    "over": N_("Sorry, this activity has already ended."),
}
#: At most this many of today's activities are offered as "what brings you here".
REASON_ACTIVITIES = 4

#: The home tiles (kiosk/ui/flows.py, where the spoken words of the home screen find them too).
HOME_TILES = FLOWS_HOME_TILES

#: How many ideas the wall shows, the most supported first: nobody scrolls past a few dozen (only the
#: cards in sight are widgets, so this costs little; finding them among 60 days of records does).
WALL_SIZE = 30
#: Seconds the "thank you" after a smiley stays.
THANKS_SECONDS = 4
#: Seconds on the home screen without a touch after which the kiosk rests (gives freed memory back).
REST_SECONDS = 5


class KioskApp(App):
    """The check-in kiosk. ``services`` come from :func:`kiosk.services.open_services`."""

    lang = StringProperty("nl")
    """The visitor's language; every text in kv is bound to it."""

    kiosk_name = StringProperty("")
    """The kiosk's name from the configuration."""

    location = StringProperty("")
    """Today's place."""

    today_text = StringProperty("")
    """Today's date in words, in the visitor's language."""

    languages = ListProperty()
    """Languages offered on the home screen."""

    done_seconds = NumericProperty(10)
    """Seconds a finished flow's last screen stays before the kiosk goes home by itself."""

    idle_timeout = NumericProperty(60)
    """Seconds without a touch (away from home) before "Are you still there?"."""

    idle_countdown = NumericProperty(20)
    """Seconds "Are you still there?" waits before the visit ends."""

    feedback_thanks = StringProperty("")
    """Message id shown after a smiley was tapped (empty: nothing)."""

    calendar = ObjectProperty()
    """The latest :class:`kiosk.calendar.source.CalendarSnapshot` (an empty programme before the first read)."""

    sync_status = ObjectProperty(None, allownone=True)
    """The upload worker's last :class:`kiosk.sync.SyncStatus` (None until it reports)."""

    def __init__(self, services: Services, **kwargs):
        super().__init__(**kwargs)
        self.services = services
        config = services.config
        self.title = f"{config.name} kiosk"
        self.kiosk_name = config.name
        self.lang = config.default_language
        self.languages = list(config.languages)
        self.location = services.recorder.location
        self.idle_timeout = config.idle_timeout
        self.idle_countdown = config.idle_countdown
        self.feedback = FeedbackDesk(services.recorder, timedelta(seconds=config.feedback_interval))
        self.flow: Flow | None = None
        self.answers: dict[str, Any] = {}
        self.drafts: dict[str, Any] = {}  # what the visitor left on each step's screen, by step name
        self.supported: set[str] = set()  # ideas this visitor gave a heart
        self._step = 0
        self._done_event = None
        self._thanks_event = None
        self._last_touch = time.monotonic()
        self._rested = False
        self.overlay: StillThereOverlay | None = None
        self.calendar_refresher: CalendarRefresher | None = None
        self.calendar = services.calendar.snapshot
        self._staff: StaffMode | None = None
        self.tickets = TicketDesk(services.config)
        self.outbox: Outbox | None = None
        self.card_reader: CardReader | None = None
        self.workers = Workers()  # every background worker joins here: on_stop ends them all at once
        self.read_aloud = ReadAloud(self)

    @property
    def staff(self) -> StaffMode:
        """Staff mode (:mod:`kiosk.ui.staff`), made when staff first need it (the PIN pad): its pages and
        what they use (reports, exports, the phone download) stay out of a visitors' kiosk (~2 MB)."""
        if self._staff is None:
            from kiosk.ui.staff.mode import StaffMode

            self._staff = StaffMode(self)
        return self._staff

    @property
    def staff_logged_in(self) -> bool:
        return self._staff is not None and self._staff.logged_in

    def _end_staff_session(self) -> None:
        if self._staff is not None:
            self._staff.end_session()

    # -- Kivy life cycle ---------------------------------------------------------------------------
    def build(self):
        ui.follow(Window)  # sizes by the window's size class, before any kv rule reads them
        load_kv(KV_FILES)
        Window.clearcolor = theme.rgba(theme.BACKGROUND)  # every screen's background
        manager = ScreenManager(transition=Cut())
        home = HomeScreen(name="home")
        manager.add_widget(home)
        self.card_reader = CardReader(self)
        home.languages = self.languages
        home.tiles = [tile for tile in HOME_TILES if tile[0] in FLOWS or tile[0] in SCREENS]
        self.overlay = StillThereOverlay()
        self.update_today()
        Clock.schedule_interval(lambda dt: self.update_today(), 30)
        Clock.schedule_interval(self._check_idle, 1)
        Window.bind(on_touch_down=self._on_activity, on_key_down=self._on_activity,
                    on_request_close=self._on_request_close)
        Clock.schedule_once(lambda dt: self.read_aloud.attach(), 0)  # once self.root is the manager
        return manager

    def screen(self, name: str):
        """The screen called ``name``, made the first time it is needed. Only home is made at start: a text
        screen's keyboard alone has some 90 widgets, and the staff pages may not be opened for days."""
        return self._made(name, lambda: SCREENS[name](name=name) if name in SCREENS else self.staff.make_page(name))

    def step_screen(self, step: Step):
        """The screen that shows ``step``: the one of its kind."""
        name, screen_class = STEP_SCREENS[step.kind]
        return self._made(name, lambda: screen_class(name=name))

    def _made(self, name: str, make):
        if not self.root.has_screen(name):
            load_kv(LATER_KV_FILES)  # at once if the first frame has not come yet
            self.root.add_widget(make())
        return self.root.get_screen(name)

    def show_step(self, index: int) -> None:
        """Show step ``index`` of the flow, with what the visitor left there if they were there before."""
        self._step = index
        step = self.flow.steps[index]
        screen = self.step_screen(step)
        screen.show_step(step, self.answers, self.drafts.get(step.name))
        if self.root.current == screen.name:  # the next step of the same kind: a new screen all the same
            self.root.transition.hold_touches()
            self.root.property("current").dispatch(self.root)  # (reading aloud, key navigation start again)
        else:
            self.root.current = screen.name

    def _leave_step(self) -> None:
        """Keep what the visitor left on the step shown now, for when they come back to it."""
        screen = self.root.current_screen
        if isinstance(screen, StepScreen):
            self.drafts[screen.step.name] = screen.draft()

    def open_settings(self, *args):
        """No settings panel for visitors (F1): kiosk settings live in the config file."""
        return False

    def _on_request_close(self, *args, **kwargs):
        return self.services.config.kiosk_mode  # True blocks closing (Alt+F4, Esc) in kiosk mode

    def on_start(self):
        """The workers start, and the other screens' rules are read, once the home screen has been drawn:
        their first work (reading the calendar, importing what uploads need) would otherwise delay the first
        frame."""

        def after_first_frame(*_):
            Window.unbind(on_flip=after_first_frame)
            Clock.schedule_once(lambda _dt: self._start_workers(), 0)
            Clock.schedule_once(lambda _dt: load_kv(LATER_KV_FILES), 0)

        Window.bind(on_flip=after_first_frame)

    def _start_workers(self) -> None:
        from kiosk.sync import OfficeSettings, Outbox

        source = self.services.calendar
        source.on_refresh = mainthread(self._on_calendar)
        self.calendar = source.snapshot
        self.calendar_refresher = CalendarRefresher(source, self.services.config.calendar_refresh_minutes)
        self.calendar_refresher.start()
        self.workers.add("calendar", self.calendar_refresher.stop)
        config = self.services.config
        self.outbox = Outbox(self.services.repo, OfficeSettings.from_config(config), interval=config.upload_interval,
                             retention_days=config.retention_days, on_status=mainthread(self._sync_changed))
        self.services.recorder.after_record = lambda record: self.outbox.nudge()
        self.outbox.start()
        self.workers.add("uploads", self.outbox.stop)

    def _sync_changed(self, status: SyncStatus) -> None:
        self.sync_status = status

    def on_stop(self):
        """The one way out (window closed, stop signal, tests): workers end at a safe point within one
        budget, then the data folder closes after the write in progress (the repository's lock)."""
        self.read_aloud.close()
        self._end_staff_session()
        self.tickets.stop()
        self.services.recorder.after_record = None
        self.workers.stop_all()
        self.services.close()

    def _on_calendar(self, snapshot: CalendarSnapshot) -> None:
        self.calendar = snapshot
        if self.root is not None and self.current == "activities":
            self.show_activities(self.screen("activities").week)

    # -- texts -------------------------------------------------------------------------------------
    def tr(self, msgid: str, lang: str) -> str:
        """Translate for kv: ``app.tr("Back", app.lang)`` re-evaluates when the language changes."""
        return translate(msgid, lang)

    def trf(self, msgid: str, lang: str, fields: dict) -> str:
        """Translate and fill in ``{fields}``, for kv."""
        return fill(translate(msgid, lang), fields, lang)

    def trn(self, singular: str, plural: str, n: int, lang: str) -> str:
        """The form for ``n`` ("Nog 1 plaats vrij", "Nog 2 plaatsen vrij") with ``{n}`` filled in, for kv."""
        return ntranslate(singular, plural, int(n), lang).format(n=int(n))

    def day_label(self, day, lang: str) -> str:
        """A date in words, for kv."""
        return format_day(day, lang)

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.update_today()

    def update_today(self) -> None:
        self.today_text = format_day(self.services.clock.now().date(), self.lang)

    # -- navigation --------------------------------------------------------------------------------
    @property
    def current(self) -> str:
        """What is shown: a screen's name, or on a step's screen the step's name."""
        screen = self.root.current_screen
        return screen.step.name if isinstance(screen, StepScreen) else screen.name

    def show(self, name: str) -> None:
        self.root.current = self.screen(name).name

    def open(self, target: str) -> None:
        """A home tile was tapped: start a flow, or show a screen."""
        if target in FLOWS:
            self.start_flow(target)
        elif target == "wall":
            self.show_wall()
        elif target == "activities":
            self.show_activities()
        else:
            self.show(target)

    def start_flow(self, name: str, **context: Any) -> None:
        """Start a flow on its first screen; ``context`` (names starting with ``_``) goes into the answers."""
        self._cancel_done_countdown()  # a flow started from a done screen (a question after the welcome)
        self.flow, self.answers, self.drafts = FLOWS[name], dict(context), {}
        if name == "checkin":
            self._offer_todays_activities()
        if name == "idea":
            self.answers["_wall"] = self.services.config.idea_wall
        self.show_step(0)

    def answer(self, value: Any) -> None:
        """The visitor answered the current step; go on, or finish the flow."""
        flow = self.flow
        if flow is None or self.current != flow.steps[self._step].name:
            return  # a late tap on a screen that is already going away
        self.answers[flow.steps[self._step].name] = value
        self._leave_step()
        following = self._next_shown(self._step + 1, +1)
        if following is None:
            self._finish(flow)
        else:
            self.show_step(following)

    def _next_shown(self, index: int, direction: int) -> int | None:
        steps = self.flow.steps
        while 0 <= index < len(steps):
            if steps[index].when(self.answers):
                return index
            index += direction
        return None

    def _finish(self, flow: Flow) -> None:
        self.flow = None  # a second tap can never store twice
        problem = N_("This did not work.")
        try:
            done = flow.finish(self.services.recorder, self.answers)
        except ValidationError as error:
            log.warning("a %s was refused: %s", flow.name, error)
            done, problem = None, REFUSALS.get(error.code, problem)
        except KioskError as error:
            log.error("saving a %s failed: %s", flow.name, error)
            done = None
        self._forget_flow()
        self.show_done(done, problem)
        if done is not None:
            self.tickets.after_done(done, self.lang)

    def show_done(self, done: Done | None, problem: str = N_("This did not work.")) -> None:
        """The last screen: ``done``'s words, or (None) ``problem``; it goes home by itself."""
        done_screen = self.screen("done")
        done_screen.show_done(done, problem)
        self.show("done")
        self._start_done_countdown()

    def _forget_flow(self) -> None:
        """Nothing the visitor answered or typed stays behind, in the app or on a screen."""
        self.answers, self.drafts = {}, {}
        for screen in self.root.screens:
            if isinstance(screen, StepScreen):
                screen.reset()

    def go_back(self) -> None:
        previous = None if self.flow is None else self._next_shown(self._step - 1, -1)
        if previous is None:
            self.go_home()
            return
        self._leave_step()
        self.show_step(previous)

    def go_home(self) -> None:
        """Drop whatever is unfinished (and end a staff session) and show the home screen."""
        self._end_staff_session()
        self.flow, self.answers, self.drafts, self._step = None, {}, {}, 0
        self._cancel_done_countdown()
        for screen in self.root.screens:
            screen.reset()
        self.show("home")

    def end_visit(self) -> None:
        """The visitor has gone: home, the default language, no trace of them on screen."""
        if self.overlay is not None:
            self.overlay.dismiss(animation=False)
        self.supported.clear()
        self.feedback_thanks = ""
        self.set_language(self.services.config.default_language)
        self.go_home()
        self.read_aloud.visit_ended()

    # -- activities --------------------------------------------------------------------------------
    def _today(self):
        """Today's occurrences from the latest calendar (empty before the first read)."""
        return self.calendar.programme.day(self.services.clock.now().date())

    def _offer_todays_activities(self) -> None:
        now = self.services.clock.now()
        self.answers["_today"] = [o for o in self._today() if o.all_day or o.ends_at > now][:REASON_ACTIVITIES]
        self.answers["_next"] = self.calendar.programme.now_and_next(now).next

    def show_activities(self, week: bool = False) -> None:
        screen = self.screen("activities")
        screen.week = week
        status, programme = self.calendar.status, self.calendar.programme
        stale = "" if status.fresh or status.updated_at is None else f"{status.updated_at:%d/%m %H:%M}"
        now = self.services.clock.now()
        records = recent_signups(self.services.repo, now.date())
        screen.show_programme(programme, now, lambda occurrence: persons_signed_up(records, occurrence), stale)
        self.show("activities")

    def start_signup(self, occurrence) -> None:
        """Sign up for ``occurrence``, no more persons than the places left (a full one says so at once)."""
        today = self.services.clock.now().date()
        left = places_left(occurrence, recent_signups(self.services.repo, today))
        if left == 0:
            self.show_done(None, REFUSALS["full"])
            return
        self.start_flow("signup", _occurrence=occurrence, _places_left=left)

    # -- ideas -------------------------------------------------------------------------------------
    def show_wall(self) -> None:
        wall = ideas.recent_wall(self.services.repo, self.services.clock.now().date(), self.services.config.idea_wall)
        self.screen("wall").ideas = wall[:WALL_SIZE]
        self.show("wall")

    def support_idea(self, idea_id: str) -> bool:
        """One heart per idea per visit; returns whether this tap counted."""
        if idea_id in self.supported:
            return False
        try:
            ideas.support(self.services.recorder, idea_id)
        except KioskError as error:
            log.error("saving a vote failed: %s", error)
            return False
        self.supported.add(idea_id)
        return True

    # -- how was it today? -----------------------------------------------------------------------------
    def give_feedback(self, score: int, where: str) -> None:
        """A smiley: stored (a tap within ``[kiosk] feedback_interval`` of the last is not counted again), and
        thanked every time."""
        try:
            self.feedback.give(score, where)
        except KioskError as error:
            log.error("saving feedback failed: %s", error)
            return
        self.feedback_thanks = N_("Thank you!")
        if self._thanks_event is not None:
            self._thanks_event.cancel()
        self._thanks_event = Clock.schedule_once(lambda dt: setattr(self, "feedback_thanks", ""), THANKS_SECONDS)

    # -- the done screen's countdown ------------------------------------------------------------------
    def _start_done_countdown(self) -> None:
        self._cancel_done_countdown()
        screen = self.screen("done")
        screen.seconds_left = screen.stay_seconds = (
            self.services.config.ticket_seconds if screen.ticket else self.done_seconds)
        self._done_event = Clock.schedule_interval(self._tick_done, 1)

    def _tick_done(self, dt) -> None:
        screen = self.screen("done")
        screen.seconds_left -= 1
        if screen.seconds_left <= 0:
            self.end_visit()

    def _cancel_done_countdown(self) -> None:
        if self._done_event is not None:
            self._done_event.cancel()
            self._done_event = None

    # -- idle care ---------------------------------------------------------------------------------
    def _on_activity(self, *args) -> bool:
        self._last_touch = time.monotonic()
        self._rested = False
        if self._done_event is not None:  # the last screen stays while it is touched (a ticket number)
            screen = self.screen("done")
            screen.seconds_left = screen.stay_seconds
        return False  # never swallow the touch or key

    def _hide_typed(self, hidden: bool) -> None:
        """While "Are you still there?" asks, what was typed is hidden; "Yes" shows it again."""
        for screen in self.root.screens:
            screen.hide_typed(hidden)

    def _check_idle(self, dt) -> None:
        overlay = self.overlay
        if overlay.is_open:
            overlay.seconds_left -= 1
            if overlay.seconds_left <= 0:
                self.end_visit()
            return
        if self.current in ("home", "done"):  # done goes home by itself
            if self.current == "home" and not self._rested and time.monotonic() - self._last_touch >= REST_SECONDS:
                self._rested = True  # between two visitors: a good moment to tidy up
                memory.rest()
            return
        if time.monotonic() - self._last_touch >= self.idle_timeout:
            overlay.seconds_left = self.idle_countdown
            overlay.open()
            self._hide_typed(True)  # from its first second, not just dimmed

    def still_here(self) -> None:
        """The visitor answered "Yes, I'm still here" (within the countdown: after it, all is wiped)."""
        self._last_touch = time.monotonic()
        self.overlay.dismiss(animation=False)
        self._hide_typed(False)
