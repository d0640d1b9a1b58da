"""Fuzzing machinery shared by tests/collectors/test_fuzz.py and bench/fuzz_collectors.py.

Inputs are random bytes, byte-level mutations of seed files (every fixture
under tests/collectors/fixtures and, when present, the real samples in
../shared/samples, big ones cut to their first 32 KiB, which is itself a
half-written file), and structural mutations of the JSON values in those
seeds. Every input goes through every registered collector (``REGISTRY``,
so formats merged later are covered too) via the real ingest loop into a
fresh store, and :func:`check_ingest` asserts what must hold whatever the
input:

* the sniffers never raise (the Collector protocol says so);
* ``ingest_source`` returns a report; no collector crashes ("collector
  failed") -- bad input is quarantined or refused with a message;
* the store is readable afterwards by a fresh ``Store`` object, holds exactly
  ``report.new`` posts with unique keys and a time each, inside the plausible
  range (``data.times``), and nothing at all when the source was refused;
* the post count never exceeds the valid records the input can hold (for
  Twitter formats: every stored id occurs in the input; for NDJSON and CSV:
  one record a line at most);
* re-ingesting the same input changes nothing.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dtrack.collectors import REGISTRY
from dtrack.collectors.pipeline.ingest import IngestReport, ingest_source
from dtrack.collectors.readers.files import read_head
from dtrack.data.store import Store
from dtrack.data.times import TimeRange

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SAMPLES = Path(os.environ.get("DTRACK_SAMPLES") or HERE.parents[1].parent / "shared" / "samples")
#: Seeds bigger than this are cut (a cut file is a useful seed in itself).
SEED_BYTES = 32 * 1024

#: Byte strings worth splicing in: JSON structure, ids at and past 2^53, surrogates, BOM, NUL, CRLF,
#: Twitter and ISO dates, archive and CSV separators.
TOKENS: tuple[bytes, ...] = (
    b'"', b"{", b"}", b"[", b"]", b",", b":", b"\n", b"\r\n", b"\x00", b"\xff", b"\xef\xbb\xbf",
    b"null", b"true", b"[]", b"{}", b'""', b"1.5641e+18", b"9007199254740993", b"-1", b"1e999",
    b"\\ud83d", b"\\ud83c\\udfa8", b"\xf0\x9f\x8e\xa8", b"\xed\xa0\xbd", b"\\u0000", b"\\",
    b'"id": 1564100000000000001', b'"id_str": ""', b'"created_at": "Mon Aug 29 03:00:00 +0000 2022"',
    b'"created_at": "2022-08-29T03:00:00.000Z"', b'"data": {}', b'"data": []', b'"text": null',
    b'"referenced_tweets": [{"type": "retweeted", "id": "1"}]', b'"retweeted_status": {}',
    b"RT @", b"window.YTD.tweets.part0 = ", b"<>", b"PK\x03\x04", b"\x28\xb5\x2f\xfd",
)
OPS = ("flip", "delete", "insert", "duplicate", "truncate", "token")


@functools.cache
def seed_files() -> tuple[tuple[str, bytes], ...]:
    """(file name, first SEED_BYTES) of every fixture and shared sample, in a stable order."""
    out: list[tuple[str, bytes]] = []
    for root in (FIXTURES, SAMPLES):
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".md")):
            with open(path, "rb") as fh:
                out.append((path.name, fh.read(SEED_BYTES)))
    return tuple(out)


@functools.cache
def json_seeds() -> tuple[tuple[str, str, tuple[Any, ...]], ...]:
    """(file name, "lines" | "document", values) for every seed that is JSON lines or one JSON document."""
    out: list[tuple[str, str, tuple[Any, ...]]] = []
    for name, data in seed_files():
        try:
            out.append((name, "document", (json.loads(data),)))
            continue
        except ValueError:
            pass
        values = []
        for line in data.splitlines():
            try:
                values.append(json.loads(line))
            except ValueError:
                continue
        if values:
            out.append((name, "lines", tuple(values)))
    return tuple(out)


def serialize(kind: str, values: Sequence[Any]) -> bytes:
    """Values back into their container (json.dumps escapes lone surrogates as \\udXXX, as Python tools do)."""
    if kind == "document":
        return json.dumps(values[0]).encode()
    return b"".join(json.dumps(v).encode() + b"\n" for v in values)


def mutate_bytes(data: bytes, ops: Sequence[tuple[str, int, bytes]]) -> bytes:
    """Apply byte-level mutations; each op is (name, position, argument bytes)."""
    buf = bytearray(data)
    for op, pos, arg in ops:
        at = pos % (len(buf) + 1)
        if op == "flip" and buf:
            i = pos % len(buf)
            buf[i] ^= (arg[0] if arg else 0xFF) or 1
        elif op == "delete":
            del buf[at: at + 1 + (arg[0] if arg else 0)]
        elif op == "insert":
            buf[at:at] = arg
        elif op == "duplicate":
            buf[at:at] = buf[at: at + 1 + (arg[0] * 64 if arg else 0)]
        elif op == "truncate":
            del buf[at:]
        elif op == "token":
            buf[at:at] = TOKENS[(arg[0] if arg else 0) % len(TOKENS)]
    return bytes(buf)


def max_records(fmt: str | None, data: bytes) -> int | None:
    """An upper bound on the posts ``data`` can hold for ``fmt``, where one can be stated."""
    if fmt in ("twarc", "twitter_v1"):
        return len(set(re.findall(rb"\d+", data)))
    lines = sum(1 for ln in data.replace(b"\r", b"\n").split(b"\n") if ln.strip())
    if fmt == "ndjson":
        return lines
    if fmt == "csv":
        return max(lines - 1, 0)
    return None


class FuzzFailure(AssertionError):
    """An invariant broke; the message names the collector and the input."""


def _fail(what: str, name: str, fmt: str | None, data: bytes) -> FuzzFailure:
    return FuzzFailure(f"{what} [file {name!r}, --format {fmt}, {len(data)} bytes: {data[:300]!r}]")


def check_ingest(data: bytes, name: str, fmt: str | None, *, workdir: Path | None = None) -> IngestReport:
    """Ingest ``data`` (written as ``name``) into a fresh store and assert the invariants above."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        folder = Path(tmp)
        path = folder / "in" / (name or "input")
        path.parent.mkdir()
        path.write_bytes(data)
        head = read_head(path)
        for cname, collector in REGISTRY.items():
            try:
                collector.sniff(path, head)
            except Exception as exc:
                raise _fail(f"{cname}.sniff raised {exc!r}", name, fmt, data) from exc
        store = Store(folder / "store")
        with store.writer(purpose="fuzz") as w:
            report = ingest_source(w, path, fmt=fmt)
        if "collector failed" in report.message:
            raise _fail(f"{report.format}: {report.message}", name, fmt, data)
        fresh = Store(folder / "store")  # what is on disk, read by a new reader
        posts = fresh.scan_posts().collect()
        quarantined = fresh.scan_quarantine().collect()
        if posts.height != report.new:
            raise _fail(f"store holds {posts.height} posts, report says {report.new} new", name, fmt, data)
        if report.status == "error" and (posts.height or quarantined.height or fresh.sources()):
            raise _fail(f"refused source left data behind: {report.message}", name, fmt, data)
        if report.new + report.duplicate != report.read:
            raise _fail(f"read {report.read} != new {report.new} + duplicate {report.duplicate}", name, fmt, data)
        if posts.height:
            if not posts.select("platform", "post_id").is_unique().all():
                raise _fail("duplicate (platform, post_id) stored", name, fmt, data)
            if posts["created_at"].null_count() or posts["post_id"].null_count():
                raise _fail("a post without created_at or post_id", name, fmt, data)
            lo, hi = TimeRange().bounds()
            if posts["created_at"].min() < lo or posts["created_at"].max() > hi:  # type: ignore[operator]
                raise _fail(f"a post dated outside {TimeRange()} was stored", name, fmt, data)
            bound = max_records(report.format, data)
            if bound is not None and posts.height > bound:
                raise _fail(f"{posts.height} posts from an input that holds at most {bound}", name, fmt, data)
            if report.format in ("twarc", "twitter_v1"):
                missing = [p for p in posts["post_id"].to_list() if p.encode() not in data]
                if missing:
                    raise _fail(f"post ids not in the input: {missing[:3]}", name, fmt, data)
        if report.status == "ok":
            version = store.version
            with store.writer(purpose="fuzz") as w:
                again = ingest_source(w, path, fmt=fmt)
            if again.status != "skipped" or store.version != version:
                raise _fail(f"re-ingest changed the store ({again.status})", name, fmt, data)
        return report
