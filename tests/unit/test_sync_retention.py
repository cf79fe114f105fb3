"""Retention: whole days leave once every record in them was uploaded long enough ago; nothing else."""

from datetime import datetime, timedelta

from kiosk.clock import TIMEZONE
from kiosk.storage import Repository
from kiosk.storage.repository import DAYS_DIR
from kiosk.sync import retention
from test_storage import StepClock, add_checkins

NOW = datetime(2027, 6, 30, 12, 0, tzinfo=TIMEZONE)


def day_of(repo, when, n=3, status="uploaded", uploaded_at=None, reason=""):
    """``n`` records made at ``when``; marked ``status`` at ``uploaded_at`` (None: left pending)."""
    written = add_checkins(repo, n, StepClock(when))
    day = written[0]["created_at"][:10]
    if uploaded_at is not None:
        repo.mark_done([(day, r["id"], status, reason) for r in written], at=uploaded_at.isoformat())
    return day


def test_only_days_uploaded_long_enough_ago_go(tmp_path):
    with Repository(tmp_path) as repo:
        old = day_of(repo, NOW - timedelta(days=60), uploaded_at=NOW - timedelta(days=59))
        refused = day_of(repo, NOW - timedelta(days=50), status="rejected", uploaded_at=NOW - timedelta(days=49),
                         reason="unknown type")
        waiting = day_of(repo, NOW - timedelta(days=45))
        late = day_of(repo, NOW - timedelta(days=40), uploaded_at=NOW - timedelta(days=2))  # uploaded late
        recent = day_of(repo, NOW - timedelta(days=3), uploaded_at=NOW - timedelta(days=3))

        dry = retention.purge(repo, NOW, 30, dry_run=True)
        assert dry.removed_days == [old] and dry.removed_records == 3
        assert dry.kept_rejected == [refused] and dry.kept_pending == [waiting]
        assert (tmp_path / DAYS_DIR / f"{old}.jsonl").exists()

        done = retention.purge(repo, NOW, 30)
        assert done.removed_days == [old]
        assert not (tmp_path / DAYS_DIR / f"{old}.jsonl").exists()
        assert repo.days() == sorted([refused, waiting, late, recent])
        assert repo.pending_count() == 3 and len(repo.rejected()) == 3
        assert retention.purge(repo, NOW, 30).removed_days == []
    with Repository(tmp_path) as repo:  # reopens fine, sequence intact
        assert add_checkins(repo, 1, StepClock(NOW))[0]["seq"] == 16


def test_nothing_goes_when_the_clock_or_the_upload_time_cannot_be_trusted(tmp_path):
    with Repository(tmp_path) as repo:
        day_of(repo, NOW - timedelta(days=60), uploaded_at=NOW - timedelta(days=59))
        stamped_in_1970 = day_of(repo, NOW - timedelta(days=55), uploaded_at=datetime(1970, 1, 1, tzinfo=TIMEZONE))
        assert retention.purge(repo, datetime(1970, 1, 2, tzinfo=TIMEZONE), 30) is None
        assert retention.purge(repo, NOW - timedelta(days=70), 30) is None  # before records already written
        assert len(repo.days()) == 2
        report = retention.purge(repo, NOW, 30)
        assert len(report.removed_days) == 1 and stamped_in_1970 in repo.days()


def test_the_outbox_applies_retention_after_its_first_round(tmp_path):
    import threading

    from fault_office import FaultOffice
    from kiosk.sync import OfficeSettings, Outbox, SyncState

    with Repository(tmp_path) as repo, FaultOffice() as office:
        old = day_of(repo, NOW - timedelta(days=60), uploaded_at=NOW - timedelta(days=59))
        waiting = day_of(repo, NOW - timedelta(days=1))
        idle = threading.Event()
        outbox = Outbox(repo, OfficeSettings(office.url, "good-token"), clock=StepClock(NOW, timedelta(0)),
                        retention_days=30,
                        on_status=lambda s: idle.set() if s.state is SyncState.IDLE and s.pending == 0 else None)
        outbox.start()
        try:
            assert idle.wait(5)
        finally:
            assert outbox.stop()
        assert repo.days() == [waiting] and repo.pending_count() == 0 and len(office.records) == 3
        assert old not in repo.days()
