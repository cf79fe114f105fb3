"""Upload to the central office (docs/architecture.md#the-upload-contract): every record exactly once, however bad the network.

- ``client``     one upload of one batch, and what the office's answer means
- ``outbox``     the background worker that drains pending records (Kivy-free; plain callbacks)
- ``retention``  records uploaded long enough ago leave the kiosk
"""

import logging

from kiosk.sync.client import OfficeSettings
from kiosk.sync.outbox import DrainReport, Outbox, RetryPolicy, SyncState, SyncStatus

__all__ = ["DrainReport", "OfficeSettings", "Outbox", "RetryPolicy", "SyncState", "SyncStatus"]

# A library's manners: the app decides where log lines go; without a handler, none are printed.
logging.getLogger(__name__).addHandler(logging.NullHandler())
