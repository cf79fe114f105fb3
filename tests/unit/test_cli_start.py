"""Starting the kiosk reads only the ``run`` command's module; every other command is still there."""

import argparse
import subprocess
import sys

import pytest

from kiosk.cli import COMMAND_MODULES, RUN_MODULE, build_parser, starts_the_kiosk


@pytest.mark.parametrize("argv", [[], ["run"], ["run", "--windowed"], ["--config", "k.toml"],
                                  ["--config", "k.toml", "run"], ["--config=k.toml", "run", "--size", "800x480"]])
def test_these_start_the_kiosk(argv):
    assert starts_the_kiosk(argv)


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["status"], ["--config", "k.toml", "log"],
                                  ["office", "serve"], ["screenshots", "--out", "x"]])
def test_these_are_other_commands(argv):
    assert not starts_the_kiosk(argv)


def commands(parser: argparse.ArgumentParser) -> set[str]:
    return set(next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices)


def test_the_run_parser_knows_run_and_the_full_parser_every_command():
    assert build_parser([RUN_MODULE]).parse_args(["run", "--windowed"]).windowed
    assert commands(build_parser([RUN_MODULE])) == {"run", "screenshots"}
    assert {"run", "status", "log", "doctor", "office", "report", "sync", "layout-check"} <= commands(build_parser())


def test_parsing_a_kiosk_start_imports_no_upload_report_or_device_check_module():
    code = ("import sys; from kiosk.cli import RUN_MODULE, build_parser; build_parser([RUN_MODULE]); "
            "heavy = [m for m in ('kiosk.sync', 'kiosk.core.report', 'kiosk.doctor', 'kiosk.cli.data_commands') "
            "if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
