"""X/Twitter "download your data" archives (and the old Grailbird archives).

What a researcher holds after "Download an archive of your data": a zip (or
the folder it unpacks to) whose ``data/`` folder has JavaScript files like
``window.YTD.tweets.part0 = [ ... ]``. This collector reads, in one source:

* ``tweets.js`` / older ``tweet.js`` and their parts ``tweets-part1.js``...
  (items ``{"tweet": {...}}``, or bare tweet objects in the oldest YTD files);
* ``community-tweet.js``: posts the account made inside X Communities. They
  are the account's own posts, absent from ``tweets.js``, so they are stored
  too, with ``community_id`` in ``extra``;
* ``deleted-tweets.js``: posts deleted before the export, stored with their
  ``deleted_at`` (ISO 8601, UTC) in ``extra``;
* ``note-tweet.js``: the full text of long posts. A note's id differs from its
  tweet's, so a note is matched to the tweet posted in the same second
  (one second either side) whose text starts like the note (links, leading
  @replies and "…" ignored); the tweet keeps its id and gets the long text,
  with ``note_tweet_id`` in ``extra``. Notes that match nothing are reported
  as notices;
* the account from ``manifest.js`` (``window.__THAR_CONFIG.userInfo``) or
  ``account.js``; without either the author is unknown and the URL is
  ``https://twitter.com/i/web/status/<id>``;
* the Grailbird archive (before 2018/19): ``data/js/tweets/YYYY_MM.js``
  starting ``Grailbird.data.tweets_YYYY_MM =``, author per tweet in ``user``
  (or ``data/js/user_details.js``), retweets with ``retweeted_status``.

Numbers in YTD files are strings and items are unsorted; ids are taken from
``id_str`` (never through a float). A retweet exists only as text ``RT @user:
…`` cut with "…": it is stored with ``is_repost``, the handle as
``repost_author`` (and ``text_truncated`` when cut) in ``extra``, and
``repost_of`` set only when the archive names the original: a media item's
``source_status_id`` whose user is the retweeted handle (Grailbird:
``retweeted_status``). Twitter's ``&amp;``/``&lt;``/``&gt;`` escapes are
decoded.

A single data file can be ingested on its own: it is read with the
``manifest.js``/``account.js`` and ``note-tweet.js`` lying next to it. A
``manifest.js`` or ``note-tweet.js`` alone holds no posts and gives a notice.

``source_line`` is the line on which an item starts (Twitter writes each item
over many lines); ``source_file`` of a post read from a zip is
``ARCHIVE!/MEMBER`` and from a folder ``FOLDER/MEMBER``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import orjson
import polars as pl

from dtrack.collectors.formats.twitter_common import PLATFORM, RT_PREFIX, id_string, retweet_text, status_url, unescape
from dtrack.collectors.readers.archives import (
    Archive,
    archive_kind,
    open_archive,
    tar_head_names,
    zip_member_head,
    zip_names,
)
from dtrack.collectors.readers.files import read_head, read_whole, strip_bom
from dtrack.collectors.readers.json_array import walk_json_array
from dtrack.collectors.readers.json_values import NotJSON, dumps_raw, loads_lenient
from dtrack.collectors.readers.times import TWITTER_TIME, parse_time, parse_times, twitter_time
from dtrack.collectors.records import BATCH_ROWS, Notice, ParseContext, Quarantine, Record, SourceError

NAME = "x_archive"
VERSION = "1"
DESCRIPTION = "X/Twitter 'download your data' archive (folder, .zip or data/*.js) and old Grailbird archives"
_YTD_RE = re.compile(rb"\A\s*(?:window\.)?YTD\.([A-Za-z0-9_]+)\.part(\d+)\s*=\s*")
_THAR_RE = re.compile(rb"\A\s*window\.__THAR_CONFIG\s*=\s*")
_GRAIL_RE = re.compile(rb"\A\s*Grailbird\.data\.tweets_(\d{4})_(\d{1,2})\s*=\s*")
_USER_DETAILS_RE = re.compile(rb"\A\s*var\s+user_details\s*=\s*")
#: YTD global names that hold posts, and what they hold.
_KINDS = {
    "tweets": "tweet", "tweet": "tweet",
    "community_tweet": "community", "community_tweets": "community",
    "deleted_tweets": "deleted", "deleted_tweet": "deleted",
    "note_tweet": "note", "note_tweets": "note",
}
_ORDER = {"note": 0, "tweet": 1, "community": 2, "deleted": 3}
_POST_FILE_RE = re.compile(r"(?:^|/)(?:tweets?|community-tweets?|deleted-tweets?|note-tweets?)(?:-part\d+)?\.js$")
_GRAIL_FILE_RE = re.compile(r"(?:^|/)js/tweets/\d{4}_\d{2}\.js$")
_GRAIL_TIME = "%Y-%m-%d %H:%M:%S %z"
#: Twitter's own layout: items at two spaces, each over many lines.
_LAYOUT_START = re.compile(rb"[ \t]*\[\n  \{\n")
_SEP = b"\n  },\n  {\n"
_SEP_RE = re.compile(re.escape(_SEP))
_CLOSE = b"\n  }\n]"
_URL_RE = re.compile(r"https?://\S+")
_MENTIONS_RE = re.compile(r"^(?:@\w+\s+)+")
_SPACE_RE = re.compile(r"\s+")
_NOTE_MATCH_CHARS = 60
#: At most this many .js files are opened when judging whether a folder is an archive.
_MAX_SNIFF_FILES = 300

_FRAME_SCHEMA = {
    "post_id": pl.String, "created_raw": pl.String, "author_id": pl.String, "author_name": pl.String,
    "text": pl.String, "lang": pl.String, "is_repost": pl.Boolean, "repost_of": pl.String,
    "reply_to": pl.String, "quote_of": pl.String, "url": pl.String, "extra": pl.String,
    "source_line": pl.Int64,
}


@dataclass
class Author:
    """The archive's account."""

    id: str | None = None
    handle: str | None = None
    name: str | None = None


