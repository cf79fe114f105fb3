"""The app's one way to stop its background workers: all asked at once, within one time budget."""

from __future__ import annotations

import threading
import time

from kiosk.shutdown import Workers


class Worker:
    """A thread that ends ``delay`` seconds after it is asked to stop."""

    def __init__(self, delay: float):
        self.asked = threading.Event()
        self.asked_at: float | None = None
        self.thread = threading.Thread(target=lambda: (self.asked.wait(), time.sleep(delay)), daemon=True)
        self.thread.start()

    def stop(self, timeout: float) -> bool:
        if self.asked_at is None:
            self.asked_at = time.monotonic()
        self.asked.set()
        self.thread.join(timeout)
        return not self.thread.is_alive()


def test_every_worker_is_asked_before_any_is_waited_for():
    workers, slow, quick = Workers(budget=2.0), Worker(0.3), Worker(0.0)
    workers.add("slow", slow.stop)
    workers.add("quick", quick.stop)
    began = time.monotonic()
    assert workers.stop_all() == []
    assert quick.asked_at - began < 0.1  # not after the slow one's 0.3 s
    assert time.monotonic() - began < 0.6


def test_a_worker_that_does_not_end_in_the_budget_is_named_and_left_behind():
    workers, stuck, fine = Workers(budget=0.3), Worker(30), Worker(0.0)
    workers.add("uploads", stuck.stop)
    workers.add("calendar", fine.stop)
    began = time.monotonic()
    assert workers.stop_all() == ["uploads"]
    assert time.monotonic() - began < 0.8
    assert workers.left_running == ["uploads"]
    assert not fine.thread.is_alive()


def test_a_worker_whose_stop_fails_does_not_keep_the_others_running():
    workers, fine = Workers(budget=1.0), Worker(0.0)

    def broken(_timeout):
        raise RuntimeError("boom")

    workers.add("broken", broken)
    workers.add("calendar", fine.stop)
    assert workers.stop_all() == []
    assert not fine.thread.is_alive()
    assert workers.stop_all() == []  # each worker is stopped once
