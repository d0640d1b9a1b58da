"""Generic JSON lines (NDJSON): one post object a line, columns guessed or mapped with ``--map``.

NDJSON is read in chunks by polars (fast, columnar). A chunk that polars
cannot read (a broken or non-object line) is re-read line by line with
orjson, so every good line is kept and every bad one is quarantined with its
line number. The column mapping is ``formats.tabular``'s.
"""

from __future__ import annotations

import io
import os
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import orjson
import polars as pl

from dtrack.collectors.formats.tabular import (
    choose_columns,
    flat_names,
    map_frame,
    map_record,
    require_columns,
    split_rejects,
)
from dtrack.collectors.readers.files import BOM, strip_bom
from dtrack.collectors.readers.json_lines import json_objects
from dtrack.collectors.readers.json_values import sniff_json
from dtrack.collectors.readers.lines import LongLine
from dtrack.collectors.records import ParseContext, Quarantine, Record

T = TypeVar("T")
B = TypeVar("B")
NAME = "ndjson"
VERSION = "1"
DESCRIPTION = "generic JSON lines, one post object a line (columns guessed or --map)"
#: The longest line read (a longer one is quarantined, never kept).
CHUNK_BYTES = 32 * 1024 * 1024
#: Bytes read at a time (a block of whole lines).
READ_BYTES = 8 * 1024 * 1024
#: Bytes read past a file's size as it was when opened (or last looked at), so a read that fills its buffer
#: is known not to be the end of a file that grew meanwhile.
READ_SLACK = 64 * 1024
#: Threads parsing and mapping blocks ahead of the caller.
PREPARE_WORKERS = 2
#: Set to 0 to read every block with polars even where the native pass is built (the switch the
#: matcher reads too, ``nlp.matcher.NATIVE_ENV``; tests compare the two paths).
NATIVE_ENV = "DTRACK_NATIVE"
#: The ``ABI`` of ``collectors/_fastlines.pyx`` this reader was written for (a stale build is not used).
NATIVE_ABI = 2
#: After this many blocks in a row left to polars, the native pass is not tried on the rest of the file
#: (nested objects on every line, say): each try scans the block up to what it cannot read.
NATIVE_MISSES = 4


def sniff(path: Path, head: bytes) -> bool:
    """A first line that is a JSON object (whatever its keys: the mapping decides)."""
    return strip_bom(head).lstrip().startswith(b"{") and sniff_json(head, _is_object, lambda text: False)


def _is_object(value: object) -> bool:
    return isinstance(value, dict)


