"""Twitter API v1.1 statuses: one a line (streaming, twarc 1), a JSON array, or a search response.

The three containers researchers hold, all read here:

* JSON lines, one status a line (the streaming API, twarc 1, tweepy dumps);
  stream control messages on their own line (``delete``, ``limit``,
  ``scrub_geo``, ``status_withheld``, ``warning``, ``disconnect``...) become
  notices, since they are the stream's reports, not posts;
* one JSON document: an array of statuses, a REST search response
  ``{"statuses": [...], "search_metadata": {...}}``, or a single status
  (pretty-printed or not); such a document is read whole, so it is limited
  to ``ctx.max_member_bytes``;
* a search response on each line (several pages appended).

Rules, from Twitter's documentation of the v1.1 object: the id is
``id_str``, never the number ``id`` (above 2^53 a JSON number read as a
float has lost digits; an integer id is used only when it is at most 2^53
and there is no ``id_str``); the text is ``extended_tweet.full_text`` (the
streaming API's extended tweets), then ``full_text`` (REST extended mode),
then ``text``; a status with ``retweeted_status`` is a retweet: stored as a
repost of that status with text "RT @user: " + its full text (see
``collectors.twitter_common``); ``quoted_status_id_str`` makes the quoted id
``quote_of`` (the quoted status itself is context, not stored). A text that
Twitter cut and gave no full version of (REST compatibility mode,
``truncated: true``) is kept as it is, marked ``extra.text_truncated``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dtrack.collectors.formats.batching import batched
from dtrack.collectors.formats.twitter_common import id_string, retweet_text, tweet_post, unescape
from dtrack.collectors.readers.files import read_whole, strip_bom
from dtrack.collectors.readers.json_array import map_items, walk_json_array
from dtrack.collectors.readers.json_lines import json_lines
from dtrack.collectors.readers.json_values import NotJSON, loads_lenient, sniff_json
from dtrack.collectors.readers.json_values import dumps_raw as dumps
from dtrack.collectors.readers.times import TWITTER_TIME, time_text
from dtrack.collectors.records import Notice, ParseContext, Quarantine, Record

NAME = "twitter_v1"
VERSION = "1"
DESCRIPTION = "Twitter API v1.1 statuses (JSON lines, a JSON array or a search response)"

#: Stream messages that are not statuses, by their one top-level key.
CONTROL_KEYS = ("delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "warning", "disconnect",
                "friends", "friends_str", "event", "for_user", "control")
_DATE = r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}"
_TWITTER_DATE = re.compile(rb'"created_at"\s*:\s*"' + _DATE.encode() + rb'"')
_IS_TWITTER_DATE = re.compile(_DATE + r"\Z")
#: v1.1 times ("Mon Aug 29 03:00:00 +0000 2022"), parsed a batch at a time.
TIME_FORMAT = TWITTER_TIME


# -- sniffing ------------------------------------------------------------------
def _is_status(obj: Any) -> bool:
    return (isinstance(obj, dict) and ("id_str" in obj or isinstance(obj.get("id"), int))
            and isinstance(obj.get("created_at"), str) and bool(_IS_TWITTER_DATE.match(obj["created_at"]))
            and any(k in obj for k in ("text", "full_text", "extended_tweet")))


def _is_v1_value(obj: Any) -> bool:
    if isinstance(obj, list):
        return bool(obj) and _is_status(obj[0])
    if not isinstance(obj, dict):
        return False
    statuses = obj.get("statuses")
    if isinstance(statuses, list) and "data" not in obj:
        return not statuses or _is_status(statuses[0])
    if len(obj) <= 2 and any(k in obj for k in ("delete", "limit", "scrub_geo", "status_withheld")):
        return isinstance(next(iter(obj.values())), dict)
    return _is_status(obj)


def sniff(path: Path, head: bytes) -> bool:
    """A status (or array / search response of statuses) with Twitter's v1.1 date format."""
    return sniff_json(head, _is_v1_value, _v1_markers)


def _v1_markers(text: bytes) -> bool:
    """A first value too long for the head: judged by the keys and the date format it shows."""
    if not text.startswith((b"{", b"[")):
        return False
    return b'"id_str"' in text and bool(_TWITTER_DATE.search(text)) and (
        b'"text"' in text or b'"full_text"' in text) and b'"__twarc"' not in text[:4096]


# -- mapping -------------------------------------------------------------------
def _text(status: Mapping[str, Any]) -> str | None:
    extended = status.get("extended_tweet")
    if isinstance(extended, dict) and isinstance(extended.get("full_text"), str):
        return unescape(extended["full_text"])
    for key in ("full_text", "text"):
        if isinstance(status.get(key), str):
            return unescape(status[key])
    return None


def _has_full_text(status: Mapping[str, Any]) -> bool:
    extended = status.get("extended_tweet")
    if isinstance(extended, dict) and isinstance(extended.get("full_text"), str):
        return True
    return isinstance(status.get("full_text"), str) and not status.get("truncated")


