"""CPU time of one redraw of each visitor screen, for A/B comparisons of drawing on a busy machine.

    LP_NUM_THREADS=0 PYTHONPATH=.:tests scripts/with-display python tests/bench/bench_redraw.py [--size 1280x800]

The real app (tests/visitor_robot.py) is tapped to each screen; there the window is redrawn ``--redraws``
times and the median ``time.thread_time()`` of a redraw is printed. ``LP_NUM_THREADS=0`` makes Mesa llvmpipe draw in the calling thread: CPU
time then counts the drawing and not the machine's load, unlike the wall-clock frame times of
bench_visitors.py. Run it before and after a change to the drawing, on the same machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from pathlib import Path

import visitor_robot as robot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--redraws", type=int, default=30)
    args = parser.parse_args()
    from kiosk.config import load_config

    size = tuple(int(n) for n in args.size.split("x"))
    app = robot.open_app(dataclasses.replace(load_config(), data_dir=Path(tempfile.mkdtemp())), size=size)
    from kivy.base import EventLoop
    from kivy.core.window import Window

    def redraw_ms() -> float:
        robot.settle(app)
        times = []
        for _ in range(args.redraws):
            Window.canvas.ask_update()
            began = time.thread_time()
            EventLoop.idle()
            times.append((time.thread_time() - began) * 1000)
        return statistics.median(times)

    shown = robot.screen
    steps = [
        ("home", lambda: None),
        ("count", lambda: robot.tap(app, robot.tile(app, "checkin"))),
        ("choice (first visit)", lambda: robot.tap(app, shown(app).ids.next)),
        ("choice (reason)", lambda: robot.tap(app, robot.tile(app, "no"))),
        ("done", lambda: robot.tap(app, robot.tile(app, shown(app).choices[0].key))),
        ("choice (question theme)", lambda: (robot.tap(app, shown(app).ids.home),
                                             robot.tap(app, robot.tile(app, "question")))),
        ("text with the keyboard", lambda: (robot.tap(app, robot.tile(app, "health")),
                                            robot.tap(app, robot.tile(app, "yes")))),
        ("idea wall", lambda: (robot.tap(app, shown(app).ids.nav.ids.home), robot.tap(app, robot.tile(app, "wall")))),
        ("privacy", lambda: (robot.tap(app, shown(app).ids.nav.ids.home), robot.tap(app, shown(app).ids.privacy))),
    ]
    for name, go in steps:
        go()
        print(f"{name:26s} {redraw_ms():6.1f} ms CPU a redraw", flush=True)
    robot.close_app(app)


if __name__ == "__main__":
    main()
