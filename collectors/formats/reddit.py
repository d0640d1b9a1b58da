"""Reddit dumps from Pushshift and Arctic Shift: NDJSON, plain or ``.zst``.

Each line is one comment (``body``) or one submission (``title``, and
``selftext`` for self posts). The dumps span Reddit's whole history, so the
same field comes in different shapes: ``created_utc`` is an int, a float or a
digit string depending on the era; ``name`` (the fullname, ``t1_xxx``) is
there in some eras and not in others; old comments have no ``permalink``.
Every line is therefore read with all fields as strings and normalised here.

Stored: post_id is the fullname (``t1_`` comment, ``t3_`` submission),
reply_to the ``parent_id`` (itself a fullname), author_id the
``author_fullname`` (``t2_...``) or, in dumps without it, the user name
(unique and never reused on Reddit). Bodies and titles are kept as written:
Reddit's ``&amp;``/``&lt;``/``&gt;`` escaping is undone, and ``[deleted]``
and ``[removed]`` stay as the text (and are flagged in ``extra.removed``),
because "a comment was here and was removed" is itself data.

``.zst`` dumps are zstandard with a window of up to 2 GiB (``--long=31``).
They are streamed through ``ZstdDecompressor.stream_reader`` and never
decompressed whole; the decompressed size is counted and refused past
``ctx.max_member_bytes`` (a zstd bomb, or a dump bigger than the limit). A
``.zst`` whose last frame is cut off (an incomplete download) would decode
without any error, so the frame headers are checked too, and the cut is
reported as a quarantined record.

Speed: lines are read by polars in blocks of 16 MiB, handed over as they are
(the columnar fast path); a block polars cannot read (a broken or
half-written line) or one with blank lines is re-read line by line with
orjson, so every good line is kept and every bad one is quarantined with its
line number.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import orjson
import polars as pl

from dtrack.collectors.readers.archives import DEFAULT_MAX_RATIO, DEFAULT_RATIO_FLOOR
from dtrack.collectors.readers.files import SNIFF_BYTES, strip_bom
from dtrack.collectors.readers.json_lines import json_objects
from dtrack.collectors.readers.lines import LongLine, line_blocks
from dtrack.collectors.records import ParseContext, Quarantine, Record, SourceError

NAME = "reddit"
VERSION = "1"
DESCRIPTION = "Reddit Pushshift / Arctic Shift dumps: comments or submissions, NDJSON or .zst"

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Largest zstd window accepted: the dumps are made with --long=31.
MAX_WINDOW = 2**31
#: Decompressed (or plain) bytes handed to polars at a time.
BLOCK_BYTES = 16 * 1024 * 1024
#: The fields read from every line, all as strings (their types vary by era).
FIELDS = (
    "id", "name", "created_utc", "author", "author_fullname", "body", "title", "selftext",
    "parent_id", "link_id", "permalink", "subreddit", "score", "url", "is_self",
)
SCHEMA = {f: pl.String for f in FIELDS}
_ID_RE = r"^[0-9a-z]{1,16}$"
_FULLNAME_RE = r"^t[13]_[0-9a-z]{1,16}$"
_REMOVED = ("[deleted]", "[removed]")


# -- detection ---------------------------------------------------------------
def _reddit_line(text: bytes) -> bool:
    first = strip_bom(text).lstrip().split(b"\n", 1)[0]
    try:
        obj = orjson.loads(first)
    except orjson.JSONDecodeError:
        if b"\n" in text:
            return False
        # a first line longer than the sniffed head: judge by its keys
        return all(re.search(rb'"%s"\s*:' % k, first) for k in (b"subreddit", b"created_utc", b"id"))
    return (isinstance(obj, dict) and "created_utc" in obj and "id" in obj
            and ("subreddit" in obj or "subreddit_id" in obj) and ("body" in obj or "title" in obj))


def sniff(path: Path, head: bytes) -> bool:
    """A JSON line with ``created_utc``, ``id``, ``subreddit`` and ``body`` or
    ``title``; for zstandard input, judged on the first decompressed bytes."""
    if head.startswith(ZSTD_MAGIC):
        import zstandard  # only for a zstandard file: not when dtrack starts

        try:  # from the file, not the head: the first block may be longer than the head
            dctx = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW)
            with open(path, "rb") as fh, dctx.stream_reader(fh, read_across_frames=True) as reader:
                head = reader.read(SNIFF_BYTES)
        except (OSError, zstandard.ZstdError):
            return False
    return bool(head) and strip_bom(head).lstrip().startswith(b"{") and _reddit_line(head)


# -- zstd ----------------------------------------------------------------------
def zstd_cut(fh: BinaryIO) -> str | None:
    """Walk the zstandard frame and block headers of ``fh`` (without
    decompressing) and say where the data stops short, or None when every
    frame is complete. RFC 8878 sections 3.1.1 and 3.1.2."""
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    pos = 0
    while pos < size:
        fh.seek(pos)
        magic = fh.read(4)
        if len(magic) < 4:
            return f"a frame header is cut off at byte {pos:,}"
        if 0x184D2A50 <= int.from_bytes(magic, "little") <= 0x184D2A5F:  # skippable frame
            length = int.from_bytes(fh.read(4), "little")
            pos += 8 + length
            continue
        if magic != ZSTD_MAGIC:
            return f"no zstandard frame at byte {pos:,}"
        descriptor = fh.read(1)
        if not descriptor:
            return f"a frame header is cut off at byte {pos:,}"
        fhd = descriptor[0]
        single = bool(fhd & 0x20)
        fcs = {0: 1 if single else 0, 1: 2, 2: 4, 3: 8}[fhd >> 6]
        pos += 5 + (0 if single else 1) + (0, 1, 2, 4)[fhd & 3] + fcs
        checksum = 4 if fhd & 0x04 else 0
        while True:
            fh.seek(pos)
            block = fh.read(3)
            if len(block) < 3:
                return f"the last frame is cut off at byte {size:,} (no final block)"
            header = int.from_bytes(block, "little")
            kind, length = (header >> 1) & 3, header >> 3
            pos += 3 + (1 if kind == 1 else length)
            if header & 1:
                pos += checksum
                break
        if pos > size:
            return f"the last frame is cut off at byte {size:,} ({pos - size:,} bytes missing)"
    return None


class _Limited:
    """Counts the bytes that come out of a stream and refuses more than ``limit``."""

    def __init__(self, stream: BinaryIO, limit: int, what: str, why: str = "max_member_bytes") -> None:
        self.stream, self.limit, self.what, self.why, self.done = stream, limit, what, why, 0

    def read(self, size: int) -> bytes:
        chunk = self.stream.read(size)
        self.done += len(chunk)
        if self.done > self.limit:
            raise SourceError(
                f"{self.what} grows past the limit of {self.limit:,} bytes ({self.why}): refused as a possible zstd "
                "bomb; raise the limit if the dump is genuinely that big"
            )
        return chunk


def _limit(raw: BinaryIO, ctx: ParseContext) -> tuple[int, str]:
    """How far a .zst may decompress: ``max_member_bytes``, and (as for zip and tar) at most
    ``DEFAULT_MAX_RATIO`` times its compressed size past the first ``DEFAULT_RATIO_FLOOR`` bytes.
    Reddit dumps expand about 10 times; a bomb, hundreds of thousands of times."""
    size = os.fstat(raw.fileno()).st_size
    by_ratio = max(DEFAULT_RATIO_FLOOR, int(DEFAULT_MAX_RATIO * size))
    if by_ratio < ctx.max_member_bytes:
        return by_ratio, f"{DEFAULT_MAX_RATIO:.0f} times the {size:,} bytes of the file"
    return ctx.max_member_bytes, "max_member_bytes"


def _blocks(stream: _Limited, raw: BinaryIO, ctx: ParseContext) -> Iterator[tuple[int, bytes] | LongLine]:
    """(number of its first line, block) for blocks of whole lines (no final newline), and a
    ``LongLine`` for each line past the cap (a .zst of one endless line is a bomb)."""
    first = [True]

    def read(n: int) -> bytes:
        chunk = stream.read(n)
        if first[0]:
            chunk, first[0] = strip_bom(chunk), False
        return chunk

    for item in line_blocks(read, block_bytes=BLOCK_BYTES, max_line=ctx.max_line_bytes):
        yield item
        ctx.progress(raw.tell())


# -- mapping ---------------------------------------------------------------------
def _unescape(expr: pl.Expr) -> pl.Expr:
    """Undo Reddit's HTML escaping of & < > (the only three it applies)."""
    return (expr.str.replace_all("&lt;", "<", literal=True).str.replace_all("&gt;", ">", literal=True)
            .str.replace_all("&amp;", "&", literal=True))


