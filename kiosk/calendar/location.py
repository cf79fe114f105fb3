"""Where a calendar comes from: a local file, or an address the office publishes.

Kept free of heavy imports: the configuration checks ``[calendar] source`` with :func:`check_location`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from kiosk.errors import CalendarError

#: Plain ``http://`` is only accepted on this machine (tests, a local proxy); anything else must be https.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def is_address(location: str) -> bool:
    """True for a web address (``https://``, ``http://``, ``webcal://``), false for a file path."""
    return "://" in location


def check_location(location: str) -> str:
    """Return ``location`` ready to use, or raise :class:`CalendarError` saying why it cannot work.

    ``webcal://`` (what Outlook and Google offer to "subscribe") becomes ``https://``. A path is returned as given.
    """
    location = location.strip()
    if not is_address(location):
        if not location:
            raise CalendarError("no calendar given: expected a calendar file or an https:// address")
        return location
    parts = urlsplit(location)
    scheme = parts.scheme.lower()
    if scheme in ("webcal", "webcals"):
        location = "https" + location[len(parts.scheme):]
        parts = urlsplit(location)
        scheme = "https"
    if not parts.hostname:
        raise CalendarError(f'the calendar address "{shown(location)}" has no server name')
    if scheme == "https" or (scheme == "http" and parts.hostname in LOCAL_HOSTS):
        return location
    if scheme == "http":
        raise CalendarError(
            f'the calendar address "{shown(location)}" must start with "https://" (an unencrypted address '
            "can be changed on the way)"
        )
    raise CalendarError(f'the calendar address "{shown(location)}" must start with "https://"')


def shown(location: str) -> str:
    """A short, safe name for messages: published calendar addresses often hold a secret token.

    ``https://calendar.google.com/calendar/ical/x%40group/private-abc123/basic.ics`` is shown as
    ``https://calendar.google.com/…/basic.ics``; a file path is shown as given.
    """
    if not is_address(location):
        return location
    parts = urlsplit(location)
    segments = [s for s in parts.path.split("/") if s]
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    middle = "…/" if len(segments) > 1 else ""
    return f"{parts.scheme}://{host}/{middle}{segments[-1] if segments else ''}"
