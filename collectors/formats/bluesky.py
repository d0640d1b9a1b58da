"""Bluesky: repository exports (``.car``) and firehose commit messages as JSON.

A repository export (``com.atproto.sync.getRepo``, or "Export my data" in the
app) is a CAR v1 file of DAG-CBOR blocks, decoded here with ``libipld``. The
first root is the signed commit; its ``data`` link is the root of a Merkle
Search Tree (MST) whose keys are record paths ``<collection>/<rkey>`` and
whose values link to the records. We walk that tree rather than picking every
block that carries a ``$type``, because only the tree

* gives the record key (``rkey``) that a post's URI and URL are made of,
* says which records are live: a CAR may carry extra, unlinked blocks (the
  spec allows them; old record versions, diffs), which are not posts, and
* maps two paths to one block when two records are byte-identical (one
  block, two records), which a scan over blocks would count once.

Kept: ``app.bsky.feed.post`` (text, createdAt, langs, reply parent, quoted
record, facets) and ``app.bsky.feed.repost`` (a repost of ``subject.uri``).
Everything else (likes, follows, profile, the old ``app.bsky.feed.vote``) is
not a post and is passed over. Facet offsets are UTF-8 *byte* offsets; they
are turned into character offsets of the stored text.

Repository versions: v3 (``rev``), v2 (no ``rev``) and the deprecated v1
(commit ``{root, sig}`` -> ``{meta, data}`` -> meta ``{did}``) all read; the
MST node layout is the same in all three.

A firehose ``#commit`` message saved as JSON (``blocks`` as ``{"$bytes":
base64 CAR}``, ``ops`` with ``path`` and ``cid``; one message per file, or one
per line) is read too: its ops name the records, its CAR slice holds them.
Deletions cannot be applied to an append-only store; they are reported as
notices.

When ``libipld`` refuses a damaged CAR (a cut-off download, a bad block), the
file is re-read block by block so that every readable record is kept; the
damage is reported, and records whose blocks are lost are quarantined.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from dtrack.collectors.readers.files import check_size, strip_bom
from dtrack.collectors.readers.json_lines import json_objects
from dtrack.collectors.readers.json_values import dumps_raw
from dtrack.collectors.records import Notice, ParseContext, Quarantine, Record, SourceError

NAME = "bluesky"
VERSION = "1"
DESCRIPTION = "Bluesky repository export (.car, CAR v1 / DAG-CBOR) or firehose commit messages as JSON"

POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"
DAG_CBOR = 0x71
#: MST nodes visited at most (a guard against a crafted, cyclic tree).
MAX_NODES = 50_000_000


def _ipld() -> Any:
    """libipld, imported when a CAR is read (not when dtrack starts or sniffs a JSON file)."""
    import libipld

    return libipld


# -- detection ---------------------------------------------------------------
def _uvarint(data: bytes | memoryview, pos: int) -> tuple[int, int]:
    """An unsigned LEB128 varint at ``pos``: (value, next position)."""
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("truncated or overlong varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _car_header(head: bytes) -> dict[str, Any] | None:
    try:
        size, pos = _uvarint(head, 0)
        if not 0 < size <= len(head) - pos:
            return None
        raw = head[pos:pos + size]
        if b"roots" not in raw or b"version" not in raw:  # cheap: no CBOR decoder for a text file
            return None
        header = _ipld().decode_dag_cbor(raw)
    except (ValueError, RecursionError):
        return None
    if isinstance(header, dict) and header.get("version") == 1 and isinstance(header.get("roots"), list):
        return header
    return None


def _looks_like_commit_json(head: bytes) -> bool:
    text = strip_bom(head).lstrip()
    return (text.startswith(b"{") and b'"ops"' in text and b'"blocks"' in text
            and b'"repo"' in text and b'"$bytes"' in text)


def sniff(path: Path, head: bytes) -> bool:
    """A CAR v1 header (a varint length, then a DAG-CBOR map with version 1
    and roots), or a JSON object with the keys of a firehose commit."""
    if not head:
        return False
    return _car_header(head) is not None or _looks_like_commit_json(head)


# -- CAR -----------------------------------------------------------------------
def _cid_length(block: memoryview | bytes, pos: int) -> int:
    """Length of the binary CID that starts ``block[pos:]``."""
    if pos >= len(block):
        raise ValueError("empty block")
    if block[pos] == 0x12 and pos + 1 < len(block) and block[pos + 1] == 0x20:  # CIDv0: bare sha2-256 multihash
        return 34
    start = pos
    version, pos = _uvarint(block, pos)
    if version != 1:
        raise ValueError(f"unsupported CID version {version}")
    _codec, pos = _uvarint(block, pos)
    _hash_code, pos = _uvarint(block, pos)
    digest_len, pos = _uvarint(block, pos)
    if pos + digest_len > len(block):
        raise ValueError("CID runs past its block")
    return pos + digest_len - start


def read_car_tolerant(data: bytes) -> tuple[dict[str, Any], dict[bytes, Any], list[str]]:
    """Read a CAR block by block, keeping every block that decodes.

    Used when ``_ipld().decode_car`` refuses the whole file. Returns the
    header, the blocks (CID bytes -> decoded DAG-CBOR) and the problems found.
    """
    view = memoryview(data)
    problems: list[str] = []
    try:
        size, pos = _uvarint(view, 0)
        header = _ipld().decode_dag_cbor(bytes(view[pos:pos + size]))
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"not a readable CAR file: bad header ({exc})") from None
    if not isinstance(header, dict):
        raise SourceError("not a readable CAR file: the header is not a map")
    pos += size
    blocks: dict[bytes, Any] = {}
    while pos < len(view):
        start = pos
        try:
            length, pos = _uvarint(view, pos)
        except ValueError:
            problems.append(f"the CAR ends inside a block header at byte {start}")
            break
        if pos + length > len(view):
            problems.append(f"the CAR is cut off: block at byte {start} needs {length} bytes, "
                            f"{len(view) - pos} left (incomplete download?)")
            break
        block = view[pos:pos + length]
        pos += length
        try:
            cid_len = _cid_length(block, 0)
            cid = bytes(block[:cid_len])
            codec = _ipld().decode_cid(cid)["codec"]
            if codec != DAG_CBOR:
                continue  # raw blobs and other codecs are not records
            blocks[cid] = _ipld().decode_dag_cbor(bytes(block[cid_len:]))
        except (ValueError, RecursionError, KeyError, IndexError) as exc:
            problems.append(f"unreadable block at byte {start}: {exc}")
    return header, blocks, problems


def read_car(data: bytes) -> tuple[dict[str, Any], dict[bytes, Any], list[str]]:
    """Header, blocks and problems of a CAR: libipld first, block by block if it refuses."""
    try:
        header, blocks = _ipld().decode_car(data)
        return header, blocks, []
    except (ValueError, RecursionError):
        return read_car_tolerant(data)


def _cid_text(cid: Any) -> str:
    try:
        return _ipld().encode_cid(cid)
    except (ValueError, TypeError):
        return repr(cid)[:200]


def _jsonable(value: Any) -> Any:
    """A decoded DAG-CBOR value as JSON: links as CID strings, other bytes as base64."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        if value[:1] in (b"\x01", b"\x12"):
            try:
                return {"$link": _ipld().encode_cid(value)}
            except ValueError:
                pass
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        return str(value)  # CBOR integers can be wider than JSON tools take
    return value