def map_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Reddit lines (all fields strings) -> post columns plus ``_problem``."""
    is_comment = pl.col("body").is_not_null()
    is_submission = pl.col("body").is_null() & pl.col("title").is_not_null()
    base36 = pl.col("id").str.to_lowercase()
    good_id = base36.str.contains(_ID_RE)
    given = pl.col("name").str.contains(_FULLNAME_RE).fill_null(False)
    fullname = (
        pl.when(given).then(pl.col("name"))
        .when(is_comment & good_id).then(pl.lit("t1_") + base36)
        .when(is_submission & good_id).then(pl.lit("t3_") + base36)
    )
    seconds = pl.col("created_utc").str.strip_chars().cast(pl.Float64, strict=False)
    created = (
        pl.when(seconds.is_between(0, 1e11)).then((seconds * 1e6).round(0).cast(pl.Int64))
        .cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    )
    selftext = pl.col("selftext").fill_null("")
    text = pl.when(is_comment).then(_unescape(pl.col("body"))).when(is_submission).then(
        pl.when(selftext == "").then(_unescape(pl.col("title")))
        .otherwise(_unescape(pl.col("title")) + pl.lit("\n\n") + _unescape(selftext))
    )
    removed = pl.when(is_comment).then(pl.col("body")).otherwise(pl.col("selftext"))
    author = pl.col("author")
    permalink = pl.col("permalink")
    link36 = pl.col("link_id").str.strip_prefix("t3_")
    sub = pl.col("subreddit")
    url = (
        pl.when(permalink.str.starts_with("/")).then(pl.lit("https://www.reddit.com") + permalink)
        .when(permalink.str.starts_with("http")).then(permalink)
        .when(is_comment & sub.is_not_null() & link36.is_not_null())
        .then(pl.format("https://www.reddit.com/r/{}/comments/{}/_/{}/", sub, link36, base36))
        .when(is_submission & sub.is_not_null())
        .then(pl.format("https://www.reddit.com/r/{}/comments/{}/", sub, base36))
    )
    extra = pl.struct(
        kind=pl.when(is_comment).then(pl.lit("comment")).when(is_submission).then(pl.lit("submission")),
        subreddit=sub,
        score=pl.col("score").cast(pl.Float64, strict=False).cast(pl.Int64, strict=False),
        link_id=pl.when(is_comment).then(pl.col("link_id")),
        link_url=pl.when(is_submission & (pl.col("is_self") != "true")).then(pl.col("url")),
        removed=pl.when(removed.is_in(_REMOVED)).then(removed),
    ).struct.json_encode()
    problem = (
        pl.when(~is_comment & ~is_submission).then(pl.lit("neither a comment (body) nor a submission (title)"))
        .when(fullname.is_null()).then(pl.format("unusable id {}", pl.col("id").fill_null("(none)")))
        .when(created.is_null())
        .then(pl.format("created_utc missing or unreadable: {}", pl.col("created_utc").fill_null("(none)")))
    )
    return frame.select(
        platform=pl.lit("reddit"),
        post_id=fullname,
        created_at=created,
        author_id=pl.when(pl.col("author_fullname").is_not_null()).then(pl.col("author_fullname"))
        .when(~author.is_in(_REMOVED)).then(author),
        author_name=author,
        text=text,
        reply_to=pl.when(is_comment).then(pl.col("parent_id")),
        url=url,
        extra=extra,
        _problem=problem,
    )


def _read_lines(lines: Sequence[bytes]) -> pl.DataFrame:
    frame = pl.read_ndjson(io.BytesIO(b"\n".join(lines)), schema=SCHEMA)
    if frame.height != len(lines):
        raise ValueError("row count differs from line count")
    return frame


def _frames(first: int, block: bytes) -> Iterator[Record]:
    """The posts (one frame) and quarantined lines of a block of lines."""
    lines: list[bytes] | None = None
    frame = None
    try:  # the fast path: polars reads the block as it is
        frame = pl.read_ndjson(io.BytesIO(block), schema=SCHEMA)
    except Exception:
        frame = None
    count = block.count(b"\n") + 1
    if frame is not None and frame.height == count:
        numbers = range(first, first + count)
    else:  # polars refused a line, or skipped blank ones (which would shift line numbers): line by line
        frame = None
        lines = block.split(b"\n")
        numbers, lines = _kept(first, lines)  # type: ignore[assignment]
        if not lines:
            return
        good: list[tuple[int, bytes]] = []
        for item in json_objects(numbers, lines):
            if isinstance(item, Quarantine):
                yield item
            else:
                good.append(item[:2])
        if not good:
            return
        numbers, lines = [n for n, _ in good], [ln for _, ln in good]  # type: ignore[assignment]
        try:
            frame = _read_lines(lines)
        except Exception:
            frame = pl.concat([_read_lines([ln]) for ln in lines])
    mapped = map_frame(frame).with_columns(source_line=pl.Series(numbers, dtype=pl.Int64))
    bad = mapped.get_column("_problem").is_not_null()
    if bad.any():
        if lines is None:
            lines = block.split(b"\n")
        for idx in bad.arg_true().to_list():
            yield Quarantine(mapped.item(idx, "source_line"), lines[idx].decode("utf-8", "replace"),
                             mapped.item(idx, "_problem"))
        mapped = mapped.filter(~bad)
    if mapped.height:
        yield mapped.drop("_problem")


def _kept(first: int, lines: list[bytes]) -> tuple[list[int], list[bytes]]:
    """Line numbers and lines, without the blank ones."""
    kept = [(n, ln) for n, ln in enumerate(lines, start=first) if ln.strip()]
    return [n for n, _ in kept], [ln for _, ln in kept]


def parse(path: Path, ctx: ParseContext) -> Iterator[Record]:
    """Posts of a Reddit dump, plain or zstandard-compressed."""
    import zstandard

    with open(path, "rb") as raw:
        compressed = raw.read(4) == ZSTD_MAGIC
        raw.seek(0)
        cut = zstd_cut(raw) if compressed else None
        raw.seek(0)
        with contextlib.ExitStack() as stack:
            if compressed:
                dctx = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW)
                source: BinaryIO = stack.enter_context(dctx.stream_reader(raw, read_across_frames=True))
                what = "the decompressed .zst"
            else:
                source = raw
                what = "the file"
            # only decompression is limited: a plain file is as big as it looks on disk
            limit, why = _limit(raw, ctx) if compressed else (2**63, "")
            stream = _Limited(source, limit, what, why)
            try:
                for item in _blocks(stream, raw, ctx):
                    if isinstance(item, LongLine):
                        yield item.quarantine(ctx.max_line_bytes)
                    else:
                        yield from _frames(*item)
            except zstandard.ZstdError as exc:
                raise SourceError(f"the .zst cannot be decompressed: {exc}") from None
    if cut:
        yield Quarantine(None, "", f"the .zst is incomplete: {cut} (a partial download?); "
                         "every complete line before the cut was read")
