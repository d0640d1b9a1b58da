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

import datetime as dt
import re
import shlex
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from dtrack.analysis.counting import counting_rule
from dtrack.analysis.export import csv_bytes, describe_file, meta_bytes, sidecar
from dtrack.dashboard.query import (
    DiscoveryQuery,
    EmergenceQuery,
    EventStudyQuery,
    EvidenceQuery,
    TimelineQuery,
    XcorrQuery,
)
from dtrack.data.store import Store

_SHELL_SAFE = re.compile(r"[^\s'\"\\$`!*?&;|<>(){}\[\]#~=%]+")


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
    tz: str = "Asia/Tokyo"
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
        return "dtrack " + " ".join(_shell_quote(a) for a in args)


def _shell_quote(arg: str) -> str:
    """Quote for a POSIX shell only when needed (shlex.quote also quotes every Japanese word)."""
    return arg if _SHELL_SAFE.fullmatch(arg) else shlex.quote(arg)


# -- builders: one per CLI command (cli/analysis.py), same options and parameters ---------
def _counting_argv(include_reposts: bool, platforms: tuple[str, ...]) -> list[str]:
    argv = ["--include-reposts"] if include_reposts else []
    for name in platforms:
        argv += ["--platform", name]
    return argv


def _range_argv(start: dt.date | None, end: dt.date | None) -> list[str]:
    return [*(["--from", start.isoformat()] if start else []), *(["--to", end.isoformat()] if end else [])]


def _rule(include_reposts: bool, platforms: tuple[str, ...], context: str, tz: str) -> str:
    return counting_rule(include_reposts=include_reposts, platforms=platforms, context=context, tz=tz)


def timeline_download(frame: pl.DataFrame, store_path: str, tz: str, q: TimelineQuery,
                      note: str | None = None) -> Download:
    """`dtrack timeline TERM... --freq F --context C ...` for the timeline a page shows."""
    argv = ("timeline", *q.terms, "--freq", q.freq, "--context", q.context,
            *_counting_argv(q.include_reposts, q.platforms), *_range_argv(q.start, q.end), "--tz", tz)
    params = {"terms": list(q.terms), "freq": q.freq, "context": q.context, "include_reposts": q.include_reposts,
              "platforms": list(q.platforms), "from": q.start, "to": q.end, "tz": tz}
    return Download(frame, f"timeline-{q.freq}.csv", store_path, "timeline", argv, params,
                    _rule(q.include_reposts, q.platforms, q.context, tz), tz, (note,) if note else ())


def evidence_download(frame: pl.DataFrame, store_path: str, tz: str, q: EvidenceQuery) -> Download:
    """`dtrack posts TERM --from D --to D ...` for a list of evidence posts."""
    argv = ("posts", q.term, *_range_argv(q.start, q.end), "--context", q.context,
            *(["--limit", str(q.limit)] if q.limit is not None else []),
            *_counting_argv(q.include_reposts, q.platforms), "--tz", tz)
    params = {"term": q.term, "from": q.start, "to": q.end, "context": q.context, "limit": q.limit,
              "include_reposts": q.include_reposts, "platforms": list(q.platforms), "tz": tz, "format": "csv"}
    day = q.start.isoformat() if q.start and q.start == q.end else "range" if q.start or q.end else "all"
    return Download(frame, f"posts-{day}.csv", store_path, "posts", argv, params,
                    _rule(q.include_reposts, q.platforms, q.context, tz), tz)


def emergence_download(frame: pl.DataFrame, store_path: str, tz: str, q: EmergenceQuery) -> Download:
    """`dtrack emergence [TERM...] --burst-model M --min-days N`."""
    argv = ("emergence", *q.terms, *(["--before", q.before.isoformat()] if q.before else []),
            *_counting_argv(q.include_reposts, q.platforms), "--burst-model", q.burst_model,
            "--min-days", str(q.min_days), "--tz", tz)
    params = {"terms": list(q.terms), "before": q.before, "include_reposts": q.include_reposts,
              "platforms": list(q.platforms), "burst_model": q.burst_model, "min_days": q.min_days, "tz": tz,
              "format": "csv"}
    return Download(frame, "emergence.csv", store_path, "emergence", argv, params,
                    counting_rule(include_reposts=q.include_reposts, platforms=q.platforms, tz=tz), tz)


def discover_download(frame: pl.DataFrame, store_path: str, tz: str, q: DiscoveryQuery) -> Download:
    """`dtrack discover --freq F [--from D] [--to D] --top N --min-authors N [--include-known]`."""
    from dtrack.analysis.discovery import DEFAULT_MIN_RATIO, DEFAULT_MIN_SCORE

    argv = ("discover", "--freq", q.freq, *(["--from", q.start.isoformat()] if q.start else []),
            *(["--to", q.end.isoformat()] if q.end else []), "--top", str(q.top), "--min-authors",
            str(q.min_authors), *(["--include-known"] if q.include_known else []),
            *_counting_argv(q.include_reposts, q.platforms), "--tz", tz)
    params = {"freq": q.freq, "from": q.start, "to": q.end, "top": q.top, "min_authors": q.min_authors,
              "baseline": None, "min_score": DEFAULT_MIN_SCORE, "min_ratio": DEFAULT_MIN_RATIO, "terms": None,
              "replace_terms": False, "include_known": q.include_known, "stoplist": None,
              "include_reposts": q.include_reposts, "platforms": list(q.platforms), "tz": tz, "format": "csv"}
    return Download(frame, f"rising-words-{q.freq}.csv", store_path, "discover", argv, params,
                    counting_rule(include_reposts=q.include_reposts, platforms=q.platforms, tz=tz), tz)


def events_download(frame: pl.DataFrame, store_path: str, tz: str, q: EventStudyQuery) -> Download:
    """`dtrack events [TERM...] --window N --context C`."""
    argv = ("events", *q.terms, "--window", str(q.window), "--context", q.context,
            *_counting_argv(q.include_reposts, q.platforms), "--tz", tz)
    params = {"terms": list(q.terms), "events": "data/events.csv (shipped)", "window": q.window,
              "context": q.context, "include_reposts": q.include_reposts, "platforms": list(q.platforms), "tz": tz,
              "format": "csv"}
    return Download(frame, f"events-{q.window}d.csv", store_path, "events", argv, params,
                    _rule(q.include_reposts, q.platforms, q.context, tz), tz)


def xcorr_download(frame: pl.DataFrame, store_path: str, tz: str, q: XcorrQuery) -> Download:
    """`dtrack xcorr TERM_A TERM_B --max-lag N --context C`."""
    argv = ("xcorr", q.term_a, q.term_b, "--max-lag", str(q.max_lag), "--context", q.context,
            *_counting_argv(q.include_reposts, q.platforms), "--tz", tz)
    params = {"term_a": q.term_a, "term_b": q.term_b, "max_lag": q.max_lag, "context": q.context,
              "include_reposts": q.include_reposts, "platforms": list(q.platforms), "tz": tz, "format": "csv"}
    return Download(frame, "xcorr.csv", store_path, "xcorr", argv, params,
                    _rule(q.include_reposts, q.platforms, q.context, tz), tz)


def table_download(frame: pl.DataFrame, store_path: str, tz: str, name: str, params: dict[str, Any]) -> Download:
    """A table no CLI command writes (overview figures): the same CSV writer, no command."""
    return Download(frame, name, store_path, None, (), params, "", tz)
