"""Generic NDJSON and CSV exports, with guessed or explicit column mapping.

Most research tools can write "one post per line" JSON or a CSV with a
header; their column names differ (``id``/``id_str``, ``text``/``content``/
``body``, ``date``/``timestamp``...). The mapping is chosen once per file
from the header (or from the keys of a chunk of JSON lines): an explicit
``--map field=column`` wins, then the first of :data:`GUESSES` present.
Nested JSON objects are reached with dotted names (``user.screen_name``).

NDJSON is read in chunks by polars (fast, columnar). A chunk that polars
cannot read (a broken or non-object line) is re-read line by line with
orjson, so every good line is kept and every bad one is quarantined with its
line number. CSV is read with the csv module, which knows the line of every
record and rejects rows with the wrong number of fields. Files that are not
UTF-8 are read as CP932 (Excel's Japanese encoding) when that decodes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import orjson
import polars as pl

from dtrack.collectors import csv_profiles
from dtrack.collectors.base import ParseContext, Quarantine, Record, SourceError, parse_time_series
from dtrack.collectors.json_lines import json_objects

T = TypeVar("T")
VERSION = "1"
#: Post fields a user can map, each with the source names tried in order.
GUESSES: dict[str, tuple[str, ...]] = {
    "post_id": ("post_id", "id_str", "id", "tweet_id", "status_id", "note_id", "uri"),
    "created_at": (
        "created_at", "createdat", "date", "datetime", "timestamp", "time",
        "published", "created_utc", "created", "posted_at",
    ),
    "text": (
        "text", "full_text", "content", "body", "message", "rawcontent",
        "renderedcontent", "tweet",
    ),
    "author_id": ("author_id", "user_id", "userid", "user.id_str", "user.id", "author.id"),
    "author_name": (
        "author_name", "username", "screen_name", "user_name", "user.username",
        "user.screen_name", "author.username", "author.handle", "author", "user", "handle",
    ),
    "lang": ("lang", "language"),
    "url": ("url", "link", "permalink"),
    "reply_to": (
        "reply_to", "in_reply_to_id", "in_reply_to_status_id_str", "in_reply_to_status_id",
        "in_reply_to_tweet_id", "replyid", "parent_id",
    ),
    "repost_of": ("repost_of", "retweeted_id", "retweet_of", "renoteid"),
    "is_repost": ("is_repost", "is_retweet", "retweet"),
    "quote_of": ("quote_of", "quoted_id", "quoted_status_id_str", "quoted_tweet_id"),
    "platform": ("platform",),
}
#: Keys tried inside an object column (``author: {...}``) for a string field.
_OBJECT_KEYS = {
    "author_name": ("username", "screen_name", "handle", "name"),
    "author_id": ("id_str", "id"),
}
CHUNK_BYTES = 32 * 1024 * 1024
CSV_BATCH = 50_000
_TRUE = ("true", "1", "yes", "t", "y")


def parse_mapping(spec: str | Sequence[str] | None) -> dict[str, str]:
    """``"text=content,created_at=date"`` -> ``{"text": "content", ...}``."""
    if not spec:
        return {}
    items = [spec] if isinstance(spec, str) else list(spec)
    out: dict[str, str] = {}
    for item in items:
        for part in item.split(","):
            if not part.strip():
                continue
            field, sep, column = part.partition("=")
            field, column = field.strip(), column.strip()
            if not sep or not field or not column:
                raise ValueError(f"--map expects field=column, got {part!r}")
            if field not in GUESSES:
                raise ValueError(f"--map: unknown post field {field!r}; fields: {', '.join(GUESSES)}")
            out[field] = column
    return out


def choose_columns(names: Sequence[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """Pick a source name for every post field that can be filled.

    ``names`` are the available names, nested ones dotted. Explicit mapping
    entries must exist; guesses match case-insensitively.
    """
    lower = {n.lower(): n for n in reversed(names)}
    chosen: dict[str, str] = {}
    for field, guesses in GUESSES.items():
        if field in mapping:
            column = mapping[field]
            if column not in names and column.lower() not in lower:
                raise SourceError(f"--map {field}={column}: no column {column!r} (columns: {', '.join(names[:30])})")
            chosen[field] = column if column in names else lower[column.lower()]
            continue
        for guess in guesses:
            if guess in lower and lower[guess] not in chosen.values():
                chosen[field] = lower[guess]
                break
    return chosen


# -- the columnar path (polars) ----------------------------------------------
def _flat_names(schema: pl.Schema) -> list[str]:
    names: list[str] = []
    for name, dtype in schema.items():
        names.append(name)
        if isinstance(dtype, pl.Struct):
            names.extend(f"{name}.{f.name}" for f in dtype.fields)
    return names


def _locate(frame: pl.DataFrame, name: str) -> tuple[pl.Expr, pl.DataType] | None:
    """The expression and type of a (possibly dotted) source name in ``frame``; None when this
    chunk lacks it (JSON lines differ in their keys, so one chunk may miss a column another had)."""
    if name in frame.columns:  # a CSV column whose name has a dot ("author.username")
        return pl.col(name), frame.schema[name]
    head, _, tail = name.partition(".")
    if head not in frame.columns:
        return None
    dtype = frame.schema[head]
    if not tail:
        return pl.col(head), dtype
    if not isinstance(dtype, pl.Struct):
        return None
    fields = {f.name: f.dtype for f in dtype.fields}
    if tail not in fields:
        return None
    return pl.col(head).struct.field(tail), fields[tail]


def _column(frame: pl.DataFrame, name: str, field: str) -> pl.Expr:
    found = _locate(frame, name)
    if found is None:
        return pl.lit(None, dtype=pl.String)
    expr, dtype = found
    if isinstance(dtype, pl.Struct):
        fields = {f.name: f.dtype for f in dtype.fields}
        for key in _OBJECT_KEYS.get(field, ()):
            if key in fields:
                return _as_string(expr.struct.field(key), fields[key])
        return pl.lit(None, dtype=pl.String)
    out = _as_string(expr, dtype)
    if dtype == pl.String and field in _OBJECT_KEYS:
        # a column polars widened to strings because some rows hold objects
        inner = pl.coalesce([out.str.json_path_match(f"$.{k}") for k in _OBJECT_KEYS[field]])
        out = pl.when(out.str.starts_with("{")).then(inner).otherwise(out)
    return out


def _as_string(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.String:
        return expr
    if dtype.is_float():
        return pl.lit(None, dtype=pl.String)  # a float id has lost digits; never guess
    if dtype.is_integer() or dtype == pl.Boolean:
        return expr.cast(pl.String)
    if isinstance(dtype, pl.Datetime):
        return expr.dt.to_string("%Y-%m-%dT%H:%M:%S%.f" + ("%z" if dtype.time_zone else ""))  # type: ignore[union-attr]
    return pl.lit(None, dtype=pl.String)


def map_frame(frame: pl.DataFrame, chosen: Mapping[str, str], ctx: ParseContext) -> pl.DataFrame:
    """Turn a source frame into post columns (created_at read in ``ctx.tz``)."""
    exprs: dict[str, pl.Expr] = {}
    for field, name in chosen.items():
        if field == "created_at":
            continue
        if field == "is_repost":
            exprs[field] = _column(frame, name, field).str.to_lowercase().is_in(_TRUE)
        else:
            exprs[field] = _column(frame, name, field)
    if "is_repost" not in exprs and "repost_of" in exprs:  # a repost is whatever names what it reposts
        exprs["is_repost"] = exprs["repost_of"].is_not_null()
    found = _locate(frame, chosen["created_at"]) if "created_at" in chosen else None
    if found is not None and not found[1].is_nested():
        created = parse_time_series(frame.select(found[0]).to_series(), ctx.tz)
    else:
        created = pl.Series("created_at", [None] * frame.height, dtype=pl.Datetime("us", "UTC"))
    out = frame.select(**exprs).with_columns(created_at=created) if exprs else pl.DataFrame({"created_at": created})
    if "platform" not in out.columns:
        out = out.with_columns(platform=pl.lit(ctx.platform or "generic"))
    else:
        out = out.with_columns(pl.col("platform").fill_null(ctx.platform or "generic"))
    return out


def _reject_reason(row: dict[str, Any]) -> str | None:
    missing = [f for f in ("post_id", "created_at") if row.get(f) is None]
    return f"missing or unreadable {', '.join(missing)}" if missing else None


# -- NDJSON ------------------------------------------------------------------
class _NDJSON:
    NAME = "ndjson"
    VERSION = VERSION
    DESCRIPTION = "generic JSON lines, one post object a line (columns guessed or --map)"

    def sniff(self, path: Path, head: bytes) -> bool:
        if not head:
            return False
        text = head.lstrip(b"\xef\xbb\xbf").lstrip()
        if not text.startswith(b"{"):
            return False
        first, sep, _ = text.partition(b"\n")
        if not sep and len(head) >= 64 * 1024:
            return False
        try:
            return isinstance(orjson.loads(first), dict)
        except orjson.JSONDecodeError:
            return False

    def parse(self, path: Path, ctx: ParseContext) -> Iterator[Record]:
        chosen: dict[str, str] | None = None
        known: dict[str, dict[str, str]] = {}  # the mapping, once chosen, for the read-ahead thread

        def prepare(block: bytes) -> tuple[pl.DataFrame | Exception, pl.DataFrame | None]:
            frame = _read_block(block)
            if isinstance(frame, Exception) or "chosen" not in known:
                return frame, None
            try:
                return frame, map_frame(frame, known["chosen"], ctx)
            except Exception:  # mapped again (and reported) on the caller's side
                return frame, None

        line_no = 1
        done = 0
        for block, (first_try, premapped) in _read_ahead(_blocks(path), prepare):
            count = block.count(b"\n") + 1
            first_line = line_no
            line_no += count
            done += len(block) + 1
            numbers: Sequence[int] = range(first_line, first_line + count)
            lines: Sequence[bytes] = _LazyLines(block)
            try:
                if isinstance(first_try, Exception):
                    raise first_try
                frame = first_try
                if frame.height != count:
                    # blank lines (polars skips them): number the others and read again
                    numbered = [(n, ln) for n, ln in enumerate(block.split(b"\n"), first_line) if ln.strip()]
                    if not numbered:
                        continue
                    numbers, lines = [n for n, _ in numbered], [ln for _, ln in numbered]
                    frame = pl.read_ndjson(io.BytesIO(b"\n".join(lines)), infer_schema_length=1000)
                    if frame.height != len(numbers):
                        raise ValueError("row count differs from line count")
            except Exception:
                chosen = yield from self._slow(list(lines), list(numbers), chosen, ctx)
            else:
                if chosen is None:
                    chosen = choose_columns(_flat_names(frame.schema), ctx.mapping)
                    _require_text_or_id(chosen, path)
                    known["chosen"] = chosen
                if _float_ids(frame, chosen):
                    # polars widened big integer ids to floats: re-read exactly, line by line
                    chosen = yield from self._slow(list(lines), list(numbers), chosen, ctx)
                    ctx.progress(done)
                    continue
                line_col = (pl.int_range(first_line, first_line + count, dtype=pl.Int64, eager=True)
                            if isinstance(numbers, range) else pl.Series(numbers, dtype=pl.Int64))
                if premapped is None or frame is not first_try:
                    premapped = map_frame(frame, chosen, ctx)
                mapped = premapped.with_columns(source_line=line_col)
                yield from _split_rejects(mapped, lines)
            ctx.progress(done)

    def _slow(self, lines: Sequence[bytes], numbers: Sequence[int], chosen: dict[str, str] | None,
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
            _require_text_or_id(chosen, Path(ctx.display_name))
        for n, ln, obj in good:
            row = map_record(obj, chosen)
            row["platform"] = row.get("platform") or ctx.platform or "generic"
            row["source_line"] = n
            row["_raw"] = ln.decode("utf-8", "replace")
            yield row
        return chosen


def map_record(obj: Mapping[str, Any], chosen: Mapping[str, str]) -> dict[str, Any]:
    """The row-by-row twin of :func:`map_frame`, for lines polars could not read."""
    row: dict[str, Any] = {}
    for field, name in chosen.items():
        head, _, tail = name.partition(".")
        value = obj.get(head)
        if tail:
            value = value.get(tail) if isinstance(value, dict) else None
        if isinstance(value, dict):
            value = next((value[k] for k in _OBJECT_KEYS.get(field, ()) if value.get(k) is not None), None)
        if field == "created_at":
            row[field] = value
        elif field == "is_repost":
            row[field] = str(value).lower() in _TRUE if value is not None else False
        elif value is None or isinstance(value, float | list | dict):
            row[field] = None
        else:
            row[field] = str(value).lower() if isinstance(value, bool) else str(value)
    if "is_repost" not in chosen and "repost_of" in chosen:
        row["is_repost"] = row.get("repost_of") is not None
    return row


class _LazyLines:
    """The lines of a block, split only if someone asks (rejects and the slow path)."""

    def __init__(self, block: bytes) -> None:
        self.block = block
        self._lines: list[bytes] | None = None

    def _split(self) -> list[bytes]:
        if self._lines is None:
            self._lines = self.block.split(b"\n")
        return self._lines

    def __getitem__(self, idx: int) -> bytes:
        return self._split()[idx]

    def __len__(self) -> int:
        return len(self._split())

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._split())


def _read_block(block: bytes) -> pl.DataFrame | Exception:
    try:
        return pl.read_ndjson(io.BytesIO(block), infer_schema_length=1000)
    except Exception as exc:  # handed to the caller, which falls back to line by line
        return exc


def _read_ahead(blocks: Iterator[bytes], prepare: Callable[[bytes], T]) -> Iterator[tuple[bytes, T]]:
    """``prepare`` the next block in a thread while the caller stores this one.
    polars releases the GIL while parsing, so reading overlaps deduplication and writing."""
    with ThreadPoolExecutor(1) as pool:
        pending: tuple[bytes, Future[T]] | None = None
        for block in blocks:
            ahead = (block, pool.submit(prepare, block))
            if pending is not None:
                yield pending[0], pending[1].result()
            pending = ahead
        if pending is not None:
            yield pending[0], pending[1].result()


def _blocks(path: Path) -> Iterator[bytes]:
    """The file in blocks of whole lines (the last may lack its newline).
    Each read ends at its last newline and the next read starts right after it,
    so a block is copied once, not glued together from pieces."""
    with open(path, "rb") as fh:
        pos = 0
        while chunk := fh.read(CHUNK_BYTES):
            if pos == 0 and chunk.startswith(b"\xef\xbb\xbf"):
                chunk, pos = chunk[3:], 3
            cut = chunk.rfind(b"\n")
            if len(chunk) < CHUNK_BYTES or cut < 0:
                if cut < 0 and len(chunk) == CHUNK_BYTES:  # one line longer than a block
                    rest = fh.read()
                    chunk += rest
                yield chunk.removesuffix(b"\n")
                pos += len(chunk)
                continue
            pos += cut + 1
            fh.seek(pos)
            yield chunk[:cut]


def _split_rejects(mapped: pl.DataFrame, lines: Sequence[bytes] | Sequence[str]) -> Iterator[Record]:
    bad = mapped.get_column("post_id").is_null() | mapped.get_column("created_at").is_null()
    if bad.any():
        for idx in bad.arg_true().to_list():
            row = mapped.row(idx, named=True)
            raw = lines[idx]
            yield Quarantine(row["source_line"], raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw,
                             _reject_reason(row) or "unreadable")
        mapped = mapped.filter(~bad)
    if mapped.height:
        yield mapped


_ID_FIELDS = ("post_id", "author_id", "reply_to", "repost_of", "quote_of")


def _float_ids(frame: pl.DataFrame, chosen: Mapping[str, str]) -> bool:
    for field in _ID_FIELDS:
        head, _, tail = chosen.get(field, "").partition(".")
        dtype = frame.schema.get(head)
        if tail and isinstance(dtype, pl.Struct):
            dtype = {f.name: f.dtype for f in dtype.fields}.get(tail)
        if dtype is not None and dtype.is_float():
            return True
    return False


def _require_text_or_id(chosen: Mapping[str, str], path: Path) -> None:
    if "post_id" not in chosen or "created_at" not in chosen:
        missing = [f for f in ("post_id", "created_at") if f not in chosen]
        raise SourceError(
            f"cannot tell which column holds {' and '.join(missing)}; "
            f"name it with --map, e.g. --map {missing[0]}=COLUMN"
        )


# -- CSV ---------------------------------------------------------------------
def _decode_head(head: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8-sig" and exc.start > len(head) - 4:  # cut mid-character
                return head[: exc.start].decode("utf-8-sig")
    return None


def _encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        data = fh.read(1 << 20)
    try:
        data.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start > len(data) - 4:
            return "utf-8-sig"
    try:
        data.decode("cp932")
        return "cp932"
    except UnicodeDecodeError:
        return "utf-8-sig"


class _CSV:
    NAME = "csv"
    VERSION = VERSION
    DESCRIPTION = "generic CSV/TSV with a header row (columns guessed or --map)"

    def sniff(self, path: Path, head: bytes) -> bool:
        if not head or b"\0" in head:
            return False
        text = _decode_head(head)
        if text is None:
            return False
        first = text.splitlines()[0] if text.splitlines() else ""
        delimiter = max(",\t;", key=first.count)
        if first.count(delimiter) < 1:
            return False
        names = next(csv.reader([first], delimiter=delimiter))
        chosen = choose_columns(names, {})
        return "post_id" in chosen and ("text" in chosen or "created_at" in chosen)

    def parse(self, path: Path, ctx: ParseContext) -> Iterator[Record]:
        encoding = _encoding(path)
        with open(path, newline="", encoding=encoding, errors="strict") as fh:
            first = fh.readline()
            delimiter = max(",\t;", key=first.count)
            fh.seek(0)
            reader = csv.reader(fh, delimiter=delimiter)
            try:
                header = next(reader)
            except StopIteration:
                return
            chosen = choose_columns(header, ctx.mapping)
            _require_text_or_id(chosen, path)
            profile = csv_profiles.match(header)
            width = len(header)
            buffer: list[list[str]] = []
            numbers: list[int] = []
            raws: list[str] = []
            line = reader.line_num
            try:
                for record in reader:
                    start, line = line + 1, reader.line_num
                    if not record or record == [""]:
                        continue
                    if len(record) != width:
                        yield Quarantine(start, delimiter.join(record),
                                         f"{len(record)} fields where the header has {width}")
                        continue
                    buffer.append(record)
                    numbers.append(start)
                    raws.append(delimiter.join(record))
                    if len(buffer) >= CSV_BATCH:
                        yield from self._emit(header, buffer, numbers, raws, chosen, ctx, profile)
                        buffer, numbers, raws = [], [], []
            except csv.Error as exc:
                yield Quarantine(reader.line_num, "", f"CSV syntax: {exc}; the rest of the file was not read")
            except UnicodeDecodeError as exc:
                raise SourceError(f"not {encoding} text after line {reader.line_num}: {exc.reason}") from exc
            yield from self._emit(header, buffer, numbers, raws, chosen, ctx, profile)

    def _emit(self, header: list[str], rows: list[list[str]], numbers: list[int], raws: list[str],
              chosen: Mapping[str, str], ctx: ParseContext,
              profile: csv_profiles.Profile | None = None) -> Iterator[Record]:
        if not rows:
            return
        names = _dedupe(header)
        frame = pl.DataFrame(rows, schema={n: pl.String for n in names}, orient="row")
        frame = frame.with_columns(pl.col(n).replace("", None) for n in names)
        chosen = {f: names[header.index(c)] for f, c in chosen.items()}
        if profile is not None:  # a known tool's export (twarc-csv, snscrape): derive the fields
            frame, derived = csv_profiles.apply_profile(profile, frame, ctx.mapping)
            chosen.update(derived)
            if "platform" not in chosen:
                frame = frame.with_columns(pl.lit(ctx.platform or profile.platform).alias("__dtrack_platform"))
                chosen["platform"] = "__dtrack_platform"
        mapped = map_frame(frame, chosen, ctx).with_columns(source_line=pl.Series(numbers, dtype=pl.Int64))
        yield from _split_rejects(mapped, raws)


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return out


NDJSON = _NDJSON()
CSV = _CSV()
