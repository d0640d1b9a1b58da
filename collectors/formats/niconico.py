"""Niconico video comments: the legacy comment-server JSON (and nvComment v1).

The legacy comment server (``nmsg.nicovideo.jp/api.json/``, used until 2024)
answers with a flat JSON array of single-key objects: ``{"ping": ...}``
markers, ``{"thread": ...}`` headers (``resultcode`` non-zero means the
thread could not be read), ``{"leaf": ...}`` and ``{"global_num_res": ...}``
counters, and one ``{"chat": ...}`` per comment: ``thread``, ``no``, ``vpos``
(playback position in hundredths of a second), ``date`` (epoch seconds) with
``date_usec``, ``user_id``, ``mail`` (display commands such as ``184 shita``),
``content``; a deleted chat has ``deleted`` and no ``content``.

Comment numbers count within one *fork* of a thread: fork 0 is the viewers'
comments, 1 the uploader's, 2 the "easy" (かんたんコメント) ones, and the
same ``no`` occurs in several forks. So post_id is ``<thread>/<no>`` for the
main fork and ``<thread>/owner/<no>`` or ``<thread>/easy/<no>`` otherwise.
The newer nvComment v1 response (``data.threads[]`` with ``fork`` names and
``comments[]`` of ``no``, ``vposMs``, ``body``, ``postedAt``) is read into the
same ids, so one comment seen through both APIs is stored once.

Deleted chats still carry their number, time and author, so they are stored
with no text and ``extra.deleted``. The video id (``sm9``) is not in the data;
when the file name starts with it, posts get a watch URL at the comment's
position and ``extra.video``. Comments have no language field (lang empty).

A file cut off mid-array keeps every complete item before the cut; the rest
is quarantined.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from dtrack.collectors.readers.files import read_whole, strip_bom
from dtrack.collectors.readers.json_array import map_items, walk_json_array
from dtrack.collectors.readers.json_values import NotJSON, dumps_raw, loads_lenient
from dtrack.collectors.readers.times import from_epoch, parse_time
from dtrack.collectors.records import Notice, ParseContext, Quarantine, Record, SourceError

NAME = "niconico"
VERSION = "1"
DESCRIPTION = "Niconico comments: legacy comment-server JSON ([{thread}, {chat}, ...]) or nvComment v1"

#: Legacy numeric forks and their nvComment names; "main" is left out of ids.
FORKS = {0: "main", 1: "owner", 2: "easy"}
_LEGACY_RE = re.compile(rb'^\[\s*\{\s*"(ping|thread|chat|leaf|global_num_res|view_counter|numleaves)"\s*:\s*\{')
_VIDEO_RE = re.compile(r"^((?:sm|so|nm)\d+)(?!\d)")


def sniff(path: Path, head: bytes) -> bool:
    """A JSON array whose first item is a single-key legacy packet, or an
    nvComment response (``threads`` with ``vposMs`` comments)."""
    text = strip_bom(head).lstrip()
    if _LEGACY_RE.match(text):
        return True
    return text.startswith(b"{") and b'"threads"' in text and (b'"vposMs"' in text or b'"globalComments"' in text)


def _fork_name(fork: Any) -> str | None:
    if fork is None or fork == 0:
        return "main"
    if isinstance(fork, int) and not isinstance(fork, bool):
        return FORKS.get(fork, str(fork))
    if isinstance(fork, str) and re.fullmatch(r"[a-z0-9_]{1,20}", fork):
        return FORKS.get(int(fork), fork) if fork.isdigit() else fork
    return None


def comment_id(thread: Any, fork: Any, no: Any) -> str | None:
    """``<thread>/<no>``, with the fork name between for non-main forks."""
    name = _fork_name(fork)
    if isinstance(thread, int) and not isinstance(thread, bool):
        thread = str(thread)
    if not isinstance(thread, str) or not thread.isdigit() or name is None:
        return None
    if not isinstance(no, int) or isinstance(no, bool) or no < 0:
        return None
    return f"{thread}/{no}" if name == "main" else f"{thread}/{name}/{no}"


def _watch_url(video: str | None, seconds: float | None) -> str | None:
    if not video:
        return None
    return f"https://www.nicovideo.jp/watch/{video}" + (f"?from={int(seconds)}" if seconds and seconds > 0 else "")


def _epoch(date: Any, usec: Any) -> dt.datetime | None:
    if not isinstance(date, int) or isinstance(date, bool) or not 0 < date < 10**11:
        return None
    micro = usec if isinstance(usec, int) and not isinstance(usec, bool) and 0 <= usec < 10**6 else 0
    return from_epoch(date) + dt.timedelta(microseconds=micro)


def map_chat(chat: Any, item: int, video: str | None, raw: str) -> Record:
    """One legacy ``chat`` as a post dict (or a Quarantine)."""
    if not isinstance(chat, dict):
        return Quarantine(item, raw, "chat is not an object")
    post_id = comment_id(chat.get("thread"), chat.get("fork"), chat.get("no"))
    if post_id is None:
        return Quarantine(item, raw, "chat without a usable thread, fork and no")
    vpos = chat.get("vpos") if isinstance(chat.get("vpos"), int) and not isinstance(chat.get("vpos"), bool) else None
    content = chat.get("content")
    extra: dict[str, Any] = {
        "vpos": vpos,
        "fork": _fork_name(chat.get("fork")),
        **{k: chat[k] for k in ("mail", "deleted", "score", "nicoru", "premium", "anonymity") if k in chat},
    }
    return _comment(post_id, _epoch(chat.get("date"), chat.get("date_usec")) or chat.get("date"),
                    chat.get("user_id"), content, video, vpos / 100 if vpos is not None else None, extra, item, raw)


def map_v1_comment(comment: Any, thread: Any, fork: Any, item: int, video: str | None) -> Record:
    """One nvComment v1 comment as a post dict (or a Quarantine)."""
    raw = dumps_raw(comment)
    if not isinstance(comment, dict):
        return Quarantine(item, raw, "comment is not an object")
    post_id = comment_id(thread, fork, comment.get("no"))
    if post_id is None:
        return Quarantine(item, raw, "comment without a usable thread id, fork and no")
    vpos_ms = comment.get("vposMs") if isinstance(comment.get("vposMs"), int) else None
    commands = comment.get("commands") if isinstance(comment.get("commands"), list) else []
    extra = {
        "vpos": vpos_ms // 10 if vpos_ms is not None else None,
        "fork": _fork_name(fork),
        "mail": " ".join(c for c in commands if isinstance(c, str)),
        **{k: comment[k] for k in ("id", "score", "nicoruCount", "isPremium", "source") if k in comment},
    }
    return _comment(post_id, parse_time(comment.get("postedAt")) or comment.get("postedAt"), comment.get("userId"),
                    comment.get("body"), video, vpos_ms / 1000 if vpos_ms is not None else None, extra, item, raw)


def _comment(post_id: str, created: Any, author_id: Any, text: Any, video: str | None, seconds: float | None,
             extra: dict[str, Any], item: int, raw: str) -> dict[str, Any]:
    """The post record of a comment, legacy or nvComment: the same fields either way."""
    if video:
        extra["video"] = video
    return {
        "platform": "niconico",
        "post_id": post_id,
        "created_at": created,
        "author_id": author_id if isinstance(author_id, str) else None,
        "text": text if isinstance(text, str) else None,
        "url": _watch_url(video, seconds),
        "extra": extra,
        "source_line": item,
        "_raw": raw,
    }


def _packet(number: int, _line: int | None, item: Any, video: str | None) -> Record | None:
    """One legacy packet: a chat becomes a post, a failed thread a notice, the rest nothing."""
    raw = dumps_raw(item)
    if not isinstance(item, dict) or len(item) != 1:
        return Quarantine(number, raw, "not a single-key packet like {\"chat\": {...}}")
    (kind, body), = item.items()
    if kind == "chat":
        return map_chat(body, number, video, raw)
    if kind == "thread" and isinstance(body, dict) and body.get("resultcode") not in (0, None):
        return Notice(number, f"thread {body.get('thread')} fork {body.get('fork', 0)}: "
                      f"the server answered resultcode {body.get('resultcode')} (no comments)")
    return None


def _legacy(items: Iterable[tuple[int, int | None, Any] | Quarantine | Notice], video: str | None
            ) -> Iterator[Record]:
    """Comments of a legacy packet array; ``items`` as ``readers.json_array`` yields them."""
    yield from map_items(items, lambda number, line, item: _packet(number, line, item, video))


def _v1(doc: dict[str, Any], video: str | None) -> Iterator[Record]:
    data = doc.get("data") if isinstance(doc.get("data"), dict) else doc
    threads = data.get("threads")
    if not isinstance(threads, list):
        yield Quarantine(None, dumps_raw(doc)[:100_000], "no threads list")
        return
    number = 0
    for thread in threads:
        if not isinstance(thread, dict):
            number += 1
            yield Quarantine(number, dumps_raw(thread), "thread is not an object")
            continue
        for comment in thread.get("comments") if isinstance(thread.get("comments"), list) else []:
            number += 1
            yield map_v1_comment(comment, thread.get("id"), thread.get("fork"), number, video)


def parse(path: Path, ctx: ParseContext) -> Iterator[Record]:
    """Comments of one niconico comment file (a damaged legacy array keeps its complete items)."""
    data = read_whole(path, ctx.max_member_bytes)
    m = _VIDEO_RE.match(path.name)
    video = m.group(1) if m else None
    try:
        doc, _ = loads_lenient(data)
    except NotJSON:
        if not data.lstrip().startswith(b"["):
            raise SourceError("not valid JSON, and not a JSON array that could be read in part") from None
        yield from _legacy(walk_json_array(data, where=path.name, number_by="item"), video)
        ctx.progress(len(data))
        return
    if isinstance(doc, list):
        yield from _legacy(((i, None, item) for i, item in enumerate(doc, start=1)), video)
    elif isinstance(doc, dict):
        yield from _v1(doc, video)
    else:
        raise SourceError(f"a JSON {type(doc).__name__}, not a comment array")
    ctx.progress(len(data))
