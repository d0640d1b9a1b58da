"""Move stored posts with implausible times to quarantine, in one transaction.

Why a repair. Before times were checked at the door (``data.times``), a post
dated year 0 or 9999 could be stored, and stored rows are never rewritten by
ingest. The store hides the unreadable ones from readers; this takes them, and
any other post outside the plausible range, out for good: each post file that
holds such rows is rewritten without them, their hits (and precomputed uses) go with them, and each
row becomes a quarantine record (source file, line, the reason, the row as
JSON), so nothing is lost and the export can be fixed and ingested again
(``dtrack ingest --force``). One transaction: readers see the store before or
after, and a crash changes nothing.

Other stages keep in the manifest's meta the post files they have processed
(the tagger: ``tagging.files``). A rewritten file takes the old one's place in
those lists, so its remaining posts are not tagged a second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from dtrack.data.schema import HIT_SCHEMA, POST_KEY, POST_SCHEMA, QUARANTINE_SCHEMA, USE_SCHEMA
from dtrack.data.store import StoreWriter
from dtrack.data.times import TimeRange


@dataclass
class RepairReport:
    """What a repair moved (or, with ``dry_run``, would move)."""

    time_range: str
    posts: int = 0
    hits: int = 0
    files: int = 0


def _read(path: Path, schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    return pl.scan_parquet(path, schema=schema, missing_columns="insert", extra_columns="ignore")


def move_bad_times(writer: StoreWriter, time_range: TimeRange, *, dry_run: bool = False) -> RepairReport:
    """Quarantine every stored post whose time is outside ``time_range``, with its hits."""
    store = writer.store
    report = RepairReport(str(time_range))
    manifest = store.manifest()
    outside = time_range.outside("created_at").fill_null(False)
    affected: list[tuple[str, pl.DataFrame]] = []
    for rel in manifest["files"].get("posts", []):
        lazy = _read(store.path / rel, POST_SCHEMA)
        if lazy.select(outside.any()).collect().item():  # one column read; the whole file only when needed
            affected.append((rel, lazy.with_columns(_bad=outside).collect()))
    if not affected:
        return report
    moved = pl.concat([frame.filter(pl.col("_bad")).drop("_bad") for _, frame in affected])
    keys = moved.select(POST_KEY)
    report.posts, report.files = moved.height, len(affected)
    hit_files = []
    for kind, schema in (("hits", HIT_SCHEMA), ("uses", USE_SCHEMA)):  # uses: the precomputed table (data.daily)
        for rel in manifest["files"].get(kind, []):
            hits = _read(store.path / rel, schema).collect()
            keep = hits.join(keys, on=list(POST_KEY), how="anti")
            if keep.height < hits.height:
                hit_files.append((rel, keep))
                if kind == "hits":
                    report.hits += hits.height - keep.height
    if dry_run:
        return report
    renamed: dict[str, str | None] = {}
    with writer.transaction() as txn:
        for rel, frame in affected:
            renamed[rel] = txn.rewrite(rel, frame.filter(~pl.col("_bad")).drop("_bad"))
        for rel, keep in hit_files:
            renamed[rel] = txn.rewrite(rel, keep)
        txn.add_quarantine(_as_quarantine(moved, time_range))
        for key, value in manifest.get("meta", {}).items():
            updated = _rename_files(value, renamed)
            if updated is not None:
                txn.set_meta(key, updated)
    return report


def _as_quarantine(posts: pl.DataFrame, time_range: TimeRange) -> pl.DataFrame:
    """Each post as a quarantine record: where it came from, why it left, the row as JSON."""
    shown = posts.with_columns(pl.col(pl.Datetime).dt.to_string("%Y-%m-%dT%H:%M:%S%.f%:z"))
    return posts.select(
        "source_file", "source_sha256", "source_line", "collector",
        reason=pl.concat_str(time_range.reason(), pl.lit(" (moved from the posts by dtrack repair)")),
        raw=shown.select(pl.struct(pl.all()).struct.json_encode()).to_series(),
        quarantined_at=pl.lit(dt.datetime.now(dt.UTC), dtype=QUARANTINE_SCHEMA["quarantined_at"]),
    )


def _rename_files(value: Any, renamed: dict[str, str | None]) -> Any:
    """A meta value whose ``files`` list names rewritten files, with the new names (None if untouched)."""
    if not isinstance(value, dict) or not isinstance(value.get("files"), list):
        return None
    if not any(f in renamed for f in value["files"]):
        return None
    files = [renamed.get(f, f) for f in value["files"]]
    return {**value, "files": [f for f in files if f is not None]}
