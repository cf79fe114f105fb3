"""The Kivy app. Import :mod:`kiosk.ui.launch` first: it configures Kivy before Kivy is imported.

``theme`` and ``i18n`` are Kivy-free so that the tests of colours and translations need no window.
"""
