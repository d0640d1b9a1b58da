"""twarc2 JSON lines (Twitter API v2): response pages, ``twarc2 flatten`` output and stream lines.

One function (:func:`read_line`) accepts every shape twarc2 writes, one per
line, and says which it is (like twarc's own ``ensure_flattened``):

* a response page: ``{"data": [tweet...], "includes": {"users", "tweets",
  "media"...}, "errors": [...], "meta": {...}, "__twarc": {...}}``;
* a filtered-stream line: the same, but ``data`` is one tweet and
  ``matching_rules`` says which rules matched (kept in ``extra``);
* a flattened tweet (``twarc2 flatten``): one tweet a line, with ``author``
  and each ``referenced_tweets[]`` entry expanded in place;
* a compliance record (``{"id", "action", "created_at", "reason"}``) and
  pages of users or tweet counts: none of them is a post, so they become
  notices rather than posts or quarantined lines.

Only tweets in ``data`` are stored; ``includes.tweets`` is context (the
tweets that were retweeted, quoted or replied to, which the query did not
match) and is used only to complete ``data`` tweets: a retweet's own text is
cut, so it is rebuilt as "RT @user: " + the full text of the retweeted tweet
(see ``collectors.formats.twitter_common``). ``note_tweet.text`` (tweets longer than
280 characters) is preferred over ``text``. ``errors[]`` entries are the
API's own reports (suspended users, deleted referenced tweets): they become
notices with the source, not quarantined records.

Edited tweets: every version has its own id, listed oldest first in
``edit_history_tweet_ids``. We store each version that appears in ``data``
as its own post, with its own text and time, so a word is dated by the
version that first contained it and the id matches an X archive's copy of
that version. Versions seen only in ``includes`` are not stored. A post that
is a later version carries ``extra.edit_of`` (the first version's id) and
``extra.edit_history_tweet_ids``, so an analysis can keep one version per
edit chain if it must.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeAlias

import polars as pl

from dtrack.collectors.formats.batching import COLLECTED
from dtrack.collectors.formats.twitter_common import (
    PLATFORM,
    id_string,
    is_id,
    looks_cut,
    retweet_text,
    status_url,
    tweet_extra,
    unescape,
)
from dtrack.collectors.readers.json_lines import json_lines
from dtrack.collectors.readers.json_values import dumps_raw as dumps
from dtrack.collectors.readers.json_values import sniff_json
from dtrack.collectors.readers.times import parse_times, time_text
from dtrack.collectors.records import BATCH_ROWS, Notice, ParseContext, Quarantine, Record

NAME = "twarc"
VERSION = "1"
DESCRIPTION = "twarc2 JSON lines (Twitter API v2 pages, twarc2 flatten output, stream lines)"

#: Keys only API v2 tweets have (v1.1 statuses have none of them).
_V2_MARKERS = re.compile(
    rb'"(?:edit_history_tweet_ids|conversation_id|author_id|referenced_tweets|public_metrics)"\s*:')
#: API v2 times ("2022-08-29T03:00:00.000Z"), parsed a batch at a time.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%.fZ"
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z\Z")
_TIME_MATCH = _TIME.match
_PAGE_START = re.compile(rb'^\{\s*"data"\s*:\s*[\[{]')
_COMPLIANCE_ACTIONS = frozenset({"delete", "scrub_geo", "suspend", "protect", "deactivate", "unsuspend",
                                 "unprotect", "reactivate", "withheld", "drop"})


# -- sniffing ------------------------------------------------------------------
_V2_ONLY_FIELDS = ("edit_history_tweet_ids", "conversation_id", "public_metrics", "referenced_tweets",
                   "reply_settings", "possibly_sensitive", "__twarc")


def _is_v2_tweet(obj: Any) -> bool:
    """A tweet in API v2 shape. Plain exports also have id, text and an author, so
    a line counts only with ``author_id`` and at least one field only v2 writes."""
    return (isinstance(obj, dict) and isinstance(obj.get("id"), str) and "text" in obj and "id_str" not in obj
            and "author_id" in obj and any(k in obj for k in _V2_ONLY_FIELDS))


def _is_compliance(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    action = obj.get("action")
    return isinstance(obj.get("id"), str) and isinstance(action, str) and action in _COMPLIANCE_ACTIONS and (
        "created_at" in obj)


def _is_twarc_value(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    if "__twarc" in obj:
        return True
    data = obj.get("data")
    if isinstance(data, dict):
        return _is_v2_tweet(data)
    if isinstance(data, list) and data:
        return _is_v2_tweet(data[0])
    errors = obj.get("errors")
    if isinstance(errors, list) and errors and "data" not in obj:
        return all(isinstance(e, dict) and str(e.get("type", "")).startswith("https://api.twitter.com/2/")
                   for e in errors)
    return _is_v2_tweet(obj) or _is_compliance(obj)


def sniff(path: Path, head: bytes) -> bool:
    """A first line that is a twarc2 page, stream line, flattened tweet or compliance record."""
    return sniff_json(head, _is_twarc_value, _twarc_markers)


def _twarc_markers(text: bytes) -> bool:
    """A first line too long for the head: judged by the keys it starts with."""
    first = text.split(b"\n", 1)[0]
    if b'"__twarc"' in first[:4096] and first.startswith(b"{"):
        return True
    return bool(_PAGE_START.match(first)) and bool(_V2_MARKERS.search(first)) and b'"id_str"' not in first


# -- mapping -------------------------------------------------------------------
#: The columns a mapped tweet fills, in the order of its row tuple (``platform`` and
#: ``source_file`` are the same for every row and are added to the frame as constants).
ROW_COLUMNS = ("post_id", "created_at", "author_id", "author_name", "text", "lang", "is_repost", "repost_of",
               "reply_to", "quote_of", "url", "extra", "source_line")
#: Rows gathered before they become columns (see ``_Posts``).
PART_ROWS = 2_000
_FRAME_SCHEMA = {name: (pl.String() if name == "created_at" else COLLECTED[name]) for name in ROW_COLUMNS}
Row: TypeAlias = tuple[Any, ...]


def _text(tweet: Mapping[str, Any]) -> str | None:
    """The tweet's full text: ``note_tweet.text`` (long tweets) over ``text``."""
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and isinstance(note.get("text"), str):
        return unescape(note["text"])
    text = tweet.get("text")
    return unescape(text) if isinstance(text, str) else None


