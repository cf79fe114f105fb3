"""The files that put the kiosk on a device: the systemd unit, the kiosk session, the install script,
the Raspberry Pi `kiosk` command, buildozer.spec and the Android entry point.

What can be checked here is checked for real: `systemd-analyze verify` on the unit, `bash -n` and
shellcheck on the scripts, and the kiosk session itself (Kivy inside cage, through Xwayland, with the
unit's own settings) on a virtual screen. What needs a Raspberry Pi (logind handing cage the real screen
and touchscreen) or Android cannot be run here.
"""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.config import load_config
from kiosk.tablet import android_environment

ROOT = Path(__file__).resolve().parents[2]
PI = ROOT / "config" / "raspberry-pi"
UNIT = PI / "ter-plekke-kiosk.service"
INSTALL = PI / "install.sh"
COMMAND = PI / "kiosk-command"
PAM = PI / "pam-ter-plekke-kiosk"
USB_STICK = PI / "usb-stick"
USB_RULES = PI / "99-ter-plekke-usb.rules"
SPEC = ROOT / "buildozer.spec"


def unit_settings(text: str) -> dict[str, list[str]]:
    """``Key=value`` lines of a unit, every value of a repeated key in order."""
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def unit_environment(text: str) -> dict[str, str]:
    return dict(v.split("=", 1) for v in unit_settings(text)["Environment"])


# -- the systemd unit --------------------------------------------------------------------------------------


