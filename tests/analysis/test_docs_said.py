"""docs/said.md cannot drift from `dtrack cooccur`, `dtrack sentiment` and `dtrack kwic --sort`."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from dtrack.analysis.concordance import SORT_KEYS
from dtrack.analysis.cooccurrence import COOCCUR_COLUMNS, MEASURES, SHIFT_COLUMNS
from dtrack.analysis.sentiment import POST_COLUMNS, SENTIMENT_COLUMNS
from dtrack.cli.main import load_command

DOC = (Path(__file__).resolve().parents[2] / "docs" / "said.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["cooccur", "sentiment"])
def test_every_option_is_documented(name: str) -> None:
    assert f"## `dtrack {name}`" in DOC
    for param in load_command(name).params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt.startswith("--") and opt != "--store":
                    assert opt in DOC, f"{name} {opt} is not in docs/said.md"


@pytest.mark.parametrize("columns", [COOCCUR_COLUMNS, SHIFT_COLUMNS, SENTIMENT_COLUMNS, POST_COLUMNS])
def test_every_column_is_documented(columns: tuple[str, ...]) -> None:
    for column in columns:
        assert f"`{column}`" in DOC, column


def test_measures_and_sort_keys_are_documented() -> None:
    for measure in MEASURES:
        assert f"`{measure}`" in DOC
    assert "--sort " + "|".join(["left1", "left2", "right1", "right2", "date"]) in DOC
    assert set(SORT_KEYS) == {"left1", "left2", "right1", "right2", "date"}
