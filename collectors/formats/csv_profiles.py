"""Known tweet CSV exports (twarc-csv, snscrape) read by the generic CSV collector without a mapping.

A header alone says which tool wrote a CSV: twarc-csv names columns after
the API v2 JSON paths (``author.username``, ``referenced_tweets.retweeted.id``),
and a snscrape DataFrame written with pandas has ``url``, ``date``,
``rawContent`` (``content`` before snscrape 0.5) and a ``user`` column. For
such a file the generic column guessing would miss what matters (the author
is inside ``user``, a retweet is only visible in ``retweetedTweet``), so a
*profile* derives the post fields from the tool's own columns. An explicit
``--map`` still wins, field by field.

Cells holding objects or lists are JSON (twarc-csv, or snscrape JSON read
back by pandas) or Python reprs (pandas writes a dict as ``{'username':
'x', ...}``, a dataclass as ``User(username='x', id=1, ...)``); :func:`field`
reads a named value from any of them without evaluating code.

Ids went through pandas: an id column with a missing value becomes float64
and is written as ``1.5698e+18`` or ``1569812345678901248.0``, which may
have lost digits (the 2^53 problem). :func:`id_expr` keeps plain digit
strings, accepts ``N.0`` only up to 2^53, and drops anything else.

The text of a retweet follows the rule of every Twitter collector (see
``collectors.formats.twitter_common``): "RT @user: " + the full original text.
twarc-csv already writes the original's full text for a retweet (its
default ``merge_retweets``), with newlines written as the two characters
``\\n``, which are turned back into newlines.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from dtrack.collectors.formats.twitter_common import MAX_SAFE_INT, PLATFORM, RT_PREFIX
from dtrack.collectors.readers.json_values import fix_surrogates

#: Derived columns get this prefix so they never clash with the file's own.
PREFIX = "__dtrack_"
_STATUS_URL = re.compile(r"twitter\.com/(\w{1,50})/status(?:es)?/(\d{1,25})")


@dataclass(frozen=True)
class Profile:
    """A tool's CSV layout: how to recognise its header and derive post columns."""

    name: str
    platform: str
    matches: Callable[[Sequence[str]], bool]
    #: raw string frame -> the same frame with PREFIX+field columns added
    derive: Callable[[pl.DataFrame], pl.DataFrame]

    def fields(self, frame: pl.DataFrame) -> dict[str, str]:
        """post field -> derived column, for the columns ``derive`` added."""
        return {c[len(PREFIX):]: c for c in frame.columns if c.startswith(PREFIX)}


