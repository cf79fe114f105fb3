"""What is on today, and in the coming seven days: time, title, place, pictogram; now and next stand out."""

from __future__ import annotations

from datetime import date, datetime

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.calendar.expand import Programme
from kiosk.calendar.occurrence import Occurrence
from kiosk.core.signup import COMING_DAYS, places_left_after
from kiosk.i18n import N_
from kiosk.ui.screens.base import KioskScreen


class ActivityCard(BoxLayout):
    """One occurrence: time, pictogram, title, place, a few words, and sign-up when it needs it."""

    occurrence = ObjectProperty(None, allownone=True)
    """The :class:`kiosk.calendar.occurrence.Occurrence` shown."""

    when = StringProperty("")
    """Time span as shown, e.g. "9:30 – 12:00" (or the message id "All day")."""

    badge = StringProperty("")
    """Message id "Now" or "Next", or empty."""

    places = NumericProperty(-1)
    """Places left (-1: no limit known)."""

    can_sign_up = BooleanProperty(False)
    """True when the activity needs sign-up and has not ended."""


class DayHeading(Label):
    """A day's name above its activities in the seven-day view."""

    day = ObjectProperty(date.today())
    """The date it names (in the visitor's language, by kv)."""


class ActivitiesScreen(KioskScreen):
    """Today's activities, or the coming :data:`~kiosk.core.signup.COMING_DAYS` days (``week``). The app calls :meth:`show_programme`."""

    week = BooleanProperty(False)
    """False: today only. True: today and the six days after it."""

    stale = StringProperty("")
    """When the programme could not be refreshed: when it was last updated (shown to visitors, calmly)."""

    empty = BooleanProperty(False)
    """True when there is nothing to show."""

    def show_programme(self, programme: Programme, moment: datetime, taken, stale: str) -> None:
        """Fill the list. ``taken(occurrence)`` is how many places are taken (the app asks the core)."""
        box = self.ids.cards
        box.clear_widgets()
        self.stale = stale
        today = moment.date()
        days = programme.coming_days(today, COMING_DAYS) if self.week else [(today, programme.day(today))]
        now_next = programme.now_and_next(moment)
        shown = 0
        for day, occurrences in days:
            if self.week and occurrences:
                box.add_widget(DayHeading(day=day))
            for occurrence in occurrences:
                if not self.week and not occurrence.all_day and occurrence.ends_at <= moment:
                    continue  # today: what is over is gone
                box.add_widget(self._card(occurrence, now_next, moment, taken))
                shown += 1
        self.empty = shown == 0
        self.ids.scroll.scroll_y = 1

    @staticmethod
    def _card(occurrence: Occurrence, now_next, moment: datetime, taken) -> ActivityCard:
        badge = N_("Now") if occurrence in now_next.now else N_("Next up") if occurrence == now_next.next else ""
        left = places_left_after(occurrence, taken(occurrence))
        places = -1 if left is None else left
        if occurrence.all_day:
            when = N_("All day")
        else:
            when = f"{occurrence.starts_at:%H:%M} – {occurrence.ends_at:%H:%M}"
        return ActivityCard(
            occurrence=occurrence,
            when=when,
            badge=badge,
            places=places,
            can_sign_up=occurrence.signup.required and occurrence.ends_at > moment,
        )

    def toggle_week(self, week: bool) -> None:
        self.week = week
        App.get_running_app().show_activities(week)

    def reset(self) -> None:
        self.week = False

