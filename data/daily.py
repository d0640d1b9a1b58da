"""Precomputed counts: what a timeline needs, kept next to the posts and hits it summarises.

Why. A term timeline counts posts per local day (the denominator of shares)
and joins the hits with the posts (for the author, the repost flag, the
platform). On a million posts that is a scan of every post for each filter
change. Two small tables answer the same questions without the posts:

``counts`` (``COUNT_SCHEMA``)
    Posts per UTC quarter-hour, platform and repost flag, one set of rows per
    posts file. Every UTC offset of a real timezone today is a whole number of
    quarter-hours, so a quarter-hour lies within one local day of any of them:
    summed into local days these are exactly the totals
    ``analysis.counting.local_day_counts`` computes from the posts (it counts by
    quarter-hour itself). Written by the store in the same transaction as the
    posts (``Transaction`` counts every posts file it stages), so posts ingested
    with ``--no-tag``, by the cluster, rewritten by ``dtrack repair`` or merged by
    ``dtrack compact`` are counted with no step to forget. A transaction that
    removes posts files rewrites the table without their rows.

``uses`` (``USE_SCHEMA``)
    One row per (term, post) that ``analysis.counting.term_uses`` would find,
    before the counting rule's filters: term, post key, time, author, repost
    flag, AI context. Written by the tagger in the transaction that writes the
    hits it comes from, replaced with them on a re-tag, merged by compaction,
    cut by repair with the hits. One row per post, not per day: distinct
    authors of a week or a month cannot be summed from daily figures, and the
    research timezone is chosen at query time, so the row keeps what answers
    both exactly.

When the tables are not used. Readers never trust them blindly:
:func:`post_counts_of` uses the counts rows of files still in the store and
counts posts files without rows (a store written before this table existed)
from the posts themselves; :func:`uses_of` returns None unless the tagging
state says every tagged file's uses are stored (``tagging.uses``), and
:func:`uses_in_memory` then builds the same rows from the posts and hits,
once per store version. ``dtrack tag`` fills both in for an older store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import polars as pl

from dtrack.data.schema import COUNT_SCHEMA, POST_SCHEMA, USE_SCHEMA, empty_counts, empty_uses
from dtrack.data.times import readable

if TYPE_CHECKING:
    from dtrack.data.store import Store

#: The bucket of the counts table: every UTC offset in use is a multiple of it.
BUCKET = "15m"
#: Tables held in memory per store version (a filter change re-reads nothing; a commit changes the version).
MEMO_ENTRIES = 8
_memo: OrderedDict[tuple[str, ...], Any] = OrderedDict()
_memo_lock = threading.Lock()
#: The tagging meta flag that says the uses table covers every tagged posts file.
USES_FLAG = "uses"
TAGGING_META = "tagging"


def count_posts(posts: pl.DataFrame | pl.LazyFrame, file: str) -> pl.DataFrame:
    """The counts rows of one posts file (the rows a reader of the store would see). A file with no
    readable post gets one row of 0 posts, so it still counts as counted."""
    counts = (
        posts.lazy()
        .filter(readable("created_at"))
        .group_by(bucket=pl.col("created_at").dt.truncate(BUCKET), platform=pl.col("platform"),
                  is_repost=pl.col("is_repost"))
        .agg(posts=pl.len().cast(pl.Int64))
        .select(file=pl.lit(file, dtype=pl.String), bucket="bucket", platform="platform", is_repost="is_repost",
                posts="posts")
        .collect()
    )
    if counts.height == 0:
        return pl.DataFrame({"file": [file], "posts": [0]}, schema_overrides={"posts": pl.Int64}).select(
            [pl.col("file"), *(pl.lit(None, dtype=COUNT_SCHEMA[c]).alias(c) for c in ("bucket", "platform",
                                                                                    "is_repost")),
             pl.col("posts")])
    return counts


def _scan(paths: list[str], schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    return pl.scan_parquet(paths, schema=schema, missing_columns="insert", extra_columns="ignore")


def stored_counts(store: Store, manifest: dict[str, Any] | None = None) -> pl.DataFrame:
    """The committed counts rows of posts files still in the store."""
    manifest = manifest or store.manifest()
    files = manifest["files"].get("counts", [])
    if not files:
        return empty_counts()
    listed = pl.Series(manifest["files"].get("posts", []), dtype=pl.String)
    return (_scan([str(store.path / rel) for rel in files], COUNT_SCHEMA)
            .filter(pl.col("file").is_in(listed.implode())).collect())


def uncounted_files(store: Store, manifest: dict[str, Any] | None = None) -> list[str]:
    """Posts files in the store without counts rows (written before the table existed)."""
    manifest = manifest or store.manifest()
    counted = set(stored_counts(store, manifest).get_column("file").unique().to_list())
    return [rel for rel in manifest["files"].get("posts", []) if rel not in counted]


def post_counts_of(store: Store) -> pl.LazyFrame:
    """Counted-post rows (bucket, platform, is_repost, posts) for every post the store shows:
    the table where it has rows, the posts themselves for files it lacks."""
    manifest = store.manifest()
    counts = stored_counts(store, manifest)
    have = set(counts.get_column("file").unique().to_list())
    missing = [str(store.path / rel) for rel in manifest["files"].get("posts", []) if rel not in have]
    frames = [counts.lazy()]
    if missing:
        frames.append(count_posts(_scan(missing, POST_SCHEMA), "").lazy())
    return pl.concat(frames).filter(pl.col("posts") > 0).drop("file")


def uses_ready(store: Store, manifest: dict[str, Any] | None = None) -> bool:
    """Whether the uses table holds every use of the current hits."""
    manifest = manifest or store.manifest()
    state = manifest.get("meta", {}).get(TAGGING_META) or {}
    if state:
        return bool(state.get(USES_FLAG))
    return not manifest["files"].get("hits")  # never tagged: no hits, no uses


def uses_of(store: Store) -> pl.LazyFrame | None:
    """The uses table, or None when it cannot answer (the caller scans posts and hits)."""
    manifest = store.manifest()
    if not uses_ready(store, manifest):
        return None
    files = manifest["files"].get("uses", [])
    if not files:
        return empty_uses().lazy()
    return _scan([str(store.path / rel) for rel in files], USE_SCHEMA).filter(readable("created_at"))


def per_post(hits: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """(term, platform, post_id, ai_context) once per term and post, as ``term_uses`` groups hits."""
    return (
        hits.lazy()
        .group_by("term", "platform", "post_id")
        .agg(ai_context=pl.col("ai_context").fill_null(False).any())
        .collect()
    )


def build_uses(posts: pl.LazyFrame, per_post_hits: pl.DataFrame) -> pl.DataFrame:
    """The uses rows of ``per_post_hits`` (from :func:`per_post`) for the posts they belong to."""
    if per_post_hits.height == 0:
        return empty_uses()
    keys = posts.filter(readable("created_at")).select(
        "platform", "post_id", "created_at",
        author=pl.coalesce(pl.col("author_id"), pl.col("author_name")),
        is_repost=pl.col("is_repost"),
    )
    return (
        per_post_hits.lazy()
        .join(keys, on=["platform", "post_id"], how="inner")
        .select(list(USE_SCHEMA))
        .collect()
    )


def memoised(store: Store, what: str, make: Any) -> Any:
    """``make()`` once per store version (frames are immutable, so sharing them is safe)."""
    key = (str(store.path), store.version, what)
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
    value = make()
    with _memo_lock:
        _memo[key] = value
        while len(_memo) > MEMO_ENTRIES:
            _memo.popitem(last=False)
    return value


def day_counts_of(store: Store, tz: str) -> pl.DataFrame:
    """Counted-post rows summed into local days of ``tz`` (``day``, ``platform``, ``is_repost``,
    ``posts``), kept per store version: the quarter-hours of :func:`post_counts_of`, each on its day."""
    def make() -> pl.DataFrame:
        return (post_counts_of(store)
                .group_by(day=pl.col("bucket").dt.convert_time_zone(tz).dt.date(), platform=pl.col("platform"),
                          is_repost=pl.col("is_repost"))
                .agg(posts=pl.col("posts").sum())
                .collect())
    return memoised(store, f"days:{tz}", make)


def uses_frame(store: Store) -> pl.DataFrame | None:
    """:func:`uses_of`, read into memory once per store version."""
    def make() -> pl.DataFrame | None:
        uses = uses_of(store)
        return None if uses is None else uses.collect()
    return memoised(store, "uses", make)


def uses_in_memory(store: Store) -> pl.DataFrame:
    """The uses rows, from the table when it covers the hits (:func:`uses_frame`), else built from the posts
    and hits as the tagger builds the table (:func:`per_post`, :func:`build_uses`), kept per store version.

    Why: a store tagged before the table existed (``dtrack tag`` has not run since) was scanned on every
    query, twice (the rows, then the share note's count of posts with a hit): 0.4-0.5 s a query at a million
    posts, on each filter change of a dashboard. Built once, every query of the version is answered from
    memory, the same rows (tests/analysis/test_timeline_tables.py).
    """
    table = uses_frame(store)
    if table is not None:
        return table
    return memoised(store, "uses-from-posts",
                    lambda: build_uses(store.scan_posts(), per_post(store.scan_hits())))