# -- reading cells ---------------------------------------------------------------
def _value_pattern(key: str) -> re.Pattern[str]:
    # each quoted form excludes its quote and the backslash outside an escape pair, so a cell with
    # no closing quote fails in linear time instead of backtracking through every backslash
    return re.compile(
        r"(?:^|[\s,{(\[])['\"]?" + re.escape(key) + r"['\"]?\s*[:=]\s*"
        r"(?:'(?P<s1>(?:\\.|[^'\\])*)'|\"(?P<s2>(?:\\.|[^\"\\])*)\"|(?P<n>-?\d+(?:\.\d+)?))",
        re.DOTALL,
    )


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _python_literal(text: str) -> object:
    """A Python literal (what tools that print reprs write), None when it is not one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None


def _json_or_python(text: str) -> object:
    """JSON, else a Python literal; None when it is neither (or nested too deeply)."""
    try:
        return json.loads(text)
    except RecursionError:
        return None
    except ValueError:
        return _python_literal(text)


def _unquote(quote: str, body: str) -> str | None:
    literal = quote + body + quote
    value = _json_or_python(literal) if quote == '"' else _python_literal(literal)
    return value if isinstance(value, str) else None


def field(cell: str | None, key: str) -> str | None:
    """The first value named ``key`` in a JSON, dict-repr or dataclass-repr cell, as a string.

    >>> field("User(username='ai_art', id=123, displayname='x')", "username")
    'ai_art'
    >>> field('{"username": "ai_art", "id": 123}', "id")
    '123'
    """
    if not cell:
        return None
    pattern = _PATTERNS.get(key)
    if pattern is None:
        pattern = _PATTERNS[key] = _value_pattern(key)
    match = pattern.search(cell)
    if not match:
        return None
    if match.group("n") is not None:
        return match.group("n")
    quote, body = ("'", match.group("s1")) if match.group("s1") is not None else ('"', match.group("s2"))
    text = _unquote(quote, body)
    return fix_surrogates(text) if text is not None else None


def status_id(cell: str | None) -> str | None:
    """The id of the tweet an object cell describes (its own ``url``, then ``id``)."""
    if not cell:
        return None
    match = _STATUS_URL.search(cell)
    if match:
        return match.group(2)
    value = field(cell, "id")
    return value if value and value.isdigit() else None


def status_author(cell: str | None) -> str | None:
    """The handle of the author of the tweet an object cell describes."""
    if not cell:
        return None
    match = _STATUS_URL.search(cell)
    return match.group(1) if match else field(cell, "username")


def references(cell: str | None, kind: str) -> str | None:
    """From an old twarc-csv ``referenced_tweets`` cell (a JSON or repr list of
    ``{"type", "id"}``), the id of the first reference of ``kind``."""
    if not cell:
        return None
    items = _json_or_python(cell)
    if not isinstance(items, list):
        return None
    for item in items:
        if isinstance(item, dict) and item.get("type") == kind and str(item.get("id", "")).isdigit():
            return str(item["id"])
    return None


def id_expr(expr: pl.Expr) -> pl.Expr:
    """A tweet id column cleaned of pandas' float damage (see the module docstring)."""
    text = expr.cast(pl.String).str.strip_chars()
    whole = text.str.extract(r"^(\d{1,25})(?:\.0+)?$", 1)
    exact = pl.when(text.str.contains(r"^\d{1,25}$")).then(text)
    safe = pl.when(whole.cast(pl.UInt64, strict=False) <= MAX_SAFE_INT).then(whole)
    return pl.coalesce(exact, safe)


def _apply(frame: pl.DataFrame, column: str, fn: Callable[[str], str | None]) -> pl.Expr:
    if column not in frame.columns:
        return pl.lit(None, dtype=pl.String)
    return pl.col(column).map_elements(fn, return_dtype=pl.String, skip_nulls=True)


def _col(frame: pl.DataFrame, *names: str) -> pl.Expr:
    """The first of ``names`` the frame has, else nulls."""
    for name in names:
        if name in frame.columns:
            return pl.col(name)
    return pl.lit(None, dtype=pl.String)


def _rt_text(text: pl.Expr, author: pl.Expr, is_repost: pl.Expr) -> pl.Expr:
    """"RT @user: " + text for a retweet whose text does not start with it already."""
    prefixed = pl.concat_str(pl.lit("RT @"), author, pl.lit(": "), text)
    return (pl.when(is_repost & author.is_not_null() & text.is_not_null() & ~text.str.contains(RT_PREFIX.pattern))
            .then(prefixed).otherwise(text))


def _url(username: pl.Expr, post_id: pl.Expr) -> pl.Expr:
    return (pl.when(username.is_not_null())
            .then(pl.concat_str(pl.lit("https://twitter.com/"), username, pl.lit("/status/"), post_id))
            .otherwise(pl.concat_str(pl.lit("https://twitter.com/i/web/status/"), post_id)))


def _out(frame: pl.DataFrame, **columns: pl.Expr) -> pl.DataFrame:
    frame = frame.with_columns(**{PREFIX + k: v for k, v in columns.items() if k != "text"})
    if "text" in columns:  # may refer to derived columns
        frame = frame.with_columns(**{PREFIX + "text": columns["text"]})
    return frame


# -- twarc-csv ---------------------------------------------------------------------
_TWARC_MARKERS = ("author.username", "referenced_tweets.retweeted.id", "__twarc.retrieved_at", "conversation_id")


def _twarc_matches(header: Sequence[str]) -> bool:
    names = set(header)
    return {"id", "created_at", "text"} <= names and any(m in names for m in _TWARC_MARKERS)


def _twarc_text(cell: str) -> str:
    if len(cell) >= 2 and cell.startswith('"') and cell.endswith('"'):  # --json-encode-text
        try:
            decoded = json.loads(cell)
            if isinstance(decoded, str):
                return fix_surrogates(decoded)
        except (ValueError, RecursionError):
            pass
    return cell.replace("\\n", "\n")


