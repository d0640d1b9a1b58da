"""Mastodon account archives: ``archive-*.tar.gz`` / ``.zip``, the folder, or ``outbox.json``.

"Request your archive" in Mastodon's settings gives a tar.gz (a zip since
4.x) holding ``outbox.json``, an ActivityStreams ``OrderedCollection`` of the
account's activities, and ``actor.json`` (the account), next to media. Only
the two JSON files are read; media are skipped inside the archive.

* ``Create`` of a ``Note`` (or ``Question``, a poll) is a post: ``post_id`` is
  the Note's id (its URI), HTML ``content`` becomes plain text (entities
  decoded, ``<br>`` a line break, paragraphs separated by a blank line, links
  and hashtags as their visible text, e.g. ``#tag`` and the full URL), ``lang``
  is the ``contentMap`` key, ``reply_to`` is ``inReplyTo``. ``extra`` keeps
  ``visibility`` (public / unlisted / private / direct, from ``to``/``cc``),
  the content warning ``cw`` (``summary``) and ``sensitive``.
* ``Announce`` (a boost) is a repost: ``post_id`` is the activity id (the
  boost's own URI), ``repost_of`` the boosted post's URI (the archive holds
  no text for it, so ``text`` is empty).
* The author is ``actor.json`` (``author_id`` the actor URI, ``author_name``
  ``user@host``); without it, the activity's ``actor`` URI.
* Other activity types are counted in a notice. ``source_line`` is the item's
  position in ``orderedItems`` (Mastodon writes the file on one line).

A damaged or cut ``outbox.json`` keeps every activity before the damage (see
``collectors.jsonarray``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import orjson

from dtrack.collectors.readers.archives import archive_kind, open_archive, tar_head_names, zip_member_head, zip_names
from dtrack.collectors.readers.files import read_head, read_whole, strip_bom
from dtrack.collectors.readers.json_array import iter_json_array, map_items
from dtrack.collectors.readers.json_values import NotJSON, dumps_raw, loads_lenient
from dtrack.collectors.records import Notice, ParseContext, Quarantine, Record, SourceError

NAME = "mastodon"
VERSION = "1"
DESCRIPTION = "Mastodon account archive (archive-*.tar.gz / .zip, its folder, or outbox.json)"
PLATFORM = "mastodon"

PUBLIC = frozenset({"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"})
_POST_TYPES = frozenset({"Note", "Question", "Article", "Page"})
_BLOCKS = frozenset({"p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = frozenset({"script", "style"})
_MANY_NEWLINES = re.compile(r"\n{3,}")
_ITEMS_RE = re.compile(rb'"orderedItems"\s*:\s*')
_ARCHIVE_FILES = ("outbox.json", "actor.json", "likes.json", "bookmarks.json")
_QUOTE_KEYS = ("quote", "quoteUri", "quoteUrl", "_misskey_quote")


# -- HTML ----------------------------------------------------------------------
class _Text(HTMLParser):
    """Collects the visible text of Mastodon's post HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of post HTML: entities decoded, ``<br>`` as a newline, blocks
    separated by a blank line, links and hashtags as their text."""
    if "<" not in html and "&" not in html:
        return html.strip()
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return _MANY_NEWLINES.sub("\n\n", text).strip("\n").strip()


# -- activities ------------------------------------------------------------------
def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v if isinstance(v, str) else v.get("id", "") for v in value if isinstance(v, str | dict)]
    return []


def visibility(to: Any, cc: Any) -> str:
    """public, unlisted, private (followers only) or direct, as Mastodon decides it."""
    to_list, cc_list = _as_list(to), _as_list(cc)
    if PUBLIC.intersection(to_list):
        return "public"
    if PUBLIC.intersection(cc_list):
        return "unlisted"
    if any(a.endswith("/followers") for a in to_list + cc_list):
        return "private"
    return "direct"


def _uri(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, dict):
        return _uri(value.get("id") or value.get("href"))
    if isinstance(value, list) and value:
        return _uri(value[0])
    return None


def handle_from_uri(uri: str | None) -> str | None:
    """``user@host`` from an actor URI like ``https://host/users/user``, else None."""
    if not uri:
        return None
    try:
        parts = urlsplit(uri)
        host = parts.hostname
    except ValueError:  # not a URL after all
        return None
    m = re.fullmatch(r"/(?:users|u|@)/?([^/]+)/?", parts.path)
    return f"{m.group(1)}@{host}" if m and host else None


