"""Today at a glance: check-ins and their hours, questions waiting, smileys, uploads and damage."""

from __future__ import annotations

from datetime import datetime

from kivy.properties import ListProperty, NumericProperty

from kiosk.clock import TIMEZONE
from kiosk.core.daystats import DayStats
from kiosk.core.question import waiting_to_talk
from kiosk.sync import SyncState, SyncStatus
from kiosk.i18n import N_, fill, translate
from kiosk.ui.staff.page import StaffPage

#: Why the activity calendar could not be refreshed, by the calendar's problem code.
CALENDAR_WORDS = {
    "": N_("The activity calendar is up to date."),
    "not_loaded": N_("The activity calendar has not been read yet."),
    "offline": N_("The activity calendar could not be fetched: there is no network."),
    "timeout": N_("The activity calendar could not be fetched: the office did not answer in time."),
    "not_found": N_("The activity calendar could not be fetched: its address was not found."),
    "html": N_("The activity calendar could not be fetched: its address gives a web page, not a calendar."),
    "malformed": N_("The activity calendar has errors; the last good one is shown."),
    "missing_file": N_("The activity calendar file is missing."),
}


#: What the upload worker's state means, for staff.
SYNC_WORDS = {
    SyncState.OFF: N_("Uploads are off: no office address is set."),
    SyncState.IDLE: N_("Uploads work."),
    SyncState.UPLOADING: N_("Uploading now."),
    SyncState.WAITING: N_("The last upload did not work. The kiosk tries again by itself."),
    SyncState.STOPPED_AUTH: N_("Uploads have stopped: the office refuses this kiosk's key. Ask the installer."),
    SyncState.STOPPED_CONFIG: N_("Uploads have stopped: the office settings are wrong. Ask the installer."),
}


class TodayScreen(StaffPage):
    """Filled from :class:`kiosk.core.daystats.DayStats` through :meth:`show_stats`."""

    visits = NumericProperty(0)
    persons = NumericProperty(0)
    first_timers = NumericProperty(0)
    cards_new = NumericProperty(0)
    cards_returning = NumericProperty(0)
    open_questions = NumericProperty(0)
    talk_today = NumericProperty(0)
    """Open questions of visitors who want to talk today."""

    longest_wait = NumericProperty(0)
    """Minutes the longest-waiting of them has waited."""

    hours = ListProperty()
    """``(hour, persons)`` for the chart."""

    smileys = ListProperty([0, 0, 0, 0])
    """How many tapped each smiley, from very happy (4) to very unhappy (1)."""

    damage = ListProperty()
    """Damaged files and problems found in the data folder, in English words (empty: none)."""

    def refresh(self) -> None:
        repo = self.staff.services.repo
        self.show_stats(self.staff.day_stats(), self.staff.services.clock.now())
        self.damage = [*repo.damage, *(f"{path.name}" for path in repo.damaged_files())]

    def show_stats(self, stats: DayStats, now: datetime | None = None) -> None:
        self.visits, self.persons, self.first_timers = stats.visits, stats.persons, stats.first_timers
        self.cards_new, self.cards_returning = stats.cards_new, stats.cards_returning
        self.open_questions = len(stats.open_questions)
        self.talk_today, self.longest_wait = waiting_to_talk(stats.open_questions, now or datetime.now(TIMEZONE))
        self.hours = [(h.hour, h.persons) for h in stats.hours]
        self.smileys = [stats.smileys.get(score, 0) for score in (4, 3, 2, 1)]

    @staticmethod
    def sync_lines(status: SyncStatus | None, lang: str) -> str:
        """Upload health in words: the state, what waits, the last upload, the last problem."""
        if status is None:
            return translate(N_("Looking at the uploads..."), lang)
        lines = [translate(SYNC_WORDS.get(status.state, N_("Uploads work.")), lang)]
        if status.state is not SyncState.OFF:
            lines.append(fill(translate(N_("Waiting to be uploaded: {n}"), lang), {"n": status.pending}, lang))
            if status.last_success:
                try:
                    when = datetime.fromisoformat(status.last_success).astimezone(TIMEZONE).strftime("%d/%m %H:%M")
                except ValueError:
                    when = status.last_success
                lines.append(fill(translate(N_("Last upload: {when}"), lang), {"when": when}, lang))
            else:
                lines.append(translate(N_("Nothing has been uploaded yet."), lang))
        if status.rejected:
            lines.append(fill(translate(N_("Refused by the office, kept on this kiosk: {n}"), lang),
                              {"n": status.rejected}, lang))
        if status.last_error and status.state is not SyncState.OFF:
            lines.append(fill(translate(N_("Last problem: {problem}"), lang), {"problem": status.last_error}, lang))
        return "\n".join(lines)

    @staticmethod
    def calendar_lines(snapshot, lang: str) -> str:
        """Whether the activity calendar is fresh and, if not, why and from when the programme is."""
        status = snapshot.status
        words = CALENDAR_WORDS.get(status.problem_code, N_("The activity calendar could not be updated."))
        lines = [translate(words, lang)]
        if status.problem_code and status.updated_at is not None:
            lines.append(fill(translate(N_("The programme shown is from {when}."), lang),
                              {"when": f"{status.updated_at:%d/%m %H:%M}"}, lang))
        return "\n".join(lines)

    @staticmethod
    def can_retry(status: SyncStatus | None) -> bool:
        return status is not None and status.state in (SyncState.WAITING, SyncState.STOPPED_AUTH)

    def reset(self) -> None:
        super().reset()
        self.visits = self.persons = self.first_timers = self.cards_new = self.cards_returning = 0
        self.open_questions = self.talk_today = self.longest_wait = 0
        self.hours, self.smileys, self.damage = [], [0, 0, 0, 0], []
