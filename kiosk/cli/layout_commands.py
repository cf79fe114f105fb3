"""``kiosk layout-check``: every screen at a window size, checked for text that does not fit and the like."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from kiosk.cli.common import add_config_option, config_of
from kiosk.config import SUPPORTED_LANGUAGES, _size
from kiosk.errors import KioskError


def register(subparsers) -> None:
    p = subparsers.add_parser("layout-check", help="check every screen at a window size (exit 0: no problems)")
    add_config_option(p)
    p.add_argument("--size", required=True, metavar="WxH",
                   help="window size, e.g. 800x480; several, comma-separated, are checked in one window")
    p.add_argument("--lang", default=None, metavar="nl,fr,en", help="languages (default: all configured)")
    p.add_argument("--json", action="store_true", help="print the problems as JSON")
    p.set_defaults(func=layout_check)


def layout_check(args) -> int:
    from kiosk.ui.layoutcheck import too_small

    config = config_of(args)
    try:
        sizes = [_size(part) for part in args.size.split(",")]
    except Exception as error:  # the config validator's words
        raise KioskError(f"--size: {error}") from None
    for size in sizes:
        reason = too_small(size)
        if reason:
            print(reason, file=sys.stderr)
            return 2
    langs = args.lang.split(",") if args.lang else list(config.languages)
    unknown = [lang for lang in langs if lang not in SUPPORTED_LANGUAGES]
    if unknown:
        raise KioskError(f"unknown language {unknown[0]!r}; choose from {', '.join(SUPPORTED_LANGUAGES)}")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return _rerun_under_xvfb(sizes)
    reports = _check(config, sizes, langs)
    if args.json:
        chosen = [reports[f"{w}x{h}"] for w, h in sizes]
        print(json.dumps(chosen[0] if len(chosen) == 1 else chosen, ensure_ascii=False, indent=1))
    else:
        for report in reports.values():
            for p in report["problems"]:
                print(f"{report['size']} {p['screen']} [{p['lang']}] {p['widget']}: {p['problem']}")
        for report in reports.values():
            print(f"{report['size']}: {report['screens']} screens, {len(report['problems'])} problems")
    return 1 if any(report["problems"] for report in reports.values()) else 0


def _check(config, sizes, langs) -> dict:
    with tempfile.TemporaryDirectory(prefix="kiosk-layout-") as scratch:
        config = dataclasses.replace(config, data_dir=Path(scratch), fullscreen=False, kiosk_mode=False)
        from kiosk.services import open_services
        from kiosk.ui.launch import configure_kivy

        services = open_services(config)
        configure_kivy(config, windowed=True, size=sizes[0])
        from kivy.base import EventLoop, runTouchApp

        from kiosk.ui.app import KioskApp
        from kiosk.ui.layoutcheck import run_check

        app = KioskApp(services)
        app._run_prepare()
        runTouchApp(embedded=True)
        reports: dict = {}
        try:
            run_check(app, langs, sizes, reports.update)
        finally:
            app.stop()
            EventLoop.close()
    return reports


def _rerun_under_xvfb(sizes) -> int:
    xvfb = shutil.which("xvfb-run")
    if not xvfb:
        raise KioskError("There is no display and Xvfb is not installed (Debian: apt-get install xvfb).")
    width, height = max(w for w, _ in sizes), max(h for _, h in sizes)
    command = [xvfb, "--auto-servernum", f"--server-args=-screen 0 {width}x{height}x24",
               sys.executable, "-m", "kiosk", *sys.argv[1:]]
    os.execv(xvfb, command)
    return 2  # not reached
