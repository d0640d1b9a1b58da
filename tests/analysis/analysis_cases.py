"""Small hand-made stores for analysis tests: post and hit records, and a builder.

Posts go through the real ingest loop (generic NDJSON collector); hits are
written with ``txn.add_hits`` from ground truth the test states, so analysis
is tested without depending on the tagger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from dtrack.collectors.pipeline.ingest import ingest_source
from dtrack.data.schema import HIT_SCHEMA
from dtrack.data.store import Store


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def post(post_id: str, when: dt.datetime, text: str = "", *, platform: str = "twitter", author: str | None = "a",
         **extra: Any) -> dict[str, Any]:
    """A generic NDJSON post record."""
    return {"platform": platform, "post_id": post_id, "created_at": when.isoformat().replace("+00:00", "Z"),
            "author_id": author, "author_name": f"name_{author}" if author else None, "text": text,
            "url": f"https://example.org/{post_id}", "is_repost": False, **extra}


def hit(record: dict[str, Any], term: str, *, ai: bool = False, variant: str | None = None,
        evidence: list[str] | None = None) -> dict[str, Any]:
    """A hit row for a record, located in its text when the variant occurs there."""
    variant = variant or term
    start = max(record["text"].find(variant), 0)
    return {"platform": record["platform"], "post_id": record["post_id"],
            "created_at": dt.datetime.fromisoformat(record["created_at"]), "term": term, "category": "test",
            "variant": variant, "start": start, "end": start + len(variant), "ai_context": ai,
            "evidence": evidence if evidence is not None else (["AI"] if ai else []),
            "tagger_version": "test", "dictionary_hash": "test-dict"}


def build_store(path: Path, posts: Iterable[dict[str, Any]], hits: Iterable[dict[str, Any]],
                meta: dict[str, Any] | None = None) -> Store:
    """Ingest ``posts`` with the real loop, then store ``hits`` in one transaction."""
    path.mkdir(parents=True, exist_ok=True)
    source = path / "posts.ndjson"
    source.write_bytes(b"".join(orjson.dumps(p) + b"\n" for p in posts))
    store = Store(path / "store")
    with store.writer(purpose="test") as writer:
        report = ingest_source(writer, source)
        assert report.status == "ok", report.message
        with writer.transaction() as txn:
            rows = list(hits)
            if rows:
                txn.add_hits(pl.DataFrame(rows, schema=HIT_SCHEMA, orient="row"))
            for key, value in (meta or {}).items():
                txn.set_meta(key, value)
    return store