def _raw(value: Any) -> str:
    return dumps_raw(_jsonable(value))


def _repo_root(header: dict[str, Any], blocks: dict[bytes, Any]) -> tuple[str, bytes]:
    """The repository DID and the MST root CID, for commit formats v1 to v3."""
    roots = header.get("roots")
    if not isinstance(roots, list) or not roots:
        raise SourceError("the CAR header names no root (not a repository export)")
    commit = blocks.get(roots[0])
    if not isinstance(commit, dict):
        raise SourceError(f"the root block {_cid_text(roots[0])} is missing (not a full repository export)")
    if isinstance(commit.get("did"), str) and isinstance(commit.get("data"), bytes):  # v2, v3
        return commit["did"], commit["data"]
    root = blocks.get(commit.get("root")) if isinstance(commit.get("root"), bytes) else None  # v1
    if isinstance(root, dict) and isinstance(root.get("data"), bytes):
        meta = blocks.get(root.get("meta")) if isinstance(root.get("meta"), bytes) else None
        if isinstance(meta, dict) and isinstance(meta.get("did"), str):
            return meta["did"], root["data"]
    raise SourceError("the root block is not a repository commit (no did and data); "
                      "is this a repository export from com.atproto.sync.getRepo?")


def walk_mst(blocks: dict[bytes, Any], root: bytes) -> Iterator[tuple[str, bytes] | Quarantine]:
    """The (path, record CID) pairs of an MST in key order.

    Iterative, with a visited set, so a crafted tree can neither recurse
    without bound nor loop. A missing or malformed node is yielded as a
    :class:`Quarantine` (its records cannot be listed) and the walk goes on.
    """
    stack: list[tuple[bool, Any]] = [(True, root)]
    seen: set[bytes] = set()
    while stack:
        is_node, item = stack.pop()
        if not is_node:
            yield item
            continue
        if item in seen or len(seen) >= MAX_NODES:
            yield Quarantine(None, _cid_text(item), "MST node linked twice (a cycle): skipped")
            continue
        seen.add(item)
        node = blocks.get(item)
        if node is None:
            yield Quarantine(None, _cid_text(item),
                             "MST node missing from the CAR (incomplete export): the records under it are lost")
            continue
        entries = node.get("e") if isinstance(node, dict) else None
        if not isinstance(entries, list):
            yield Quarantine(None, _raw(node)[:2000], f"malformed MST node {_cid_text(item)}: no entry list")
            continue
        todo: list[tuple[bool, Any]] = []
        if isinstance(node.get("l"), bytes):
            todo.append((True, node["l"]))
        key = b""
        for entry in entries:
            if not (isinstance(entry, dict) and isinstance(entry.get("k"), bytes)
                    and isinstance(entry.get("p"), int) and 0 <= entry["p"] <= len(key)
                    and isinstance(entry.get("v"), bytes)):
                todo.append((False, Quarantine(None, _raw(entry)[:2000],
                                               f"malformed MST entry in node {_cid_text(item)}")))
                continue
            key = key[:entry["p"]] + entry["k"]
            todo.append((False, (key.decode("utf-8", "replace"), entry["v"])))
            if isinstance(entry.get("t"), bytes):
                todo.append((True, entry["t"]))
        stack.extend(reversed(todo))


