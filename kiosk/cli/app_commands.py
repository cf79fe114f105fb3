"""Stand-in: the foundation's ``kiosk/cli/__init__.py`` imports ``app_commands`` (``kiosk run``), but the
module is not in this branch, so no ``kiosk`` command could start at all. This empty module lets the
command line import; the real ``app_commands`` replaces it when the branches meet.
"""


def register(subparsers) -> None:
    """Nothing yet: ``kiosk run`` comes with the kiosk app."""
