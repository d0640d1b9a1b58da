"""Compaction: each month's many small Parquet files merged into one, without changing a row.

Why. Every transaction adds one file per month it touches (posts and hits),
and every run of a scheduled job is a transaction, so a store fed daily for
a year holds thousands of small files; every scan opens all of them.
Compaction rewrites a month's files as one file per kind.

What is kept. Every row, unchanged, in the order the files were listed
(provenance columns included: a row still names the file and line it was
first read from). The tagged-files bookkeeping in the meta (key ``tagging``,
list ``files``) is carried over: post files that were tagged are merged only
with other tagged files, untagged ones only with untagged ones, and the
merged file replaces its parts on that list, so nothing is tagged twice and
nothing is left untagged. Hits and uses carry no bookkeeping and are merged
freely. The counts table (``data.daily``) is not merged row by row: it is
keyed by posts file, so the transaction writes it again as one file, the
merged posts files counted and their parts' rows dropped.

Safety. Everything happens in one store transaction: the merged files are
written under ``staging/`` (streamed with ``sink_parquet``, so memory is
bounded by polars' batches, not by the month), then one manifest replace
swaps them for their parts. A crash or ``kill -9`` at any point leaves the
store as before or as after. The parts stay on disk for
``GARBAGE_GRACE_SECONDS`` after the swap, so a reader that listed them just
before still reads them.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from dtrack.data.store import _SCHEMAS, Store, StoreError, StoreWriter, Transaction

#: The meta entry whose ``files`` list names the post files already tagged (see nlp.tagger).
TAGGED_META = "tagging"
#: Every meta entry whose ``files`` list names post files already processed: tagged (nlp.tagger) and
#: counted for discovery (nlp.words). A merged file joins a list only if all its parts were on it.
POST_FILE_LISTS = (TAGGED_META, "discovery")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass
class CompactReport:
    """What a compaction did: files before and after per kind, months rewritten."""

    files_before: dict[str, int] = field(default_factory=dict)
    files_after: dict[str, int] = field(default_factory=dict)
    months: list[str] = field(default_factory=list)
    rows: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """One line for humans."""
        if not self.months:
            return "compact: nothing to merge (at most one file per month and kind)"
        kinds = ", ".join(f"{k} {self.files_before[k]:,} -> {self.files_after[k]:,}" for k in self.files_before)
        return (f"compact: {len(self.months)} month(s) rewritten ({kinds} files; {self.rows:,} rows kept; "
                f"{self.seconds:.1f}s)")


def check_month(month: str) -> str:
    """``YYYY-MM`` or ValueError."""
    if not _MONTH.match(month):
        raise ValueError(f"month {month!r} must look like YYYY-MM (e.g. 2022-08)")
    return month


def _month_of(rel: str) -> str | None:
    """``posts/month=2022-08/x.parquet`` -> ``2022-08``; None for unpartitioned files (quarantine)."""
    parts = rel.split("/")
    return parts[1][len("month="):] if len(parts) == 3 and parts[1].startswith("month=") else None


def plan(manifest: dict[str, Any], month: str | None = None) -> list[tuple[str, str | None, list[str]]]:
    """Groups of files to merge as (kind, month, files): two or more files of one kind and month
    (and, for posts, one tagging state). Quarantine (not partitioned) is one group, only without ``month``."""
    lists = [set((manifest.get("meta", {}).get(key) or {}).get("files", [])) for key in POST_FILE_LISTS]
    groups: dict[tuple[str, str | None, tuple[bool, ...]], list[str]] = {}
    for kind, files in manifest["files"].items():
        if kind == "counts":  # rewritten whole by the transaction (Transaction.rebuild_counts)
            continue
        for rel in files:
            m = _month_of(rel)
            if month is not None and m != month:
                continue
            state = tuple(kind == "posts" and rel in done for done in lists)
            groups.setdefault((kind, m, state), []).append(rel)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2]))
    return [(kind, m, files) for (kind, m, _), files in ordered if len(files) > 1]


def compact_store(store: Store, *, writer: StoreWriter | None = None, month: str | None = None) -> CompactReport:
    """Merge small files (all months, or one ``YYYY-MM``) in one transaction; see the module docstring.

    ``writer``: the caller already holds the write lock (the scheduler after a run).
    """
    if writer is None:
        with store.writer(purpose="dtrack compact") as own:
            return compact_store(store, writer=own, month=month)
    if month is not None:
        check_month(month)
    started = time.perf_counter()
    manifest = store.manifest()
    report = CompactReport(files_before={k: len(v) for k, v in manifest["files"].items()})
    groups = plan(manifest, month)
    counts_files = len(manifest["files"].get("counts", []))
    if not groups and (counts_files <= 1 or month is not None):
        report.files_after = dict(report.files_before)
        return report
    states = {key: manifest.get("meta", {}).get(key) for key in POST_FILE_LISTS}
    done = {key: list(state.get("files", [])) for key, state in states.items() if state}
    with writer.transaction() as txn:
        if month is None or groups:
            txn.rebuild_counts()
        for kind, m, files in groups:
            merged, rows = _merge(store, txn, kind, m, files)
            txn.remove_files(files)
            report.rows += rows
            for key, listed in done.items():
                if kind == "posts" and files[0] in listed:
                    gone = set(files)
                    done[key] = [f for f in listed if f not in gone] + [merged]
            if m is not None and m not in report.months:
                report.months.append(m)
        for key, listed in done.items():
            txn.set_meta(key, {**states[key], "files": listed})
    after = store.manifest()["files"]
    report.files_after = {k: len(after.get(k, [])) for k in report.files_before}
    report.months.sort()
    report.seconds = time.perf_counter() - started
    return report


def _merge(store: Store, txn: Transaction, kind: str, month: str | None, files: list[str]) -> tuple[str, int]:
    """Stream ``files`` into one staged file; returns its store path and its rows (checked
    against the parts: a merge that lost or gained a row is an error, not a commit)."""
    paths = [str(store.path / rel) for rel in files]
    lazy = pl.scan_parquet(paths, schema=_SCHEMAS[kind], missing_columns="insert", extra_columns="ignore")
    rel = txn.stage_lazy(kind, lazy, f"month={month}" if month else None)
    before = pl.scan_parquet(paths, schema=_SCHEMAS[kind], missing_columns="insert",
                             extra_columns="ignore").select(pl.len()).collect().item()
    after = pl.scan_parquet(txn.staged_path(rel)).select(pl.len()).collect().item()
    if before != after:
        raise StoreError(f"compaction of {kind} {month or ''}: {after} rows written for {before} read")
    return rel, after