# -- records -> posts ----------------------------------------------------------
def byte_to_char(text: str, encoded: bytes, offset: Any) -> int | None:
    """The character offset in ``text`` of UTF-8 byte ``offset`` (rounded
    down to a character start); None when ``offset`` is not a number."""
    if not isinstance(offset, int) or isinstance(offset, bool):
        return None
    offset = min(max(offset, 0), len(encoded))
    return len(encoded[:offset].decode("utf-8", "ignore"))


def _facets(text: str, facets: Any) -> dict[str, list[Any]]:
    """Links, tags and mentions of a post's facets, with character offsets."""
    out: dict[str, list[Any]] = {"links": [], "tags": [], "mentions": []}
    if not isinstance(facets, list):
        return out
    encoded = text.encode("utf-8")
    for facet in facets:
        if not isinstance(facet, dict):
            continue
        index = facet.get("index") if isinstance(facet.get("index"), dict) else {}
        start = byte_to_char(text, encoded, index.get("byteStart"))
        end = byte_to_char(text, encoded, index.get("byteEnd"))
        for feature in _list(facet.get("features")):
            if not isinstance(feature, dict):
                continue
            kind = str(feature.get("$type", "")).rpartition("#")[2]
            if kind == "link" and isinstance(feature.get("uri"), str):
                out["links"].append({"uri": feature["uri"], "start": start, "end": end})
            elif kind == "tag" and isinstance(feature.get("tag"), str):
                out["tags"].append({"tag": feature["tag"], "start": start, "end": end})
            elif kind == "mention" and isinstance(feature.get("did"), str):
                out["mentions"].append({"did": feature["did"], "start": start, "end": end})
    return out


def _list(value: Any) -> list[Any]:
    """``value`` if it is a list, else empty (records are untrusted input)."""
    return value if isinstance(value, list) else []


