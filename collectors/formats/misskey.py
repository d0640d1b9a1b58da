"""Misskey notes export (Settings → Import and export → Notes → Export).

The export is one JSON array (``notes-YYYY-MM-DD-HH-mm-ss.json``) of the
account's notes: ``id`` (an aid, unique on its server), ``text``,
``createdAt`` (ISO 8601), ``fileIds``/``files``, ``replyId``, ``renoteId``,
``poll``, ``cw``, ``visibility`` (public, home, followers, specified),
``visibleUserIds``, ``localOnly``.

* A pure renote (``renoteId`` with no ``text``, ``cw``, files or poll, Misskey's
  own definition) is a repost: ``is_repost`` and ``repost_of`` = ``renoteId``.
  A renote with text is a quote: an original post with ``quote_of``.
* ``cw``, ``visibility`` and ``localOnly`` go to ``extra``; ``reply_to`` is
  ``replyId``.
* The export names neither the account nor the server, so ``author_id``,
  ``author_name`` and ``url`` stay empty (dtrack does not guess them).

``source_line`` is the note's position in the array. A cut or damaged file
keeps every note before the damage (see ``collectors.jsonarray``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dtrack.collectors.readers.files import read_whole, strip_bom
from dtrack.collectors.readers.json_array import iter_json_array, map_items
from dtrack.collectors.readers.json_values import dumps_raw
from dtrack.collectors.records import ParseContext, Quarantine, Record

NAME = "misskey"
VERSION = "1"
DESCRIPTION = "Misskey notes export (JSON array of notes)"
PLATFORM = "misskey"

_KEYS = (b'"createdAt"', b'"renoteId"', b'"visibility"')
_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\[\s*\{")


def is_pure_renote(note: dict[str, Any]) -> bool:
    """Misskey's own test: a renote with no text, cw, files or poll of its own."""
    return (note.get("renoteId") is not None and note.get("text") is None and note.get("cw") is None
            and not note.get("fileIds") and not note.get("files") and note.get("poll") is None)


def map_note(note: Any, number: int, where: str) -> dict[str, Any] | Quarantine:
    """One exported note as a post dict (or a Quarantine)."""
    raw = dumps_raw(note)
    if not isinstance(note, dict):
        return Quarantine(number, raw, f"{where}: item {number} is not a note object")
    note_id = note.get("id")
    if isinstance(note_id, int) and not isinstance(note_id, bool):
        note_id = str(note_id)  # not Misskey's own shape, but exact (never via a float)
    if not isinstance(note_id, str) or not note_id.strip():
        lost = " (a float id has lost digits)" if isinstance(note_id, float) else ""
        return Quarantine(number, raw, f"{where}: note {number} has no usable id{lost}")
    renote = note.get("renoteId") if isinstance(note.get("renoteId"), str) else None
    pure = is_pure_renote(note) and renote is not None
    text = note.get("text") if isinstance(note.get("text"), str) else None
    extra: dict[str, Any] = {}
    if isinstance(note.get("visibility"), str):
        extra["visibility"] = note["visibility"]
    if isinstance(note.get("cw"), str):
        extra["cw"] = note["cw"]
    if note.get("localOnly") is True:
        extra["local_only"] = True
    files = note.get("fileIds") or note.get("files") or []
    if isinstance(files, list) and files:
        extra["files"] = len(files)
    return {
        "platform": PLATFORM, "post_id": note_id.strip(), "created_at": note.get("createdAt"),
        "text": text, "is_repost": pure, "repost_of": renote if pure else None,
        "quote_of": renote if renote and not pure else None,
        "reply_to": note.get("replyId") if isinstance(note.get("replyId"), str) else None,
        "extra": extra, "source_line": number, "_raw": raw,
    }


def sniff(path: Path, head: bytes) -> bool:
    """A JSON array whose first item is a note (id, createdAt, text, renoteId or visibility)."""
    if not head or not _START.match(head):
        return False
    text = strip_bom(head).decode("utf-8", "ignore").lstrip()[1:].lstrip()
    try:
        first, _ = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError:  # the first note is longer than the head: judge by its keys
        return all(key in head for key in _KEYS)
    return (isinstance(first, dict) and isinstance(first.get("id"), str) and "createdAt" in first
            and "text" in first and ("renoteId" in first or "visibility" in first))


def parse(path: Path, ctx: ParseContext) -> Iterator[Record]:
    """Every note of the export; damage quarantined, the notes before it kept."""
    where = path.name
    items = iter_json_array(read_whole(path, ctx.max_member_bytes), where=where, number_by="item")
    yield from map_items(items, lambda number, _line, note: map_note(note, number, where))
