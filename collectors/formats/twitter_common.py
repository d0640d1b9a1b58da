"""What every Twitter collector must agree on, so one tweet read from two exports is one post.

The platform name, the permalink, how a tweet id is recognised, the one
pattern of a retweet's "RT @user: " prefix and how a retweet's text is rebuilt
live here once: the twarc2 (API v2), API v1.1, X archive and CSV readers all
use them, so the store's (platform, post_id) key deduplicates a tweet across
all of them and a retweet reads the same whichever export it came from.

Retweet text. Twitter cuts a retweet's own text ("RT @user: " plus the
original, truncated with "…"), but the exports carry the retweeted tweet in
full (v2 ``includes.tweets``, v1.1 ``retweeted_status``). We store
``"RT @user: " + <full original text>``: the prefix keeps the text what the
retweet said (and what an X archive, which only has the cut text, starts
with), while the full original lets the tagger see every term. Reposts are
flagged, so analyses that leave them out by default are unaffected.
"""

from __future__ import annotations

import re
from typing import Any

PLATFORM = "twitter"
#: "RT @user: " at the start of a retweet's own text (handles are ASCII letters, digits, "_").
RT_PREFIX = re.compile(r"^RT @([A-Za-z0-9_]{1,50}): ?")
#: Twitter ids (tweets, users) are decimal strings; 2^53 is where a float id loses digits.
MAX_SAFE_INT = 2**53


def is_id(value: object) -> bool:
    """True for a decimal id string such as "1380242611781386245"."""
    return isinstance(value, str) and 0 < len(value) <= 25 and value.isascii() and value.isdigit()


def id_string(id_str: object, number: object = None) -> str | None:
    """The id as a string: ``id_str`` when usable (surrounding blanks ignored), else an
    integer ``number`` only when it is at most 2^53 (a bigger one may have passed
    through a float and lost digits)."""
    if isinstance(id_str, str):
        id_str = id_str.strip()
    if is_id(id_str):
        return id_str  # type: ignore[return-value]
    if isinstance(number, int) and not isinstance(number, bool) and 0 < number <= MAX_SAFE_INT:
        return str(number)
    return None


def unescape(text: str) -> str:
    """Undo the HTML escaping Twitter applies to tweet text (only ``&lt; &gt; &amp;``;
    a literal "&copy;" typed by a user is left alone)."""
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def status_url(username: str | None, post_id: str) -> str:
    """The tweet's permalink (the id-only form when the author's handle is unknown)."""
    if username:
        return f"https://twitter.com/{username}/status/{post_id}"
    return f"https://twitter.com/i/web/status/{post_id}"


def retweet_text(own_text: str | None, original_author: str | None, original_text: str) -> str:
    """``"RT @user: " + original_text`` (see the module docstring). The prefix is taken
    from the retweet's own text when it has one, else built from the original's author."""
    match = RT_PREFIX.match(own_text or "")
    if match:
        return match.group(0) + original_text
    if original_author:
        return f"RT @{original_author}: {original_text}"
    return original_text


def looks_cut(text: str | None) -> bool:
    """True when a text ends the way Twitter ends a truncated one."""
    return bool(text) and text.rstrip().endswith("…")  # type: ignore[union-attr]


def tweet_extra(extra: dict[str, Any], display_name: object, text: str | None, repaired: bool) -> dict[str, Any]:
    """``extra`` with what every Twitter API reader adds last: ``author_display_name``, and
    ``text_repaired`` when a cut emoji or broken bytes were replaced by U+FFFD."""
    if isinstance(display_name, str):
        extra["author_display_name"] = display_name
    if repaired and text is not None and "\ufffd" in text:
        extra["text_repaired"] = True
    return extra


def tweet_post(*, post_id: str, created: str, author_id: str | None, username: str | None,
               display_name: object, text: str | None, lang: object, is_repost: bool, repost_of: str | None,
               reply_to: str | None, quote_of: str | None, extra: dict[str, Any], line: int,
               repaired: bool) -> dict[str, Any]:
    """The post record the Twitter API v1.1 reader builds: the same fields and extras
    (:func:`tweet_extra`) as the rows of the v2 (twarc2) reader."""
    extra = tweet_extra(extra, display_name, text, repaired)
    return {
        "platform": PLATFORM,
        "post_id": post_id,
        "created_at": created,
        "author_id": author_id,
        "author_name": username,
        "text": text,
        "lang": lang if isinstance(lang, str) else None,
        "is_repost": is_repost,
        "repost_of": repost_of,
        "reply_to": reply_to,
        "quote_of": quote_of,
        "url": status_url(username, post_id),
        "extra": extra or None,
        "source_line": line,
    }