def parse(path: Path, ctx: ParseContext) -> Iterator[Record]:
    chosen: dict[str, str] | None = None
    known: dict[str, dict[str, str]] = {}  # the mapping, once chosen, for the read-ahead threads
    misses = [0]  # blocks in a row the native pass left to polars (a file it cannot read is not tried on)

    def prepare(item: tuple[bytearray | LongLine, int]) -> _Prepared:
        """Everything about a block that needs no state but the mapping: read in the read-ahead
        threads (polars releases the GIL), so parsing overlaps deduplication and writing."""
        block = item[0]
        if isinstance(block, LongLine):
            return _Prepared(ValueError("a line too long to read"))
        if "chosen" in known and misses[0] < NATIVE_MISSES:
            native = _native_frame(block, item[1], known["chosen"])
            misses[0] = 0 if native is not None else misses[0] + 1
            if native is not None:
                try:
                    return _Prepared(native, map_frame(native, known["chosen"], ctx))
                except Exception:  # polars reads it, and the caller maps it again (and reports)
                    pass
        frame = _read_block(block)
        if isinstance(frame, Exception) or "chosen" not in known:
            return _Prepared(frame)
        mapping = known["chosen"]
        if _float_ids(frame, mapping) or _mixed_ids(frame, block, mapping):
            return _Prepared(frame, exact=False)
        try:
            return _Prepared(frame, map_frame(frame, mapping, ctx))
        except Exception:  # mapped again (and reported) on the caller's side
            return _Prepared(frame)

    line_no = 1
    done = 0
    for (block, count), ready in _read_ahead(_blocks(path), prepare):
        if isinstance(block, LongLine):
            yield block.quarantine(CHUNK_BYTES)
            line_no += 1
            done += block.length + 1
            continue
        first_line = line_no
        line_no += count
        done += len(block) + 1
        numbers: Sequence[int] = range(first_line, first_line + count)
        lines: Sequence[bytes] = _LazyLines(block)
        premapped = ready.mapped
        try:
            if isinstance(ready.frame, Exception):
                raise ready.frame
            frame = ready.frame
            if frame.height != count:
                # blank lines (polars skips them): number the others and read again
                numbered = [(n, ln) for n, ln in enumerate(bytes(block).split(b"\n"), first_line) if ln.strip()]
                if not numbered:
                    continue
                numbers, lines = [n for n, _ in numbered], [ln for _, ln in numbered]
                frame = pl.read_ndjson(io.BytesIO(b"\n".join(lines)), infer_schema_length=1000)
                if frame.height != len(numbers):
                    raise ValueError("row count differs from line count")
                premapped = None
        except Exception:
            chosen = yield from _slow(list(lines), list(numbers), chosen, ctx)
            if chosen is not None:
                known.setdefault("chosen", chosen)
        else:
            if chosen is None:
                chosen = choose_columns(flat_names(frame.schema), ctx.mapping)
                require_columns(chosen, path)
            known.setdefault("chosen", chosen)
            exact = ready.exact if frame is ready.frame and ready.exact is not None else None
            if exact is None:
                exact = not (_float_ids(frame, chosen) or _mixed_ids(frame, block, chosen))
            if not exact:
                # polars widened big integer ids to floats: re-read exactly, line by line
                chosen = yield from _slow(list(lines), list(numbers), chosen, ctx)
                ctx.progress(done)
                continue
            line_col = (pl.int_range(first_line, first_line + count, dtype=pl.Int64, eager=True)
                        if isinstance(numbers, range) else pl.Series(numbers, dtype=pl.Int64))
            if premapped is None:
                premapped = map_frame(frame, chosen, ctx)
            mapped = premapped.with_columns(source_line=line_col)
            yield from split_rejects(mapped, lines)
        ctx.progress(done)


class _Prepared:
    """A block as the read-ahead thread left it: the frame (or why polars refused it), the
    frame mapped to post columns, and whether its ids read exactly (None: not checked yet)."""

    __slots__ = ("exact", "frame", "mapped")

    def __init__(self, frame: pl.DataFrame | Exception, mapped: pl.DataFrame | None = None,
                 exact: bool | None = None) -> None:
        self.frame = frame
        self.mapped = mapped
        self.exact = True if mapped is not None else exact


def _slow(lines: Sequence[bytes], numbers: Sequence[int], chosen: dict[str, str] | None,
          ctx: ParseContext) -> Iterator[Record]:
    good: list[tuple[int, bytes, dict[str, Any]]] = []
    for item in json_objects(numbers, lines):
        if isinstance(item, Quarantine):
            yield item
        else:
            good.append(item)
    if not good:
        return chosen
    if chosen is None:
        names: dict[str, None] = {}
        for _, _, obj in good:
            for k, v in obj.items():
                names[k] = None
                if isinstance(v, dict):
                    names.update({f"{k}.{sub}": None for sub in v})
        chosen = choose_columns(list(names), ctx.mapping)
        require_columns(chosen, Path(ctx.display_name))
    for n, ln, obj in good:
        row = map_record(obj, chosen)
        row["platform"] = row.get("platform") or ctx.platform or "generic"
        row["source_line"] = n
        row["_raw"] = ln.decode("utf-8", "replace")
        yield row
    return chosen


class _LazyLines:
    """The lines of a block, split only if someone asks (rejects and the slow path)."""

    def __init__(self, block: bytes | bytearray) -> None:
        self.block = block
        self._lines: list[bytes] | None = None

    def _split(self) -> list[bytes]:
        if self._lines is None:
            self._lines = bytes(self.block).split(b"\n")  # lines are bytes, whatever the block is
        return self._lines

    def __getitem__(self, idx: int) -> bytes:
        return self._split()[idx]

    def __len__(self) -> int:
        return len(self._split())

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._split())


