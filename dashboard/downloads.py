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

import shlex
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from analysis.counting import counting_rule
from analysis.export import csv_bytes, meta_bytes, sidecar
from dashboard.query import EvidenceQuery, TimelineQuery
from data.store import Store


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
    #: the parameters as the CLI records them in the sidecar
    params: dict[str, Any] = field(default_factory=dict)
    rule: str = ""
    tz: str = "Asia/Tokyo"

    def csv(self, *, excel: bool = False) -> bytes:
        return csv_bytes(self.frame, excel=excel)

    def meta(self, *, excel: bool = False) -> dict[str, Any]:
        return sidecar(self.command or "dashboard", dict(self.params), Store(self.store_path), rule=self.rule,
                       tz=self.tz)

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
        return "dtrack " + shlex.join(args)


# -- builders: one per CLI command ------------------------------------------------
def _filters_argv(context: str, include_reposts: bool, platforms: tuple[str, ...],
                  start: Any, end: Any, tz: str) -> list[str]:
    argv = ["--context", context]
    if include_reposts:
        argv.append("--include-reposts")
    for name in platforms:
        argv += ["--platform", name]
    if start is not None:
        argv += ["--from", start.isoformat()]
    if end is not None:
        argv += ["--to", end.isoformat()]
    return [*argv, "--tz", tz]


def timeline_download(frame: pl.DataFrame, store_path: str, tz: str, q: TimelineQuery) -> Download:
    """`dtrack timeline TERM... --freq ... ` for the timeline a page shows."""
    argv = ("timeline", *q.terms, "--freq", q.freq,
            *_filters_argv(q.context, q.include_reposts, q.platforms, q.start, q.end, tz))
    params = {"terms": list(q.terms), "freq": q.freq, "context": q.context, "include_reposts": q.include_reposts,
              "platforms": list(q.platforms) or None, "from": _iso(q.start), "to": _iso(q.end)}
    return Download(frame, f"timeline-{q.freq}.csv", store_path, "timeline", argv, params,
                    _rule(q, tz), tz)


def evidence_download(frame: pl.DataFrame, store_path: str, tz: str, q: EvidenceQuery) -> Download:
    """`dtrack posts TERM ...` for a list of evidence posts."""
    argv = ["posts", q.term, *_filters_argv(q.context, q.include_reposts, q.platforms, q.start, q.end, tz)]
    if q.limit is not None:
        argv += ["--limit", str(q.limit)]
    params = {"term": q.term, "context": q.context, "include_reposts": q.include_reposts,
              "platforms": list(q.platforms) or None, "from": _iso(q.start), "to": _iso(q.end), "limit": q.limit}
    name = f"posts-{q.start.isoformat() if q.start else 'all'}.csv"
    return Download(frame, name, store_path, "posts", tuple(argv), params,
                    _rule(q, tz), tz)


def emergence_download(frame: pl.DataFrame, store_path: str, tz: str, terms: tuple[str, ...] = ()) -> Download:
    """`dtrack emergence [TERM...] --format csv`."""
    argv = ("emergence", *terms, "--format", "csv", "--tz", tz)
    return Download(frame, "emergence.csv", store_path, "emergence", argv, {"terms": list(terms) or None},
                    counting_rule(tz=tz), tz)


def events_download(frame: pl.DataFrame, store_path: str, tz: str, terms: tuple[str, ...], window: int) -> Download:
    """`dtrack events [TERM...] --window N --format csv`."""
    argv = ("events", *terms, "--window", str(window), "--format", "csv", "--tz", tz)
    return Download(frame, f"events-{window}d.csv", store_path, "events", argv,
                    {"terms": list(terms) or None, "window": window}, counting_rule(tz=tz), tz)


def xcorr_download(frame: pl.DataFrame, store_path: str, tz: str, term_a: str, term_b: str, max_lag: int,
                   context: str) -> Download:
    """The cross-correlation of two terms."""
    argv = ("events", "--xcorr", term_a, term_b, "--max-lag", str(max_lag), "--context", context,
            "--format", "csv", "--tz", tz)
    return Download(frame, "xcorr.csv", store_path, "events", argv,
                    {"term_a": term_a, "term_b": term_b, "max_lag": max_lag, "context": context},
                    counting_rule(context=context, tz=tz), tz)


def table_download(frame: pl.DataFrame, store_path: str, tz: str, name: str, params: dict[str, Any]) -> Download:
    """A table no CLI command writes (overview figures): same CSV writer, no command."""
    return Download(frame, name, store_path, None, (), params, "", tz)


def _rule(q: TimelineQuery | EvidenceQuery, tz: str) -> str:
    return counting_rule(include_reposts=q.include_reposts, platforms=list(q.platforms) or None, context=q.context,
                         tz=tz)


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None