# -- small helpers ---------------------------------------------------------------
def _str_id(value: Any) -> str | None:
    """An id as a string, by the rule every Twitter export shares (``twitter_common.id_string``)."""
    return id_string(value, value)


def _str(value: Any) -> str | None:
    """A text field as a string, or None when the archive holds something else there."""
    return value if isinstance(value, str) and value else None


def _load_object(data: bytes, prefix: re.Pattern[bytes]) -> Any:
    data = strip_bom(data)
    m = prefix.match(data)
    body = data[m.end():] if m else data
    return orjson.loads(body.rstrip().rstrip(b";"))


def _iso(value: Any) -> str | None:
    parsed = parse_time(value)
    return parsed.isoformat().replace("+00:00", "Z") if parsed else (str(value) if value is not None else None)


def _in_data_dir(name: str) -> bool:
    return PurePosixPath(name).parent.name in ("", "data")


def _classify(head: bytes) -> tuple[str, int] | None:
    """(kind, part) of a data file from its first bytes: tweet/community/deleted/note,
    grailbird, manifest, account, user_details; None when not an archive file."""
    head = strip_bom(head)
    m = _YTD_RE.match(head)
    if m:
        name = m.group(1).decode()
        if name in _KINDS:
            return _KINDS[name], int(m.group(2))
        if name == "account":
            return "account", 0
        return None
    if _THAR_RE.match(head):
        return "manifest", 0
    m = _GRAIL_RE.match(head)
    if m:
        return "grailbird", int(m.group(1)) * 100 + int(m.group(2))
    if _USER_DETAILS_RE.match(head):
        return "user_details", 0
    return None


def _author_from(kind: str, data: bytes) -> Author | None:
    """The account named by a manifest.js, account.js or user_details.js."""
    try:
        if kind == "manifest":
            info = _load_object(data, _THAR_RE).get("userInfo") or {}
            return Author(_str_id(info.get("accountId")), _str(info.get("userName")), _str(info.get("displayName")))
        if kind == "account":
            items = _load_object(data, _YTD_RE)
            acc = (items[0] or {}).get("account") or {}
            return Author(_str_id(acc.get("accountId")), _str(acc.get("username")), _str(acc.get("accountDisplayName")))
        if kind == "user_details":
            info = _load_object(data, _USER_DETAILS_RE)
            return Author(_str_id(info.get("id")), _str(info.get("screen_name")), _str(info.get("full_name")))
    except (orjson.JSONDecodeError, AttributeError, IndexError, KeyError, TypeError):
        return None
    return None


