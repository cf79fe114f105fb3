"""Every visitor screen's spoken words, for ``kiosk speech``: each step of each flow, home, activities,
the idea wall, privacy, the last screens (each flow's own, made by the flow itself on a scratch data
folder) and "Are you still there?". Kivy-free."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta

from kiosk.calendar.convention import SignupRule
from kiosk.calendar.occurrence import Occurrence
from kiosk.clock import TIMEZONE, SystemClock
from kiosk.core.records import Recorder
from kiosk.speech import screens
from kiosk.speech.screens import Phrase
from kiosk.storage import Repository
from kiosk.ui.flows import FLOWS
from kiosk.ui.notice import Point, privacy_points

#: An answer to every step, so that each step after it is shown and each flow reaches its last screen.
SAMPLE_ANSWERS = {
    "checkin_count": (2, 1), "checkin_first": "yes", "checkin_reason": "coffee",
    "q_theme": "digital", "q_talk": "yes", "q_text": "", "q_contact": "yes", "q_name": "", "q_phone": "",
    "i_category": "cooking", "i_title": "", "i_text": "", "i_contact": "yes", "i_name": "", "i_phone": "",
    "s_persons": 2, "s_name": "",
}
#: The ticket the sample question gets (two digits, to hear them one by one).
SAMPLE_TICKET = 12


def every_screen(kiosk_name: str, home_tiles, idle_countdown: int = 20,
                 notice: list[Point] | None = None) -> dict[str, list[Phrase]]:
    """Screen name -> its phrases. ``home_tiles`` as the app shows them; ``notice`` the privacy points
    (default: those of the default settings)."""
    found: dict[str, list[Phrase]] = {
        "home": screens.home(kiosk_name, home_tiles),
        "privacy": screens.privacy(notice if notice is not None else privacy_points(30, True, "after_review")),
        "activities": screens.activities(False, []),
        "activities_week": screens.activities(True, []),
        "wall": screens.wall([]),
    }
    answers = {"_today": (), **SAMPLE_ANSWERS}
    for flow in FLOWS.values():
        for step in flow.steps:
            found[step.name] = screens.step(step, answers)
    for name, done in _last_screens().items():
        found[name] = screens.done(done)
    found["done_failed"] = screens.done(None, "This did not work.")
    found["still_there"] = screens.still_there(idle_countdown)
    found["how_to_start"] = screens.message(screens.HOW_TO_START)
    return found


def _last_screens():
    """Each flow's last screen, made by the flow's own ``finish`` on a scratch data folder."""
    with tempfile.TemporaryDirectory(prefix="kiosk-speech-") as scratch:
        repo = Repository(scratch)
        try:
            recorder = Recorder(repo, SystemClock(), "Ter Plekke")
            now = recorder.clock.now()
            start = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), TIMEZONE).replace(hour=14)
            context = {
                "checkin": {"_today": (), "_next": None},
                "question": {},
                "idea": {},
                "signup": {"_occurrence": Occurrence("example", "Samen Tafelen", start, start + timedelta(hours=2),
                                                     signup=SignupRule(required=True))},
            }
            last = {}
            for name, flow in FLOWS.items():
                answers = {**SAMPLE_ANSWERS, **context[name]}
                if name == "question":
                    for _ in range(SAMPLE_TICKET - 1):
                        flow.finish(recorder, answers)
                last[f"{name}_done"] = flow.finish(recorder, answers)
            return last
        finally:
            repo.close()

