"""docs/analysis.md cannot drift from the commands: every option and column is documented."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from dtrack.analysis.emergence import EMERGENCE_COLUMNS
from dtrack.analysis.emergence import EXTRA_COLUMNS as EMERGENCE_EXTRA
from dtrack.analysis.events import EVENT_STUDY_COLUMNS
from dtrack.analysis.events import EXTRA_COLUMNS as EVENTS_EXTRA
from dtrack.analysis.evidence import EVIDENCE_COLUMNS
from dtrack.analysis.evidence import EXTRA_COLUMNS as EVIDENCE_EXTRA
from dtrack.analysis.timeline import TIMELINE_COLUMNS
from dtrack.cli.main import load_command

DOC = (Path(__file__).resolve().parents[2] / "docs" / "analysis.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["timeline", "emergence", "events", "posts", "xcorr", "discover"])
def test_every_command_and_option_is_documented(name: str) -> None:
    command = load_command(name)
    assert f"## `dtrack {name}`" in DOC
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt.startswith("--") and opt != "--store":
                    assert opt in DOC, f"{name} {opt} is not in docs/analysis.md"


@pytest.mark.parametrize(
    "columns",
    [TIMELINE_COLUMNS, EMERGENCE_COLUMNS + EMERGENCE_EXTRA, EVENT_STUDY_COLUMNS + EVENTS_EXTRA,
     EVIDENCE_COLUMNS + EVIDENCE_EXTRA],
)
def test_every_column_is_documented(columns: tuple[str, ...]) -> None:
    for column in columns:
        assert f"`{column}`" in DOC, column
