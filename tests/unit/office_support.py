"""What the office tests share: a real receiver on 127.0.0.1 with one registered kiosk, and records."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.office.serve import OfficeServer, start_in_thread
from kiosk.office.store import OfficeStore

KIOSK = "kiosk-3f2a9c0d11be"
OTHER_KIOSK = "kiosk-0a1b2c3d4e5f"
ADMIN_PASSWORD = "koffie & één wafel"
TIMEOUT = 10


def record(kiosk: str = KIOSK, seq: int = 1, **changes: Any) -> dict[str, Any]:
    """A record as the kiosk keeps and sends it."""
    rec = {
        "id": str(uuid.uuid4()),
        "type": "checkin",
        "created_at": "2027-04-20T09:30:00+02:00",
        "seq": seq,
        "clock_ok": True,
        "location": "In 't Riet, Zillebeke",
        "kiosk": kiosk,
        "data": {"adults": 2, "children": 1, "first_time": True, "reasons": ["coffee"]},
    }
    rec.update(changes)
    return rec


@dataclass
class Office:
    """A running receiver, its data folder, and the token of ``KIOSK``."""

    server: OfficeServer
    url: str
    data_dir: Path
    token: str
    database: str | None = None
    session: requests.Session = field(default_factory=requests.Session)

    def upload(self, records: list, token: str | None = None, kiosk: str = KIOSK, **extra) -> requests.Response:
        body = {"kiosk": kiosk, "sent_at": "2027-04-20T10:00:00+02:00", "records": records, **extra}
        return self.post(json=body, token=token)

    def post(self, token: str | None = None, path: str = "/api/v1/records", **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token if token is None else token}", **kwargs.pop("headers", {})}
        return self.session.post(self.url + path, headers=headers, timeout=TIMEOUT, **kwargs)

    def get(self, path: str, staff: bool = False, **kwargs) -> requests.Response:
        if staff:
            kwargs["auth"] = ("kantoor", ADMIN_PASSWORD)
        return self.session.get(self.url + path, timeout=TIMEOUT, **kwargs)

    def store(self) -> OfficeStore:
        return OfficeStore(self.database or self.data_dir)


def start_office(data_dir: Path, **options: Any) -> Office:
    """Start a receiver on ``data_dir`` and (re)register ``KIOSK`` with a fresh token."""
    options.setdefault("admin_password", ADMIN_PASSWORD)
    server, url = start_in_thread(data_dir, **options)
    with OfficeStore(options.get("database") or data_dir) as store:
        token = store.add_kiosk(KIOSK, replace=True)
    return Office(server, url, data_dir, token, options.get("database"))


@pytest.fixture
def office(tmp_path, office_database):
    """A running office, once on SQLite and once on PostgreSQL (skipped, with the reason, without it)."""
    running = start_office(tmp_path / "office", database=office_database)
    yield running
    running.session.close()
    running.server.close()