def author_from_actor(actor: Any) -> tuple[str | None, str | None]:
    """(author_id, author_name) from actor.json."""
    if not isinstance(actor, dict):
        return None, None
    uri = _uri(actor.get("id"))
    user = actor.get("preferredUsername")
    try:
        host = urlsplit(uri).hostname if uri else None
    except ValueError:
        host = None
    name = f"{user}@{host}" if isinstance(user, str) and host else handle_from_uri(uri)
    return uri, name


def map_activity(item: Any, number: int, author: tuple[str | None, str | None], where: str
                 ) -> dict[str, Any] | Quarantine | str:
    """One orderedItems entry as a post dict, a Quarantine, or the name of a type that
    is not a post (to be counted)."""
    if not isinstance(item, dict):
        return Quarantine(number, dumps_raw(item), f"{where}: orderedItems entry {number} is not an object")
    kind = item.get("type")
    actor = _uri(item.get("actor"))
    author_id = author[0] or actor
    author_name = author[1] if author[0] else handle_from_uri(actor)
    def raw() -> str:
        return dumps_raw(item)

    if kind == "Announce":
        target = _uri(item.get("object"))
        post_id = _uri(item.get("id"))
        if not post_id or not target:
            return Quarantine(number, raw(), f"{where}: boost (Announce) {number} without id or object")
        return {
            "platform": PLATFORM, "post_id": post_id, "created_at": item.get("published"),
            "author_id": author_id, "author_name": author_name, "text": None, "lang": None,
            "is_repost": True, "repost_of": target, "url": None,
            "extra": {"visibility": visibility(item.get("to"), item.get("cc"))},
            "source_line": number, "_raw": raw(),
        }
    if kind != "Create":
        return str(kind)
    obj = item.get("object")
    if not isinstance(obj, dict):
        return Quarantine(number, raw(), f"{where}: Create {number} has no object (only a link to it)")
    if obj.get("type") not in _POST_TYPES:
        return f"Create {obj.get('type')}"
    post_id = _uri(obj.get("id"))
    if not post_id:
        return Quarantine(number, raw(), f"{where}: the {obj.get('type')} of Create {number} has no id")
    content = obj.get("content")
    lang = None
    content_map = obj.get("contentMap")
    if isinstance(content_map, dict) and content_map:
        lang = next(iter(content_map))
        if not isinstance(content, str):
            content = content_map[lang]
    text = html_to_text(content) if isinstance(content, str) else None
    extra: dict[str, Any] = {"visibility": visibility(obj.get("to", item.get("to")), obj.get("cc", item.get("cc")))}
    summary = obj.get("summary")
    if isinstance(summary, str) and summary.strip():
        extra["cw"] = html_to_text(summary)
    if obj.get("sensitive") is True:
        extra["sensitive"] = True
    if obj.get("type") == "Question":
        options = obj.get("oneOf") or obj.get("anyOf")
        options = options if isinstance(options, list) else []
        extra["poll_options"] = [o["name"] for o in options if isinstance(o, dict) and isinstance(o.get("name"), str)]
    quote = next((_uri(obj.get(k)) for k in _QUOTE_KEYS if _uri(obj.get(k))), None)
    return {
        "platform": PLATFORM, "post_id": post_id, "created_at": obj.get("published") or item.get("published"),
        "author_id": _uri(obj.get("attributedTo")) if not author[0] and obj.get("attributedTo") else author_id,
        "author_name": author_name, "text": text, "lang": lang, "is_repost": False,
        "reply_to": _uri(obj.get("inReplyTo")), "quote_of": quote, "url": _uri(obj.get("url")) or post_id,
        "extra": extra, "source_line": number, "_raw": raw(),
    }


