"""What every subcommand shares: the ``--config`` option and opening the configured repository."""

from __future__ import annotations

import argparse

from kiosk.config import Config, load_config
from kiosk.storage import Repository


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """Let ``--config`` stand after the subcommand too (``kiosk check-config --config x.toml``)."""
    parser.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="configuration file")


def config_of(args: argparse.Namespace) -> Config:
    return load_config(getattr(args, "config", None))


def open_repository(args: argparse.Namespace, writer: bool = True) -> tuple[Config, Repository]:
    config = config_of(args)
    return config, Repository(config.data_dir, writer=writer)
