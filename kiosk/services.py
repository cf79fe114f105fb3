"""Wiring: from a checked configuration to the running parts (repository, recorder). Kivy-free.

The app and the commands both start here, so that they use the very same storage and use cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.clock import SystemClock
from kiosk.config import Config
from kiosk.core.records import Clock, Recorder
from kiosk.storage import Repository


@dataclass
class Services:
    config: Config
    repo: Repository
    recorder: Recorder
    clock: Clock

    def close(self) -> None:
        self.repo.close()


def open_services(config: Config, clock: Clock | None = None) -> Services:
    """Open the data folder (taking its lock) and set up the use cases."""
    clock = clock or SystemClock()
    repo = Repository(config.data_dir)
    location = repo.get_setting("location")
    if location not in config.places:
        location = config.location
    return Services(config, repo, Recorder(repo, clock, location), clock)
