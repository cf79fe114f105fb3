"""Ter Plekke kiosk: check-in, questions and ideas for a mobile neighbourhood service centre.

Layers, inner to outer (an inner layer never imports an outer one):

- ``kiosk.core``     records, validation, use cases; pure Python, no Kivy, no I/O
- ``kiosk.storage``  the repository: one durable TinyDB file per local day, a small state file
- ``kiosk.sync``     the outbox: uploads every record to the central office exactly once (no Kivy)
- ``kiosk.ui``       the Kivy app, one ``.py`` + ``.kv`` pair per screen
- ``kiosk.cli``      the ``kiosk`` command
"""

__version__ = "0.1.0"