def map_status(status: Any, line: int, repaired: bool = False) -> Record:
    """One v1.1 status as a post record; a control message as a notice; else why not."""
    if not isinstance(status, dict):
        return Quarantine(line, dumps(status), f"a JSON {type(status).__name__}, not a status object")
    if "id_str" not in status and "id" not in status:
        key = next((k for k in CONTROL_KEYS if k in status), None)
        if key is not None:
            return Notice(line, _control_message(key, status[key]))
        return Quarantine(line, dumps(status), "not a status (no id_str) nor a stream message")
    post_id = id_string(status.get("id_str"), status.get("id"))
    if post_id is None:
        return Quarantine(line, dumps(status), "status without a usable id_str (a numeric id above 2^53 may "
                                               f"have lost digits): id={status.get('id')!r}")
    created = time_text(status.get("created_at"), _IS_TWITTER_DATE)
    if created is None:
        return Quarantine(line, dumps(status), f"status {post_id}: created_at missing or unreadable: "
                                               f"{status.get('created_at')!r}")
    user = status.get("user") if isinstance(status.get("user"), dict) else {}
    username = user.get("screen_name") if isinstance(user.get("screen_name"), str) and user.get(
        "screen_name") else None
    text = _text(status)
    extra: dict[str, Any] = {}
    repost_of = None
    retweeted = status.get("retweeted_status")
    if isinstance(retweeted, dict):
        repost_of = id_string(retweeted.get("id_str"), retweeted.get("id"))
        full = _text(retweeted)
        if full is not None:
            rt_user = retweeted.get("user") if isinstance(retweeted.get("user"), dict) else {}
            rt_name = rt_user.get("screen_name") if isinstance(rt_user.get("screen_name"), str) else None
            text = retweet_text(text, rt_name, full)
            if retweeted.get("truncated") and not _has_full_text(retweeted):
                extra["text_truncated"] = True
    elif status.get("truncated") and not _has_full_text(status):
        extra["text_truncated"] = True
    quoted = status.get("quoted_status") if isinstance(status.get("quoted_status"), dict) else {}
    quote_of = id_string(status.get("quoted_status_id_str"), status.get("quoted_status_id")) or id_string(
        quoted.get("id_str"), quoted.get("id"))
    reply_to = id_string(status.get("in_reply_to_status_id_str"), status.get("in_reply_to_status_id"))
    return tweet_post(post_id=post_id, created=created, author_id=id_string(user.get("id_str"), user.get("id")),
                      username=username, display_name=user.get("name"), text=text, lang=status.get("lang"),
                      is_repost=isinstance(retweeted, dict), repost_of=repost_of, reply_to=reply_to,
                      quote_of=quote_of, extra=extra, line=line, repaired=repaired)


def _control_message(key: str, body: Any) -> str:
    if key == "delete" and isinstance(body, dict) and isinstance(body.get("status"), dict):
        st = body["status"]
        who = st.get("user_id_str") or st.get("user_id")
        return f"stream: status {st.get('id_str') or st.get('id')} deleted" + (f" by user {who}" if who else "")
    if key == "limit" and isinstance(body, dict):
        return f"stream limit: {body.get('track')} matching statuses were not delivered"
    return f"stream message {key}: {dumps(body)[:300]}"


def _read_value(value: Any, line: int | None, repaired: bool) -> Iterator[Record]:
    """Statuses from one parsed value; ``line`` None numbers array items 1, 2, ..."""
    if isinstance(value, list):
        for number, item in enumerate(value, 1):
            yield map_status(item, line if line is not None else number, repaired)
    elif isinstance(value, dict) and isinstance(value.get("statuses"), list) and "id_str" not in value:
        for number, item in enumerate(value["statuses"], 1):
            yield map_status(item, line if line is not None else number, repaired)
    else:
        yield map_status(value, line if line is not None else 1, repaired)


def _starts_with(path: Path) -> bytes:
    with open(path, "rb") as fh:
        while chunk := fh.read(4096):
            stripped = strip_bom(chunk).lstrip()
            if stripped:
                return stripped[:1]
    return b""


def _first_line_is_json(path: Path) -> bool:
    with open(path, "rb") as fh:
        for line in fh:
            body = strip_bom(line).strip()
            if body:
                try:
                    loads_lenient(body)
                    return True
                except NotJSON:
                    return False
    return True


def _load_document(path: Path, ctx: ParseContext) -> tuple[bytes, Any, bool]:
    """The whole file as one JSON value: (bytes, value, repaired); raises NotJSON."""
    data = read_whole(path, ctx.max_member_bytes, "a single JSON document", "split it into one status a line")
    ctx.progress(len(data))
    try:
        value, repaired = loads_lenient(data)
    except NotJSON as exc:
        exc.data = data  # type: ignore[attr-defined]
        raise
    return data, value, repaired


def salvage_array(data: bytes, where: str) -> Iterator[Record]:
    """The complete items of a JSON array that was cut off (a half-written export),
    then the unreadable rest as one quarantined record (``readers.json_array``)."""
    items = walk_json_array(data, where=where, number_by="item")
    yield from map_items(items, lambda number, _line, item: map_status(item, number, False))


def parse(path: Path, ctx: ParseContext) -> Iterator[Record]:
    """Every status of ``path`` (see the module docstring for the containers)."""
    yield from batched(_records(path, ctx), TIME_FORMAT)


def _records(path: Path, ctx: ParseContext) -> Iterator[Record]:
    start = _starts_with(path)
    if start == b"[" or (start == b"{" and not _first_line_is_json(path)):
        try:
            _data, value, repaired = _load_document(path, ctx)
        except NotJSON as exc:
            if start == b"[":
                yield from salvage_array(exc.data, path.name)  # type: ignore[attr-defined]
                return
            # not one document either: read it line by line, quarantining the broken lines
        else:
            yield from _read_value(value, None, repaired)
            return
    for item in json_lines(path, ctx):
        if isinstance(item, Quarantine):
            yield item
            continue
        line, _raw, value, repaired = item
        yield from _read_value(value, line, repaired)