# -- note tweets -------------------------------------------------------------------
def _comparable(text: str) -> str:
    """Text reduced to what a tweet's cut text and its note share."""
    text = _URL_RE.sub(" ", text)
    text = _MENTIONS_RE.sub("", text.lstrip())
    return _SPACE_RE.sub(" ", text.replace("…", " ")).strip().casefold()


@dataclass
class _Note:
    id: str
    created: str
    text: str
    comparable: str
    used: bool = False


@dataclass
class NoteIndex:
    """Long-post texts from note-tweet.js, found by the tweet's created_at string."""

    by_time: dict[str, list[_Note]] = field(default_factory=dict)
    notes: list[_Note] = field(default_factory=list)

    def add(self, item: Any, line: int | None, where: str) -> Quarantine | None:
        note = item.get("noteTweet") if isinstance(item, dict) else None
        if not isinstance(note, dict):
            return Quarantine(line, dumps_raw(item), f"{where}: not a {{noteTweet: ...}} item")
        core = note.get("core") if isinstance(note.get("core"), dict) else {}
        text = core.get("text")
        created = parse_time(note.get("createdAt"))
        if not isinstance(text, str) or created is None:
            return Quarantine(line, dumps_raw(item), f"{where}: note tweet without text or createdAt")
        entry = _Note(str(note.get("noteTweetId") or ""), str(note.get("createdAt")), text, _comparable(text))
        self.notes.append(entry)
        second = created.replace(microsecond=0)
        for delta in (-1, 0, 1):
            key = twitter_time(second + dt.timedelta(seconds=delta))
            self.by_time.setdefault(key, []).append(entry)
        return None

    def match(self, created_raw: str, text: str) -> _Note | None:
        """The unused note posted within a second of ``created_raw`` whose text starts
        like ``text``; None when there is no such note."""
        candidates = [n for n in self.by_time.get(created_raw, ()) if not n.used]
        if not candidates:
            return None
        mine = _comparable(text)
        if not mine:
            chosen = candidates[0] if len(candidates) == 1 else None
        else:
            probe = mine[:_NOTE_MATCH_CHARS]
            chosen = next((n for n in candidates if n.comparable.startswith(probe[: len(n.comparable)])
                           and n.comparable), None)
        if chosen:
            chosen.used = True
        return chosen

    def unmatched(self) -> list[_Note]:
        return [n for n in self.notes if not n.used]


# -- items -----------------------------------------------------------------------
def _layout_items(data: bytes, offset: int, where: str) -> Iterator[tuple[int, Any] | Quarantine | Notice] | None:
    """Items of an array in Twitter's own layout, batch-parsed with orjson, with the
    line each starts on; None when the file is laid out some other way."""
    m = _LAYOUT_START.match(data, offset)
    if not m:
        return None
    return _layout_batches(data, m.end() - 2, where)


def _layout_batches(data: bytes, first: int, where: str) -> Iterator[tuple[int, Any] | Quarantine | Notice]:
    seps = [m.start() for m in _SEP_RE.finditer(data, first)]
    starts = [first, *(s + 8 for s in seps)]
    ends = [s + 4 for s in seps]
    closing = data.rfind(_CLOSE)
    truncated = closing < starts[-1]
    if truncated:
        ends.append(len(data))
    else:
        ends.append(closing + 4)
        trailer = data[closing + len(_CLOSE):].strip().lstrip(b";").strip()
        if trailer:
            yield Notice(None, f"{where}: text after the closing ']' was ignored: {trailer[:40]!r}")
    lines = [1 + data.count(b"\n", 0, first)]
    for k in range(1, len(starts)):
        lines.append(lines[-1] + data.count(b"\n", starts[k - 1], starts[k]))
    total = len(starts)
    for lo in range(0, total, BATCH_ROWS):
        hi = min(lo + BATCH_ROWS, total)
        items: list[Any] | None = None
        if not (truncated and hi == total):
            try:
                parsed = orjson.loads(b"[" + data[starts[lo]:ends[hi - 1]] + b"]")
                items = parsed if isinstance(parsed, list) and len(parsed) == hi - lo else None
            except orjson.JSONDecodeError:
                items = None
        if items is not None:
            for k, item in enumerate(items, lo):
                yield lines[k], item
            continue
        for k in range(lo, hi):
            raw = data[starts[k]:ends[k]]
            try:
                yield lines[k], loads_lenient(raw)[0]
            except NotJSON as exc:
                text = raw.decode("utf-8", "replace")
                if truncated and k == total - 1:
                    reason = (f"{where}: the file ends inside the item starting on line {lines[k]}: "
                              "a half-written or truncated file; this item was not read")
                else:
                    reason = (f"{where}: the item starting on line {lines[k]} is not valid JSON: {exc.msg} "
                              f"(line {lines[k] + exc.lineno - 1}, column {exc.colno})")
                yield Quarantine(lines[k], text, reason)


