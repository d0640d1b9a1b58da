"""`dtrack timeline|emergence|events|posts|xcorr`: thin commands over analysis/.

Each command reads the store, calls one analysis function and writes its
table as CSV (or JSON) to stdout, or to ``--out FILE`` with the provenance
sidecar ``FILE.meta.json``. Option names, CSV columns and JSON keys are a
contract for scripts (docs/analysis.md): add, never rename.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
import polars as pl

from dtrack.analysis.bursts import DEFAULT_GAMMA, DEFAULT_S
from dtrack.analysis.counting import counting_rule
from dtrack.analysis.emergence import DEFAULT_MIN_DAYS, emergence
from dtrack.analysis.events import cross_correlation, event_study
from dtrack.analysis.evidence import evidence
from dtrack.analysis.export import csv_bytes, json_bytes, sidecar, write_export
from dtrack.analysis.timeline import share_note, timeline
from dtrack.cli.common import EXIT_USAGE, fail, open_store, store_option, tz_option
from dtrack.data.events import EventsFileError, load_events
from dtrack.data.store import Store

F = TypeVar("F", bound=Callable[..., Any])
DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def counting_options(func: F) -> F:
    """``--include-reposts`` and ``--platform``: the counting rule's filters."""
    func = click.option("--platform", "platforms", multiple=True, metavar="NAME",
                        help="Count only this platform (repeat for several) [default: all].")(func)
    return click.option("--include-reposts", is_flag=True,
                        help="Count reposts too [default: original posts only; quotes always count].")(func)


def output_options(formats: Sequence[str], default: str) -> Callable[[F], F]:
    """``--format``, ``--out FILE`` and ``--excel``."""

    def decorate(func: F) -> F:
        func = click.option("--excel", is_flag=True, help="CSV with a UTF-8 byte order mark, so Excel shows Japanese.")(
            func
        )
        func = click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None, metavar="FILE",
                            help="Write to FILE (plus FILE.meta.json: command, parameters, counting rule, "
                                 "timezone, store version, dictionary hash, versions) instead of stdout.")(func)
        if len(formats) > 1:
            func = click.option("--format", "fmt", type=click.Choice(list(formats)), default=default,
                                show_default=True, help="Output format.")(func)
        return func

    return decorate


def _warn(message: str) -> None:
    click.echo(f"dtrack: note: {message}", err=True)


def _check_terms(store: Store, terms: Sequence[str]) -> None:
    if not terms:
        return
    known = set(store.scan_hits().select(pl.col("term").unique()).collect().to_series().to_list())
    for term in terms:
        if term not in known:
            _warn(f"no hits of {term!r} in the store (terms are canonical forms; `dtrack status` shows what is tagged)")


def _emit(
    df: pl.DataFrame,
    *,
    fmt: str,
    out: str | None,
    excel: bool,
    command: str,
    params: dict[str, Any],
    store: Store,
    rule: str,
    tz: str,
    notes: Sequence[str] = (),
) -> None:
    data = json_bytes(df) if fmt == "json" else csv_bytes(df, excel=excel)
    if out is None or out == "-":
        stream = click.get_binary_stream("stdout")
        stream.write(data)
        stream.flush()
        return
    meta = sidecar(command, params, store, rule=rule, tz=tz)
    if notes:
        meta["notes"] = list(notes)
    side = write_export(data, out, meta=meta, fmt=fmt, rows=df.height)
    click.echo(f"wrote {out} ({df.height:,} rows) and {side}", err=True)


@click.command("timeline")
@click.argument("terms", nargs=-1, required=True)
@click.option("--freq", type=click.Choice(["day", "week", "month"]), default="day", show_default=True,
              help="Period length (weeks start on Monday).")
@click.option("--context", type=click.Choice(["any", "ai"]), default="any", show_default=True,
              help="ai: count only posts whose use of the term is AI-context.")
@counting_options
@click.option("--from", "start", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="First day counted (research timezone).")
@click.option("--to", "end", type=DATE, default=None, metavar="YYYY-MM-DD", help="Last day counted (inclusive).")
@tz_option
@output_options(["csv"], "csv")
@store_option
def timeline_cmd(terms: tuple[str, ...], freq: str, context: str, include_reposts: bool, platforms: tuple[str, ...],
                 start: dt.datetime | None, end: dt.datetime | None, tz: str, out: str | None, excel: bool,
                 store_path: str | None) -> None:
    """Uses of each TERM per day, week or month, as CSV.

    Columns: period (ISO date of the period's start), term, posts, authors,
    share_per_10k, cumulative_posts, cumulative_authors. Periods without a
    use are rows with 0. A use is a post containing the term; reposts are
    left out unless --include-reposts; days are calendar days in --tz.
    share_per_10k divides by every counted post of the period: it means
    nothing for keyword-search exports (a note on stderr says so).

    \b
    Example:
      dtrack timeline 無断学習 無断転載 --freq week --from 2022-08-01 --out weekly.csv
    """
    store = open_store(store_path)
    if start and end and start > end:
        fail("--from is after --to", EXIT_USAGE)
    posts, hits = store.scan_posts(), store.scan_hits()
    _check_terms(store, terms)
    df = timeline(posts, hits, list(terms), freq=freq, context=context, include_reposts=include_reposts,
                  platforms=list(platforms) or None, start=_day(start), end=_day(end), tz=tz).collect()
    note = share_note(posts, hits, include_reposts=include_reposts, platforms=list(platforms) or None)
    if note:
        _warn(note)
    params = {"terms": list(terms), "freq": freq, "context": context, "include_reposts": include_reposts,
              "platforms": list(platforms), "from": _day(start), "to": _day(end), "tz": tz, "excel": excel}
    _emit(df, fmt="csv", out=out, excel=excel, command="timeline", params=params, store=store,
          rule=counting_rule(include_reposts=include_reposts, platforms=platforms, context=context, tz=tz), tz=tz,
          notes=[note] if note else [])


