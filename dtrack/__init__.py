"""dtrack: when was a word born, when did it take off, what set it off.

The installed package is one namespace: ``dtrack.collectors``, ``dtrack.nlp``,
``dtrack.data``, ``dtrack.analysis``, ``dtrack.dashboard`` and ``dtrack.cli``
live in the repository's top-level folders of those names (see ``package-dir``
in pyproject.toml). This module stays import-cheap on purpose: a notebook's
``import dtrack`` and the ``dtrack`` command must not pay for polars, scipy,
the tagger or Streamlit until something asks for them, so every public name
below is resolved lazily on first use.

Notebook use::

    import dtrack
    s = dtrack.open_store()              # same resolution as --store
    s.timeline(["無断学習"], freq="week")  # a polars DataFrame, the CLI's CSV columns
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = ["__version__", "main", "open_store"]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from dtrack.api import open_store
    from dtrack.cli.main import main

_LAZY = {
    "main": ("dtrack.cli.main", "main"),
    "open_store": ("dtrack.api", "open_store"),
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'dtrack' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module_name), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
