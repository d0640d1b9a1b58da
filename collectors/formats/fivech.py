"""5ch / 2ch ``.dat`` threads.

A thread is one file named by its thread key (the Unix time it was started,
e.g. ``1661740000.dat``), one post ("res") a line, in Shift_JIS (read as
CP932, Windows' superset of it that 5ch actually serves)::

    name<>mail<>2022/08/29(月) 12:34:56.78 ID:AbCd0123<> body <br> more <>title

The title is only on line 1. Bodies are HTML: `` <br> `` is a line break,
``&gt;&gt;12`` an anchor to res 12, characters outside Shift_JIS are numeric
references (``&#128512;``, sometimes as a UTF-16 surrogate pair
``&#55357;&#56832;``). Dates have no zone: they are Japan time, read in
``ctx.tz`` (default Asia/Tokyo). Two-digit years (``99/05/30``) are early 2ch.

Stored: post_id ``<board>/<key>/<res>`` (``<key>/<res>`` when the board is not
known), res = line number. The board, and the server for the URL, come from
the server's own layout ``[<server>/]<board>/dat/<key>.dat`` when the file
sits in it; otherwise they are unknown rather than guessed from an arbitrary
folder name. author_id is the poster's ID with its JST day
(``AbCd0123@2022-08-29``) because 5ch IDs change every day; posts without an
ID (``ID:???``, boards without IDs) have none. The name field keeps its trip
(``◆...``). reply_to is the post of the first ``>>N`` anchor.

あぼーん: a res deleted by a moderator reads ``あぼーん<>あぼーん<>あぼーん<>...``,
with no date and no text left. It is not stored as a post (a post without a
time would break every timeline) and not quarantined (it is not a misread
line); it is reported as a notice with its res number, and the numbering of
the following res is unaffected. A res whose date survives but whose body
is ``あぼーん`` is stored with ``extra.aborn``.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dtrack.collectors.readers.files import read_whole
from dtrack.collectors.readers.times import parse_slash_time
from dtrack.collectors.records import Notice, ParseContext, Quarantine, Record

NAME = "5ch"
VERSION = "1"
DESCRIPTION = "5ch/2ch .dat thread (Shift_JIS/CP932, name<>mail<>date ID<>body<>title)"

ABORN = "あぼーん"
_ID_RE = re.compile(r"ID:([^\s]+)")
_BE_RE = re.compile(r"BE:(\S+)")
_BR_RE = re.compile(r" ?<br> ?", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
_SURROGATE_PAIR_RE = re.compile(r"&#(?:(5[5-6]\d{3})|x([dD][89abAB][0-9a-fA-F]{2}));"
                                r"&#(?:(5[6-7]\d{3})|x([dD][c-fC-F][0-9a-fA-F]{2}));")
_ANCHOR_RE = re.compile(r"^>>?(\d{1,5})(?!\d)")
_HOST_RE = re.compile(r"\.(5ch\.net|2ch\.net|bbspink\.com|2ch\.sc|open2ch\.net)$")


def sniff(path: Path, head: bytes) -> bool:
    """The first line has at least four ``<>`` separators and a date (or
    あぼーん, in Shift_JIS or UTF-8) in the third field."""
    if not head or b"\0" in head:
        return False
    first = head.split(b"\n", 1)[0]
    if first.count(b"<>") < 4:
        return False
    fields = first.split(b"<>")
    date = fields[2].strip()
    if re.match(rb"^\d{2,4}/\d{1,2}/\d{1,2}", date):
        return True
    return date in (ABORN.encode("cp932"), ABORN.encode("utf-8"))


# -- text ----------------------------------------------------------------------
def _join_surrogates(match: re.Match[str]) -> str:
    hi = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
    lo = int(match.group(3)) if match.group(3) else int(match.group(4), 16)
    if not (0xD800 <= hi <= 0xDBFF and 0xDC00 <= lo <= 0xDFFF):
        return match.group(0)
    return chr(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))


def unescape(text: str) -> str:
    """HTML entities to characters, joining UTF-16 surrogate-pair references."""
    return html.unescape(_SURROGATE_PAIR_RE.sub(_join_surrogates, text))


def body_text(raw: str) -> str:
    """A .dat body as plain text: ``<br>`` as newline, tags dropped, entities decoded."""
    text = _BR_RE.sub("\n", raw)
    text = _TAG_RE.sub("", text)
    text = unescape(text)
    if text.startswith(" "):
        text = text[1:]
    if text.endswith(" "):
        text = text[:-1]
    return text


def decode(raw: bytes, encoding: str) -> tuple[str, bool]:
    """``raw`` decoded, and whether it had to replace undecodable bytes."""
    try:
        return raw.decode(encoding), False
    except UnicodeDecodeError:
        return raw.decode(encoding, "replace"), True


def file_encoding(data: bytes) -> str:
    """UTF-8 when most lines with non-ASCII bytes are valid UTF-8 (mirrors that
    re-encode; one damaged line must not turn the whole file into mojibake),
    else CP932 (a superset of Shift_JIS). Shift_JIS text is almost never valid
    UTF-8, so the vote is clear-cut in practice."""
    utf8 = other = 0
    for line in data.split(b"\n"):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other += 1
    return "utf-8" if utf8 > other else "cp932"


# -- location ------------------------------------------------------------------
def thread_location(path: Path) -> tuple[str | None, str, str | None]:
    """(board, thread key, server) from ``[<server>/]<board>/dat/<key>.dat``."""
    key = path.stem if path.suffix.lower() == ".dat" else path.name
    board = server = None
    parts = path.absolute().parts
    if len(parts) >= 3 and parts[-2] == "dat":
        board = parts[-3]
        if len(parts) >= 4 and _HOST_RE.search(parts[-4]):
            server = parts[-4]
    return board, key, server


def parse_date(field: str, tz: dt.tzinfo) -> tuple[dt.datetime | None, str]:
    """The time in a date field (read in ``tz``) and the rest of the field (ID, BE...)."""
    return parse_slash_time(field, tz, two_digit_years=True)


def map_line(fields: list[str], res: int, board: str | None, key: str, server: str | None,
             title: str | None, tz: dt.tzinfo) -> dict[str, Any] | Notice | str:
    """One res as a post dict, a Notice for あぼーん, or a reason string for a bad line."""
    name, mail, date_field, body = fields[0], fields[1], fields[2], fields[3]
    prefix = f"{board}/{key}" if board else key
    created, rest = parse_date(date_field, tz)
    if created is None:
        if ABORN in date_field or date_field.strip() == ABORN or name == ABORN:
            return Notice(res, f"res {res} is あぼーん (deleted); nothing left to store")
        if "Over 1000" in date_field or "Over 1000" in name:
            return Notice(res, f"res {res} is the server's 'Over 1000 Thread' notice, not a post")
        return f"unreadable date field {date_field!r}"
    local_day = created.astimezone(tz).date().isoformat()
    poster = _ID_RE.search(rest)
    poster_id = poster.group(1) if poster and not poster.group(1).startswith("???") else None
    text = body_text(body)
    extra: dict[str, Any] = {"thread": key, "res": res}
    if title is not None:
        extra["thread_title"] = title
    if mail:
        extra["mail"] = unescape(mail)
    be = _BE_RE.search(rest)
    if be:
        extra["be"] = be.group(1)
    if text.strip() == ABORN:
        extra["aborn"] = True
    anchor = _ANCHOR_RE.match(text.lstrip())
    reply_to = f"{prefix}/{int(anchor.group(1))}" if anchor and 0 < int(anchor.group(1)) < res else None
    return {
        "platform": "5ch",
        "post_id": f"{prefix}/{res}",
        "created_at": created,
        "author_id": f"{poster_id}@{local_day}" if poster_id else None,
        "author_name": unescape(_TAG_RE.sub("", name)).strip() or None,
        "text": text,
        "lang": "ja",
        "reply_to": reply_to,
        "url": f"https://{server}/test/read.cgi/{board}/{key}/{res}" if server and board else None,
        "extra": extra,
        "source_line": res,
    }


def parse(path: Path, ctx: ParseContext) -> Iterator[Record]:
    """Posts of one .dat thread."""
    data = read_whole(path, ctx.max_member_bytes)
    ctx.progress(0)
    encoding = file_encoding(data)
    board, key, server = thread_location(path)
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    title: str | None = None
    for res, line in enumerate(lines, start=1):
        line = line.removesuffix(b"\r")
        raw_fields = line.split(b"<>")  # '<' and '>' never occur inside a CP932 character
        decoded = [decode(f, encoding) for f in raw_fields]
        fields = [text for text, _ in decoded]
        raw = "<>".join(fields)
        if len(fields) < 4:
            yield Quarantine(res, raw, f"{len(fields)} fields, expected name<>mail<>date<>body<>title")
            continue
        if res == 1 and len(fields) >= 5:
            title = unescape(fields[4]).strip() or None
        out = map_line(fields, res, board, key, server, title, ctx.tz)
        if isinstance(out, str):
            yield Quarantine(res, raw, out)
            continue
        if isinstance(out, dict):
            if any(bad for _, bad in decoded):
                out["extra"]["undecodable_bytes"] = True
            out["_raw"] = raw
        yield out
    ctx.progress(len(data))