def _index(items: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {item["id"]: item for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)}


class _Includes:
    """A page's ``includes`` by id: the users (most tweets need their author), and the tweets
    indexed only when a retweet first needs them (one without an expanded original)."""

    __slots__ = ("_includes", "_tweets", "users")

    def __init__(self, includes: Any, users: dict[str, dict[str, Any]] | None = None,
                 tweets: dict[str, dict[str, Any]] | None = None) -> None:
        self._includes = includes if isinstance(includes, dict) else {}
        self.users = _index(self._includes.get("users")) if users is None else users
        self._tweets = tweets

    def tweets(self) -> dict[str, dict[str, Any]]:
        if self._tweets is None:
            self._tweets = _index(self._includes.get("tweets"))
        return self._tweets


_NO_INCLUDES = _Includes(None)


def _username(user: Any) -> str | None:
    if isinstance(user, dict) and isinstance(user.get("username"), str) and user["username"]:
        return user["username"]
    return None


def map_row(tweet: Mapping[str, Any], includes: _Includes, line: int, repaired: bool = False,
            rules: Any = None) -> Row | Quarantine:
    """One v2 tweet (page item or flattened) as a row of :data:`ROW_COLUMNS`, or why it cannot be one.

    A tuple, not a dict: a batch's rows become one frame column by column (a
    dict per tweet and ``pl.from_dicts`` cost as much as the mapping itself).
    ``includes`` is the page's (empty for a flattened tweet, which carries
    ``author`` and expanded references itself).
    """
    get = tweet.get
    raw_id = get("id")
    post_id = raw_id if is_id(raw_id) else id_string(raw_id, raw_id)
    if post_id is None:
        return Quarantine(line, dumps(tweet), f"tweet without a usable id (ids are strings; a number above "
                                              f"2^53 may have lost digits): {raw_id!r}")
    created = get("created_at")
    if not (created.__class__ is str and _TIME_MATCH(created)):  # the common case without a call
        created = time_text(created, _TIME)
    if created is None:
        return Quarantine(line, dumps(tweet), f"tweet {post_id}: created_at missing or unreadable: "
                                              f"{get('created_at')!r}")
    author_id = get("author_id")
    if not is_id(author_id):
        author_id = None
    author = get("author")
    if not isinstance(author, dict):
        author = includes.users.get(author_id) if author_id else None
    if author is None:
        username = name = None
    else:
        if author_id is None and is_id(author.get("id")):
            author_id = author["id"]
        username = _username(author)
        name = author.get("name")
    text = _text(tweet)
    extra: dict[str, Any] = {}
    repost_of = reply_to = quote_of = None
    refs = get("referenced_tweets")
    if refs and isinstance(refs, list):
        original: Any = None
        for ref in refs:
            if not isinstance(ref, dict) or not is_id(ref.get("id")):
                continue
            kind = ref.get("type")
            if kind == "retweeted" and repost_of is None:
                repost_of = ref["id"]
                original = ref if "text" in ref else includes.tweets().get(ref["id"])
            elif kind == "quoted" and quote_of is None:
                quote_of = ref["id"]
            elif kind == "replied_to" and reply_to is None:
                reply_to = ref["id"]
        if repost_of is not None:
            full = _text(original) if isinstance(original, dict) else None
            if full is not None:
                original_author = original.get("author") if isinstance(original.get("author"), dict) else (
                    includes.users.get(original.get("author_id")) if isinstance(original.get("author_id"), str)
                    else None)
                text = retweet_text(text, _username(original_author), full)
            elif looks_cut(text):
                extra["text_truncated"] = True
    history = get("edit_history_tweet_ids")
    if isinstance(history, list) and len(history) > 1 and all(is_id(h) for h in history):
        extra["edit_history_tweet_ids"] = history
        if history[0] != post_id:
            extra["edit_of"] = history[0]
    if rules is not None:
        extra["matching_rules"] = rules
    extra = tweet_extra(extra, name, text, repaired)
    lang = get("lang")
    return (post_id, created, author_id, username, text, lang if isinstance(lang, str) else None,
            repost_of is not None, repost_of, reply_to, quote_of, status_url(username, post_id),
            dumps(extra) if extra else None, line)


