"""Start-up time: from process start to the first frame of the home screen, against a bare Kivy app.

    PYTHONPATH=. python tests/bench/bench_startup.py [--runs 7] [--json]

Both apps start as fresh processes on the same display in the same run, taking turns (kiosk, bare,
kiosk, bare, ...), after one unmeasured start of each (files in the disk cache, Kivy's home folder
made). The clock runs from ``Popen`` to the moment the child prints its marker, which it does when the
window has shown (flipped) its first frame; then the child is killed (what it does after that is not
measured, and stopping it cleanly took 0.1-0.2 s a start). A repeat is forty pairs of starts (a kiosk start
and a bare one, one after the other), its ratio the median of the pairs' ratios: a busy moment of the
machine falls on both starts of a pair. On the shared 2-core machine one pair's ratio moves by some 14 %
(one standard deviation) around the kiosk's true cost, so a repeat needs many pairs: in 280 starts of
each, seven repeats' ratios moved by 21-30 % with the fastest of ten starts, 17-28 % with the fastest of
twenty, 9 % with the ratio of the medians of twenty, 7-13 % with the median of twenty pairs' ratios (one
run in five over 15 %), 7 % with the median of forty. Written files are flushed to disk first, so that
the benchmarks run before (thousands of synced inserts) are not still writing. Reported: the medians, and
the median of the repeats' ratios (target: at most 1.6 times a bare Kivy "hello"), with every pair's
ratio.

The kiosk starts through the real ``kiosk run --windowed`` command on a data folder holding a few days
of records; the bare app is a Kivy ``App`` whose root is one ``Label``. Needs a display (``make bench``
provides Xvfb).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = "FIRST-FRAME"
SIZE = (1280, 800)
#: Pairs of starts per repeat; a repeat's ratio is the median of its pairs' ratios.
PAIRS_PER_REPEAT = 40


# -- children -----------------------------------------------------------------------------------------
def mark_first_frame() -> None:
    """Print the marker once the window has flipped its first frame, then stop the app."""
    from kivy.clock import Clock

    def watch(_dt):
        from kivy.app import App
        from kivy.core.window import Window

        def flipped(*_):
            Window.unbind(on_flip=flipped)
            print(MARKER, flush=True)
            App.get_running_app().stop()

        Window.bind(on_flip=flipped)

    Clock.schedule_once(watch, 0)  # runs in the first frame, before it is drawn


def run_kiosk() -> None:
    from kiosk.ui import launch

    configure = launch.configure_kivy

    def configure_and_mark(*args, **kwargs):
        configure(*args, **kwargs)
        mark_first_frame()

    launch.configure_kivy = configure_and_mark
    from kiosk.cli import main

    raise SystemExit(main(["run", "--windowed", "--size", f"{SIZE[0]}x{SIZE[1]}"]))


def run_bare() -> None:
    from kivy.config import Config

    Config.set("graphics", "fullscreen", "0")
    Config.set("graphics", "width", str(SIZE[0]))
    Config.set("graphics", "height", str(SIZE[1]))
    from kivy.app import App
    from kivy.uix.label import Label

    class Hello(App):
        def build(self):
            return Label(text="Hello")

    mark_first_frame()
    Hello().run()


# -- the benchmark -------------------------------------------------------------------------------------
def start_once(which: str, env: dict) -> float:
    """Seconds from Popen to the child's first-frame marker."""
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--child", which], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    try:
        for line in child.stdout:
            if line.strip() == MARKER:
                seconds = time.perf_counter() - began
                break
        else:
            raise RuntimeError(f"the {which} app ended without showing a frame (exit {child.wait()})")
    finally:
        child.kill()  # what it does after its first frame is not measured: stopping it would take 0.1-0.2 s
        child.wait()
    return seconds


def seed_data(data_dir: Path, env: dict) -> None:
    """A few days of records, as a kiosk in use has."""
    for day in ("2027-04-13", "2027-04-20", "2027-04-27"):
        subprocess.run([sys.executable, "-m", "kiosk", "demo-data", "--date", day, "--checkins", "150",
                        "--questions", "20", "--ideas", "5", "--votes", "10", "--feedback", "30", "--seed", "1"],
                       env=env, check=True, capture_output=True)


def measure(runs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("KIOSK_", "KIVY_")) and k != "PYTHONDONTWRITEBYTECODE"}
        # Both apps start from compiled bytecode, as an installed kiosk does (pip compiles it): Kivy's is
        # in site-packages, but with PYTHONDONTWRITEBYTECODE set (as on this machine) every start of the
        # kiosk compiled its own 114 modules from source again, some 0.3 s counted against it alone. The
        # warm-up starts write the bytecode, outside the source tree.
        base.update(PYTHONPATH=str(ROOT), KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1",
                    PYTHONPYCACHEPREFIX=str(Path(tmp) / "bytecode"))
        kiosk_env = {**base, "KIOSK_DATA_DIR": str(Path(tmp) / "kiosk"), "KIVY_HOME": str(Path(tmp) / "kiosk-kivy")}
        bare_env = {**base, "KIVY_HOME": str(Path(tmp) / "bare-kivy")}
        seed_data(Path(tmp) / "kiosk", kiosk_env)
        envs = {"kiosk": kiosk_env, "bare": bare_env}
        os.sync()
        for which in envs:
            start_once(which, envs[which])  # warm-up, not counted
        times: dict[str, list[float]] = {"kiosk": [], "bare": []}
        for n in range(runs * PAIRS_PER_REPEAT):  # ABAB, and BABA every other pair: neither always goes first
            for which in (("kiosk", "bare") if n % 2 == 0 else ("bare", "kiosk")):
                times[which].append(start_once(which, envs[which]))
    pairs = [k / b for k, b in zip(times["kiosk"], times["bare"])]
    # One repeat: the median of its pairs' ratios (its fastest starts, or the median of only three pairs,
    # moved by a quarter or more from repeat to repeat).
    ratios = [statistics.median(pairs[i:i + PAIRS_PER_REPEAT]) for i in range(0, len(pairs), PAIRS_PER_REPEAT)]
    kiosk_s, bare_s = statistics.median(times["kiosk"]), statistics.median(times["bare"])
    return {
        "startup_kiosk_ms": round(kiosk_s * 1000, 1),
        "startup_bare_ms": round(bare_s * 1000, 1),
        "startup_ratio": round(statistics.median(ratios), 3),
        "runs": runs,
        "pairs": [round(r, 3) for r in pairs],
        "samples": {"startup_ratio": [round(r, 3) for r in ratios]},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", "--repeat", type=int, default=7, help="repeats, each forty pairs of starts (default 7)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--child", choices=["kiosk", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        (run_kiosk if args.child == "kiosk" else run_bare)()
        return 0
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("bench_startup: needs a display; run it under scripts/with-display", file=sys.stderr)
        return 2
    result = measure(args.runs)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{'app':<28}{'median ms':>10}")
    print(f"{'bare Kivy, one label':<28}{result['startup_bare_ms']:>10.0f}")
    print(f"{'kiosk, home screen':<28}{result['startup_kiosk_ms']:>10.0f}")
    print(f"ratio (target <= 1.6): {result['startup_ratio']:.2f}  ({args.runs} repeats of {PAIRS_PER_REPEAT} pairs of starts each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
