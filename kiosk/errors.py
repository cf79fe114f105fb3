"""The one exception tree of the kiosk.

Every error that can reach a person carries a message in plain words (``str(error)``); the command line
and the app show that message, never a traceback.
"""


class KioskError(Exception):
    """Base of every error the kiosk raises on purpose."""


class ConfigError(KioskError):
    """The configuration cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class ValidationError(KioskError):
    """Input that the core refuses; ``code`` is a stable name the UI translates."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


class StorageError(KioskError):
    """Something went wrong while reading or writing the kiosk's data folder."""


class DiskFullError(StorageError):
    """The disk is full: nothing was written, what was there is intact."""


class DataFolderError(StorageError):
    """The data folder cannot be created or written."""


class KioskBusyError(StorageError):
    """Another kiosk process (the app, or a command) is writing to the same data folder."""


class OfficeError(KioskError):
    """The office receiver cannot do what was asked: its data folder, its database, a kiosk name."""


class KioskExistsError(OfficeError):
    """A kiosk of that name is already registered at the office (replace its token on purpose)."""


class UploadRefused(OfficeError):
    """The office refuses an upload as a whole; ``status`` is the HTTP status that says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class SyncError(KioskError):
    """Uploading to the central office cannot go on until a person acts."""


class OfficeConfigError(SyncError):
    """The office settings ([office] url, token, ca_file) cannot be used; the message says which and why."""


class CalendarError(KioskError):
    """A calendar cannot be used: unreadable, malformed, or an unsupported source.

    The message says what is wrong and where (the source and, when known, the line), in plain words.
    """


class ExportError(KioskError):
    """An export could not be written (no USB stick, a read-only or full one, no network for a phone).

    ``code`` is a stable name the UI translates: ``no_place``, ``read_only``, ``full``, ``failed``,
    ``no_network``; the message says the same in English words, for the command line and the log.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class CalendarTooBusyError(CalendarError):
    """A calendar whose activities in the shown window cost more than the refresh's budget (see
    :mod:`kiosk.calendar.budget`): refused as a whole, the last good copy stays in use."""
