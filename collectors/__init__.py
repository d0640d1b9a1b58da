"""Collectors: read export files into posts, in three layers (docs/contributing.md).

* ``readers``: format-agnostic reading (archives, lenient JSON, JSON arrays and
  lines, BOM and size limits, times);
* ``formats``: one module per export format, found by name through a lazy
  registry (and the ``dtrack.formats`` entry points);
* ``pipeline``: the one ingest loop, ``collect`` (ingest, then tag), watch
  jobs, their ledger and the scheduler.

Importing this package imports no format module, no polars and no store.
"""

from __future__ import annotations

from dtrack.collectors.formats.registry import REGISTRY, UnknownFormat, detect, get_collector, names

__all__ = ["REGISTRY", "UnknownFormat", "detect", "get_collector", "names"]