def iter_items(data: bytes, offset: int, where: str) -> Iterator[tuple[int, Any] | Quarantine | Notice]:
    """(line, item) for every item of the array at ``data[offset:]``, damage quarantined."""
    fast = _layout_items(data, offset, where)
    if fast is not None:
        yield from fast
        return
    for rec in walk_json_array(data, offset=offset, where=where):
        if isinstance(rec, Quarantine | Notice):
            yield rec
        else:
            _, line, item = rec
            yield line or 0, item


@dataclass
class _Batch:
    """Column lists for one batch of posts, plus the raw items for quarantine."""

    cols: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in _FRAME_SCHEMA})
    items: list[Any] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items)


class _Mapper:
    """Turns tweet objects of one source into post rows."""

    def __init__(self, author: Author, notes: NoteIndex, ctx: ParseContext) -> None:
        self.author = author
        self.notes = notes
        self.ctx = ctx

    def add(self, batch: _Batch, item: Any, line: int, kind: str, where: str) -> Quarantine | None:
        tweet = item.get("tweet") if isinstance(item, dict) else None
        if not isinstance(tweet, dict):
            tweet = item if isinstance(item, dict) and ("id_str" in item or "full_text" in item) else None
        if tweet is None:
            return Quarantine(line, dumps_raw(item),
                              f"{where}: the item on line {line} is not a tweet object")
        post_id = _str_id(tweet.get("id_str")) or _str_id(tweet.get("id"))
        if post_id is None:
            lost = isinstance(tweet.get("id"), float)
            return Quarantine(line, dumps_raw(item),
                              f"{where}: the tweet on line {line} has no usable id"
                              + (" (a float id has lost digits)" if lost else ""))
        text = tweet.get("full_text")
        if not isinstance(text, str):
            text = tweet.get("text") if isinstance(tweet.get("text"), str) else ""
        text = unescape(text)
        created_raw = tweet.get("created_at")
        created_raw = created_raw if isinstance(created_raw, str) else None
        extra: dict[str, Any] = {}
        author = self.author
        user = tweet.get("user")
        if isinstance(user, dict) and (user.get("screen_name") or user.get("id_str")):
            author = Author(_str_id(user.get("id_str")) or _str_id(user.get("id")), _str(user.get("screen_name")),
                            _str(user.get("name")))
        is_repost = False
        repost_of = None
        retweeted = tweet.get("retweeted_status")
        if isinstance(retweeted, dict):  # Grailbird names the original
            is_repost = True
            repost_of = _str_id(retweeted.get("id_str")) or _str_id(retweeted.get("id"))
            ruser = retweeted.get("user") if isinstance(retweeted.get("user"), dict) else {}
            handle = _str(ruser.get("screen_name"))
            extra["repost_author"] = handle
            full = retweeted.get("full_text") or retweeted.get("text")
            if isinstance(full, str) and handle:
                text = retweet_text(text, handle, unescape(full))
        elif (m := RT_PREFIX.match(text)) is not None:
            is_repost = True
            handle = m.group(1)
            extra["repost_author"] = handle
            repost_of = _original_from_media(tweet, handle)
            if text.endswith("…"):
                extra["text_truncated"] = True
        if self.notes.notes and created_raw and not is_repost:
            note = self.notes.match(created_raw, text)
            if note is not None:
                lead = _MENTIONS_RE.match(text)
                keep_lead = lead is not None and not note.text.startswith(lead.group(0).strip())
                text = lead.group(0) + note.text if keep_lead and lead else note.text
                extra["note_tweet_id"] = note.id
        if kind == "deleted":
            extra["deleted_at"] = _iso(tweet.get("deleted_at"))
        elif kind == "community":
            extra["community_id"] = _str_id(tweet.get("community_id_str")) or _str_id(tweet.get("community_id"))
        edit = (tweet.get("edit_info") or {}).get("edit") if isinstance(tweet.get("edit_info"), dict) else None
        if isinstance(edit, dict):
            initial = _str_id(edit.get("initialTweetId"))
            if initial and initial != post_id:
                extra["edit_of"] = initial
        cols = batch.cols
        cols["post_id"].append(post_id)
        cols["created_raw"].append(created_raw)
        cols["author_id"].append(author.id)
        cols["author_name"].append(author.handle)
        cols["text"].append(text)
        lang = tweet.get("lang")
        cols["lang"].append(lang if isinstance(lang, str) and lang else None)
        cols["is_repost"].append(is_repost)
        cols["repost_of"].append(repost_of)
        cols["reply_to"].append(_str_id(tweet.get("in_reply_to_status_id_str"))
                                or _str_id(tweet.get("in_reply_to_status_id")))
        cols["quote_of"].append(_str_id(tweet.get("quoted_status_id_str")) or _str_id(tweet.get("quoted_status_id")))
        cols["url"].append(status_url(author.handle, post_id))
        cols["extra"].append(dumps_raw(extra) if extra else None)
        cols["source_line"].append(line)
        batch.items.append(item)
        return None

    def frame(self, batch: _Batch, source_file: str | None, where: str) -> Iterator[Record]:
        """The batch as a post frame; rows whose time cannot be read are quarantined."""
        if not len(batch):
            return
        frame = pl.DataFrame(batch.cols, schema=_FRAME_SCHEMA)
        created = parse_times(frame.get_column("created_raw"), (TWITTER_TIME, _GRAIL_TIME), self.ctx.tz)
        bad = created.is_null()
        if bad.any():
            for idx in bad.arg_true().to_list():
                line = batch.cols["source_line"][idx]
                yield Quarantine(line, dumps_raw(batch.items[idx]),
                                 f"{where}: the tweet on line {line} has no readable created_at "
                                 f"({batch.cols['created_raw'][idx]!r})")
        frame = frame.with_columns(created_at=created).filter(~bad).drop("created_raw").with_columns(
            platform=pl.lit(PLATFORM), source_file=pl.lit(source_file, dtype=pl.String))
        if frame.height:
            yield frame


