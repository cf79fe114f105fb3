"""Hostile configuration files get one line per problem and exit 2, never a traceback; plain http:// to an
office on another machine is refused unless chosen on purpose, and the doctor then warns loudly."""

import contextlib
import io

import pytest

from kiosk import doctor
from kiosk.cli import main as kiosk_main
from kiosk.config import load_config
from kiosk.doctor import Level


@pytest.fixture(autouse=True)
def no_outside_config(monkeypatch):
    for name in ("KIOSK_CONFIG", "KIOSK_DATA_DIR", "KIOSK_OFFICE_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = kiosk_main(list(argv))
    return code, out.getvalue() + err.getvalue()


def check(tmp_path, text):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return run("check-config", "--config", str(path))


def assert_one_line_per_problem(said, problems):
    lines = said.strip().splitlines()
    assert "Traceback" not in said
    assert len(lines) == problems, said
    assert all(line.startswith("kiosk.toml") for line in lines), said


@pytest.mark.parametrize("depth", [50, 2_000, 100_000])
def test_a_deeply_nested_array_is_one_plain_line_not_a_traceback(tmp_path, depth):
    code, said = check(tmp_path, f"[kiosk]\nname = {'[' * depth}1{']' * depth}\n")
    assert code == 2
    assert_one_line_per_problem(said, 1)
    assert len(said) < 400


def test_a_nul_byte_in_the_data_folder_is_refused_by_check_config_and_status_says_it_in_words(tmp_path):
    text = f'[data]\nfolder = "{tmp_path}/da\\u0000ta"\n'
    code, said = check(tmp_path, text)
    assert code == 2
    assert_one_line_per_problem(said, 1)
    assert "[data] folder: expected text without control characters" in said
    code, said = run("status", "--config", str(tmp_path / "kiosk.toml"))
    assert code == 2 and "Traceback" not in said and "control characters" in said


@pytest.mark.parametrize("char", ["\u0085", "\u2028", "\u2029", "\r", "\x1b", "\x00", "\x7f"])
def test_a_control_character_anywhere_never_splits_a_problem_line(tmp_path, char):
    escaped = f"\\u{ord(char):04x}" if ord(char) < 0xD800 or ord(char) > 0xDFFF else ""
    text = (f'[kiosk]\nname = "Ter{escaped}Plekke"\n"id{char}le" = 3\n[locations]\nplaces = ["a{escaped}b"]\n'
            f'today = "a{escaped}b"\n["sec{char}tion"]\nx = 1\n[office]\nurl = "https://x{escaped}y.be"\n')
    code, said = check(tmp_path, text)
    assert code == 2
    assert char not in said
    lines = said.strip().splitlines()
    assert "Traceback" not in said and all(line.startswith("kiosk.toml") for line in lines), said


@pytest.mark.parametrize("url, allowed", [
    ("http://192.168.1.20:8080", False),
    ("http://office.example.be", False),
    ("http://[2001:db8::1]/", False),
    ("http://127.0.0.1:8080", True),
    ("http://127.5.5.5", True),
    ("http://localhost:8080", True),
    ("http://[::1]:8080", True),
    ("https://office.example.be", True),
])
def test_plain_http_to_another_machine_is_refused_unless_chosen_on_purpose(tmp_path, url, allowed):
    code, said = check(tmp_path, f'[office]\nurl = "{url}"\n')
    assert code == (0 if allowed else 2), said
    if not allowed:
        assert_one_line_per_problem(said, 1)
        assert "is plain http:// to another machine" in said and "allow_insecure_http = true" in said
    code, said = check(tmp_path, f'[office]\nurl = "{url}"\nallow_insecure_http = true\n')
    assert code == 0, said


def test_the_doctor_warns_loudly_about_an_office_it_reaches_unencrypted(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[office]\nurl = "http://192.168.1.20:8080"\ntoken = "t"\nallow_insecure_http = true\n')
    config = load_config(path)
    reached = doctor.ok("office", "The office at http://192.168.1.20:8080 answers and accepts this kiosk's token.")
    found = doctor.unencrypted_office(config, reached)
    assert found.level is Level.WARNING and found.message.startswith("NOT ENCRYPTED")
    assert "https://" in found.todo
    unreachable = doctor.warning("office", "Cannot reach the office", "later")
    assert doctor.unencrypted_office(config, unreachable) is unreachable
    path.write_text('[office]\nurl = "http://127.0.0.1:8080"\n')
    assert doctor.unencrypted_office(load_config(path), reached) is reached
