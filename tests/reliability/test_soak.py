"""A simulated day of visitors through the real window, idle care included: memory and open files stay flat."""

from __future__ import annotations

from kiosk.clock import SystemClock
from kiosk.core import ideas
from kiosk.core.records import Recorder
from kiosk.storage import Repository

SEEDED_IDEAS = 40  # more than the idea wall shows (kiosk.ui.app.WALL_SIZE): it is full from the start

#: Resident memory may move this much from a quarter of the visitors to the last (allocator noise).
RSS_SLACK_MB = 5


def test_a_day_of_visitors_leaves_memory_and_open_files_flat(data_dir, app_scenario, scale):
    with Repository(data_dir) as repo:  # a full idea wall from the start
        recorder = Recorder(repo, SystemClock(), "Zillebeke")
        for n in range(SEEDED_IDEAS):
            ideas.propose(recorder, "walking", f"Wandeling {n}")
    visits = scale(24, 600)
    report = app_scenario("soak", data_dir, "--visits", str(visits), "--walk-away-every", str(scale(10, 12)),
                          timeout=scale(300, 3600))
    assert sum(report["visits"].values()) == visits and report["visits"]["walk_away"] >= 2
    assert report["end"]["fds"] == report["settled"]["fds"] == report["warm"]["fds"]
    assert report["end"]["rss_mb"] - report["settled"]["rss_mb"] <= RSS_SLACK_MB, report
    assert report["stored"] == report["saved"]  # every record a visitor finished is stored, none extra
    with Repository(data_dir) as repo:
        assert repo.damage == []
        assert len(repo.records_for_day(SystemClock().now().date())) == sum(report["saved"].values()) + SEEDED_IDEAS
