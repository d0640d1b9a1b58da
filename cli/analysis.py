"""The analysis commands (`dtrack timeline|emergence|events|posts|xcorr|kwic|...`), generated.

Each command is made from its declaration in :mod:`analysis.queries`: the
declaration's parameters become click arguments and options, the values are
validated by :meth:`Analysis.bind` (a bad value is a usage error, exit 2,
naming the option and the closest good values), the analysis runs through
:func:`analysis.queries.execute`, and the table is written as CSV or JSON to
stdout, or to ``--out FILE`` with the provenance sidecar ``FILE.meta.json``.
Option names, CSV columns and JSON keys are a contract for scripts
(docs/analysis.md): add, never rename.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import click

from dtrack.analysis.queries import ANALYSES, Analysis, InputFileError, Param, Query, QueryError, Result, execute
from dtrack.cli.common import fail, store_option
from dtrack.data.cluster import ENV as CLUSTER_ENV
from dtrack.data.cluster import ClusterError
from dtrack.data.defaults import DEFAULT_TZ

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _click_param(p: Param) -> click.Parameter:
    """A click argument or option for one declared parameter."""
    if p.positional:
        nargs = -1 if p.kind == "terms" else 1
        return click.Argument([p.name], nargs=nargs, required=p.required, metavar=p.metavar)
    kwargs: dict[str, Any] = {"help": p.help, "metavar": p.metavar}
    if p.kind == "flag":
        return click.Option([p.flag, p.name], is_flag=True, default=False, help=p.help)
    if p.kind == "choice":
        kwargs.update(type=click.Choice(list(p.choices)), default=p.default, show_default=True, metavar=None)
    elif p.kind == "date":
        kwargs.update(type=DATE, default=None)
    elif p.kind in ("int", "float"):
        kind = click.IntRange if p.kind == "int" else click.FloatRange
        kwargs.update(type=kind(min=p.minimum) if p.minimum is not None else (int if p.kind == "int" else float),
                      default=p.default, show_default=p.default is not None, metavar=None)
    elif p.kind == "names":
        kwargs.update(multiple=True)
    elif p.kind == "file":
        kwargs.update(type=click.Path(dir_okay=False), default=None)
    elif p.kind == "tz":
        kwargs.update(default=DEFAULT_TZ, show_default=True, envvar="DTRACK_TZ", metavar=None)
    elif p.kind == "cluster":
        kwargs.update(default=None, envvar=CLUSTER_ENV, show_envvar=True)
    return click.Option([p.flag, p.name], **kwargs)


def _output_params(analysis: Analysis) -> list[click.Parameter]:
    params: list[click.Parameter] = []
    if len(analysis.formats) > 1:
        params.append(click.Option(["--format", "fmt"], type=click.Choice(list(analysis.formats)),
                                   default=analysis.formats[0], show_default=True, help="Output format."))
    params.append(click.Option(["--out"], type=click.Path(dir_okay=False, writable=True), default=None,
                               metavar="FILE", help="Write to FILE (plus FILE.meta.json: command, parameters, "
                               "counting rule, timezone, store version, dictionary hash, versions) instead of "
                               "stdout. A FILE ending in .xlsx is an Excel workbook (ids as text, dates as "
                               "dates, the provenance on a second sheet)."))
    params.append(click.Option(["--excel"], is_flag=True,
                               help="CSV with a UTF-8 byte order mark, so Excel shows Japanese."))
    return params


def make_command(analysis: Analysis) -> click.Command:
    """The click command for ``analysis``."""

    def callback(**kwargs: Any) -> None:
        store_path = kwargs.pop("store_path")
        fmt = kwargs.pop("fmt", analysis.formats[0])
        out = kwargs.pop("out")
        excel = kwargs.pop("excel")
        values = {name: (value.date() if isinstance(value, dt.datetime) else value) for name, value in kwargs.items()}
        from dtrack.cli.common import open_store

        try:
            q = analysis.bind(**values)
            store = open_store(store_path)
            result = execute(store, q)
        except QueryError as exc:
            raise click.UsageError(str(exc)) from None
        except (InputFileError, ClusterError) as exc:  # a scheduler that does not answer, a store not shared
            fail(str(exc))
        for warning in result.warnings:
            click.echo(f"dtrack: note: {warning}", err=True)
        for note in result.notes:
            click.echo(f"dtrack: note: {note}", err=True)
        emit(analysis, q, result, store, fmt=fmt, out=out, excel=excel)

    params = [_click_param(p) for p in analysis.params]
    params += _output_params(analysis)
    command = click.Command(analysis.name, params=params, callback=callback,
                            help=f"{analysis.help}\n\n{analysis.doc}", short_help=analysis.help)
    return store_option(command)


def render(analysis: Analysis, q: Query, result: Result, *, fmt: str, excel: bool = False) -> bytes:
    """The bytes of ``result`` in ``fmt`` (the same bytes the dashboard's download gives)."""
    from dtrack.analysis.export import csv_bytes, json_bytes

    spec = analysis.renderers.get(fmt)
    if spec is not None:
        module, _, attribute = spec.partition(":")
        return getattr(importlib.import_module(module), attribute)(result, q)
    if fmt == "json":
        return json_bytes(result.frame)
    return csv_bytes(result.frame, excel=excel)


def emit(analysis: Analysis, q: Query, result: Result, store: Any, *, fmt: str, out: str | None,
         excel: bool) -> None:
    """Write the table to stdout, or to ``out`` with its sidecar; ``out`` ending in ``.xlsx`` is an Excel
    workbook (``analysis.export.xlsx_bytes``: ids as text, dates as dates, the provenance on a second sheet)."""
    if out is None or out == "-":
        data = render(analysis, q, result, fmt=fmt, excel=excel)
        stream = click.get_binary_stream("stdout")
        stream.write(data)
        stream.flush()
        return
    from dtrack.analysis.export import sidecar, write_export, xlsx_bytes

    meta = sidecar(analysis.name, {**analysis.record(q, fmt=fmt), "excel": excel}, store, rule=analysis.rule(q),
                   tz=q.tz)
    if result.notes:
        meta["notes"] = list(result.notes)
    if out.lower().endswith(".xlsx"):
        fmt, data = "xlsx", xlsx_bytes(result.frame, meta)
    else:
        data = render(analysis, q, result, fmt=fmt, excel=excel)
    side = write_export(data, out, meta=meta, fmt=fmt, rows=result.frame.height)
    click.echo(f"wrote {out} ({result.frame.height:,} rows) and {side}", err=True)


#: the commands, by name (cli/main.py lists them lazily from analysis.queries.ANALYSES)
COMMANDS: dict[str, click.Command] = {name: make_command(a) for name, a in ANALYSES.items()}
timeline_cmd = COMMANDS["timeline"]
emergence_cmd = COMMANDS["emergence"]
events_cmd = COMMANDS["events"]
posts_cmd = COMMANDS["posts"]
xcorr_cmd = COMMANDS["xcorr"]
kwic = COMMANDS["kwic"]
discover_cmd = COMMANDS["discover"]
