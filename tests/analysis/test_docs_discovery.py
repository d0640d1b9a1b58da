"""docs/discovery.md cannot drift from `dtrack discover`: every option and column is documented."""

from __future__ import annotations

from pathlib import Path

import click

from dtrack.analysis.discovery import DISCOVERY_COLUMNS, EXTRA_COLUMNS
from dtrack.cli.main import load_command

DOC = (Path(__file__).resolve().parents[2] / "docs" / "discovery.md").read_text(encoding="utf-8")


def test_every_option_is_documented() -> None:
    for param in load_command("discover").params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in DOC, f"discover {opt} is not in docs/discovery.md"


def test_every_column_is_documented() -> None:
    for column in DISCOVERY_COLUMNS + EXTRA_COLUMNS:
        assert f"| `{column}` |" in DOC, column
