"""Commands that run the kiosk app (``kiosk run``, ``kiosk screenshots``).

PLACEHOLDER: ``kiosk/cli/__init__.py`` imports this module, but the app's commands land from the UI
branch. This empty ``register`` only keeps the ``kiosk`` command importable meanwhile; on merge, take
the UI branch's version of this file.
"""


def register(subparsers) -> None:
    """Nothing yet: the UI branch adds ``run`` and ``screenshots`` here."""
