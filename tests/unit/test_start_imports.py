"""What the kiosk app's own modules import when it starts, beside what it uses while it rests: each
module a running kiosk never needs is memory held for as long as it runs. Checked in a fresh Python."""

import subprocess
import sys

#: Imported by the kiosk's start (without Kivy: the modules the app imports from the other layers).
START = ["kiosk.services", "kiosk.sync", "kiosk.calendar.source", "kiosk.export.phone", "kiosk.export.live_queue",
         "kiosk.export.ticket_printer", "kiosk.export.media"]
#: Imported only when needed: the calendar is read in a child process, a phone page is served on demand.
LATER = ["icalendar", "recurring_ical_events", "http.server", "socketserver"]


def test_the_kiosk_starts_without_the_calendar_libraries_or_a_web_server():
    script = f"import sys\nfor name in {START!r}: __import__(name)\nprint([m for m in {LATER!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
