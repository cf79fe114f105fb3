"""``kiosk layout-check`` on the real app: every visitor and staff screen, in nl, fr and en, at every display
the kiosk is meant for (one window, resized from one size to the next), has no layout problem."""

import json

import pytest

#: The displays of the table in the README and docs/raspberry-pi.md.
DISPLAYS = ["800x480", "1024x600", "1280x720", "1920x1080", "1280x800", "720x1280", "800x1280"]


@pytest.fixture
def own_screen(kiosk_env):
    """The command makes its own virtual screen of the largest size (a 1280x800 one cannot show 1920x1080)."""
    kiosk_env.pop("DISPLAY", None)
    kiosk_env.pop("WAYLAND_DISPLAY", None)


@pytest.mark.timeout(1800)  # about a minute on an idle CI machine
def test_every_screen_fits_every_display_in_every_language(kiosk, own_screen):
    result = kiosk("layout-check", "--size", ",".join(DISPLAYS), "--lang", "nl,fr,en", "--json", timeout=900)
    reports = json.loads(result.stdout)
    assert [report["size"] for report in reports] == DISPLAYS
    for report in reports:
        assert report["screens"] >= 3 * 40, report["size"]  # every step of every flow, staff pages, the overlay
        assert report["problems"] == [], f"{report['size']}: " + "\n".join(map(str, report["problems"][:20]))
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.timeout(300)
def test_sizes_in_between_fit_too(kiosk, own_screen):
    result = kiosk("layout-check", "--size", "900x560,1100x700,760x1100", "--lang", "fr", "--json", timeout=300)
    for report in json.loads(result.stdout):
        assert report["problems"] == [], f"{report['size']}: " + "\n".join(map(str, report["problems"][:20]))
    assert result.returncode == 0


def test_a_window_below_the_smallest_supported_is_refused_in_one_line(kiosk):
    result = kiosk("layout-check", "--size", "640x480")
    assert result.returncode == 2
    assert result.stderr.strip() == ("640x480 is smaller than the smallest supported window: 800x480 (landscape) "
                                     "or 720x960 (portrait)")
    assert result.stdout == ""
