"""The reference receiver the central office runs (docs/architecture.md#the-upload-contract): Flask on waitress, SQLite. No Kivy.

- ``store``     the office database: kiosks and their token hashes, records, last reports
- ``upload``    checking an upload: the envelope as a whole, each record on its own
- ``app``       the Flask application: upload API, health, calendar, staff overview, CSV
- ``overview``  what the staff overview shows
- ``serve``     running it on waitress, in the foreground or in a thread (tests, benchmarks)

The API is described in ``docs/openapi.yaml``. Data folder layout::

    office.sqlite3   the database (with -wal and -shm beside it while the office runs)
    calendar.ics     the activity calendar the kiosks fetch, published by the office
"""
