"""What a download button hands out, and the CLI command that writes the same bytes.

A researcher who downloads a table from the dashboard must be able to cite
it and to reproduce it from a script. So a :class:`Download` holds the frame
the page shows, the CLI command that writes it (``argv``), and the
parameters in the CLI's own vocabulary; the bytes come from
``analysis.export.csv_bytes`` and the sidecar from ``analysis.export.sidecar``
exactly as the CLI calls them. ``tests/dashboard/test_downloads.py`` runs the
CLI with ``argv`` and compares the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from dtrack.analysis.export import csv_bytes, describe_file, meta_bytes, sidecar, xlsx_bytes
from dtrack.analysis.queries import Query, Result, shell_quote
from dtrack.data.defaults import DEFAULT_TZ
from dtrack.data.store import Store


@dataclass(frozen=True)
class Download:
    """A table to download as CSV plus its ``.meta.json`` sidecar."""

    frame: pl.DataFrame
    file_name: str
    store_path: str
    #: the dtrack command that writes the same CSV (None: no command makes this table)
    command: str | None = None
    #: its arguments after ``dtrack`` (without --out/--excel/--store)
    argv: tuple[str, ...] = ()
    #: the parameters as the CLI records them in the sidecar (without ``excel``, added last)
    params: dict[str, Any] = field(default_factory=dict)
    rule: str = ""
    tz: str = DEFAULT_TZ
    notes: tuple[str, ...] = ()

    def csv(self, *, excel: bool = False) -> bytes:
        """The CSV bytes (``analysis.export.csv_bytes``, as the CLI writes them)."""
        return csv_bytes(self.frame, excel=excel)

    def meta(self, *, excel: bool = False) -> dict[str, Any]:
        """The sidecar the CLI writes next to ``--out FILE`` (``created_at`` is the download's time)."""
        meta = sidecar(self.command or "dashboard", {**self.params, "excel": excel}, Store(self.store_path),
                       rule=self.rule, tz=self.tz)
        if self.notes:
            meta["notes"] = list(self.notes)
        return describe_file(meta, self.csv(excel=excel), name=self.file_name, fmt="csv", rows=self.frame.height)

    def xlsx(self) -> bytes:
        """The table as an Excel workbook (``analysis.export.xlsx_bytes``), provenance on its second sheet:
        the bytes of the CLI command with ``--out FILE.xlsx``, but for the creation time."""
        meta = sidecar(self.command or "dashboard", {**self.params, "excel": False}, Store(self.store_path),
                       rule=self.rule, tz=self.tz)
        if self.notes:
            meta["notes"] = list(self.notes)
        return xlsx_bytes(self.frame, meta)

    def meta_json(self, *, excel: bool = False) -> bytes:
        return meta_bytes(self.meta(excel=excel))

    def cli_args(self, *, excel: bool = False) -> list[str] | None:
        """The full argument list (after ``dtrack``) that writes this CSV to stdout."""
        if self.command is None:
            return None
        return [*self.argv, *(["--excel"] if excel else [])]

    def shell_command(self, *, excel: bool = False) -> str:
        args = self.cli_args(excel=excel)
        if args is None:
            return "(no CLI command; written with the CLI's CSV writer)"
        return "dtrack " + " ".join(shell_quote(a) for a in args)


def query_download(frame: pl.DataFrame, store_path: str, q: Query, notes: tuple[str, ...] | list[str] = (),
                   *, file_name: str | None = None) -> Download:
    """The download of an analysis table: the command, parameters and counting rule from its declaration
    (``analysis.queries``), so the "same bytes as" line is the CLI command that writes it."""
    analysis = q.analysis
    fmt = "csv" if len(analysis.formats) > 1 else None
    return Download(frame, file_name or _file_name(q), store_path, analysis.name, tuple(analysis.argv(q)),
                    analysis.record(q, fmt=fmt), analysis.rule(q), q.tz, tuple(notes))


def result_download(result: Result, store_path: str, q: Query) -> Download:
    """:func:`query_download` of a whole :class:`analysis.queries.Result` (its notes go to the sidecar)."""
    return query_download(result.frame, store_path, q, result.notes)


def _file_name(q: Query) -> str:
    if q.name == "timeline":
        return f"timeline-{q.freq}.csv"
    if q.name == "posts":
        day = q.start.isoformat() if q.start and q.start == q.end else "range" if q.start or q.end else "all"
        return f"posts-{day}.csv"
    if q.name == "events":
        return f"events-{q.window}d.csv"
    if q.name == "discover":
        return f"rising-words-{q.freq}.csv"
    return f"{q.name}.csv"


def table_download(frame: pl.DataFrame, store_path: str, tz: str, name: str, params: dict[str, Any]) -> Download:
    """A table no CLI command writes (overview figures): the same CSV writer, no command."""
    return Download(frame, name, store_path, None, (), params, "", tz)
