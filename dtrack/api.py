"""The notebook API: ``dtrack.open_store(path).timeline([...])`` and friends.

Researchers live in Jupyter. The store object here has one method per
analysis declared in :mod:`dtrack.analysis.queries` — the same parameters
(as keyword arguments: ``start=`` for ``--from``), the same validation, the
same function and the same columns as the CLI's CSV — so a number in a
notebook is the number in ``dtrack timeline`` and on the dashboard. Each
method returns a :class:`polars.DataFrame`.

>>> import dtrack
>>> s = dtrack.open_store("data/store")                    # doctest: +SKIP
>>> s.timeline(["無断学習"], freq="week", context="ai")      # doctest: +SKIP
>>> s.posts("無断学習", start="2022-08-29", end="2022-08-29")  # doctest: +SKIP
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dtrack.analysis.queries import ANALYSES, Analysis, Query, Result, execute
from dtrack.data.errors import StoreError, resolve_store_path

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from dtrack.data.store import Store as StoreFiles

__all__ = ["Store", "open_store"]


class Store:
    """A dtrack store opened for analysis (read-only: ingest and tag with the CLI or the scheduler).

    Every analysis method reads the store as it is when called (a new ingest
    is seen by the next call). ``last_result`` keeps the notes of the last
    call (e.g. why ``share_per_10k`` may mean nothing in a keyword-search store).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = resolve_store_path(path)
        if not (self.path / "manifest.json").is_file():
            raise StoreError(f"no dtrack store at {self.path} (ingest something first: dtrack ingest FILES "
                             f"--store {self.path})")
        from dtrack.data.store import Store as StoreFiles

        self.files: StoreFiles = StoreFiles(self.path)
        self.last_result: Result | None = None

    def __repr__(self) -> str:
        return f"dtrack.Store({str(self.path)!r})"

    @property
    def version(self) -> str:
        """The store's version stamp (changes with every write)."""
        return self.files.version

    def status(self) -> dict[str, Any]:
        """What ``dtrack status --format json`` prints."""
        from dtrack.data.status import store_status

        return store_status(self.files)

    def query(self, name: str, *args: Any, **params: Any) -> Query:
        """The bound query of analysis ``name`` (what the CLI and the dashboard run)."""
        return ANALYSES[name].bind(*args, **params)

    def run(self, query: Query) -> pl.DataFrame:
        """Run a bound query and return its table."""
        self.last_result = execute(self.files, query)
        return self.last_result.frame

    def command(self, query: Query) -> str:
        """The ``dtrack`` command line that writes the same table."""
        return query.analysis.command_line(query)

    @property
    def notes(self) -> list[str]:
        """Notes and warnings of the last analysis call."""
        if self.last_result is None:
            return []
        return [*self.last_result.warnings, *self.last_result.notes]


def _method(analysis: Analysis) -> Any:
    def method(self: Store, *args: Any, **params: Any) -> pl.DataFrame:
        return self.run(analysis.bind(*args, **params))

    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for p in analysis.params:
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD if p.positional else inspect.Parameter.KEYWORD_ONLY
        default = inspect.Parameter.empty if p.required else (list(p.default) if isinstance(p.default, tuple)
                                                               and p.default else p.default)
        if p.kind in ("terms", "names") and default == ():
            default = None
        parameters.append(inspect.Parameter(p.name, kind, default=default))
    method.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    method.__name__ = method.__qualname__ = analysis.name
    lines = [f"{analysis.help}", "", "Returns the table of `dtrack " + analysis.name + "` as a polars DataFrame.",
             "", "Parameters", "----------"]
    for p in analysis.params:
        cli = f" (CLI {p.flag})" if p.flag else ""
        lines.append(f"{p.name}{cli}: {p.help}")
    lines += ["", analysis.doc.replace("\b\n", "")]
    method.__doc__ = "\n".join(lines)
    return method


for _analysis in ANALYSES.values():
    setattr(Store, _analysis.name, _method(_analysis))


def open_store(path: str | os.PathLike[str] | None = None) -> Store:
    """Open a store for analysis: ``path``, else ``$DTRACK_STORE``, else ``./data/store`` (as ``--store``)."""
    return Store(Path(path) if path is not None else None)
