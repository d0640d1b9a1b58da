"""The native matcher (nlp/_fastmatch.pyx) against the pure-Python reference path."""

from __future__ import annotations

import os

import pytest

from dtrack.nlp import matcher as matcher_module
from dtrack.nlp.matcher import NATIVE_ENV, native_module


def test_the_extension_was_built() -> None:
    """Installing dtrack builds the native matcher where a C compiler is found (setup.sh installs one); a
    silent fallback to Python would go unnoticed otherwise. ``DTRACK_NATIVE=0`` is the one way out."""
    if os.environ.get(NATIVE_ENV) == "0":
        pytest.skip("DTRACK_NATIVE=0: the pure-Python path was asked for")
    from dtrack.nlp import _fastmatch

    assert _fastmatch.__file__.endswith(".so") or _fastmatch.__file__.endswith(".pyd")


def test_the_switch_is_read_at_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NATIVE_ENV, "0")
    assert native_module() is None
    monkeypatch.setenv(NATIVE_ENV, "1")
    assert native_module() is not None
    assert matcher_module.native_module() is native_module()