def native_module() -> Any:
    """The compiled block reader (``dtrack.collectors._fastlines``), or None when it was not built (no C
    compiler at install), is stale, or ``DTRACK_NATIVE=0`` asks for polars only. Read at every call."""
    if os.environ.get(NATIVE_ENV, "1") == "0":
        return None
    try:
        from dtrack.collectors import _fastlines
    except ImportError:
        return None
    return _fastlines if getattr(_fastlines, "ABI", None) == NATIVE_ABI else None


def _native_frame(block: bytes | bytearray, count: int, chosen: Mapping[str, str]) -> pl.DataFrame | None:
    """The mapped keys of a block as ``pl.read_ndjson`` would give them, read in one compiled pass
    (``collectors/_fastlines.pyx``: lines, JSON, UTF-8, the id check and ISO 8601 UTC times), or None
    when that pass is not built or not sure (then polars reads the block, as without it)."""
    native = native_module()
    if native is None or any("." in name for name in chosen.values()):
        return None
    names = list(dict.fromkeys(chosen.values()))
    time_name = chosen.get("created_at")
    if list(chosen.values()).count(time_name) != 1:  # --map gave the time's key to another field too
        time_name = None
    columns = native.parse_block(block, count, names, names.index(time_name) if time_name in names else -1)
    if columns is None:
        return None
    series = []
    for name, column in zip(names, columns, strict=True):
        if column is None:  # no string in this block: polars has no column or a Null one, mapped as null
            continue
        series.append(pl.Series(column).alias(name))  # an Arrow array (text, or UTC times), without a name
    return pl.DataFrame(series) if series else None


def _read_block(block: bytes | bytearray) -> pl.DataFrame | Exception:
    try:
        return pl.read_ndjson(io.BytesIO(block), infer_schema_length=1000)
    except Exception as exc:  # handed to the caller, which falls back to line by line
        return exc


def _read_ahead(blocks: Iterator[B], prepare: Callable[[B], T], workers: int | None = None) -> Iterator[tuple[B, T]]:
    """Blocks with ``prepare`` run on them ahead, by ``workers`` threads, in file order: the
    next blocks are parsed and mapped while the caller stores this one (polars releases the GIL
    while parsing, so on two cores one block's parse overlaps another's mapping and the
    caller's deduplication; one thread was the bottleneck). At most ``workers`` blocks wait
    beyond the one handed over, so memory stays a few blocks. The first block is handed over
    before any other is prepared: the caller chooses the mapping from it, and the later blocks
    are then mapped ahead too."""
    workers = workers or PREPARE_WORKERS
    first = next(blocks, None)
    if first is None:
        return
    # prepared here, not in a thread: the caller waits for it anyway, and a file of one block (a
    # folder of thousands of small files) then starts no threads at all
    yield first, prepare(first)
    second = next(blocks, None)
    if second is None:
        return
    pending: deque[tuple[B, Future[T]]] = deque()
    with ThreadPoolExecutor(workers, thread_name_prefix="dtrack-ndjson") as pool:

        def fill(depth: int) -> None:
            while len(pending) < depth and (item := next(blocks, None)) is not None:
                pending.append((item, pool.submit(prepare, item)))

        pending.append((second, pool.submit(prepare, second)))
        fill(workers)
        try:
            while pending:
                item, ready = pending.popleft()
                result = ready.result()
                fill(workers)
                yield item, result
        finally:
            for _, ready in pending:
                ready.cancel()


