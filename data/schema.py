"""The one place where dtrack's column names and types live.

Every stage reads and writes these schemas, so a collector, the store, the
tagger and the analysis can never disagree on a name or a type. Add a column
here (and to the docs) rather than inventing one in a stage.
"""

from __future__ import annotations

import polars as pl

UTC_DATETIME = pl.Datetime("us", "UTC")

#: A post as stored, whatever platform it came from.
POST_SCHEMA: dict[str, pl.DataType] = {
    # identity: (platform, post_id) is the deduplication key
    "platform": pl.String(),
    "post_id": pl.String(),
    "created_at": UTC_DATETIME,
    "author_id": pl.String(),
    "author_name": pl.String(),
    "text": pl.String(),
    "lang": pl.String(),
    "is_repost": pl.Boolean(),
    "repost_of": pl.String(),
    "reply_to": pl.String(),
    "quote_of": pl.String(),
    "url": pl.String(),
    # platform specifics that have no column of their own (deleted_at, content
    # warning, visibility, matching rules...), as a JSON object string
    "extra": pl.String(),
    # provenance: every row can be traced back to its file and line
    "source_file": pl.String(),
    "source_sha256": pl.String(),
    "source_line": pl.Int64(),
    "collected_at": UTC_DATETIME,
    "collector": pl.String(),
}

POST_COLUMNS: tuple[str, ...] = tuple(POST_SCHEMA)
POST_KEY: tuple[str, str] = ("platform", "post_id")
#: Columns a collector must fill; a record without them is quarantined.
POST_REQUIRED: tuple[str, ...] = ("platform", "post_id", "created_at")
#: Columns the ingest loop stamps itself; collectors do not set them.
PROVENANCE_COLUMNS: tuple[str, ...] = (
    "source_file",
    "source_sha256",
    "collected_at",
    "collector",
)

#: One use of a dictionary term in one post.
HIT_SCHEMA: dict[str, pl.DataType] = {
    "platform": pl.String(),
    "post_id": pl.String(),
    # copied from the post so timelines need no join for the common case
    "created_at": UTC_DATETIME,
    "term": pl.String(),
    "category": pl.String(),
    "variant": pl.String(),
    # character offsets into the post's original (stored) text, end exclusive
    "start": pl.Int32(),
    "end": pl.Int32(),
    "ai_context": pl.Boolean(),
    "evidence": pl.List(pl.String()),
    "tagger_version": pl.String(),
    "dictionary_hash": pl.String(),
}

HIT_COLUMNS: tuple[str, ...] = tuple(HIT_SCHEMA)

#: One candidate word (nlp/candidates.py) in one counted post: the unit behind discovery.
#: One row per (post, word), not per day: distinct authors per week or month cannot be
#: summed from daily counts, and the research timezone is chosen at query time, so the
#: row keeps the post's time and author; it also drills down to the post.
WORD_SCHEMA: dict[str, pl.DataType] = {
    "platform": pl.String(),
    "post_id": pl.String(),
    "created_at": UTC_DATETIME,
    # author_id, else author_name (the counting rule's author), may be null
    "author": pl.String(),
    "is_repost": pl.Boolean(),
    # normalised (NFKC, lower case), without a leading #
    "word": pl.String(),
    # the post wrote it as a hashtag (#無断学習禁止)
    "hashtag": pl.Boolean(),
}

WORD_COLUMNS: tuple[str, ...] = tuple(WORD_SCHEMA)

#: Counted posts per UTC quarter-hour, platform and repost flag, per posts file (data/daily.py):
#: the denominator of every share, without reading the posts. Written with the posts.
COUNT_SCHEMA: dict[str, pl.DataType] = {
    # the posts file (store path) whose rows these are: a file that leaves the store takes its rows along
    "file": pl.String(),
    # created_at truncated to the quarter-hour (every UTC offset is whole quarter-hours)
    "bucket": UTC_DATETIME,
    "platform": pl.String(),
    "is_repost": pl.Boolean(),
    "posts": pl.Int64(),
}

#: One (term, post) use as ``analysis.counting.term_uses`` finds it, kept at tag time (data/daily.py):
#: timelines read it instead of joining hits with posts. One row per post, not per day, so distinct
#: authors per period and local days in any timezone come out exactly.
USE_SCHEMA: dict[str, pl.DataType] = {
    "term": pl.String(),
    "platform": pl.String(),
    "post_id": pl.String(),
    "created_at": UTC_DATETIME,
    # author_id, else author_name (the counting rule's author), may be null
    "author": pl.String(),
    "is_repost": pl.Boolean(),
    # any of the post's hits of the term is AI-context
    "ai_context": pl.Boolean(),
}

#: A record that could not be turned into a post, kept with the reason.
QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "source_file": pl.String(),
    "source_sha256": pl.String(),
    "source_line": pl.Int64(),
    "collector": pl.String(),
    "reason": pl.String(),
    "raw": pl.String(),
    "quarantined_at": UTC_DATETIME,
}

#: One ingested source (a file, an archive or stdin) and what came of it.
SOURCE_FIELDS: tuple[str, ...] = (
    "path",
    "sha256",
    "size",
    "format",
    "ingested_at",
    "read",
    "new",
    "duplicate",
    "quarantined",
    "notices",
)


#: One watch run as ``collectors.pipeline.ledger.read_ledger`` returns it: the contract
#: columns first (docs/scheduler.md), then extras.
LEDGER_SCHEMA: dict[str, pl.DataType] = {
    "run_id": pl.String(),
    "job": pl.String(),
    "started_at": UTC_DATETIME,
    "ended_at": UTC_DATETIME,
    "status": pl.String(),
    "files_seen": pl.Int64(),
    "files_ingested": pl.Int64(),
    "new": pl.Int64(),
    "duplicate": pl.Int64(),
    "quarantined": pl.Int64(),
    "errors": pl.Int64(),
    # extras
    "files_waiting": pl.Int64(),
    "tagged": pl.Int64(),
    "messages": pl.List(pl.String()),
    "trigger": pl.String(),
    "pid": pl.Int64(),
    "host": pl.String(),
    "updated_at": UTC_DATETIME,
}


def empty_posts() -> pl.DataFrame:
    """An empty frame with the post schema (for scans of an empty store)."""
    return pl.DataFrame(schema=POST_SCHEMA)


def empty_hits() -> pl.DataFrame:
    """An empty frame with the hit schema."""
    return pl.DataFrame(schema=HIT_SCHEMA)


def empty_words() -> pl.DataFrame:
    """An empty frame with the candidate-word schema."""
    return pl.DataFrame(schema=WORD_SCHEMA)


def empty_quarantine() -> pl.DataFrame:
    """An empty frame with the quarantine schema."""
    return pl.DataFrame(schema=QUARANTINE_SCHEMA)


def empty_counts() -> pl.DataFrame:
    """An empty frame with the post-count schema."""
    return pl.DataFrame(schema=COUNT_SCHEMA)


def empty_uses() -> pl.DataFrame:
    """An empty frame with the term-use schema."""
    return pl.DataFrame(schema=USE_SCHEMA)