def _original_from_media(tweet: dict[str, Any], handle: str) -> str | None:
    """The retweeted post's id, when a media item of the retweet says it came from a
    post by ``handle`` (archives give no other trace of the original)."""
    entities = tweet.get("entities") if isinstance(tweet.get("entities"), dict) else {}
    extended = tweet.get("extended_entities") if isinstance(tweet.get("extended_entities"), dict) else {}
    mentions = entities.get("user_mentions") if isinstance(entities.get("user_mentions"), list) else []
    user_ids = {_str_id(u.get("id_str")) for u in mentions
                if isinstance(u, dict) and str(u.get("screen_name", "")).casefold() == handle.casefold()}
    user_ids.discard(None)
    media_lists = (extended.get("media"), entities.get("media"))
    for media in (m for lst in media_lists if isinstance(lst, list) for m in lst):
        if not isinstance(media, dict):
            continue
        source = _str_id(media.get("source_status_id_str")) or _str_id(media.get("source_status_id"))
        if not source:
            continue
        source_user = _str_id(media.get("source_user_id_str")) or _str_id(media.get("source_user_id"))
        expanded = str(media.get("expanded_url") or "").casefold()
        if (source_user and source_user in user_ids) or f"/{handle.casefold()}/status/{source}" in expanded:
            return source
    return None


