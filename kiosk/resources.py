"""Where the files the kiosk ships live: inside the package (``kiosk/assets``), so that an installed
wheel finds them from any folder, as an editable install does. Kivy-free."""

from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
#: DejaVu Sans, regular and bold.
FONT_DIR = ASSETS_DIR / "fonts"
#: OpenMoji pictograms, ``<name>.png`` (see SOURCES.txt there).
PICTOGRAM_DIR = ASSETS_DIR / "pictograms"
#: gettext catalogues: ``<lang>/LC_MESSAGES/kiosk.po`` and the compiled ``.mo``.
LOCALE_DIR = ASSETS_DIR / "locale"
#: The default configuration (every setting with its default and a comment) and the demo calendar.
DEFAULT_CONFIG_DIR = ASSETS_DIR / "config"