def _blocks(path: Path) -> Iterator[tuple[bytearray | LongLine, int]]:
    """The file in blocks of whole lines (the last may lack its newline), each with its number of
    lines, and a ``LongLine`` in place of a line of ``CHUNK_BYTES`` or more (it is quarantined;
    memory stays one block). Each read ends at its last newline and the next read starts right
    after it, so a block is read once, not glued together from pieces, and its lines counted once.

    Each read goes straight into a new ``bytearray`` of ``READ_BYTES`` (or of what is left of the
    file, plus ``READ_SLACK``), which is then cut at its last newline in place. Slicing a ``bytes``
    read (``chunk[:cut]``) copied every block into fresh pages: 80,000 page faults per 1,000,000
    posts, 0.31 s of the main thread's time against 0.13 s now (glibc hands the freed buffers of
    earlier blocks back, so few pages are new). A line longer than a read is read on to
    ``CHUNK_BYTES``, the longest line kept."""
    step = min(READ_BYTES, CHUNK_BYTES)
    with open(path, "rb") as fh:
        pos = 0
        line_no = 1
        size = os.fstat(fh.fileno()).st_size
        while True:
            if size <= pos:  # read to the size seen so far: a file still being written is read on
                size = os.fstat(fh.fileno()).st_size
            # no bigger than what is left (a zeroed buffer of READ_BYTES cost a one-post file 0.7 ms)
            want = min(step, size - pos + READ_SLACK)
            chunk = bytearray(want)
            got = fh.readinto(chunk)
            if not got:
                break
            more = got == want  # a short read is the end of the file
            if not more:
                del chunk[got:]
            if more and want < CHUNK_BYTES and chunk.find(b"\n") < 0:  # a line longer than a read
                rest = fh.read(CHUNK_BYTES - want)
                chunk += rest
                more = len(rest) == CHUNK_BYTES - want
            if pos == 0 and chunk.startswith(BOM):
                del chunk[:len(BOM)]
                pos = len(BOM)
            cut = chunk.rfind(b"\n")
            if cut < 0 and more:  # one line of CHUNK_BYTES or more: skipped, not kept
                long = LongLine(line_no, pos, len(chunk), bytes(chunk[:200]))
                while (extra := fh.read(CHUNK_BYTES)) and (nl := extra.find(b"\n")) < 0:
                    long.length += len(extra)
                if extra:
                    long.length += nl
                pos += long.length + 1
                fh.seek(pos)
                line_no += 1
                yield long, 1
                continue
            if not more:
                pos += len(chunk)
                if chunk.endswith(b"\n"):
                    del chunk[-1:]
                count = _newlines(chunk, len(chunk)) + 1
                line_no += count
                yield chunk, count
                continue
            count = _newlines(chunk, cut) + 1
            line_no += count
            pos += cut + 1
            fh.seek(pos)
            del chunk[cut:]
            yield chunk, count


def _newlines(chunk: bytes, end: int) -> int:
    """Newlines in ``chunk[:end]``, counted by memchr in the native pass, else by numpy (less than half
    of ``bytes.count``'s time); both without the GIL: the read-ahead threads parse meanwhile."""
    native = native_module()
    if native is not None:
        return native.count_newlines(chunk, end)
    import numpy as np

    return int(np.count_nonzero(np.frombuffer(chunk, dtype=np.uint8, count=end) == 10))


_ID_FIELDS = ("post_id", "author_id", "reply_to", "repost_of", "quote_of")


def _mixed_ids(frame: pl.DataFrame, block: bytes | bytearray, chosen: Mapping[str, str]) -> bool:
    """Whether the post id column is strings that polars made from values of other JSON types.

    polars widens a column holding strings and numbers, booleans, lists or
    objects to strings, and writes the float ``1.5641e+18`` as
    ``1564100000000000000``, which then reads as an exact id. When the block
    has such a value for the key, it is read line by line, where the one rule
    for ids (``tabular.NOT_AN_ID``) sees each value's real type."""
    name = chosen.get("post_id", "")
    if "." in name or frame.schema.get(name) != pl.String:
        return False
    key = re.escape(orjson.dumps(name))
    return re.search(rb"%s\s*:\s*[-0-9tf\[{]" % key, block) is not None


def _float_ids(frame: pl.DataFrame, chosen: Mapping[str, str]) -> bool:
    for field in _ID_FIELDS:
        head, _, tail = chosen.get(field, "").partition(".")
        dtype = frame.schema.get(head)
        if tail and isinstance(dtype, pl.Struct):
            dtype = {f.name: f.dtype for f in dtype.fields}.get(tail)
        if dtype is not None and dtype.is_float():
            return True
    return False