def _twarc_derive(frame: pl.DataFrame) -> pl.DataFrame:
    def ref(kind: str) -> pl.Expr:
        flat = f"referenced_tweets.{kind}.id"
        if flat in frame.columns:
            return id_expr(pl.col(flat))
        return _apply(frame, "referenced_tweets", lambda cell: references(cell, kind))

    username = _col(frame, "author.username")
    post_id = id_expr(pl.col("id"))
    repost_of = ref("retweeted")
    frame = _out(frame, post_id=post_id, created_at=pl.col("created_at"),
                 author_id=id_expr(_col(frame, "author_id", "author.id")), author_name=username,
                 lang=_col(frame, "lang"), reply_to=ref("replied_to"), repost_of=repost_of,
                 quote_of=ref("quoted"), url=_url(username, post_id),
                 is_repost=repost_of.is_not_null().cast(pl.String).str.to_lowercase())
    text = pl.col("text").map_elements(_twarc_text, return_dtype=pl.String, skip_nulls=True)
    return _out(frame, text=_rt_text(text, _col(frame, "retweeted_username"),
                                     pl.col(PREFIX + "repost_of").is_not_null()))


# -- snscrape ----------------------------------------------------------------------
def _lower(header: Sequence[str]) -> dict[str, str]:
    return {h.lower(): h for h in reversed(header)}


def _snscrape_matches(header: Sequence[str]) -> bool:
    names = _lower(header)
    return ("id" in names and "url" in names and "date" in names
            and any(k in names for k in ("rawcontent", "content", "renderedcontent"))
            and any(k in names for k in ("user", "retweetedtweet", "quotedtweet", "conversationid")))


def _retweet_text(cell: str) -> str | None:
    return field(cell, "rawContent") or field(cell, "content") or field(cell, "renderedContent")


def _snscrape_derive(frame: pl.DataFrame) -> pl.DataFrame:
    names = _lower(frame.columns)

    def col(*keys: str) -> pl.Expr:
        return _col(frame, *(names[k] for k in keys if k in names))

    def apply(key: str, fn: Callable[[str], str | None]) -> pl.Expr:
        return _apply(frame, names.get(key, ""), fn)

    url = col("url")
    from_url = url.str.extract(_STATUS_URL.pattern, 1)
    username = pl.coalesce(apply("user", lambda c: field(c, "username")), from_url, col("username"))
    user_id = apply("user", lambda c: field(c, "id"))
    repost_of = apply("retweetedtweet", status_id)
    is_repost = repost_of.is_not_null()
    own = col("rawcontent", "content", "renderedcontent").map_elements(fix_surrogates, return_dtype=pl.String,
                                                                       skip_nulls=True)
    full = apply("retweetedtweet", _retweet_text)
    text = pl.when(is_repost & full.is_not_null()).then(
        _rt_text(full, apply("retweetedtweet", status_author), pl.lit(True))).otherwise(own)
    post_id = id_expr(col("id"))
    return _out(frame, post_id=post_id, created_at=col("date"),
                author_id=id_expr(pl.coalesce(user_id, col("user_id", "userid"))), author_name=username,
                lang=col("lang"), reply_to=id_expr(col("inreplytotweetid")), repost_of=repost_of,
                quote_of=apply("quotedtweet", status_id),
                url=pl.coalesce(url, _url(username, post_id)),
                is_repost=is_repost.cast(pl.String).str.to_lowercase(), text=text)


PROFILES: tuple[Profile, ...] = (
    Profile("twarc-csv", PLATFORM, _twarc_matches, _twarc_derive),
    Profile("snscrape", PLATFORM, _snscrape_matches, _snscrape_derive),
)


def match(header: Sequence[str]) -> Profile | None:
    """The profile whose tool wrote a CSV with this header, if any."""
    return next((p for p in PROFILES if p.matches(header)), None)


def apply_profile(profile: Profile, frame: pl.DataFrame, explicit: Mapping[str, str]) -> tuple[
        pl.DataFrame, dict[str, str]]:
    """The frame with derived columns, and the post field -> column mapping to read it
    with (derived columns, except where ``explicit`` (--map) names a column)."""
    frame = profile.derive(frame)
    chosen = {f: c for f, c in profile.fields(frame).items() if f not in explicit}
    return frame, chosen
