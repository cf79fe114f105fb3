"""Retention: records the office has had for ``[data] retention_days`` leave the kiosk.

Only whole days go, and only when every record of the day was uploaded before the cutoff; a record
not yet uploaded, or one the office refused (kept for staff), keeps its day. Nothing is removed while
the clock does not look right: a Raspberry Pi that booted in 1970, or years ahead, must not decide
what is old.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.clock import clock_looks_right
from kiosk.storage.repository import PurgeReport, Repository


def retention_cutoff(now: datetime, latest_seen: datetime | None, days: int) -> datetime | None:
    """Records uploaded before this moment may go; None when the clock cannot be trusted."""
    if not clock_looks_right(now, latest_seen):
        return None
    return now - timedelta(days=days)


def purge(repo: Repository, now: datetime, days: int, dry_run: bool = False) -> PurgeReport | None:
    """Apply retention to ``repo``; None (nothing done) when the clock does not look right."""
    cutoff = retention_cutoff(now, repo.latest_time(), days)
    if cutoff is None:
        return None
    return repo.purge_uploaded(cutoff, dry_run=dry_run)
