"""`dtrack discover`: the rising words nobody has put in the dictionary yet (analysis/discovery.py).

A thin command: options -> :func:`dtrack.analysis.discovery.discover` -> CSV or
JSON. When the store's candidate words are not counted yet (or new posts have
arrived), the command counts them first and says so on stderr, like `dtrack
tag` does for hits.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from dtrack.analysis.counting import counting_rule
from dtrack.analysis.discovery import (
    DEFAULT_MIN_AUTHORS,
    DEFAULT_MIN_RATIO,
    DEFAULT_MIN_SCORE,
    DEFAULT_TOP,
    discover,
)
from dtrack.cli.analysis import DATE, _day, _emit, _warn, counting_options, output_options
from dtrack.cli.common import EXIT_USAGE, fail, open_store, store_option, tz_option
from dtrack.cli.tag import resolve_terms, terms_options
from dtrack.data.store import StoreLocked
from dtrack.nlp.candidates import StoplistError, load_stoplist


@click.command("discover")
@click.option("--freq", type=click.Choice(["day", "week", "month"]), default="week", show_default=True,
              help="Period length (weeks start on Monday).")
@click.option("--from", "start", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="First period scored: the one holding this day (its baseline may lie before).")
@click.option("--to", "end", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Last period scored: the one holding this day (counted whole).")
@click.option("--top", type=click.IntRange(min=1), default=DEFAULT_TOP, show_default=True,
              help="Words per period, highest score first.")
@click.option("--min-authors", type=click.IntRange(min=1), default=DEFAULT_MIN_AUTHORS, show_default=True,
              help="Distinct authors a word needs in the period (one account repeating itself is not a rise).")
@click.option("--baseline", type=click.IntRange(min=1), default=None, metavar="N",
              help="Preceding periods compared with [default: 28 days, 8 weeks, 6 months].")
@click.option("--min-score", type=float, default=DEFAULT_MIN_SCORE, show_default=True,
              help="Smallest G² reported (10.83: p < 0.001).")
@click.option("--min-ratio", type=float, default=DEFAULT_MIN_RATIO, show_default=True,
              help="Smallest rate ratio to the baseline reported.")
@terms_options
@click.option("--include-known", is_flag=True, help="Keep words of the dictionary (and their spellings) too.")
@click.option("--stoplist", "stoplist_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="Words never reported: one a line, '# ' starts a comment line.")
@counting_options
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes for counting new posts' words [default: every usable CPU].")
@tz_option
@output_options(["csv", "json"], "csv")
@store_option
def discover_cmd(freq: str, start: dt.datetime | None, end: dt.datetime | None, top: int, min_authors: int,
                 baseline: int | None, min_score: float, min_ratio: float, terms_path: Path | None,
                 replace_terms: bool, include_known: bool, stoplist_path: Path | None, include_reposts: bool,
                 platforms: tuple[str, ...], workers: int | None, tz: str, fmt: str, out: str | None, excel: bool,
                 store_path: str | None) -> None:
    """Rising words per day, week or month that the dictionary does not know yet.

    Keys (JSON) / columns (CSV): period (ISO date of the period's start),
    word, score (signed log-likelihood G² against the --baseline periods
    before; higher = more emergent), posts, authors, baseline_posts,
    first_seen, example_post_ids, then new, rate_ratio, period_posts,
    baseline_total, variants, longer_forms, platforms (lists joined by | in
    CSV). Candidates are noun compounds, katakana and Latin words and
    hashtags (docs/discovery.md). Words of the dictionary in use (--terms, else
    the store's) are left out unless --include-known. New posts' words are
    counted first (said on stderr).

    \b
    Example:
      dtrack discover --from 2022-08-01 --to 2022-09-30 --top 10
      dtrack discover --freq day --min-authors 5 --format json --out rising.json
    """
    store = open_store(store_path)
    if start and end and start > end:
        fail("--from is after --to", EXIT_USAGE)
    terms = resolve_terms(store, terms_path, replace_terms)
    stoplist: frozenset[str] = frozenset()
    if stoplist_path is not None:
        try:
            stoplist = load_stoplist(stoplist_path)
        except StoplistError as exc:
            fail(str(exc), EXIT_USAGE)
    notes: list[str] = []
    try:
        df = discover(store, freq=freq, start=_day(start), end=_day(end), top=top, min_authors=min_authors,
                      terms=terms, include_known=include_known, stoplist=stoplist, baseline=baseline,
                      min_score=min_score, min_ratio=min_ratio, include_reposts=include_reposts,
                      platforms=list(platforms) or None, tz=tz, workers=workers, notes=notes)
    except StoreLocked as exc:
        fail(f"new posts' words must be counted first, but {exc}")
        return
    for note in notes:
        _warn(note)
    params = {"freq": freq, "from": _day(start), "to": _day(end), "top": top, "min_authors": min_authors,
              "baseline": baseline, "min_score": min_score, "min_ratio": min_ratio,
              "terms": str(terms_path) if terms_path else None, "replace_terms": replace_terms,
              "include_known": include_known, "stoplist": str(stoplist_path) if stoplist_path else None,
              "include_reposts": include_reposts, "platforms": list(platforms), "tz": tz, "format": fmt,
              "excel": excel}
    _emit(df, fmt=fmt, out=out, excel=excel, command="discover", params=params, store=store,
          rule=counting_rule(include_reposts=include_reposts, platforms=platforms, tz=tz), tz=tz, notes=notes)
