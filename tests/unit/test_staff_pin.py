"""The staff PIN: a salted slow hash only, throttled wrong tries that survive a restart. Real state files."""

import json
from datetime import timedelta

import pytest

from kiosk.core.staff_pin import (
    FREE_TRIES,
    HASH_KEY,
    MAX_LOCKOUT,
    Outcome,
    StaffLock,
    check_pin_format,
    hash_pin,
    pin_matches,
)
from kiosk.errors import ValidationError
from kiosk.storage import Repository
from clocks import FixedClock as SetClock


@pytest.fixture
def clock():
    return SetClock()


def test_only_a_salted_scrypt_hash_is_stored(tmp_path, clock):
    with Repository(tmp_path) as repo:
        lock = StaffLock(repo, clock)
        assert not lock.is_set
        lock.set_pin("4821")
        assert lock.is_set
    text = (tmp_path / "state.json").read_text()
    assert "4821" not in text
    stored = json.loads(text)[HASH_KEY]
    assert stored["scheme"] == "scrypt" and len(bytes.fromhex(stored["salt"])) == 16
    assert pin_matches("4821", stored) and not pin_matches("4822", stored)
    assert hash_pin("4821")["hash"] != hash_pin("4821")["hash"]  # salted


@pytest.mark.parametrize("bad", ["123", "123456789", "12a4", "١٢٣٤", "", None, 1234, " 1234"])
def test_a_pin_is_four_to_eight_digits(bad):
    with pytest.raises(ValidationError) as caught:
        check_pin_format(bad)
    assert caught.value.code == "bad_pin"
    assert check_pin_format("00000000") == "00000000"


@pytest.mark.parametrize("stored", [None, {}, {"scheme": "md5", "hash": "00"}, {"scheme": "scrypt", "n": 2**30,
                                    "r": 8, "p": 1, "salt": "00", "hash": "00"}, {"scheme": "scrypt", "n": "x"}])
def test_a_strange_stored_hash_never_matches_nor_crashes(stored):
    assert not pin_matches("1234", stored)


def test_no_pin_yet_says_so(tmp_path, clock):
    with Repository(tmp_path) as repo:
        assert StaffLock(repo, clock).try_pin("1234").outcome is Outcome.NO_PIN


def test_wrong_tries_are_throttled_across_a_restart_and_the_wait_grows(tmp_path, clock):
    with Repository(tmp_path) as repo:
        lock = StaffLock(repo, clock)
        lock.set_pin("4821")
        for left in range(FREE_TRIES - 1, 1, -1):
            attempt = lock.try_pin("0000")
            assert (attempt.outcome, attempt.tries_left) == (Outcome.WRONG, left)
    with Repository(tmp_path) as repo:  # the kiosk restarts: the count goes on
        lock = StaffLock(repo, clock)
        assert lock.try_pin("0000").tries_left == 1
        locked = lock.try_pin("0000")
        assert locked.outcome is Outcome.LOCKED and locked.wait == timedelta(minutes=1)
        assert lock.try_pin("4821").outcome is Outcome.LOCKED  # even the right PIN waits
    clock.moment += timedelta(seconds=30)
    with Repository(tmp_path) as repo:
        lock = StaffLock(repo, clock)
        assert lock.wait() == timedelta(seconds=30)
        clock.moment += timedelta(seconds=30)
        assert lock.wait() == timedelta(0)
        waits = []
        for _ in range(8):  # rounds of wrong tries: 2, 4, 8, ... minutes, capped
            for _ in range(FREE_TRIES):
                attempt = lock.try_pin("1111")
            waits.append(attempt.wait)
            clock.moment += attempt.wait
        assert waits[:5] == [timedelta(minutes=m) for m in (2, 4, 8, 16, 32)]
        assert waits[5:] == [MAX_LOCKOUT] * 3
        assert lock.try_pin("4821").outcome is Outcome.OK  # the right PIN clears it all
        assert lock.try_pin("1111").tries_left == FREE_TRIES - 1


def test_a_clock_that_jumps_back_never_makes_the_wait_longer_than_the_lockout(tmp_path, clock):
    with Repository(tmp_path) as repo:
        lock = StaffLock(repo, clock)
        lock.set_pin("4821")
        for _ in range(FREE_TRIES):
            lock.try_pin("0000")
        clock.moment -= timedelta(days=400)  # a Raspberry Pi booted without network
        assert lock.wait() == timedelta(minutes=1)
        clock.moment += timedelta(minutes=1)
        assert lock.try_pin("4821").outcome is Outcome.OK


def test_a_new_pin_clears_the_throttle(tmp_path, clock):
    with Repository(tmp_path) as repo:
        lock = StaffLock(repo, clock)
        lock.set_pin("4821")
        for _ in range(FREE_TRIES):
            lock.try_pin("0000")
        assert lock.wait()
        lock.set_pin("97531")
        assert lock.wait() == timedelta(0) and lock.try_pin("97531").outcome is Outcome.OK


def unwritable_state(folder):
    """The state file can no longer be replaced (as with a full disk or a read-only folder, even for root):
    its temporary file's name is taken by a folder."""
    (folder / ".state.json.tmp").mkdir()


def test_a_try_that_cannot_be_counted_is_refused_unchecked_even_with_the_right_pin(tmp_path, clock):
    with Repository(tmp_path) as repo:
        lock = StaffLock(repo, clock)
        lock.set_pin("4821")
        unwritable_state(tmp_path)
        outcomes = {lock.try_pin(pin).outcome for pin in ["0000", "1234", "4821"] * 50}
        assert outcomes == {Outcome.UNCOUNTED}  # 150 guesses, none of them checked, the right one neither
        (tmp_path / ".state.json.tmp").rmdir()
        assert lock.try_pin("0000").tries_left == FREE_TRIES - 1  # counting resumes where it was
        assert lock.try_pin("4821").outcome is Outcome.OK


@pytest.mark.parametrize("edited", [
    {"failures": -1000000}, {"failures": "x"}, {"failures": 2.5}, {"failures": True}, {"failures": None},
    {"failures": 10**30}, {"lockouts": -3, "failures": "x"},
])
def test_hand_edited_failures_count_as_the_worst_case_never_as_zero_or_a_crash(tmp_path, clock, edited):
    with Repository(tmp_path) as repo:
        StaffLock(repo, clock).set_pin("4821")
        repo.set_setting("staff_pin_throttle", edited)
    with Repository(tmp_path) as repo:
        attempt = StaffLock(repo, clock).try_pin("0000")
        assert attempt.outcome is Outcome.LOCKED  # the very next wrong try starts a wait


@pytest.mark.parametrize("edited", [
    "x", [1, 2], {}, {"locked_until": "soon"}, {"locked_until": 12}, {"locked_until": "2027-04-20T09:30:00"},
    {"locked_until": "2027-04-20T09:31:00+02:00", "lockout_seconds": "x"},
])
def test_a_hand_edited_lockout_counts_as_the_longest_wait(tmp_path, clock, edited):
    with Repository(tmp_path) as repo:
        StaffLock(repo, clock).set_pin("4821")
        repo.set_setting("staff_pin_throttle", edited)
    with Repository(tmp_path) as repo:
        lock = StaffLock(repo, clock)
        assert lock.wait() >= timedelta(minutes=1)
        assert lock.try_pin("4821").outcome is Outcome.LOCKED
