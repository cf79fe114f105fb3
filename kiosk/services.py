"""Wiring: from a checked configuration to the running parts (repository, recorder, calendar). Kivy-free.

The app and the commands both start here, so that they use the very same storage and use cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.calendar.source import CACHE_DIR, CalendarSource
from kiosk.clock import Clock, SystemClock
from kiosk.config import Config
from kiosk.core.records import Recorder
from kiosk.storage import Repository


@dataclass
class Services:
    config: Config
    repo: Repository
    recorder: Recorder
    clock: Clock
    calendar: CalendarSource

    def close(self) -> None:
        self.repo.close()


def open_services(config: Config, clock: Clock | None = None) -> Services:
    """Open the data folder (taking its lock) and set up the use cases. The calendar is read later,
    in the background (``CalendarSource.refresh``)."""
    clock = clock or SystemClock()
    # read in a short child process where one can run: icalendar stays out of the kiosk's memory
    calendar = CalendarSource(config.calendar_source, config.data_dir / CACHE_DIR, clock=clock, in_child=True)
    repo = Repository(config.data_dir)
    location = repo.get_setting("location")
    if location not in config.places:
        location = config.location
    return Services(config, repo, Recorder(repo, clock, location), clock, calendar)
