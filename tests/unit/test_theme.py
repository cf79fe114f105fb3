"""Every text/background pair of the theme is readable: WCAG contrast 4.5:1 or more."""

import pytest

from kiosk.ui import theme


def test_contrast_formula_known_values():
    assert theme.contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert theme.contrast((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    assert theme.contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", sorted(theme.TEXT_PAIRS))
def test_every_text_pair_reaches_the_minimum(name):
    foreground, background = theme.TEXT_PAIRS[name]
    assert theme.contrast(foreground, background) >= theme.MIN_CONTRAST, name


def test_sizes_meet_the_design_minimums():
    assert min(theme.TITLE_SP, theme.BODY_SP, theme.SMALL_SP, theme.TILE_LABEL_SP) >= 24
    assert min(theme.MIN_TARGET_DP, theme.NAV_HEIGHT_DP) >= 48


def test_typed_text_and_keys_are_big():
    assert theme.FIELD_SP >= 28 and theme.KEY_SP >= theme.KEY_WORD_SP >= theme.SMALL_SP
    assert theme.KEY_HEIGHT_DP - theme.KEY_GAP_DP >= 64