# -- files -------------------------------------------------------------------------
def parse_data_file(data: bytes, *, kind: str, where: str, mapper: _Mapper, source_file: str | None
                    ) -> Iterator[Record]:
    """Posts of one tweets/community/deleted/Grailbird file (``kind``)."""
    data = strip_bom(data)
    m = (_GRAIL_RE if kind == "grailbird" else _YTD_RE).match(data)
    if not m:
        raise SourceError(f"{where}: does not start like an X archive data file")
    batch = _Batch()
    for rec in iter_items(data, m.end(), where):
        if isinstance(rec, Quarantine | Notice):
            yield rec
            continue
        line, item = rec
        problem = mapper.add(batch, item, line, kind, where)
        if problem is not None:
            yield problem
        if len(batch) >= BATCH_ROWS:
            yield from mapper.frame(batch, source_file, where)
            batch = _Batch()
    yield from mapper.frame(batch, source_file, where)


def read_notes(data: bytes, where: str, notes: NoteIndex) -> Iterator[Record]:
    """Load a note-tweet.js into ``notes``; yields what could not be read."""
    data = strip_bom(data)
    m = _YTD_RE.match(data)
    if not m:
        return
    for rec in iter_items(data, m.end(), where):
        if isinstance(rec, Quarantine | Notice):
            yield rec
            continue
        problem = notes.add(rec[1], rec[0], where)
        if problem is not None:
            yield problem


@dataclass
class _DataFile:
    name: str
    kind: str
    part: int


# -- detection ------------------------------------------------------------
def sniff(path: Path, head: bytes) -> bool:
    """An export folder, zip or tar with X archive data files, or one such data file."""
    kind = archive_kind(path, head)
    if kind == "dir":
        return _folder_is_archive(path)
    if kind == "zip":
        return _zip_is_archive(path)
    if kind == "tar":
        return any(_is_candidate(n) for n in tar_head_names(head))
    found = _classify(head)
    return found is not None and found[0] in ("tweet", "community", "deleted", "note", "grailbird", "manifest")


# -- reading ---------------------------------------------------------------
def parse(path: Path, ctx: ParseContext) -> Iterator[Record]:
    """The posts of an archive (folder, zip, tar) or of a single data file."""
    head = read_head(path)
    display = ctx.display_name or str(path)
    if archive_kind(path, head) is None:
        yield from _parse_file(path, head, display, ctx)
        return
    with open_archive(path, max_member_bytes=ctx.max_member_bytes, display=display, head=head) as arc:
        yield from _parse_archive(arc, display, ctx)


def _parse_file(path: Path, head: bytes, display: str, ctx: ParseContext) -> Iterator[Record]:
    found = _classify(head)
    if found is None:
        raise SourceError(f"{display}: not an X archive data file (no 'window.YTD....' or Grailbird header)")
    kind = found[0]
    if kind == "manifest":
        yield Notice(None, "manifest.js describes an X archive but holds no posts; ingest the archive folder "
                           "or its .zip")
        return
    if kind == "note":
        yield Notice(None, "note-tweet.js holds only the long texts of posts in tweets.js; ingest the archive "
                           "folder or its .zip (or tweets.js next to it) to attach them")
        return
    if kind not in ("tweet", "community", "deleted", "grailbird"):
        raise SourceError(f"{display}: an X archive file without posts ({kind})")
    author, notes = Author(), NoteIndex()
    if kind != "grailbird":
        author, notes = yield from _siblings(path)
    data = read_whole(path, ctx.max_member_bytes)
    yield from parse_data_file(data, kind=kind, where=path.name, mapper=_Mapper(author, notes, ctx),
                               source_file=None)


