"""Run the benchmarks, each in a process of its own, and compare the figures with their targets.

    python tests/bench/run.py [--repeat N] [--json] [--only storage,startup,...] [--all] [--flows N]

Each benchmark runs as ``python tests/bench/bench_<name>.py --json --repeat N`` in a subprocess, one
after the other, so that one cannot disturb another's memory or timing. This machine is shared and noisy,
so a figure that depends on it is a ratio to an anchor measured in the same run (SQLite on the same disk,
a bare Kivy app on the same display), subject and anchor taking turns (ABAB...) so that the machine's
busy moments fall on both; each ratio is the median of ``N`` repeats, reported with its spread (the
lowest and highest repeat, and ``(max - min) / median``), and met or missed is decided on the median.
The default ``N`` gives the same verdicts run after run; see the README for five back-to-back runs.

By default the benchmarks that have targets run (a few minutes); ``--all`` adds those without
(calendar, office). A benchmark that is not there is reported as not run, and the others go on.

Prints a table (figure, median, spread, target, met or missed) and the total time; ``--json`` prints one
object instead, with every figure at the top level, ``spread`` (per figure: min, max, relative), and
``targets``, ``missed``, ``not_run`` and each benchmark's own output under ``details``. Exit 0 when every
target is met, 1 otherwise. The app benchmarks need a display: without one, this re-runs itself under
``xvfb-run``.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parents[1]
#: Repeats of each figure: with 7, five back-to-back runs gave the same verdicts (README, Benchmarks).
DEFAULT_REPEAT = 7


@dataclass(frozen=True)
class Target:
    key: str
    bound: float
    at_most: bool = True  # False: the figure must be at least ``bound``
    unit: str = ""

    def met(self, value: float) -> bool:
        return (operator.le if self.at_most else operator.ge)(value, self.bound)

    def __str__(self) -> str:
        return f"{'<=' if self.at_most else '>='} {self.bound:g}{self.unit}"


#: The targets (for the upload rate, bench_sync's own: 10,000 records in under 10 s).
TARGETS = [
    Target("insert_ratio_vs_sqlite", 3),
    Target("insert_history_ratio", 1.3),
    Target("startup_ratio", 1.6),
    Target("rss_ratio", 1.3),
    Target("rss_growth_mb", 5, unit=" MB"),
    Target("frame_p99_ms", 33, unit=" ms"),
    Target("tap_p99_ms", 8, unit=" ms"),
    Target("frame_max_sync_ms", 100, unit=" ms"),
    Target("sync_records_per_s", 1000, at_most=False),
]


def _storage(out: dict) -> dict:
    return {
        # the slowest of the three history sizes (on its median ratio), so that history cannot hide here
        "insert_ratio_vs_sqlite": out["insert_ratio_vs_sqlite"],
        "insert_history_ratio": out["insert_history_ratio"],
        "insert_ms": out["insert_ms"]["0"],
        "sqlite_full_ms": out["sqlite_full_ms"],
    }


def _calendar(out: dict) -> dict:
    for key in ("calendar_day_ms", "day_ms"):
        if key in out:
            return {"calendar_day_ms": out[key]}
    raise KeyError("bench_calendar.py printed no calendar_day_ms")


def _sync(out: dict) -> dict:
    return {"sync_records_per_s": out["records_per_s"], "sync_peak_rss_mb": out["peak_rss_mb"]}


def _office(out: dict) -> dict:
    return {"office_records_per_s": out["records_per_s_batch_500"], "office_overview_ms": out["overview_ms"]}


def _as_is(out: dict) -> dict:
    return {k: v for k, v in out.items() if k != "samples"}


@dataclass(frozen=True)
class Benchmark:
    name: str
    figures: Callable[[dict], dict]  # from the benchmark's JSON to the figures reported here
    display: bool = False  # needs a window
    args: tuple[str, ...] = ()
    repeats: bool = True  # takes ``--repeat N``
    targeted: bool = True  # has figures with targets: runs by default


BENCHMARKS = [
    Benchmark("storage", _storage),
    Benchmark("calendar", _calendar, repeats=False, targeted=False),
    Benchmark("sync", _sync, repeats=False),
    Benchmark("office", _office, repeats=False, targeted=False),
    Benchmark("startup", _as_is, display=True),
    Benchmark("visitors", _as_is, display=True),
]

#: The figures shown in the table, in order, with a few words each.
SHOWN = [
    ("insert_ratio_vs_sqlite", "durable insert / SQLite WAL FULL"),
    ("insert_history_ratio", "insert with 100,000 of history / none"),
    ("insert_ms", "durable insert, low tenth (ms)"),
    ("sqlite_full_ms", "anchor: SQLite WAL FULL insert, low tenth (ms)"),
    ("startup_ratio", "start to first frame / bare Kivy"),
    ("startup_kiosk_ms", "kiosk start to home screen (ms)"),
    ("startup_bare_ms", "anchor: bare Kivy start (ms)"),
    ("rss_ratio", "memory after the flows / bare Kivy"),
    ("rss_growth_mb", "memory growth, flow 100 to the last"),
    ("rss_flow_1000_mb", "kiosk memory after the flows (MB)"),
    ("rss_bare_mb", "anchor: bare Kivy memory (MB)"),
    ("rss_ratio_one_sample", "memory / bare Kivy drawing as the kiosk"),
    ("rss_bare_one_sample_mb", "bare Kivy, one sample per pixel (MB)"),
    ("fds_flow_1000", "open files after the flows"),
    ("frame_p99_ms", "frame interval while tapping, p99"),
    ("tap_p99_ms", "a tap's own work (no drawing), p99"),
    ("tap_p50_ms", "a tap's own work (no drawing), p50"),
    ("frame_max_ms", "frame interval while tapping, max"),
    ("frame_p50_ms", "frame interval while tapping, p50"),
    ("frame_redraw_bare_ms", "anchor: bare Kivy redrawn frame (ms)"),
    ("frame_max_sync_ms", "frame interval while uploading, max"),
    ("frame_p99_sync_ms", "frame interval while uploading, p99"),
    ("calendar_day_ms", "one day of the calendar (ms)"),
    ("sync_records_per_s", "upload to the office, records/s"),
    ("office_records_per_s", "office receiver, records/s (batches of 500)"),
]


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_one(bench: Benchmark, extra: dict[str, list[str]], log: Callable[[str], None],
            repeat: int = DEFAULT_REPEAT) -> tuple[dict | None, str]:
    """The benchmark's figures, or None and why not."""
    script = BENCH_DIR / f"bench_{bench.name}.py"
    if not script.exists():
        return None, f"not run: {script.relative_to(ROOT)} is not there"
    if bench.display and not has_display():
        return None, "not run: needs a display (run under scripts/with-display, or install xvfb)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    log(f"running {bench.name} ...")
    began = time.monotonic()
    repeats = ["--repeat", str(repeat)] if bench.repeats else []
    result = subprocess.run([sys.executable, str(script), "--json", *repeats, *bench.args, *extra.get(bench.name, [])],
                            env=env, capture_output=True, text=True)
    seconds = time.monotonic() - began
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"failed (exit {result.returncode}): {tail}"
    try:
        out = json.loads(lines[-1])
        figures = bench.figures(out)
    except (ValueError, KeyError, TypeError, ZeroDivisionError) as error:
        return None, f"failed: could not read its output ({error})"
    log(f"  {bench.name}: {seconds:.0f} s")
    if result.returncode != 0:
        figures["failed"] = f"exit {result.returncode}"
    return {"output": out, "figures": figures, "spread": spreads(out.get("samples", {})),
            "seconds": round(seconds, 1)}, ""


