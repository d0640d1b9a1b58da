"""A term's story in words and the milestones behind it (pure: an ``emergence`` row in, text out).

The story page says what the chart shows in one sentence a researcher can
quote (「2021-04-14 に AI 文脈で初出、471 日の休眠の後 2022-08-29 に離陸」), and
lists the posts of each milestone. Both come from the term's ``emergence``
row, so the words, the chart and the CSV cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dtrack.dashboard.i18n import tr

#: How the clauses of a sentence are joined and ended, per language.
PUNCTUATION = {"en": ("; ", "."), "ja": ("、", "。")}
#: Milestones whose posts are listed, in story order: (emergence column, AI context only).
EVIDENCE = (("first_seen", False), ("first_ai_seen", True), ("dormant_until", False), ("takeoff", False),
            ("peak", False))


def story_text(row: dict[str, Any], lang: str = "en") -> str:
    """The emergence figures of one term as a sentence in ``lang``.

    >>> row = {"first_seen": dt.date(2020, 7, 12), "first_ai_seen": dt.date(2021, 4, 14), "dormancy_days": 471,
    ...        "takeoff": dt.date(2022, 8, 29), "peak": dt.date(2022, 8, 31), "peak_posts": 10}
    >>> story_text(row, "ja")
    '2020-07-12 に初出、2021-04-14 に AI 文脈で初出、471 日の休眠の後 2022-08-29 に離陸、ピークは 2022-08-31 (10 件)。'
    >>> story_text({**row, "takeoff": None, "dormancy_days": None}, "en")
    'First used on 2020-07-12; first used about AI on 2021-04-14; no takeoff yet; peaked on 2022-08-31 with 10 posts.'
    """
    def day(key: str) -> str | None:
        value = row.get(key)
        return value.isoformat() if isinstance(value, dt.date) else None

    parts = []
    if day("first_seen"):
        parts.append(tr("story_first", lang, day=day("first_seen")))
    if day("first_ai_seen"):
        parts.append(tr("story_first_ai", lang, day=day("first_ai_seen")))
    if day("takeoff") and row.get("dormancy_days"):
        parts.append(tr("story_takeoff_after", lang, days=int(row["dormancy_days"]), day=day("takeoff")))
    elif day("takeoff"):
        parts.append(tr("story_takeoff", lang, day=day("takeoff")))
    else:
        parts.append(tr("story_no_takeoff", lang))
    if day("peak"):
        parts.append(tr("story_peak", lang, day=day("peak"), n=int(row.get("peak_posts") or 0)))
    sep, end = PUNCTUATION.get(lang, PUNCTUATION["en"])
    return sep.join(parts) + end


def milestone_days(row: dict[str, Any]) -> list[tuple[str, dt.date, bool]]:
    """(label key, day, AI context only) of each milestone whose posts the story page lists."""
    out = []
    for key, ai in EVIDENCE:
        value = row.get(key)
        if isinstance(value, dt.date) and (key != "dormant_until" or row.get("dormancy_days")):
            out.append(("story_woke" if key == "dormant_until" else key, value, ai))
    return out
