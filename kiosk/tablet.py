"""The kiosk on an Android tablet (built with buildozer): where its records and settings live.

python-for-android starts ``main.py`` with ``ANDROID_PRIVATE`` set to the app's private files folder
(``Context.getFilesDir()``: the same folder Kivy's ``App.user_data_dir`` gives there). The app's code and
its bundled ``kiosk/assets/config/kiosk.toml`` are replaced by every update; the records must not be, so they go to
``$ANDROID_PRIVATE/ter-plekke-kiosk``. A ``kiosk.toml`` placed in ``$ANDROID_PRIVATE`` wins over the
bundled one (how to put it there: docs/tablet.md).

Kivy-free on purpose: the folders are settled before the configuration and Kivy are loaded, the same way
``KIOSK_DATA_DIR`` / ``KIOSK_CONFIG`` are set by the service on a Raspberry Pi.
"""

from __future__ import annotations

import os
from typing import Mapping

DATA_FOLDER = "ter-plekke-kiosk"
SETTINGS_FILE = "kiosk.toml"


def android_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The variables to add to ``environ`` on Android; nothing elsewhere, never one already set."""
    private = environ.get("ANDROID_PRIVATE")
    if not private:
        return {}
    add = {}
    if "KIVY_NO_ARGS" not in environ:  # the app's arguments are not for Kivy
        add["KIVY_NO_ARGS"] = "1"
    if not environ.get("KIOSK_DATA_DIR"):
        add["KIOSK_DATA_DIR"] = os.path.join(private, DATA_FOLDER)
    settings = os.path.join(private, SETTINGS_FILE)
    if not environ.get("KIOSK_CONFIG") and os.path.isfile(settings):
        add["KIOSK_CONFIG"] = settings
    return add
