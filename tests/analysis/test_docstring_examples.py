"""The examples in the analysis docstrings run and show what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["analysis.counting", "analysis.timeline", "analysis.bursts", "analysis.series", "analysis.emergence",
           "analysis.events", "analysis.evidence", "analysis.export", "data.events"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no example"
