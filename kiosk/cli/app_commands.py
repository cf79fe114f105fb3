"""Commands that open the kiosk's window: run (also a bare ``kiosk``) and screenshots."""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import sys
import tempfile
from pathlib import Path

from kiosk.cli.common import add_config_option, config_of
from kiosk.config import SUPPORTED_LANGUAGES, _size
from kiosk.errors import KioskError


def register(subparsers) -> None:
    p = subparsers.add_parser("run", help="start the kiosk (the default)")
    add_config_option(p)
    p.add_argument("--windowed", action="store_true", help="a window instead of fullscreen")
    p.add_argument("--size", type=_size_arg, metavar="WxH", help="window size, e.g. 1280x800")
    p.set_defaults(func=run)

    p = subparsers.add_parser("screenshots", help="save a PNG of every screen (uses Xvfb when there is no display)")
    add_config_option(p)
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--size", type=_size_arg, metavar="WxH", default=None)
    p.add_argument("--lang", default=None, metavar="nl,fr,en", help="languages (default: all configured)")
    p.set_defaults(func=screenshots)


def _size_arg(text: str) -> tuple[int, int]:
    try:
        return _size(text)
    except Exception as error:  # the config validator's message, in words
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args) -> int:
    config = config_of(args)
    from kiosk.ui.launch import run_app

    run_app(config, windowed=args.windowed or bool(args.size), size=args.size)
    return 0


def screenshots(args) -> int:
    config = config_of(args)
    langs = args.lang.split(",") if args.lang else list(config.languages)
    unknown = [lang for lang in langs if lang not in SUPPORTED_LANGUAGES]
    if unknown:
        raise KioskError(f"unknown language {unknown[0]!r}; choose from {', '.join(SUPPORTED_LANGUAGES)}")
    size = args.size or config.size
    # Always a virtual screen of exactly this size when Xvfb is there: a window larger than the display it
    # is on (e.g. 1920x1080 on a 1280x800 screen) cannot be read back whole, and gave blank pictures.
    if os.environ.get(OWN_SCREEN) != "1" and (shutil.which("xvfb-run") or not _has_display()):
        return _rerun_under_xvfb(size)
    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as scratch:
        config = dataclasses.replace(config, data_dir=Path(scratch), fullscreen=False, kiosk_mode=False)
        from kiosk.services import open_services
        from kiosk.ui.launch import configure_kivy

        services = open_services(config)
        configure_kivy(config, windowed=True, size=size)
        from kiosk.ui.app import KioskApp
        from kiosk.ui.screenshots import take_screenshots

        app = KioskApp(services)
        written = []

        def finished(paths):
            written.extend(paths)
            app.stop()

        app.bind(on_start=lambda *_: take_screenshots(app, Path(args.out), langs, finished))
        app.run()
    print(f"Saved {len(written)} screenshots in {args.out}")
    return 0 if written else 2


OWN_SCREEN = "KIOSK_OWN_XVFB"  # set in the process run under its own Xvfb


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _rerun_under_xvfb(size: tuple[int, int]) -> int:
    xvfb = shutil.which("xvfb-run")
    if not xvfb:
        raise KioskError("There is no display and Xvfb is not installed (Debian: apt-get install xvfb).")
    width, height = size
    command = [xvfb, "--auto-servernum", f"--server-args=-screen 0 {width}x{height}x24",
               sys.executable, "-m", "kiosk", *sys.argv[1:]]
    os.environ[OWN_SCREEN] = "1"
    os.execv(xvfb, command)
    return 2  # not reached
