"""Shared test setup. Kivy must never parse pytest's arguments nor read the user's ~/.kivy."""

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_USE_DEFAULTCONFIG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")


def pytest_addoption(parser):
    parser.addoption("--long", action="store_true", default=False,
                     help="run the long form of the reliability tests (also: KIOSK_LONG_TESTS=1)")
