"""Every text/background pair of the theme is readable (WCAG contrast 4.5:1 or more), every control's edge
is seen (3:1 or more), and the size classes keep the minimums."""

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


@pytest.mark.parametrize("name", sorted(theme.CONTROL_PAIRS))
def test_every_control_boundary_reaches_three_to_one(name):
    edge, around = theme.CONTROL_PAIRS[name]
    assert theme.contrast(edge, around) >= theme.MIN_CONTROL_CONTRAST, name


def test_the_old_pale_grey_buttons_would_have_failed_the_control_check():
    assert theme.contrast((229, 231, 235), theme.BACKGROUND) < theme.MIN_CONTROL_CONTRAST  # the check can fail


@pytest.mark.parametrize("level", sorted(theme.SIZES))
def test_every_size_class_keeps_targets_text_and_pictograms_big_enough(level):
    sizes = theme.SIZES[level]
    floor = theme.text_floor_sp(level == "small")
    assert min(sizes["title_sp"], sizes["body_sp"], sizes["small_sp"], sizes["tile_label_sp"]) >= floor
    assert min(sizes["target_dp"], sizes["nav_dp"], sizes["key_dp"]) >= theme.MIN_TOUCH_DP
    assert sizes["pictogram_dp"] >= theme.MIN_PICTOGRAM_DP


@pytest.mark.parametrize("size, level, portrait", [
    ((800, 480), "small", False), ((1024, 600), "medium", False), ((1280, 720), "medium", False),
    ((1280, 800), "large", False), ((1920, 1080), "large", False), ((720, 1280), "medium", True),
    ((800, 1280), "large", True),
])
def test_each_display_of_the_table_falls_in_its_size_class(size, level, portrait):
    kind = theme.size_class(*size)
    assert (kind.level, kind.portrait) == (level, portrait)
    assert theme.text_floor_sp(kind.small) == (20 if size == (800, 480) else 24)
