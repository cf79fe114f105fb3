"""A configuration problem shows the bad value on one visible line; the token is never shown."""

import pytest

from kiosk.config import load_config
from kiosk.errors import ConfigError


@pytest.mark.parametrize("invisible", ["\x1b[2J", "\x7f", "\x85", "\u202e", "\u200b"])
def test_a_bad_value_with_invisible_characters_is_shown_escaped(tmp_path, invisible):
    path = tmp_path / "kiosk.toml"
    escaped = "".join(f"\\u{ord(ch):04x}" for ch in invisible)  # TOML's own escapes: the value holds them
    path.write_text(f'[kiosk]\nidle_timeout = "soon{escaped}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    [line] = caught.value.problems
    assert line.isprintable()
    assert f"\\u{ord(invisible[0]):04x}" in line


def test_the_configuration_never_shows_the_office_token_in_its_repr(monkeypatch):
    monkeypatch.setenv("KIOSK_OFFICE_TOKEN", "s3cret-token-value")
    config = load_config(None)
    assert config.office_token == "s3cret-token-value"
    assert "s3cret" not in repr(config)
