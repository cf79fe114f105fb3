"""tests/bench/run.py: each figure's repeats give a median, a spread, and a verdict on the median."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

RUN_PY = Path(__file__).resolve().parents[1] / "bench" / "run.py"


def load_runner():
    spec = importlib.util.spec_from_file_location("bench_runner", RUN_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_runner"] = module
    spec.loader.exec_module(module)
    return module


def test_the_spread_of_repeats_is_their_lowest_and_highest_and_range_over_the_median():
    runner = load_runner()
    spread = runner.spreads({"startup_ratio": [1.2, 1.5, 1.3, 1.4, 1.3]})["startup_ratio"]
    assert (spread["min"], spread["max"], spread["n"]) == (1.2, 1.5, 5)
    assert abs(spread["relative"] - 0.3 / 1.3) < 1e-3


def test_a_figure_is_met_or_missed_on_its_median_and_shown_with_its_spread(capsys):
    runner = load_runner()
    report = {"startup_ratio": 1.5, "tap_p99_ms": 9.0, "spread": runner.spreads({"startup_ratio": [1.4, 1.5, 1.7]}),
              "not_run": {}, "failed": {}, "missed": ["tap_p99_ms"], "unmeasured": [], "repeat": 3, "seconds": 12.0}
    runner.print_table(report)
    out = capsys.readouterr().out
    startup = next(line for line in out.splitlines() if "[startup_ratio]" in line)
    assert "1.4-1.7 (20%)" in startup and startup.rstrip().endswith("met")  # one repeat above 1.6; median under
    assert next(line for line in out.splitlines() if "[tap_p99_ms]" in line).rstrip().endswith("MISSED")
    assert "3 repeats, 12 s in all" in out


def test_the_default_run_is_the_benchmarks_with_targets():
    runner = load_runner()
    targeted = {b.name for b in runner.BENCHMARKS if b.targeted}
    assert targeted == {"storage", "sync", "startup", "visitors"}
    figures_with_targets = {t.key for t in runner.TARGETS}
    assert {"startup_ratio", "rss_ratio", "frame_p99_ms", "tap_p99_ms"} <= figures_with_targets