def spreads(samples: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """Per figure with repeats: the lowest and highest repeat, and (max - min) / median."""
    out = {}
    for key, values in samples.items():
        if values:
            median = statistics.median(values)
            out[key] = {"min": _round(min(values)), "max": _round(max(values)), "n": len(values),
                        "relative": _round((max(values) - min(values)) / median) if median else 0.0}
    return out


def run_all(names: list[str], extra: dict[str, list[str]], log: Callable[[str], None],
            repeat: int = DEFAULT_REPEAT) -> dict[str, Any]:
    began = time.monotonic()
    report: dict[str, Any] = {"details": {}, "not_run": {}, "failed": {}, "spread": {}, "repeat": repeat}
    figures: dict[str, Any] = {}
    for bench in BENCHMARKS:
        if bench.name not in names:
            continue
        outcome, why = run_one(bench, extra, log, repeat)
        if outcome is None:
            (report["not_run"] if why.startswith("not run") else report["failed"])[bench.name] = why
            continue
        report["details"][bench.name] = outcome
        if "failed" in outcome["figures"]:
            report["failed"][bench.name] = outcome["figures"].pop("failed")
        figures.update(outcome["figures"])
        report["spread"].update(outcome["spread"])
    report["targets"] = {t.key: str(t) for t in TARGETS}
    report["missed"] = [t.key for t in TARGETS if t.key in figures and not t.met(figures[t.key])]
    report["unmeasured"] = [t.key for t in TARGETS if t.key not in figures]
    report["seconds"] = round(time.monotonic() - began, 1)
    return {**{k: _round(v) for k, v in figures.items()}, **report}


def _round(value: Any) -> Any:
    return round(value, 3) if isinstance(value, float) else value


def print_table(report: dict[str, Any]) -> None:
    targets = {t.key: t for t in TARGETS}
    rows = [("figure", "median", "spread (min-max)", "target", "")]
    for key, words in SHOWN:
        if key not in report:
            continue
        value, target = report[key], targets.get(key)
        verdict = "" if target is None else ("met" if target.met(value) else "MISSED")
        spread = report["spread"].get(key)
        spread_text = f"{spread['min']:g}-{spread['max']:g} ({spread['relative']:.0%})" if spread else ""
        rows.append((f"{words} [{key}]", f"{value:g}" if isinstance(value, (int, float)) else str(value),
                     spread_text, str(target) if target else "", verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:<{widths[3]}}  "
              f"{row[4]}".rstrip())
    for name, why in {**report["not_run"], **report["failed"]}.items():
        print(f"{name}: {why}")
    if report["missed"]:
        print(f"missed: {', '.join(report['missed'])}")
    elif not report["unmeasured"]:
        print("every target met")
    print(f"{report['repeat']} repeats, {report['seconds']:.0f} s in all")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--only", metavar="NAMES", help=f"comma-separated, from {', '.join(b.name for b in BENCHMARKS)}")
    parser.add_argument("--all", action="store_true", help="also the benchmarks without targets (calendar, office)")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, metavar="N",
                        help=f"repeats of each figure, subject and anchor taking turns (default {DEFAULT_REPEAT})")
    parser.add_argument("--flows", type=int, help="visitor flows for the memory and frame benchmark (default 1000)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    names = [b.name for b in BENCHMARKS if b.targeted or args.all]
    if args.only:
        unknown = sorted(set(args.only.split(",")) - {b.name for b in BENCHMARKS})
        if unknown:
            parser.error(f"unknown benchmark {unknown[0]!r}")
        names = args.only.split(",")
    wants_display = any(b.display for b in BENCHMARKS if b.name in names)
    if wants_display and not has_display() and shutil.which("xvfb-run") and not os.environ.get("KIOSK_BENCH_XVFB"):
        os.environ["KIOSK_BENCH_XVFB"] = "1"  # once only
        command = ["xvfb-run", "--auto-servernum", "--server-args=-screen 0 1280x800x24",
                   sys.executable, __file__, *sys.argv[1:]]
        os.execvp(command[0], command)
    extra = {"visitors": ["--flows", str(args.flows)]} if args.flows else {}
    log = (lambda text: print(text, file=sys.stderr, flush=True))
    report = run_all(names, extra, log, args.repeat)
    if args.json:
        print(json.dumps(report))
    else:
        print_table(report)
    return 1 if report["missed"] or report["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
