"""What every subcommand shares: the ``--config`` option and opening the configured repository."""

from __future__ import annotations

import argparse
from datetime import date

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


def day_arg(text: str) -> date:
    """A ``--date`` argument: YYYY-MM-DD, or a clear message."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'expected a date like 2027-04-20, got "{text}"') from None