def _uri(value: Any) -> str | None:
    return value.get("uri") if isinstance(value, dict) and isinstance(value.get("uri"), str) else None


def post_url(uri: str | None) -> str | None:
    """https://bsky.app/profile/<did>/post/<rkey> for an at:// URI of a post."""
    if not uri or not uri.startswith("at://"):
        return None
    repo, _, rest = uri[5:].partition("/")
    collection, _, rkey = rest.partition("/")
    if collection != POST or not repo or not rkey:
        return None
    return f"https://bsky.app/profile/{repo}/post/{rkey}"


def _quoted(embed: Any) -> str | None:
    """The URI a post quotes (``app.bsky.embed.record`` or ``recordWithMedia``)."""
    if not isinstance(embed, dict):
        return None
    kind = embed.get("$type")
    if kind == "app.bsky.embed.record":
        return _uri(embed.get("record"))
    if kind == "app.bsky.embed.recordWithMedia" and isinstance(embed.get("record"), dict):
        return _uri(embed["record"].get("record"))
    return None


def map_record(did: str, path: str, cid: bytes | None, record: Any, line: int | None) -> Record | None:
    """One repository record as a post dict, a :class:`Quarantine`, or None
    when the record is not a post or a repost."""
    collection, _, rkey = path.partition("/")
    if collection not in (POST, REPOST):
        return None
    uri = f"at://{did}/{path}"
    if not rkey:
        return Quarantine(line, _raw(record)[:2000], f"{uri}: record path without a record key")
    if record is None:
        return Quarantine(line, dumps_raw({"uri": uri, "cid": _cid_text(cid) if cid else None}),
                          f"{uri}: its record block is not in the file (incomplete export)")
    if not isinstance(record, dict):
        return Quarantine(line, _raw(record)[:2000], f"{uri}: the record is not a map")
    if record.get("$type") not in (collection, None):
        return Quarantine(line, _raw(record), f"{uri}: record $type {record.get('$type')!r} does not match its path")
    extra: dict[str, Any] = {}
    if cid is not None:
        extra["cid"] = _cid_text(cid)
    row: dict[str, Any] = {
        "platform": "bluesky",
        "post_id": uri,
        "created_at": record.get("createdAt"),
        "author_id": did,
        "source_line": line,
        "_raw": _raw(record),
    }
    if collection == REPOST:
        subject = _uri(record.get("subject"))
        if subject is None:
            return Quarantine(line, row["_raw"], f"{uri}: a repost without subject.uri")
        row.update(is_repost=True, repost_of=subject, url=post_url(subject), extra=extra)
        return row
    text = record.get("text")
    if text is not None and not isinstance(text, str):
        return Quarantine(line, row["_raw"], f"{uri}: text is a {type(text).__name__}, not a string")
    text = text or ""
    langs = [lang for lang in _list(record.get("langs")) if isinstance(lang, str)]
    if len(langs) > 1:
        extra["langs"] = langs
    reply = record.get("reply") if isinstance(record.get("reply"), dict) else {}
    root = _uri(reply.get("root"))
    parent = _uri(reply.get("parent"))
    if root and root != parent:
        extra["reply_root"] = root
    facets = _facets(text, record.get("facets"))
    for tag in _list(record.get("tags")):  # post-level tags, not shown in the text
        if isinstance(tag, str):
            facets["tags"].append({"tag": tag, "start": None, "end": None})
    extra.update({k: v for k, v in facets.items() if v})
    for entity in _list(record.get("entities")):  # pre-facet posts (2022-23): values only
        if isinstance(entity, dict) and entity.get("type") == "link" and isinstance(entity.get("value"), str):
            extra.setdefault("links", []).append({"uri": entity["value"], "start": None, "end": None})
    embed = record.get("embed")
    if isinstance(embed, dict):
        if isinstance(embed.get("$type"), str):
            extra["embed"] = embed["$type"]
        external = embed.get("external")
        if isinstance(external, dict) and isinstance(external.get("uri"), str):
            extra["external"] = external["uri"]
    row.update(
        text=text,
        lang=langs[0] if langs else None,
        reply_to=parent,
        quote_of=_quoted(embed),
        url=post_url(uri),
        extra=extra,
    )
    return row


