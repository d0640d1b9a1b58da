"""The store's headline figures, shared by `dtrack status` and the dashboard's overview."""

from __future__ import annotations

from typing import Any

import polars as pl

from dtrack.data.compact import plan
from dtrack.data.store import Store
from dtrack.data.times import time_range_from_env


def store_status(store: Store) -> dict[str, Any]:
    """The figures `dtrack status --format json` prints (a contract: add keys, never rename)."""
    manifest = store.manifest()
    groups = plan(manifest)
    posts = store.scan_posts()
    summary = posts.select(
        n=pl.len(),
        reposts=pl.col("is_repost").sum(),
        first=pl.col("created_at").min(),
        last=pl.col("created_at").max(),
    ).collect().row(0, named=True)
    platforms = posts.group_by("platform").len().sort("platform").collect()
    hits = store.scan_hits().select(pl.len()).collect().item()
    quarantined = store.scan_quarantine().select(pl.len()).collect().item()
    time_range = time_range_from_env()
    # every stored row, the ones scan_posts hides included (see data.times)
    implausible = store._scan("posts").select(time_range.outside().fill_null(False).sum()).collect().item()
    sources = {s["sha256"] for s in manifest.get("sources", [])}

    def iso(value: Any) -> str | None:
        return value.isoformat().replace("+00:00", "Z") if value is not None else None

    return {
        "store": str(store.path),
        "version": f"{manifest['store_id']}-{manifest['version']}",
        "posts": summary["n"],
        "reposts": int(summary["reposts"] or 0),
        "platforms": dict(zip(platforms["platform"], platforms["len"], strict=True)),
        "hits": hits,
        "quarantined": quarantined,
        "sources": len(sources),
        "first_post": iso(summary["first"]),
        "last_post": iso(summary["last"]),
        "files": {kind: len(files) for kind, files in manifest["files"].items()},
        # files `dtrack compact` would merge away (0 everywhere: nothing to compact)
        "compactable_files": {kind: sum(len(files) - 1 for k, _, files in groups if k == kind)
                              + (max(len(files) - 1, 0) if kind == "counts" else 0)
                              for kind, files in manifest["files"].items()},
        "meta": manifest.get("meta", {}),
        "updated_at": manifest.get("updated_at"),
        "posts_outside_time_range": int(implausible),
        "time_range": str(time_range),
    }
