"""Today's activities from the office's iCalendar calendar. Kivy-free.

Modules (import from them directly; this package imports nothing heavy, so that reading the
configuration stays fast):

- :mod:`kiosk.calendar.source`      ``CalendarSource`` (file or address, cached copy, ``refresh()``),
                                    ``CalendarSnapshot``, ``CalendarStatus``, ``CalendarRefresher``
- :mod:`kiosk.calendar.expand`      ``parse_calendar()``, ``Programme`` (``day``, ``coming_days``,
                                    ``between``, ``now_and_next``), ``now_and_next()``, ``NowAndNext``
- :mod:`kiosk.calendar.occurrence`  ``Occurrence`` and its ``to_json()``
- :mod:`kiosk.calendar.convention`  how the calendar marks sign-up, places and pictograms
- :mod:`kiosk.calendar.parse`       reading and checking the calendar text (line numbers in messages)
- :mod:`kiosk.calendar.location`    which sources are accepted (``https://``, ``webcal://``, a file)

Signing up is a use case of the core: :mod:`kiosk.core.signup`.
"""
