"""The architecture document is the one the code cites, and the layer rules hold."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_SUFFIXES = {".py", ".kv", ".md", ".yaml", ".toml", ".spec", ".cfg", ".txt", ".ics", ""}


def _project_files():
    for path in ROOT.rglob("*"):
        parts = path.relative_to(ROOT).parts
        if path.is_file() and not any(p.startswith(".") or p in ("build", "dist", "screenshots") or
                                      p.endswith(".egg-info") for p in parts) and path.suffix in SOURCE_SUFFIXES:
            yield path


def test_no_file_cites_a_design_document_a_clone_does_not_have():
    citing = [str(path.relative_to(ROOT)) for path in _project_files()
              if "DESIGN \u00a7" in path.read_text(encoding="utf-8", errors="replace")]
    assert citing == []


def test_every_file_the_architecture_document_names_exists():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:kiosk|tests|docs|scripts)/[\w/.-]+\.(?:py|kv|md|yaml|toml))`", text))
    assert len(named) > 20
    assert sorted(p for p in named if not (ROOT / p).exists()) == []


def test_the_layer_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    command = [str(lint)] if lint.exists() else [shutil.which("lint-imports") or "lint-imports"]
    done = subprocess.run([*command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "No import cycles among the staff pages KEPT" in done.stdout