def map_tweet(tweet: Mapping[str, Any], users: Mapping[str, dict[str, Any]],
              tweets: Mapping[str, dict[str, Any]], line: int, repaired: bool = False,
              rules: Any = None) -> dict[str, Any] | Quarantine:
    """One tweet as a post record (``extra`` as its JSON string), with ``users``/``tweets``
    the page's ``includes`` by id: :func:`map_row` for a caller that wants a dict."""
    row = map_row(tweet, _Includes(None, dict(users), dict(tweets)), line, repaired, rules)
    if isinstance(row, Quarantine):
        return row
    return {"platform": PLATFORM, **dict(zip(ROW_COLUMNS, row, strict=True))}


def _error_message(err: Any) -> str:
    """A readable line for one API ``errors[]`` entry."""
    if not isinstance(err, dict):
        return f"API error: {dumps(err)[:500]}"
    title = err.get("title") or "API error"
    detail = err.get("detail") or err.get("message") or ""
    what = " ".join(str(err[k]) for k in ("resource_type", "resource_id") if err.get(k))
    return f"{title}: {detail}" + (f" ({what})" if what else "")


class _Posts:
    """Mapped rows, handed on as one frame of ``size`` rows at a time (the ingest loop's fast path:
    it skips its per-record checks, which :func:`map_row` has made).

    The rows become columns every :data:`PART_ROWS` rows, and the parts one frame when ``size``
    are in: the tweets' strings are copied out and freed while their memory is still in the
    cache and can be used for the next pages (holding a whole batch of them cost a tenth of the
    read, measured).
    """

    def __init__(self, size: int = BATCH_ROWS) -> None:
        self.rows: list[Row] = []
        self.size = size
        self.parts: list[pl.DataFrame] = []
        self.done = 0  # rows in ``parts``
        self.step = min(PART_ROWS, size)  # rows to gather before the next cut

    def add(self, row: Row) -> pl.DataFrame | None:
        """Add one row; the batch's frame when this row completes it."""
        self.rows.append(row)
        return self.cut() if len(self.rows) >= self.step else None

    def cut(self) -> pl.DataFrame | None:
        """Turn the rows gathered into a part; the batch's frame when it is complete."""
        rows, self.rows = self.rows, []
        self.parts.append(_part(rows))
        self.done += len(rows)
        if self.done < self.size:
            self.step = min(PART_ROWS, self.size - self.done)
            return None
        return self.finish()

    def finish(self) -> pl.DataFrame | None:
        """The frame of every row not handed on yet (None when there is none)."""
        if self.rows:
            self.parts.append(_part(self.rows))
            self.rows = []
        parts, self.parts, self.done, self.step = self.parts, [], 0, min(PART_ROWS, self.size)
        if not parts:
            return None
        frame = pl.concat(parts) if len(parts) > 1 else parts[0]
        # times parsed a column at a time, once a batch (each part's own polars calls cost 1 ms)
        return frame.with_columns(created_at=parse_times(frame.get_column("created_at"), TIME_FORMAT),
                                  platform=pl.lit(PLATFORM), source_file=pl.lit(None, dtype=pl.String)
                                  ).select(list(COLLECTED))