def verify(unit_text: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """``systemd-analyze verify`` on a copy whose programs exist here (the Pi's paths do not)."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is missing: apt-get install systemd")
    stub_root = tmp_path / "stubs"
    program = stub_root / "opt/ter-plekke-kiosk/venv/bin/kiosk"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    text = unit_text.replace("/opt/ter-plekke-kiosk/venv/", f"{stub_root}/opt/ter-plekke-kiosk/venv/")
    if not Path("/usr/bin/cage").exists():  # cage itself is only needed on the Pi
        cage = stub_root / "cage"
        cage.write_text("#!/bin/sh\n")
        cage.chmod(0o755)
        text = text.replace("/usr/bin/cage", str(cage))
    copy = tmp_path / UNIT.name
    copy.write_text(text)
    return subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)


def test_unit_passes_systemd_analyze_verify(tmp_path):
    done = verify(UNIT.read_text(), tmp_path)
    complaints = [line for line in done.stderr.splitlines() if UNIT.name in line]
    assert done.returncode == 0 and complaints == [], done.stderr


@pytest.mark.parametrize("change", [("Restart=always", "Restart=sometimes"), ("ProtectSystem=", "ProtectSystm=")])
def test_verify_catches_a_broken_unit(tmp_path, change):
    done = verify(UNIT.read_text().replace(*change), tmp_path)
    assert done.returncode != 0 or UNIT.name in done.stderr


def test_unit_starts_at_boot_comes_back_and_keeps_data_apart():
    text = UNIT.read_text()
    s = unit_settings(text)
    env = unit_environment(text)
    assert s["Restart"] == ["always"] and s["StartLimitIntervalSec"] == ["0"]
    assert s["User"] == ["kiosk"] and s["WantedBy"] == ["graphical.target"]
    assert s["StateDirectory"] == ["ter-plekke-kiosk"]
    assert env["KIOSK_DATA_DIR"] == "/var/lib/ter-plekke-kiosk"
    assert env["KIOSK_CONFIG"] == "/etc/ter-plekke-kiosk/kiosk.toml"
    assert s["StandardOutput"] == ["journal"] and s["StandardError"] == ["journal"]
    assert env["KIVY_HOME"].startswith("/var/cache/ter-plekke-kiosk") and s["CacheDirectory"] == ["ter-plekke-kiosk"]
    for hardening in ("NoNewPrivileges", "PrivateTmp", "ProtectHome"):
        assert s[hardening] == ["yes"]
    assert s["ProtectSystem"] == ["strict"]
    assert "PrivateDevices" not in s  # it would hide the screen and the touchscreen
    exec_start = shlex.split(s["ExecStart"][0])
    assert exec_start[:2] == ["/usr/bin/cage", "-d"] and "-s" not in exec_start
    assert exec_start[exec_start.index("--") + 1:] == ["/opt/ter-plekke-kiosk/venv/bin/kiosk", "run"]


def test_pam_session_registers_with_logind():
    lines = [line.split() for line in PAM.read_text().splitlines() if line and not line.startswith("#")]
    assert ["session", "required", "pam_systemd.so"] in lines
    assert unit_settings(UNIT.read_text())["PAMName"] == ["ter-plekke-kiosk"]
    assert "/etc/pam.d/ter-plekke-kiosk" in INSTALL.read_text()


# -- install script and the Pi's kiosk command ---------------------------------------------------------


@pytest.mark.parametrize("script", [INSTALL, COMMAND, USB_STICK], ids=lambda p: p.name)
def test_scripts_parse_and_pass_shellcheck(script):
    assert os.access(script, os.X_OK), f"{script.name} must be executable"
    shell = "bash" if script.read_text().startswith("#!/bin/bash") else "sh"
    done = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is missing: apt-get install shellcheck")
    done = subprocess.run(["shellcheck", str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout


def test_usb_sticks_are_mounted_where_the_kiosk_looks_and_may_write():
    from kiosk.export.media import REMOVABLE_ROOTS

    rule = [line for line in USB_RULES.read_text().splitlines() if line and not line.startswith("#")]
    assert len(rule) == 1 and 'ENV{ID_BUS}=="usb"' in rule[0]
    assert 'RUN+="/usr/local/sbin/ter-plekke-usb-stick $devnode"' in rule[0]
    script = USB_STICK.read_text()
    assert "target=/media/$kiosk_user/$label" in script and "/media" in REMOVABLE_ROOTS  # /media/<user>/<label>
    assert "noexec" in script and "systemd-mount" in script
    assert "-/media/kiosk" in unit_settings(UNIT.read_text())["ReadWritePaths"][0].split()
    install = INSTALL.read_text()
    for installed in ("/usr/local/sbin/ter-plekke-usb-stick", "/etc/udev/rules.d/99-ter-plekke-usb.rules",
                      "install -d -m 0755 /media/kiosk"):
        assert installed in install


def test_usb_stick_script_mounts_a_fat_stick_by_its_label(tmp_path):
    """Run the script with stand-ins for id, mountpoint and systemd-mount: what would it mount, and where?"""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    for name, body in (("id", 'echo 999'), ("mountpoint", "exit 1"), ("systemd-mount", f'echo "$@" > {calls}')):
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    script = USB_STICK.read_text().replace("/usr/bin/systemd-mount", str(bin_dir / "systemd-mount"))
    copy = tmp_path / "usb-stick"
    copy.write_text(script)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "ID_FS_TYPE": "vfat", "ID_FS_LABEL": "MY STICK/../x"}
    done = subprocess.run(["sh", str(copy), "/dev/sda1"], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    words = calls.read_text().split()
    assert words[-2:] == ["/dev/sda1", "/media/kiosk/MY_STICK_.._x"]
    assert "--options=uid=999,gid=999,umask=0077,flush,nosuid,nodev,noexec" in words
    calls.unlink()
    env["ID_FS_TYPE"] = "ext4"
    assert subprocess.run(["sh", str(copy), "/dev/sda1"], env=env, timeout=30).returncode == 0
    assert not calls.exists()  # not a staff stick: left alone


def test_install_script_explains_itself_without_touching_anything():
    done = subprocess.run(["bash", str(INSTALL), "--help"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0
    for words in ("Raspberry Pi OS Lite", "/var/lib/ter-plekke-kiosk", "/etc/ter-plekke-kiosk/kiosk.toml", "cage"):
        assert words in done.stdout
    done = subprocess.run(["bash", str(INSTALL), "--frobnicate"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 1 and 'unknown option "--frobnicate"' in done.stderr


def test_install_script_service_and_command_agree_on_paths():
    env = unit_environment(UNIT.read_text())
    install, command = INSTALL.read_text(), COMMAND.read_text()
    assert f'DATA_DIR={env["KIOSK_DATA_DIR"]}' in install
    assert f'KIOSK_DATA_DIR:-{env["KIOSK_DATA_DIR"]}' in command
    assert "CONFIG_DIR=/etc/ter-plekke-kiosk" in install and "CONFIG_FILE=$CONFIG_DIR/kiosk.toml" in install
    assert f'KIOSK_CONFIG:-{env["KIOSK_CONFIG"]}' in command
    program = shlex.split(unit_settings(UNIT.read_text())["ExecStart"][0])[-2]
    assert f"program={program}" in command
    assert "VENV=$PREFIX/venv" in install and "PREFIX=/opt/ter-plekke-kiosk" in install
    assert f"UNIT={UNIT.name}" in install and '"$HERE/$UNIT"' in install
    assert f'"$HERE/{COMMAND.name}"' in install and f'"$HERE/{PAM.name}"' in install
    assert "set -eu" in install and "set -eu" in command


# -- the kiosk session: Kivy inside cage, with the unit's settings, on a virtual screen -------------------

HELLO = """
import os, sys
from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.label import Label

class Hello(App):
    def build(self):
        Clock.schedule_once(self.report, 0.5)
        return Label(text="Ter Plekke")

    def report(self, _):
        print("WINDOW", type(Window).__name__, Window.size[0], Window.size[1], os.environ.get("DISPLAY"), flush=True)
        self.stop()

Hello().run()
"""


def _unprivileged(tmp: Path) -> list[str]:
    """cage refuses to run as root: drop to "nobody". If this test's Python is out of nobody's reach
    (e.g. under /root), keep just the capability to read it, when the machine allows that."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("cage refuses root and setpriv (util-linux) is missing")
    for path in (tmp, *tmp.iterdir()):
        os.chown(path, 65534, 65534)
    drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    bounding = int(next(line.split()[1] for line in Path("/proc/self/status").read_text().splitlines()
                        if line.startswith("CapBnd:")), 16)
    probe = tmp / "runtime" / "probe"  # the session's own folders, and Kivy, must both be reachable
    reaches = [sys.executable, "-c", f"import importlib.util, os; importlib.util.find_spec('kivy').origin; "
                                     f"open({str(probe)!r}, 'w').close(); os.remove({str(probe)!r})"]
    for caps in ([], ["dac_read_search"], ["dac_override"]):  # capability numbers 2 and 1
        if caps and not bounding >> {"dac_read_search": 2, "dac_override": 1}[caps[0]] & 1:
            continue
        candidate = [*drop, *(f"--{kind}-caps=+{caps[0]}" for kind in ("inh", "ambient") if caps)]
        if subprocess.run([*candidate, *reaches], capture_output=True, timeout=60).returncode == 0:
            return candidate
    pytest.skip("this test's Python is out of reach of an unprivileged user, and cage refuses root")


def test_kivy_opens_its_window_inside_cage_with_the_units_settings(tmp_path):
    missing = [tool for tool in ("cage", "Xwayland", "Xvfb") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}: apt-get install cage xwayland xvfb")
    text = UNIT.read_text()
    env_unit = unit_environment(text)
    cage_options = shlex.split(unit_settings(text)["ExecStart"][0])[1:]
    cage_options = cage_options[: cage_options.index("--")]
    session = tmp_path / "session"
    for folder in ("runtime", "cache", "home"):
        (session / folder).mkdir(parents=True)
    (session / "runtime").chmod(0o700)
    (session / "hello.py").write_text(HELLO)
    drop = _unprivileged(session)

    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-ac", "-nolisten", "tcp",
                             "-screen", "0", "1280x800x24"], pass_fds=[write_fd],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            display = ":" + pipe.readline().strip()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(session / "home"),
            "XDG_RUNTIME_DIR": str(session / "runtime"), "DISPLAY": display,
            # cage on a window of the virtual screen instead of the Pi's screen (wlroots' X11 backend)
            "WLR_BACKENDS": "x11", "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1",
            **{k: v for k, v in env_unit.items() if k.startswith(("SDL_", "KIVY_")) and k != "KIVY_HOME"},
            "KIVY_HOME": str(session / "cache" / "kivy"), "XDG_CACHE_HOME": str(session / "cache"),
            "PYTHONPATH": str(ROOT),
        }
        done = subprocess.run([*drop, "cage", *cage_options, "--", sys.executable, str(session / "hello.py")],
                              env=env, capture_output=True, text=True, timeout=90)
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=30)
    report = [line.split() for line in done.stdout.splitlines() if line.startswith("WINDOW")]
    assert report, f"no Kivy window inside cage:\n{done.stdout}\n{done.stderr}"
    _, provider, width, height, kivy_display = report[0]
    assert provider == "WindowSDL"  # SDL2, not Kivy's fallback window
    assert kivy_display != display  # drawn through cage's own Xwayland, not straight on the virtual screen
    assert int(width) >= 640 and int(height) >= 480


