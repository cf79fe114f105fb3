"""``kiosk screenshots``: walk through every screen in every language and save a PNG of each.

The tour drives the app through its navigation methods (the UI tests are the ones that tap). It runs on
a throw-away data folder, so no real record is ever written; the staff pages are shown with a day of
demo visitors made there. File names are stable: ``<lang>-<nn>-<screen>.png``.
"""

from __future__ import annotations

import dataclasses
import os
import random
from pathlib import Path
from typing import Callable, Iterator

from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.core import question
from kiosk.core.cards import new_card_id
from kiosk.core.demo import ScriptedClock, demo_records
from kiosk.core.records import Recorder, RecordType
from kiosk.core.signup import COMING_DAYS, persons_signed_up, recent_signups, sign_up
from kiosk.errors import ValidationError
from kiosk.export.phone import network_address
from kiosk.ui.app import KioskApp

SETTLE_SECONDS = 0.5  # longer than a screen transition


def tour(app: KioskApp) -> Iterator[tuple[str, Callable[[], None]]]:
    """(screen name, action that shows it), in visiting order: every screen and step of every flow."""
    yield "home", app.end_visit
    yield "privacy", lambda: app.open("privacy")
    yield "checkin-count", lambda: app.start_flow("checkin")
    yield "checkin-first-time", lambda: app.answer((2, 1))
    yield "checkin-reason", lambda: app.answer("yes")
    yield "checkin-reason-several", lambda: pick_reasons(app, "coffee", "question")
    yield "checkin-welcome", lambda: app.root.current_screen.submit()
    yield "question-theme", lambda: app.start_flow("question")
    yield "question-talk", lambda: app.answer("digital")
    yield "question-text-keyboard", lambda: (app.answer("yes"), type_into(app, "Hoe installeer ik itsme op mijn gsm?"))
    yield "question-contact", lambda: app.answer("Hoe installeer ik itsme op mijn gsm?")
    yield "question-name", lambda: app.answer("yes")
    yield "question-phone", lambda: app.answer("Maria")
    yield "question-phone-wrong", lambda: (type_into(app, "12"), app.root.current_screen.submit())
    yield "question-ticket", lambda: app.answer("0470 12 34 56")
    yield "idea-wall", lambda: (app.end_visit(), app.open("wall"))
    yield "idea-category", lambda: app.start_flow("idea")
    yield "idea-title", lambda: app.answer("cooking")
    yield "idea-text", lambda: app.answer("Soep maken met groenten uit de tuin")
    yield "idea-contact", lambda: app.answer("")
    yield "idea-thanks", lambda: app.answer("no")
    yield "idea-wall-after", lambda: (app.end_visit(), app.open("wall"))
    yield "activities-today", lambda: app.open("activities")
    yield "activities-week", lambda: app.show_activities(week=True)
    yield "signup-persons", lambda: start_first_signup(app)
    yield "signup-name", lambda: app.answer(2)
    yield "signup-done", lambda: app.answer("Rik")
    yield "idle-overlay", lambda: (app.end_visit(), app.start_flow("question"), show_overlay(app))
    yield "save-failed", lambda: (app.overlay.dismiss(animation=False), show_failure(app))
    yield from staff_tour(app)


def type_into(app: KioskApp, text: str) -> None:
    app.root.current_screen.ids.field.text = text


def pick_reasons(app: KioskApp, *keys: str) -> None:
    """"More than one", then ``keys`` marked, on the reasons screen."""
    screen = app.root.current_screen
    screen.pick_several()
    for key in keys:
        screen.choose(key)


def first_signup_occurrence(app: KioskApp):
    """The first activity that takes sign-ups in the coming week (the demo calendar has one), or None."""
    moment = app.services.clock.now()
    for _, occurrences in app.calendar.programme.coming_days(moment.date(), COMING_DAYS):
        for occurrence in occurrences:
            if occurrence.signup.required and occurrence.ends_at > moment:
                return occurrence
    return None


def start_first_signup(app: KioskApp) -> None:
    occurrence = first_signup_occurrence(app)
    if occurrence is not None:
        app.start_signup(occurrence)


def show_overlay(app: KioskApp) -> None:
    app.overlay.seconds_left = app.idle_countdown
    app.overlay.open(animation=False)


def show_failure(app: KioskApp) -> None:
    done = app.screen("done")
    done.error = "This did not work."
    app.show("done")


