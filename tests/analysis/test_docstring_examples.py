"""The examples in the analysis docstrings run and show what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "dtrack.analysis.counting", "dtrack.analysis.timeline", "dtrack.analysis.bursts", "dtrack.analysis.series",
    "dtrack.analysis.emergence", "dtrack.analysis.events", "dtrack.analysis.evidence", "dtrack.analysis.export",
    "dtrack.data.events",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no example"