# -- Android: buildozer.spec and the data folder ------------------------------------------------------------


def requirement_name(spec: str) -> str:
    return re.split(r"[\[<>=!~;\s]", spec, maxsplit=1)[0].lower().replace("_", "-")


def spec_app() -> configparser.SectionProxy:
    parser = configparser.ConfigParser()
    parser.read_string(SPEC.read_text())
    return parser["app"]


def test_buildozer_spec_lists_every_runtime_dependency():
    app = spec_app()
    listed = {requirement_name(item) for item in app["requirements"].split(",")}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    needed = {requirement_name(dep) for dep in project["dependencies"]}
    assert needed <= listed, f"add to buildozer.spec [app] requirements: {sorted(needed - listed)}"
    # what the code needs on Android beyond the names in pyproject.toml
    assert {"python3", "kivy", "pillow", "tzdata", "urllib3", "idna", "certifi", "charset-normalizer"} <= listed


def test_buildozer_spec_is_a_landscape_fullscreen_app_with_internet():
    app = spec_app()
    assert app["orientation"] == "landscape" and app["fullscreen"] == "1"
    assert "INTERNET" in app["android.permissions"]
    assert app["android.allow_backup"] == "False"  # visitors' records never go to a cloud backup
    version = re.search(app["version.regex"], (ROOT / "kiosk" / "__init__.py").read_text())
    assert version and version.group(1) == __version__
    assert (ROOT / app["icon.filename"].replace("%(source.dir)s/", "")).is_file()
    assert (ROOT / app["source.dir"] / "main.py").is_file()


def test_android_keeps_records_in_the_apps_private_folder(tmp_path, monkeypatch):
    assert android_environment({"HOME": "/home/pi"}) == {}  # not Android: nothing changes
    private = tmp_path / "files"
    private.mkdir()
    added = android_environment({"ANDROID_PRIVATE": str(private), "ANDROID_ARGUMENT": str(tmp_path / "app")})
    assert added == {"KIVY_NO_ARGS": "1", "KIOSK_DATA_DIR": str(private / "ter-plekke-kiosk")}
    (private / "kiosk.toml").write_text('[kiosk]\nname = "Ter Plekke tablet"\n')
    added = android_environment({"ANDROID_PRIVATE": str(private)})
    assert added["KIOSK_CONFIG"] == str(private / "kiosk.toml")
    for key, value in added.items():
        monkeypatch.setenv(key, value)
    config = load_config()
    assert config.name == "Ter Plekke tablet" and config.data_dir == private / "ter-plekke-kiosk"
    kept = android_environment({"ANDROID_PRIVATE": str(private), "KIOSK_DATA_DIR": "/sdcard/x", "KIOSK_CONFIG": "/y"})
    assert "KIOSK_DATA_DIR" not in kept and "KIOSK_CONFIG" not in kept
