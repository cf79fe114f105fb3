"""The kiosk as a wheel: built from this tree, installed in a fresh virtual environment, run from
another folder. Proves the package carries its fonts, pictograms, translations and default configuration.

The dependencies are not downloaded again: the fresh environment sees those of the project's own
environment through a folder of links (without the project itself), and pip installs with --no-index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])


def run(argv, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{argv}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def build_wheel(into: Path) -> Path:
    """A wheel of this tree, built from a clean copy (the tree itself gets no build/ nor egg-info)."""
    source = into / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(PROJECT / "kiosk", source / "kiosk", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT / name, source / name)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", into / "dist", source], timeout=120)
    [wheel] = (into / "dist").glob("ter_plekke_kiosk-*.whl")
    return wheel


def dependencies_without_the_project(into: Path) -> Path:
    """Links to everything in this environment's site-packages except the kiosk itself."""
    folder = into / "deps"
    folder.mkdir()
    for entry in SITE_PACKAGES.iterdir():
        name = entry.name.lower()
        if name in ("kiosk", "__pycache__") or name.startswith(("ter_plekke_kiosk", "__editable__")) \
                or name.endswith(".pth"):
            continue
        (folder / entry.name).symlink_to(entry)
    return folder


@pytest.mark.wheel
@pytest.mark.timeout(300)
def test_an_installed_wheel_runs_its_commands_from_any_folder(tmp_path):
    wheel = build_wheel(tmp_path)
    venv = tmp_path / "fresh"
    run([sys.executable, "-m", "venv", "--without-pip", venv], timeout=60)
    python = venv / "bin" / "python"
    fresh_site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (fresh_site / "kiosk-test-dependencies.pth").write_text(f"{dependencies_without_the_project(tmp_path)}\n")
    # This environment's pip installs into the fresh one: no download, no second copy of pip.
    run([sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--target", fresh_site, wheel],
        timeout=120)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "PYTHON"))}
    env["KIOSK_DATA_DIR"] = str(tmp_path / "data")
    kiosk = [python, "-m", "kiosk"]

    where = run([python, "-c", "import kiosk.resources as r; print(r.ASSETS_DIR)"], cwd=elsewhere, env=env)
    assert Path(where.stdout.strip()).is_relative_to(fresh_site), "the kiosk came from the project, not the wheel"

    checked = run([*kiosk, "check-config"], cwd=elsewhere, env=env, timeout=60)
    assert "kiosk.toml: all is well" in checked.stdout and str(fresh_site) in checked.stdout

    activities = run([*kiosk, "activities", "--json", "--days", "7"], cwd=elsewhere, env=env, timeout=60)
    assert '"title"' in activities.stdout  # the demo calendar shipped in the wheel has activities every week

    shots = elsewhere / "shots"
    run([*kiosk, "screenshots", "--out", shots, "--size", "800x480", "--lang", "nl"], cwd=elsewhere, env=env,
        timeout=200)
    pictures = sorted(p.name for p in shots.glob("*.png"))
    assert "nl-01-home.png" in pictures and len(pictures) > 10
