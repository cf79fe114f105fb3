"""``[office] retention_days`` of the configuration: ``kiosk office serve`` blanks older personal details."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime, timedelta

from kiosk.clock import TIMEZONE
from kiosk.office.reports import office_report
from kiosk.office.serve import start_in_thread
from kiosk.office.store import OfficeStore
from office_support import KIOSK, record
from test_office_cli import PROJECT, _env, kiosk_command, upload


def question_on(day: date, seq: int, name: str) -> dict:
    moment = datetime(day.year, day.month, day.day, 10, 0, tzinfo=TIMEZONE)
    return record(seq=seq, type="question", created_at=moment.isoformat(timespec="seconds"),
                  data={"theme": "money", "talk_today": True, "ticket": seq, "first_name": name,
                        "phone": "0470 12 34 56", "text": "Mijn factuur klopt niet"})


def test_serve_blanks_personal_details_older_than_the_configured_retention_days(tmp_path, office_database):
    today = datetime.now(TIMEZONE).date()
    old, recent = question_on(today - timedelta(days=20), 1, "Mariëtte"), question_on(today - timedelta(days=2), 2, "Rik")
    data = tmp_path / "office"
    server, url = start_in_thread(data, database=office_database, retention_days=3650)
    try:
        with OfficeStore(office_database or data) as store:
            token = store.add_kiosk(KIOSK)
        assert len(upload(url, token, [old, recent]).json()["accepted"]) == 2
    finally:
        server.close()
    first, last = today - timedelta(days=30), today
    with OfficeStore(office_database or data) as store:
        before = office_report(store, first, last)
    config = tmp_path / "office.toml"
    config.write_text("[office]\nretention_days = 10\n", encoding="utf-8")
    command = [sys.executable, "-m", "kiosk", "--config", str(config), "office", "serve", "--port", "0",
               "--data", str(data), *(["--database", office_database] if office_database else [])]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=_env(),
                               cwd=PROJECT)
    try:
        said = [process.stderr.readline()]
        while "Office receiver on" not in said[-1] and said[-1]:  # retention runs before it listens
            said.append(process.stderr.readline())
        assert "personal details erased (retention of 10 days): 1 record(s)" in said[0], said
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()
    with OfficeStore(office_database or data) as store:
        blanked, kept = store.records_for(KIOSK, old["created_at"][:10]), store.records_for(KIOSK, recent["created_at"][:10])
        assert blanked[0]["data"] == {"theme": "money", "talk_today": True, "ticket": 1, "erased": True}
        assert kept[0]["data"]["first_name"] == "Rik" and kept[0]["data"]["phone"] == "0470 12 34 56"
        assert [entry[1] for entry in store.erasures()] == ["retention of 10 days"]
        after = office_report(store, first, last)
    assert after == before and after["questions"]["money"] == 2 and after["talk_today"] == 2


def test_a_wrong_retention_days_is_one_line_in_words_and_the_environment_overrides_it(tmp_path):
    config = tmp_path / "office.toml"
    config.write_text('[office]\nretention_days = "a month"\n', encoding="utf-8")
    refused = kiosk_command("--config", str(config), "office", "serve", "--port", "0", "--data", str(tmp_path / "o"))
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert re.search(r"\[office\] retention_days: .*number of days", refused.stderr), refused.stderr
    assert "Traceback" not in refused.stderr
    config.write_text("[office]\nretention_days = 10\n", encoding="utf-8")
    done = kiosk_command("--config", str(config), "office", "retention", "--data", str(tmp_path / "o"),
                         env={"KIOSK_OFFICE_RETENTION_DAYS": "45"})
    assert done.returncode == 0, done.stderr
    assert "older than 45 days" in done.stdout
    done = kiosk_command("--config", str(config), "office", "retention", "--data", str(tmp_path / "o"))
    assert "older than 10 days" in done.stdout
