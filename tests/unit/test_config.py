"""Configuration: defaults, precedence, and one clear line per problem."""

import tomllib
from pathlib import Path

import pytest

from kiosk.config import DEFAULT_CONFIG_PATH, SCHEMA, load_config
from kiosk.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_file_holds_exactly_the_defaults():
    shipped = tomllib.loads(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    defaults = {section: {key: default for key, (_, default) in keys.items()} for section, keys in SCHEMA.items()}
    assert shipped == defaults


def test_missing_keys_take_defaults_and_env_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_OFFICE_TOKEN", "secret")
    config = load_config(write(tmp_path, '[kiosk]\nidle_timeout = 90\n'))
    assert config.idle_timeout == 90
    assert config.idle_countdown == 20
    assert config.data_dir == tmp_path / "data"
    assert config.office_token == "secret"


def test_precedence_explicit_over_env(tmp_path, monkeypatch):
    env_file = write(tmp_path, '[kiosk]\nname = "from env"\n')
    explicit = tmp_path / "explicit.toml"
    explicit.write_text('[kiosk]\nname = "explicit"\n')
    monkeypatch.setenv("KIOSK_CONFIG", str(env_file))
    assert load_config().name == "from env"
    assert load_config(explicit).name == "explicit"


def test_every_problem_is_one_line_naming_file_and_key(tmp_path):
    path = write(
        tmp_path,
        '[kiosk]\nidle_timeout = "soon"\nidle_timout = 5\n[display]\nsize = "big"\nfullscreen = "yes"\n[extra]\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    problems = caught.value.problems
    assert 'kiosk.toml: [kiosk] idle_timeout: expected seconds between 10 and 600, got "soon"' in problems
    assert 'kiosk.toml: [kiosk] idle_timout: unknown key (did you mean "idle_timeout"?)' in problems
    assert any(p.startswith("kiosk.toml: [display] size: expected a size") for p in problems)
    assert 'kiosk.toml: [display] fullscreen: expected true or false, got "yes"' in problems
    assert any(p.startswith("kiosk.toml: [extra]: unknown section") for p in problems)
    assert len(problems) == 5


def test_broken_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match=r"kiosk.toml: not valid TOML"):
        load_config(write(tmp_path, "[kiosk\nname = 1"))
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_today_must_be_a_known_place(tmp_path):
    with pytest.raises(ConfigError, match=r"\[locations\] today: expected one of the places"):
        load_config(write(tmp_path, '[locations]\nplaces = ["A", "B"]\ntoday = "C"\n'))


def test_calendar_source_defaults_to_the_demo_and_a_relative_file_is_next_to_the_config(tmp_path):
    from kiosk.config import DEMO_CALENDAR_PATH

    assert DEMO_CALENDAR_PATH.exists()
    assert load_config(write(tmp_path, "")).calendar_source == str(DEMO_CALENDAR_PATH)
    config = load_config(write(tmp_path, '[calendar]\nsource = "programme.ics"\nrefresh_minutes = 10\n'))
    assert config.calendar_source == str(tmp_path / "programme.ics") and config.calendar_refresh_minutes == 10
    assert load_config(write(tmp_path, '[calendar]\nsource = "/srv/cal.ics"\n')).calendar_source == "/srv/cal.ics"
    web = load_config(write(tmp_path, '[calendar]\nsource = "webcal://office.example.be/cal.ics"\n'))
    assert web.calendar_source == "https://office.example.be/cal.ics"


def test_calendar_problems_are_one_line_each(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, '[calendar]\nsource = "http://office.example.be/cal.ics"\nrefresh_minutes = 1\n'))
    assert caught.value.problems == [
        'kiosk.toml: [calendar] source: the calendar address "http://office.example.be/cal.ics" must start with '
        '"https://" (an unencrypted address can be changed on the way)',
        "kiosk.toml: [calendar] refresh_minutes: expected minutes between 5 and 1440, got 1",
    ]


def test_a_value_with_control_characters_or_of_great_length_stays_on_one_line(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nname = "\\r"\nidle_timeout = "' + "x" * 5000 + '"\n"bad\\nkey" = 1\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    problems = caught.value.problems
    assert problems[0] == 'kiosk.toml: [kiosk] name: expected non-empty text of at most 60 characters, got "\\r"'
    assert len(problems[1]) < 200 and problems[1].endswith("…")
    assert problems[2] == 'kiosk.toml: [kiosk] "bad\\nkey": unknown key'
    assert all("\n" not in p and "\r" not in p for p in problems)