def _part(rows: list[Row]) -> pl.DataFrame:
    """Rows as columns (``created_at`` still the strings)."""
    return pl.DataFrame(dict(zip(ROW_COLUMNS, map(list, zip(*rows, strict=True)), strict=True)),
                        schema=_FRAME_SCHEMA)


def read_line(obj: Any, line: int, raw: bytes, repaired: bool, posts: _Posts) -> Iterator[Record]:
    """The records of one parsed twarc2 line, whatever its shape (see the module docstring): its
    tweets go to ``posts``, and a frame is yielded whenever a batch is full, so records keep their order."""
    if not isinstance(obj, dict):
        yield Quarantine(line, raw.decode("utf-8", "replace"), f"a JSON {type(obj).__name__}, not a twarc2 object")
        return
    errors = obj.get("errors")
    if isinstance(errors, list):
        for err in errors:
            yield Notice(line, _error_message(err))
    if "data" in obj:
        yield from _read_page(obj, line, raw, repaired, posts)
    elif "id" in obj and "text" in obj:
        row = map_row(obj, _NO_INCLUDES, line, repaired, obj.get("matching_rules"))
        if isinstance(row, Quarantine):
            yield row
        else:
            frame = posts.add(row)
            if frame is not None:
                yield frame
    elif _is_compliance(obj):
        reason = f" ({obj['reason']})" if obj.get("reason") else ""
        yield Notice(line, f"compliance: tweet {obj['id']} {obj['action']}{reason} at {obj.get('created_at')}")
    elif isinstance(errors, list) or "meta" in obj:
        return  # an errors-only or empty page: nothing to store, the errors are reported above
    else:
        yield Quarantine(line, raw.decode("utf-8", "replace"),
                         "not a twarc2 page, tweet or compliance record (no data, id/text or action)")


def _read_page(obj: dict[str, Any], line: int, raw: bytes, repaired: bool, posts: _Posts) -> Iterator[Record]:
    data = obj["data"]
    if data is None:
        return
    single = isinstance(data, dict)
    items = [data] if single else data
    if not isinstance(items, list):
        yield Quarantine(line, raw.decode("utf-8", "replace"), f"'data' is a JSON {type(data).__name__}")
        return
    includes = _Includes(obj.get("includes"))
    rules = obj.get("matching_rules")
    skipped: dict[str, int] = {}
    rows, step = posts.rows, posts.step
    for item in items:
        if item.__class__ is not dict or "id" not in item or ("text" not in item and "note_tweet" not in item):
            if isinstance(item, dict) and "text" not in item and "note_tweet" not in item:
                kind = ("user objects" if "username" in item else
                        "tweet counts" if "tweet_count" in item else None)
                if kind:
                    skipped[kind] = skipped.get(kind, 0) + 1
                    continue
            if not isinstance(item, dict) or "id" not in item:
                yield Quarantine(line, dumps(item), "a 'data' item that is not a tweet (no id)")
                continue
        row = map_row(item, includes, line, repaired, rules)
        if row.__class__ is not tuple:
            yield row  # type: ignore[misc]
            continue
        rows.append(row)  # inline, not posts.add(): this loop runs once a tweet
        if len(rows) >= step:
            frame = posts.cut()
            rows, step = posts.rows, posts.step
            if frame is not None:
                yield frame
    for kind, count in skipped.items():
        yield Notice(line, f"{count} {kind} in 'data' skipped: not tweets")


def parse(path: Path, ctx: ParseContext) -> Iterator[Record]:
    """Every tweet in ``data`` of every line, plus notices for API errors and compliance records."""
    return records(path, ctx)


def records(path: Path, ctx: ParseContext, size: int = BATCH_ROWS) -> Iterator[Record]:
    """:func:`parse` with the posts handed on in frames of ``size`` rows."""
    posts = _Posts(size)
    for item in json_lines(path, ctx):
        if isinstance(item, Quarantine):
            yield item
            continue
        line, raw, obj, repaired = item
        yield from read_line(obj, line, raw, repaired, posts)
    frame = posts.finish()
    if frame is not None:
        yield frame
