"""Column mapping for the generic NDJSON and CSV formats (``formats.ndjson``, ``formats.csvfile``).

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

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from dtrack.collectors.readers.times import parse_time_series
from dtrack.collectors.records import ParseContext, Quarantine, Record, SourceError

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
_TRUE = ("true", "1", "yes", "t", "y")
#: Fields that hold ids: a JSON string or integer, nothing else (see ``NOT_AN_ID``).
_ID_FIELDS = ("post_id", "author_id", "reply_to", "repost_of", "quote_of")
#: How a JSON value that is not an id (a float, which has lost digits past 2^53, a boolean, null, a
#: list or an object) reads once polars has widened a column of mixed types to strings. The same
#: rule on both paths: such an id is dropped, and a post without its post_id is quarantined.
NOT_AN_ID = (r"^(?:true|false|null|\[.*\]|\{.*\}"  # booleans, null, lists, objects
             r"|-?\d*\.\d*(?:[eE][-+]?\d+)?|-?\d+[eE][-+]?\d+)$")  # floats
_NOT_AN_ID_RE = re.compile(NOT_AN_ID)


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
def flat_names(schema: pl.Schema) -> list[str]:
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
    if dtype == pl.String and field in _OBJECT_KEYS and _has_objects(frame, expr):
        # a column polars widened to strings because some rows hold objects
        inner = pl.coalesce([out.str.json_path_match(f"$.{k}") for k in _OBJECT_KEYS[field]])
        out = pl.when(out.str.starts_with("{")).then(inner).otherwise(out)
    if field in _ID_FIELDS:
        out = pl.when(out.str.contains(NOT_AN_ID)).then(pl.lit(None, dtype=pl.String)).otherwise(out)
    return out


def _has_objects(frame: pl.DataFrame, expr: pl.Expr) -> bool:
    """Whether a string column holds an object's JSON text: only then are its rows matched
    against the JSON paths (a tenth of the mapping's time on every block otherwise)."""
    return bool(frame.select(expr.str.starts_with("{").any()).item())


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
            if field in _ID_FIELDS and _NOT_AN_ID_RE.match(row[field]):
                row[field] = None
    if "is_repost" not in chosen and "repost_of" in chosen:
        row["is_repost"] = row.get("repost_of") is not None
    return row


def split_rejects(mapped: pl.DataFrame, lines: Sequence[bytes] | Sequence[str]) -> Iterator[Record]:
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


def require_columns(chosen: Mapping[str, str], path: Path) -> None:
    if "post_id" not in chosen or "created_at" not in chosen:
        missing = [f for f in ("post_id", "created_at") if f not in chosen]
        raise SourceError(
            f"cannot tell which column holds {' and '.join(missing)}; "
            f"name it with --map, e.g. --map {missing[0]}=COLUMN"
        )
