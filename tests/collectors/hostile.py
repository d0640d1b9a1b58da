"""Hostile input shapes (issue 17), shared by the tests and bench/fuzz_*.py.

Each maker returns bytes (or writes a file, for the big ones) that a careless
reader gets wrong: times outside the plausible range or outside what a
calendar can hold, ids of the wrong JSON type, lines longer than any buffer,
and decompression bombs for every compression dtrack reads (zip, tar.gz,
tar.bz2, tar.xz, zstd). Sizes are parameters: the tests use small ones, the
bench the sizes of the attack campaign (65 KB of .zst expanding to 2 GB).
Seeded: the same arguments give the same bytes.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import random
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Times that are not a post's: before any platform, past any calendar, or not a date at all.
BAD_TIMES: tuple[Any, ...] = (
    "0001-01-01T00:00:00", "9999-12-31T23:00:00", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
    "1998-12-31T23:59:59Z", "2400-01-01T00:00:00Z", "0000-00-00T00:00:00", "2022-13-45T25:61:00",
    -62135596800, 253402300799, 1e20, -1e20, 0, -1, "Mon Jan 01 00:00:00 +0000 0001",
)
#: A time every range accepts.
GOOD_TIME = "2022-08-29T03:00:00Z"
#: Ids that are not ids: floats (digits lost past 2^53), objects, lists, booleans, empty.
BAD_IDS: tuple[Any, ...] = (1.5e18, 1564100000000000001.0, 2.5, {"id": "1"}, [1, 2], True, False, "", " ", None)


def times_ndjson(rng: random.Random, n: int = 40, *, broken_line: bool = False) -> tuple[bytes, set[int]]:
    """NDJSON with good posts and posts dated with :data:`BAD_TIMES`; returns (bytes, bad line numbers).
    ``broken_line`` adds one line that is not JSON, which sends the block down the slow path."""
    lines, bad = [], set()
    for i in range(1, n + 1):
        when = rng.choice(BAD_TIMES) if rng.random() < 0.4 else GOOD_TIME
        if when != GOOD_TIME:
            bad.add(i)
        lines.append(json.dumps({"id": str(10_000 + i), "created_at": when, "text": f"post {i}"}))
    if broken_line:
        lines.append("{not json")
        bad.add(len(lines))
    return ("\n".join(lines) + "\n").encode(), bad


def ids_ndjson(rng: random.Random, n: int = 40, *, broken_line: bool = False) -> tuple[bytes, set[int]]:
    """NDJSON with string ids and ids of :data:`BAD_IDS`; returns (bytes, bad line numbers)."""
    lines, bad = [], set()
    for i in range(1, n + 1):
        if rng.random() < 0.4:
            ident: Any = rng.choice(BAD_IDS)
            bad.add(i)
        else:
            ident = str(20_000 + i) if rng.random() < 0.5 else 20_000 + i  # an int id is exact: fine
        lines.append(json.dumps({"id": ident, "created_at": GOOD_TIME, "text": f"post {i}"}))
    if broken_line:
        lines.append("{not json")
        bad.add(len(lines))
    return ("\n".join(lines) + "\n").encode(), bad


def twarc_page(tweets: list[dict[str, Any]]) -> bytes:
    """One twarc2 JSONL line holding ``tweets`` (API v2 ``data``)."""
    return json.dumps({"data": tweets, "includes": {"users": []}, "__twarc": {"url": "x"}}).encode() + b"\n"


def hostile_input(rng: random.Random) -> tuple[str, bytes]:
    """Times and ids that are not a post's, as NDJSON (fast or slow path) or a twarc2 page."""
    shape = rng.randrange(3)
    if shape < 2:
        maker = times_ndjson if shape == 0 else ids_ndjson
        data, _ = maker(rng, rng.randrange(1, 60), broken_line=rng.random() < 0.5)
        return "input.jsonl", data
    tweets = [{"id": rng.choice([*BAD_IDS, "1564100000000000001"]), "text": "無断学習",
               "created_at": rng.choice([*BAD_TIMES, "2022-08-29T03:00:00.000Z"]), "author_id": "1"}
              for _ in range(rng.randrange(1, 6))]
    return "twarc.jsonl", twarc_page(tweets)


def long_line(size: int, *, newline: bool = True, good_after: int = 2) -> bytes:
    """A JSON line of ``size`` bytes (one huge text), then ``good_after`` ordinary lines."""
    head = b'{"id": "1", "created_at": "' + GOOD_TIME.encode() + b'", "text": "'
    body = head + b"x" * max(size - len(head) - 2, 0) + b'"}'
    tail = b"".join(json.dumps({"id": str(2 + i), "created_at": GOOD_TIME, "text": "ok"}).encode() + b"\n"
                    for i in range(good_after))
    return body + (b"\n" + tail if newline else b"")


class _Zeros(io.RawIOBase):
    """``size`` bytes of one repeated byte, produced on demand (a bomb is never held in memory)."""

    def __init__(self, size: int, byte: bytes = b"\0") -> None:
        self.left, self.byte = size, byte

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.left)
        buffer[:n] = self.byte * n
        self.left -= n
        return n


def _stream_into(write: Callable[[bytes], Any], size: int, byte: bytes) -> None:
    chunk = byte * (1 << 20)
    left = size
    while left > 0:
        write(chunk[: min(left, len(chunk))])
        left -= len(chunk)


def zip_bomb(path: Path, size: int, member: str = "data/tweets.js") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf, zf.open(member, "w",
                                                                                          force_zip64=True) as out:
        _stream_into(out.write, size, b"\0")
    return path


def tar_bomb(path: Path, size: int, compression: str, member: str = "archive/outbox.json") -> Path:
    """A tar.gz / tar.bz2 / tar.xz whose one member is ``size`` zero bytes."""
    opener = {"gz": gzip.open, "bz2": bz2.open, "xz": lzma.open}[compression]
    with opener(path, "wb") as raw, tarfile.open(fileobj=raw, mode="w|") as tf:
        info = tarfile.TarInfo(member)
        info.size = size
        tf.addfile(info, _Zeros(size))
    return path


def zst_bomb(path: Path, size: int, byte: bytes = b"a") -> Path:
    """A .zst of a Reddit line that never ends: a real submission's start, then ``size`` bytes without a
    newline (the campaign's 65 KB -> 2 GB)."""
    import zstandard

    start = b'{"id":"x1","subreddit":"japan","author":"a","created_utc":1661742000,"title":"'
    with open(path, "wb") as fh, zstandard.ZstdCompressor(level=19).stream_writer(fh) as out:
        out.write(start)
        _stream_into(out.write, size, byte)
    return path


#: name -> (maker(path, size), the format it is forced to) for every compression dtrack decompresses.
BOMBS: dict[str, tuple[Callable[[Path, int], Path], str]] = {
    "x-archive.zip": (zip_bomb, "x_archive"),
    "archive-mastodon.tar.gz": (lambda p, n: tar_bomb(p, n, "gz"), "mastodon"),
    "archive-mastodon.tar.bz2": (lambda p, n: tar_bomb(p, n, "bz2"), "mastodon"),
    "archive-mastodon.tar.xz": (lambda p, n: tar_bomb(p, n, "xz"), "mastodon"),
    "RS_2022-08.zst": (zst_bomb, "reddit"),
}