def _parse_archive(arc: Archive, display: str, ctx: ParseContext) -> Iterator[Record]:
    names = [n for n in arc.names() if _is_data_js(n) or _is_side_file(n)]
    # A tar is read as a stream: one pass for all candidates instead of one per file.
    cache = dict(arc.read_many(names)) if arc.kind == "tar" else {}

    def head(name: str) -> bytes:
        return cache[name][:256] if name in cache else arc.read_head(name, 256)

    def read(name: str) -> bytes:
        return cache.pop(name) if name in cache else arc.read(name)

    files: list[_DataFile] = []
    side: dict[str, Author] = {}
    for name in names:
        found = _classify(head(name))
        if found is None:
            if _is_candidate(name):
                yield Notice(None, f"{name}: not an X archive data file; skipped")
            continue
        kind, part = found
        if kind in ("manifest", "account", "user_details"):
            who = _author_from(kind, read(name))
            if who is not None and kind not in side:
                side[kind] = who
            continue
        files.append(_DataFile(name, kind, part))
    author = side.get("manifest") or side.get("account") or side.get("user_details") or Author()
    if not any(f.kind != "note" for f in files):
        raise SourceError(f"{display}: no tweets.js, tweet.js or Grailbird data/js/tweets/*.js in this "
                          f"{'folder' if arc.kind == 'dir' else 'archive'}")
    files.sort(key=lambda f: (_ORDER.get(f.kind, 4), f.part, f.name))
    notes = NoteIndex()
    mapper = _Mapper(author, notes, ctx)
    done = 0
    for f in files:
        data = read(f.name)
        done += len(data)
        if f.kind == "note":
            yield from read_notes(data, f.name, notes)
            continue
        source_file = f"{display}/{f.name}" if arc.kind == "dir" else f"{display}!/{f.name}"
        yield from parse_data_file(data, kind=f.kind, where=f.name, mapper=mapper, source_file=source_file)
        ctx.progress(done)
    for note in notes.unmatched():
        yield Notice(None, f"note tweet {note.id} ({note.created}) matched no post in this archive; "
                           "its long text was not stored")


def _siblings(path: Path) -> Iterator[Record]:
    """Account and note tweets from files next to a single data file (a generator
    that returns ``(author, notes)``)."""
    author: Author | None = None
    notes = NoteIndex()
    try:
        neighbours = sorted(p for p in path.parent.iterdir() if p.is_file() and p != path)
    except OSError:
        return Author(), notes
    for kind_wanted in ("manifest", "account"):
        for p in neighbours:
            if author is None and p.name in ("manifest.js", "account.js"):
                found = _classify(read_head(p, 256))
                if found and found[0] == kind_wanted:
                    author = _author_from(kind_wanted, p.read_bytes())
    for p in neighbours:
        if re.fullmatch(r"note-tweets?(?:-part\d+)?\.js", p.name):
            found = _classify(read_head(p, 256))
            if found and found[0] == "note":
                for rec in read_notes(p.read_bytes(), p.name, notes):
                    if isinstance(rec, Quarantine):
                        yield rec
    return author or Author(), notes


def _is_candidate(name: str) -> bool:
    """A member whose name says it holds posts."""
    return (bool(_POST_FILE_RE.search(name)) and _in_data_dir(name)) or bool(_GRAIL_FILE_RE.search(name))


def _is_data_js(name: str) -> bool:
    """A member that may hold posts whatever its name (its content decides)."""
    return (name.endswith(".js") and _in_data_dir(name)) or bool(_GRAIL_FILE_RE.search(name))


def _is_side_file(name: str) -> bool:
    base = PurePosixPath(name)
    if base.name in ("manifest.js", "account.js"):
        return _in_data_dir(name)
    return base.name == "user_details.js" and base.parent.name == "js"


def _folder_is_archive(path: Path) -> bool:
    """An export folder: a tweets/manifest file at its top or in data/, or Grailbird
    monthly files; judged from the files' first bytes, without walking the tree."""
    for sub in (path, path / "data"):
        try:
            entries = [p for p in sub.iterdir() if p.is_file()]
        except OSError:
            continue
        for p in sorted(e for e in entries if e.suffix == ".js")[:_MAX_SNIFF_FILES]:
            found = _classify(read_head(p, 256))
            if found and found[0] in ("tweet", "community", "deleted", "manifest"):
                return True
    for sub in (path / "data" / "js" / "tweets", path / "js" / "tweets"):
        try:
            monthly = sorted(p for p in sub.iterdir() if _GRAIL_FILE_RE.search("js/tweets/" + p.name))
        except OSError:
            continue
        if monthly and (found := _classify(read_head(monthly[0], 256))) and found[0] == "grailbird":
            return True
    return False


def _zip_is_archive(path: Path) -> bool:
    candidates = [n for n in zip_names(path) if _is_candidate(n) or (n.endswith("manifest.js") and _in_data_dir(n))]
    for name in candidates[:5]:
        found = _classify(zip_member_head(path, name, 256))
        if found and found[0] in ("tweet", "community", "deleted", "manifest", "grailbird"):
            return True
    return False