# -- parse -------------------------------------------------------------------
def _parse_car(data: bytes) -> Iterator[Record]:
    header, blocks, problems = read_car(data)
    for problem in problems:
        yield Notice(None, problem)
    did, data_root = _repo_root(header, blocks)
    number = 0
    for item in walk_mst(blocks, data_root):
        if isinstance(item, Quarantine):
            yield item
            continue
        number += 1
        path, cid = item
        rec = map_record(did, path, cid, blocks.get(cid), number)
        if rec is not None:
            yield rec


def _parse_commit(msg: Any, line: int | None) -> Iterator[Record]:
    """The post and repost records of one firehose ``#commit`` message."""
    where = f"commit seq {msg.get('seq')}" if isinstance(msg, dict) else "commit"
    if not isinstance(msg, dict) or not isinstance(msg.get("repo"), str) or not isinstance(msg.get("ops"), list):
        yield Quarantine(line, dumps_raw(msg)[:100_000],
                         "not a firehose commit message (no repo and ops)")
        return
    did = msg["repo"]
    blob = msg.get("blocks")
    blocks: dict[bytes, Any] = {}
    if isinstance(blob, dict) and isinstance(blob.get("$bytes"), str):
        try:
            car = base64.b64decode(blob["$bytes"] + "=" * (-len(blob["$bytes"]) % 4))
            _header, blocks, problems = read_car(car)
        except (ValueError, SourceError) as exc:
            problems = [f"unreadable blocks ({exc})"]
        for problem in problems:
            yield Notice(line, f"{where}: {problem}")
    if msg.get("tooBig"):
        yield Notice(line, f"{where}: marked tooBig, its records are not in the message")
    for op in msg["ops"]:
        if not isinstance(op, dict) or not isinstance(op.get("path"), str):
            yield Quarantine(line, dumps_raw(op), f"{where}: malformed op")
            continue
        path, action = op["path"], op.get("action")
        if path.partition("/")[0] not in (POST, REPOST):
            continue
        if action == "delete":
            yield Notice(line, f"{where}: deletes at://{did}/{path} (kept in the store; append-only)")
            continue
        link = op.get("cid")
        cid = None
        if isinstance(link, dict) and isinstance(link.get("$link"), str):
            try:
                cid = _cid_bytes(link["$link"])
            except ValueError:
                cid = None
        rec = map_record(did, path, cid, blocks.get(cid) if cid else None, line)
        if isinstance(rec, dict):
            if action == "update":
                rec["extra"]["action"] = "update"
            if msg.get("seq") is not None:
                rec["extra"]["seq"] = msg.get("seq")
        if rec is not None:
            yield rec


def _cid_bytes(text: str) -> bytes:
    """Binary form of a ``bafy...`` CID string (CIDv1, base32)."""
    parsed = _ipld().decode_cid(text)
    if parsed["version"] == 0:
        return b"\x12\x20" + parsed["hash"]["digest"]
    header = bytes([parsed["version"]]) + _varint(parsed["codec"]) + _varint(parsed["hash"]["code"])
    return header + _varint(parsed["hash"]["size"]) + parsed["hash"]["digest"]


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _parse_commit_json(data: bytes) -> Iterator[Record]:
    text = strip_bom(data)
    try:
        whole = orjson.loads(text)
    except orjson.JSONDecodeError:
        whole = None
    if whole is not None:
        for i, msg in enumerate(whole if isinstance(whole, list) else [whole], start=1):
            yield from _parse_commit(msg, i)
        return
    lines = text.split(b"\n")  # one message per line
    for item in json_objects(range(1, len(lines) + 1), lines):
        if isinstance(item, Quarantine):
            yield item
        else:
            yield from _parse_commit(item[2], item[0])


def parse(path: Path, ctx: ParseContext) -> Iterator[Record]:
    """Posts and reposts of a repository CAR or of firehose commit JSON."""
    size = check_size(path, ctx.max_member_bytes)
    data = path.read_bytes()
    if _car_header(data[:1 << 16]) is not None or not data.lstrip().startswith((b"{", b"[", b"\xef")):
        yield from _parse_car(data)
    else:
        yield from _parse_commit_json(data)
    ctx.progress(size)