@click.command("emergence")
@click.argument("terms", nargs=-1)
@click.option("--before", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Also count each term's uses before this day (column uses_before).")
@counting_options
@click.option("--burst-model", type=click.Choice(["poisson", "binomial"]), default="poisson", show_default=True,
              help="Kleinberg emission model: daily counts, or daily share of all posts (for sampled stores).")
@click.option("--min-days", type=click.IntRange(min=1), default=DEFAULT_MIN_DAYS, show_default=True,
              help="Shortest burst (days) that counts as a takeoff.")
@click.option("--burst-s", type=click.FloatRange(min=1, min_open=True), default=DEFAULT_S, show_default=True,
              help="Kleinberg's s: the burst state's rate as a multiple of the base rate (> 1).")
@click.option("--burst-gamma", type=click.FloatRange(min=0), default=DEFAULT_GAMMA, show_default=True,
              help="Kleinberg's gamma: entering a burst costs gamma * ln(days).")
@tz_option
@output_options(["csv", "json"], "csv")
@store_option
def emergence_cmd(terms: tuple[str, ...], before: dt.datetime | None, include_reposts: bool,
                  platforms: tuple[str, ...], burst_model: str, min_days: int, burst_s: float, burst_gamma: float,
                  tz: str, fmt: str, out: str | None, excel: bool, store_path: str | None) -> None:
    """When each term was born, slept, took off and peaked (all terms if none given).

    Keys (JSON) / columns (CSV): term, first_seen, first_post_id,
    first_ai_seen, first_ai_post_id, posts, authors, dormancy_days, takeoff,
    peak, peak_posts, then uses_before, ai_posts, first_platform,
    first_ai_platform, dormant_after, dormant_until, takeoff_end, burst_model,
    first_seen_censored, last_seen, burst_note.
    Dates are ISO dates in --tz, null (JSON) or empty (CSV) where none.
    The takeoff is the first day of the first burst of at least --min-days
    days found by Kleinberg's two-state burst automaton (--burst-s,
    --burst-gamma) on the term's own span, first_seen to last_seen.

    \b
    Example:
      dtrack emergence 無断学習 無断転載 --before 2021-04-01 --format json
    """
    store = open_store(store_path)
    _check_terms(store, terms)
    df = emergence(store.scan_posts(), store.scan_hits(), list(terms) or None, tz=tz, before=_day(before),
                   include_reposts=include_reposts, platforms=list(platforms) or None, min_days=min_days,
                   model=burst_model, burst_s=burst_s, burst_gamma=burst_gamma)
    params = {"terms": list(terms), "before": _day(before), "include_reposts": include_reposts,
              "platforms": list(platforms), "burst_model": burst_model, "min_days": min_days,
              "burst_s": burst_s, "burst_gamma": burst_gamma, "tz": tz,
              "format": fmt, "excel": excel}
    notes = [f"{term}: {note}" for term, note in df.select("term", "burst_note").drop_nulls().rows()]
    for note in notes:
        _warn(note)
    _emit(df, fmt=fmt, out=out, excel=excel, command="emergence", params=params, store=store,
          rule=counting_rule(include_reposts=include_reposts, platforms=platforms, tz=tz), tz=tz, notes=notes)


@click.command("events")
@click.argument("terms", nargs=-1)
@click.option("--events", "events_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Events CSV (date,label[,kind,source,url,note]) [default: the shipped data/events.csv].")
@click.option("--window", type=click.IntRange(min=1), default=7, show_default=True,
              help="Days before the event, and days from the event day on, to compare.")
@click.option("--context", type=click.Choice(["any", "ai"]), default="any", show_default=True,
              help="ai: count only AI-context uses.")
@counting_options
@tz_option
@output_options(["csv", "json"], "csv")
@store_option
def events_cmd(terms: tuple[str, ...], events_path: str | None, window: int, context: str, include_reposts: bool,
               platforms: tuple[str, ...], tz: str, fmt: str, out: str | None, excel: bool,
               store_path: str | None) -> None:
    """Uses per day before and after each event, per term, ranked (all terms if none given).

    Keys (JSON) / columns (CSV): term, event, date, before_per_day,
    after_per_day, rate_ratio, p_value, lag_to_peak_days, then rank,
    before_posts, after_posts, before_days, after_days, excess_per_day,
    kind, precision. p_value is the exact Poisson (conditional binomial)
    test; rank 1 is the event most clearly followed by a rise in uses.

    \b
    Example:
      dtrack events 無断学習 --window 7 --format json | jq '.[0]'
    """
    store = open_store(store_path)
    try:
        events = load_events(events_path)
    except EventsFileError as exc:
        fail(str(exc))
    _check_terms(store, terms)
    df = event_study(store.scan_posts(), store.scan_hits(), events, list(terms) or None, window=window, tz=tz,
                     include_reposts=include_reposts, platforms=list(platforms) or None, context=context)
    params = {"terms": list(terms), "events": events_path or "data/events.csv (shipped)", "window": window,
              "context": context, "include_reposts": include_reposts, "platforms": list(platforms), "tz": tz,
              "format": fmt, "excel": excel}
    _emit(df, fmt=fmt, out=out, excel=excel, command="events", params=params, store=store,
          rule=counting_rule(include_reposts=include_reposts, platforms=platforms, context=context, tz=tz), tz=tz)


@click.command("posts")
@click.argument("term")
@click.option("--date", "day", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Only this day (research timezone).")
@click.option("--from", "start", type=DATE, default=None, metavar="YYYY-MM-DD", help="First day (inclusive).")
@click.option("--to", "end", type=DATE, default=None, metavar="YYYY-MM-DD", help="Last day (inclusive).")
@click.option("--context", type=click.Choice(["any", "ai"]), default="any", show_default=True,
              help="ai: only posts whose use of the term is AI-context.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N posts (the oldest).")
@counting_options
@tz_option
@output_options(["csv", "json"], "csv")
@store_option
def posts_cmd(term: str, day: dt.datetime | None, start: dt.datetime | None, end: dt.datetime | None, context: str,
              limit: int | None, include_reposts: bool, platforms: tuple[str, ...], tz: str, fmt: str,
              out: str | None, excel: bool, store_path: str | None) -> None:
    """The posts behind a count: every post using TERM, oldest first.

    Columns: platform, post_id, time (ISO, in --tz), author, text, url,
    variant, start, end (character offsets of the first use in text),
    ai_context, evidence (AI cue words, joined by |), then hits, author_id,
    is_repost. The same options as `dtrack timeline` give exactly the posts
    it counted.

    \b
    Example:
      dtrack posts 無断学習 --date 2022-08-29 --context ai --limit 20
    """
    if day is not None and (start is not None or end is not None):
        fail("use --date, or --from/--to, not both", EXIT_USAGE)
    if day is not None:
        start = end = day
    store = open_store(store_path)
    _check_terms(store, [term])
    df = evidence(store.scan_posts(), store.scan_hits(), term, start=_day(start), end=_day(end), context=context,
                  include_reposts=include_reposts, platforms=list(platforms) or None, tz=tz, limit=limit)
    params = {"term": term, "from": _day(start), "to": _day(end), "context": context, "limit": limit,
              "include_reposts": include_reposts, "platforms": list(platforms), "tz": tz, "format": fmt,
              "excel": excel}
    _emit(df, fmt=fmt, out=out, excel=excel, command="posts", params=params, store=store,
          rule=counting_rule(include_reposts=include_reposts, platforms=platforms, context=context, tz=tz), tz=tz)


@click.command("xcorr")
@click.argument("term_a")
@click.argument("term_b")
@click.option("--max-lag", type=click.IntRange(min=0), default=14, show_default=True, help="Largest lag in days.")
@click.option("--context", type=click.Choice(["any", "ai"]), default="any", show_default=True,
              help="ai: count only AI-context uses.")
@counting_options
@tz_option
@output_options(["csv", "json"], "csv")
@store_option
def xcorr_cmd(term_a: str, term_b: str, max_lag: int, context: str, include_reposts: bool,
              platforms: tuple[str, ...], tz: str, fmt: str, out: str | None, excel: bool,
              store_path: str | None) -> None:
    """Cross-correlation of two terms' daily uses at lags -N..N days.

    Columns: lag, correlation. At a positive lag k, TERM_A's uses on a day
    are paired with TERM_B's k days later: a peak there means TERM_B follows
    TERM_A.

    \b
    Example:
      dtrack xcorr mimic 無断学習 --max-lag 14
    """
    store = open_store(store_path)
    _check_terms(store, [term_a, term_b])
    df = cross_correlation(store.scan_posts(), store.scan_hits(), term_a, term_b, max_lag=max_lag, tz=tz,
                           context=context, include_reposts=include_reposts, platforms=list(platforms) or None)
    params = {"term_a": term_a, "term_b": term_b, "max_lag": max_lag, "context": context,
              "include_reposts": include_reposts, "platforms": list(platforms), "tz": tz, "format": fmt,
              "excel": excel}
    _emit(df, fmt=fmt, out=out, excel=excel, command="xcorr", params=params, store=store,
          rule=counting_rule(include_reposts=include_reposts, platforms=platforms, context=context, tz=tz), tz=tz)

