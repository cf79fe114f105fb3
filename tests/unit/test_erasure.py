"""Staff erase a visitor's personal details: gone from the day file, the upload and the export; numbers stay."""

import pytest

from kiosk.core import daylog, question
from kiosk.core.daystats import day_stats
from kiosk.core.privacy import PERSONAL_FIELDS, personal_records
from kiosk.core.records import Recorder, RecordType
from kiosk.errors import StorageError
from kiosk.storage import Repository
from clocks import StepClock

DAY = "2027-04-20"


def ask_with_contact(recorder):
    return question.ask(recorder, "housing", True, "Mijn huisbaas antwoordt niet", consent=True,
                        first_name="Mariëtte", phone="0470 12 34 56")


def test_erased_details_leave_the_file_and_the_upload_but_the_numbers_stay(tmp_path):
    with Repository(tmp_path) as repo:
        recorder = Recorder(repo, StepClock(), "Zillebeke")
        asked = ask_with_contact(recorder)
        other = question.ask(recorder, "digital", False, "itsme", consent=True, first_name="Jan")
        signup = recorder.record(RecordType.SIGNUP, {"title": "Samen Tafelen", "persons": 2, "first_name": "Rik"})
        before = day_stats(DAY, repo.records_for_day(DAY))
        assert [p.id for p in personal_records(repo.records_for_day(DAY))] == [signup["id"], other["id"], asked["id"]]
        assert {r["id"]: r["data"].get("first_name") for r in repo.pending()}[asked["id"]] == "Mariëtte"

        done = repo.erase_personal(DAY, asked["id"], PERSONAL_FIELDS["question"])
        assert sorted(done.erased) == ["first_name", "phone", "text"] and not done.uploaded
        repo.erase_personal(DAY, signup["id"], PERSONAL_FIELDS["signup"])

        [pending] = [r for r in repo.pending() if r["id"] == asked["id"]]
        assert pending["data"] == {"theme": "housing", "talk_today": True, "ticket": 1, "erased": True}
        after = day_stats(DAY, repo.records_for_day(DAY))
        assert (after.questions[0].ticket, after.questions[0].theme, after.signups) == (1, "housing", before.signups)
        assert after.questions[0].erased and after.questions[0].first_name == ""
        assert [p.id for p in personal_records(repo.records_for_day(DAY))] == [other["id"]]
    raw = (tmp_path / "days" / f"{DAY}.jsonl").read_bytes().decode()
    assert "Mari" not in raw and "0470" not in raw and "huisbaas" not in raw and "Rik" not in raw
    assert "Jan" in raw  # the other visitor's details are still there
    with Repository(tmp_path) as repo:  # after a restart, the erased version is what goes to the office
        [pending] = [r for r in repo.pending() if r["id"] == asked["id"]]
        assert "first_name" not in pending["data"] and pending["data"]["erased"] is True
        exported = daylog.to_csv(repo.records_for_day(DAY))
        assert "Mari" not in exported and "Gegevens gewist" in exported


def test_erasing_what_the_office_already_has_says_so(tmp_path):
    with Repository(tmp_path) as repo:
        recorder = Recorder(repo, StepClock(), "Zillebeke")
        asked = ask_with_contact(recorder)
        repo.mark_done([(DAY, asked["id"], "uploaded", "")], at="2027-04-20T09:40:00+02:00")
        assert repo.erase_personal(DAY, asked["id"], PERSONAL_FIELDS["question"]).uploaded
        assert "first_name" not in repo.records_for_day(DAY)[0]["data"]


def test_erasing_needs_a_writer_and_a_real_record(tmp_path):
    with Repository(tmp_path) as repo:
        asked = ask_with_contact(Recorder(repo, StepClock(), "Zillebeke"))
        with pytest.raises(StorageError):
            repo.erase_personal(DAY, "no-such-id", ["first_name"])
        with pytest.raises(StorageError):
            repo.erase_personal("2027-04-21", asked["id"], ["first_name"])
    with Repository(tmp_path, writer=False) as reader:
        with pytest.raises(StorageError):
            reader.erase_personal(DAY, asked["id"], ["first_name"])


def test_an_erased_idea_is_erased_in_what_the_idea_wall_reads_too(tmp_path):
    from kiosk.core import ideas

    with Repository(tmp_path) as repo:
        recorder = Recorder(repo, StepClock(), "Zillebeke")
        idea = ideas.propose(recorder, "walking", "Wandeling", consent=True, first_name="Rik", phone="0470 12 34 56")
        assert repo.records_since(DAY, types=("idea", "vote"))[0]["data"]["phone"] == "0470 12 34 56"  # read once
        repo.erase_personal(DAY, idea["id"], PERSONAL_FIELDS["idea"])
        [read] = repo.records_since(DAY, types=("idea", "vote"))
        assert "phone" not in read["data"] and "first_name" not in read["data"] and read["data"]["erased"]
