"""Entry point of the Android app: buildozer / python-for-android start ``main.py``.

On a Raspberry Pi or a PC, use the ``kiosk`` command instead. The records go to the app's private
folder, not next to the code that each update replaces (see kiosk/tablet.py).
"""

import os
import sys

from kiosk.tablet import android_environment

os.environ.update(android_environment(os.environ))

from kiosk.cli import main  # noqa: E402  (only once the folders are settled)

sys.exit(main(["run"]))