def staff_tour(app: KioskApp) -> Iterator[tuple[str, Callable[[], None]]]:
    """The staff pages with a day of demo visitors, and what a member-card scan shows."""
    staff = app.staff

    def pad(message: str = "", fields: dict | None = None, wait: int = 0) -> None:
        _demo_day(app)
        app.go_home()
        staff.open_pad()
        screen = app.screen("staff_pin")
        screen.entered, screen.message, screen.fields, screen.wait_seconds = "482", message, fields or {}, wait

    def page(name: str) -> Callable[[], None]:
        def show() -> None:
            _demo_day(app)
            staff.logged_in = True
            staff.show(name)
        return show

    def saved() -> None:
        log = app.screen("staff_log")
        staff.export_to(str(log.places[0].path), log.places[0].name)

    def phone() -> None:
        staff.find_address = lambda: network_address() or "127.0.0.1"  # a picture even without a network
        page("staff_log")()
        staff.phone_start()

    yield "staff-pin", lambda: pad("That is not the right PIN. Tries left before a wait: {n}", {"n": 3})
    yield "staff-pin-wait", lambda: pad("Too many wrong tries. You can try again in {time}.", {"time": "1:00"}, 60)
    yield "staff-today", page("staff_today")
    yield "staff-questions", page("staff_questions")
    yield "staff-ideas", page("staff_ideas")
    yield "staff-log", page("staff_log")
    yield "staff-log-saved", saved
    yield "staff-phone", phone
    yield "staff-privacy", page("staff_privacy")
    yield "staff-place", page("staff_place")
    yield "staff-phone-with-names", lambda: (phone(), staff.phone_start(personal=True))
    yield "staff-signups", page("staff_signups")
    yield "staff-live-queue", lambda: (phone(), page("staff_live_queue")())
    yield "card-welcome", lambda: (app.go_home(), app.card_reader.scanned(new_card_id()))
    yield "card-not-ours", lambda: (app.go_home(), app.card_reader.scanned("https://example.com/menu"))


def _demo_day(app: KioskApp) -> None:
    """Once: today's demo visitors (9:30 to 12:30), two households signed up for the activity the tour
    signed up for, a PIN, a "USB stick"."""
    if getattr(app, "_demo_day_made", False):
        return
    app._demo_day_made = True
    services = app.services
    repo, today = services.repo, services.clock.now().date()
    rng = random.Random(20)
    counts = {"checkins": 26, "questions": 6, "ideas": 5, "votes": 14, "feedback": 17}
    recorder = Recorder(repo, ScriptedClock(today, sum(counts.values())), services.recorder.location)
    made = list(demo_records(recorder, counts, rng))
    question.handle(recorder, next(r["id"] for r in made if r["type"] == RecordType.QUESTION), "helped")
    occurrence = first_signup_occurrence(app)
    for persons, name in ((2, "Maria"), (1, "")) if occurrence is not None else ():
        try:
            sign_up(services.recorder, occurrence, persons, name,
                    taken=persons_signed_up(recent_signups(repo, today), occurrence))
        except ValidationError:  # full: the list shows those who got a place
            break
    app.staff.lock.set_pin("4821")
    stick = services.config.data_dir / "KINGSTON"
    stick.mkdir(exist_ok=True)
    services.config = dataclasses.replace(services.config, export_folder=str(stick))


def settled(app: KioskApp) -> bool:
    """Nothing on screen is still moving: no screen change, no animation, the screen shown fully opaque."""
    from kivy.animation import Animation

    screen = app.root.current_screen
    return (not app.root.transition.is_active and not Animation._instances and screen is not None
            and screen.opacity >= 1 and screen.parent is not None)


def take_screenshots(app: KioskApp, out_dir: Path, langs: list[str], done: Callable[[list[Path]], None]) -> None:
    """Schedule the tour on the Kivy clock; call ``done(paths)`` when every PNG is written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    app.idle_timeout = 10**6  # a slow machine must not end the visit halfway through a flow ("still there?")
    plan = [(lang, number, name, action)
            for lang in langs
            for number, (name, action) in enumerate(tour(app), start=1)]
    written: list[Path] = []

    def step(index: int) -> None:
        if index == len(plan):
            done(written)
            return
        lang, number, name, action = plan[index]
        app._on_activity()  # as a visitor's touch: a slow run never brings up "Are you still there?"
        action()
        app.set_language(lang)  # after the action: ending a visit goes back to the default language
        Clock.schedule_once(lambda dt: capture(index), SETTLE_SECONDS)

    def capture(index: int, calm_frames: int = 0) -> None:
        # Wait for the screen to settle: no fade or other animation running (the first fade can be slow,
        # a shader compiles), the screen fully opaque, then two more frames drawn in that state, so
        # no picture is blank or mid-fade.
        if not settled(app):
            Clock.schedule_once(lambda dt: capture(index), 0.05)
            return
        if calm_frames < 2:
            Clock.schedule_once(lambda dt: capture(index, calm_frames + 1), 0)
            return
        lang, number, name, _ = plan[index]
        target = out_dir / f"{lang}-{number:02d}-{name}.png"
        saved = Window.screenshot(name=str(out_dir / ".shot.png"))
        os.replace(saved, target)
        written.append(target)
        step(index + 1)

    Clock.schedule_once(lambda dt: step(0), SETTLE_SECONDS)
