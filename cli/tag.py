"""`dtrack tag`, `dtrack terms`: thin commands over nlp.tagger and nlp.terms (`dtrack kwic` is an analysis:
analysis/queries.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import polars as pl

from dtrack.analysis.kwic import pad as _pad
from dtrack.cli.cluster import check_cluster, cluster_option, open_cluster
from dtrack.cli.common import EXIT_USAGE, echo_json, echo_report, fail, open_store, store_option
from dtrack.data.store import Store, StoreLocked
from dtrack.nlp.tagger import META_KEY, store_terms, tag_store
from dtrack.nlp.terms import TermDictionary, TermsFileError, load_terms

F = TypeVar("F", bound=Callable[..., Any])


def terms_options(func: F) -> F:
    """``--terms FILE`` and ``--replace-terms`` (shared by tag, terms and kwic)."""
    func = click.option("--replace-terms", is_flag=True,
                        help="Use --terms FILE instead of the default dictionary, not merged into it.")(func)
    return click.option("--terms", "terms_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="A TOML term dictionary merged into the default one (same canonical form: "
                             "yours wins). Default: the dictionary the store was last tagged with.")(func)


def resolve_terms(store: Store, terms_path: Path | None, replace: bool) -> TermDictionary:
    """The dictionary a command works with: --terms FILE, else the store's, else the default."""
    if replace and terms_path is None:
        raise click.UsageError("--replace-terms needs --terms FILE")
    try:
        if terms_path is not None:
            return load_terms(terms_path, replace=replace)
        return store_terms(store)
    except TermsFileError as exc:
        fail(str(exc), EXIT_USAGE)
        raise  # unreachable: fail exits


@click.command()
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Tagging processes [default: every usable CPU].")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@terms_options
@cluster_option
@store_option
def tag(workers: int | None, as_json: bool, terms_path: Path | None, replace_terms: bool, cluster: str | None,
        store_path: str | None) -> None:
    """Find dictionary terms in stored posts that are not tagged yet.

    Only posts added since the last run are tagged. When the dictionary's
    content changes (or the tagger's version), every post is tagged again and
    all hits are replaced in one step. Without --terms the store keeps the
    dictionary it was last tagged with; with --terms that becomes the store's
    dictionary (`dtrack ingest` then tags new posts with it too).

    \b
    With --cluster the posts are tokenised by the workers of a Dask cluster
    (one Tagger per worker process) and this process commits the hits.

    \b
    Example:
      dtrack tag
      dtrack tag --terms my_terms.toml
      dtrack tag --cluster local:8
    """
    store = open_store(store_path)
    terms = resolve_terms(store, terms_path, replace_terms)
    address = check_cluster(cluster)
    try:
        with open_cluster(address) as client:
            progress = None
            if client is not None:
                from dtrack.data.cluster import Progress

                progress = Progress("tag")
            report = tag_store(store, terms=terms, workers=workers, cluster=client, progress=progress)
    except StoreLocked as exc:
        fail(str(exc))
        return
    echo_report(report, as_json)


def _term_counts(store: Store, dictionary: TermDictionary) -> tuple[dict[str, dict[str, int]], str | None]:
    """Hits, posts and AI-context hits per term, and a note when they came from another dictionary."""
    state = store.meta(META_KEY) or {}
    if not state:
        return {}, None
    counts = (
        store.scan_hits()
        .group_by("term")
        .agg(hits=pl.len(), posts=pl.struct("platform", "post_id").n_unique(), ai=pl.col("ai_context").sum())
        .collect()
    )
    table = {row["term"]: row for row in counts.iter_rows(named=True)}
    note = None
    if state.get("dictionary_hash") != dictionary.hash:
        note = (f"hits in the store come from dictionary {state.get('dictionary_hash')}, not {dictionary.hash}; "
                "run `dtrack tag` with the same --terms to update them")
    return table, note


@click.command("terms")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@terms_options
@store_option
def terms_command(fmt: str, terms_path: Path | None, replace_terms: bool, store_path: str | None) -> None:
    """List the term dictionary: spellings, readings, exclusions, AI cue words.

    Shows the dictionary the store was tagged with (or --terms FILE merged
    into the default), and for a tagged store the hits, posts and AI-context
    hits per term.

    \b
    Example:
      dtrack terms
      dtrack terms --terms my_terms.toml --format json | jq '.terms[].canonical'
    """
    store = open_store(store_path)
    dictionary = resolve_terms(store, terms_path, replace_terms)
    counts, note = _term_counts(store, dictionary)
    if fmt == "json":
        out = dictionary.as_dict()
        for term in out["terms"]:
            row = counts.get(term["canonical"], {})
            term["hits"] = int(row.get("hits", 0))
            term["posts"] = int(row.get("posts", 0))
            term["ai_hits"] = int(row.get("ai", 0) or 0)
        out["note"] = note
        echo_json(out)
        return
    click.echo(f"dictionary {dictionary.hash} ({', '.join(Path(s).name for s in dictionary.sources)}), "
               f"{len(dictionary.terms)} terms")
    click.echo(f"{'term':<18} {'category':<11} {'ai_only':<7} {'hits':>7} {'posts':>7} {'ai':>7}  spellings")
    for term in dictionary.terms:
        row = counts.get(term.canonical, {})
        others = [v for v in term.variants if v != term.canonical]
        spell = ", ".join(others) or "-"
        if term.readings:
            spell += "; readings " + ", ".join(term.readings)
        if term.exclusions:
            spell += "; not in " + ", ".join(term.exclusions)
        if term.ai_always:
            spell += "; always AI context"
        if term.cased:
            spell += "; case matters in " + ", ".join(term.cased)
        if term.context:
            spell += "; AI context also by " + ", ".join(term.context)
        click.echo(f"{_pad(term.canonical, 18)} {term.category:<11} {'yes' if term.ai_only else '':<7} "
                   f"{int(row.get('hits', 0)):>7,} {int(row.get('posts', 0)):>7,} {int(row.get('ai', 0) or 0):>7,}"
                   f"  {spell}")
    click.echo("AI cue words: " + ", ".join(dictionary.cues))
    if note:
        click.echo(f"note: {note}", err=True)