def parse_outbox(data: bytes, where: str, author: tuple[str | None, str | None]) -> Iterator[Record]:
    """Posts of an outbox.json (a whole or damaged OrderedCollection)."""
    data = strip_bom(data)
    items: Iterator[Any]
    try:
        doc, _ = loads_lenient(data)
    except NotJSON:
        m = _ITEMS_RE.search(data)
        if not m:
            raise SourceError(f"{where}: not valid JSON and no 'orderedItems' array found") from None
        yield Notice(None, f"{where}: the file is not valid JSON as a whole (cut or damaged?); "
                           "reading its activities one by one")
        items = iter_json_array(data, offset=m.end(), where=where, number_by="item")
    else:
        if not isinstance(doc, dict) or not isinstance(doc.get("orderedItems"), list):
            raise SourceError(f"{where}: not an ActivityStreams OrderedCollection with orderedItems "
                              "(a paged outbox is not an archive)")
        items = ((i, None, it) for i, it in enumerate(doc["orderedItems"], 1))
    skipped: Counter[str] = Counter()
    for out in map_items(items, lambda number, _line, item: map_activity(item, number, author, where)):
        if isinstance(out, str):
            skipped[out] += 1
        else:
            yield out
    for kind, n in sorted(skipped.items()):
        what = f"{n} {kind} activity is not a post" if n == 1 else f"{n} {kind} activities are not posts"
        yield Notice(None, f"{where}: {what}; skipped")


# -- the collector ---------------------------------------------------------------
def _looks_like_outbox(head: bytes) -> bool:
    text = strip_bom(head).lstrip()
    return (text.startswith(b"{") and b'"OrderedCollection"' in text and b'"orderedItems"' in text
            and b"activitystreams" in text)


def _pick(names: list[str], base: str) -> str | None:
    """The shallowest member called ``base`` (an archive may wrap its files in a folder)."""
    found = [n for n in names if PurePosixPath(n).name == base and n.count("/") <= 1]
    return min(found, key=lambda n: (n.count("/"), n)) if found else None


def sniff(path: Path, head: bytes) -> bool:
    """An archive (folder, zip, tar) with an outbox.json, or an outbox.json it"""
    kind = archive_kind(path, head)
    if kind == "dir":
        return _looks_like_outbox(read_head(path / "outbox.json", 4096))
    if kind == "zip":
        outbox = _pick(zip_names(path), "outbox.json")
        return outbox is not None and _looks_like_outbox(zip_member_head(path, outbox))
    if kind == "tar":
        names = tar_head_names(head)
        return any(n in _ARCHIVE_FILES for n in names) or any(
            n.startswith("media_attachments/files/") for n in names)
    return _looks_like_outbox(head)


def parse(path: Path, ctx: ParseContext) -> Iterator[Record]:
    """The posts and boosts of an archive or of an outbox.json."""
    display = ctx.display_name or str(path)
    head = read_head(path)
    if archive_kind(path, head) is None:
        actor_file = path.parent / "actor.json"
        author: tuple[str | None, str | None] = (None, None)
        if actor_file.is_file() and actor_file != path:
            try:
                author = author_from_actor(orjson.loads(actor_file.read_bytes()))
            except (orjson.JSONDecodeError, OSError):
                yield Notice(None, f"{actor_file.name} next to the outbox could not be read; author from "
                                   "each activity's actor")
        yield from parse_outbox(read_whole(path, ctx.max_member_bytes), path.name, author)
        return
    with open_archive(path, max_member_bytes=ctx.max_member_bytes, display=display, head=head) as arc:
        names = arc.names()
        outbox = _pick(names, "outbox.json")
        if outbox is None:
            raise SourceError(f"{display}: no outbox.json in this archive; is it a Mastodon archive?")
        actor = _pick(names, "actor.json")
        members = dict(arc.read_many([m for m in (outbox, actor) if m]))
    author = (None, None)
    if actor and actor in members:
        try:
            author = author_from_actor(orjson.loads(members[actor]))
        except orjson.JSONDecodeError:
            yield Notice(None, f"{actor}: not valid JSON; author from each activity's actor")
    yield from parse_outbox(members[outbox], outbox, author)
