"""Defaults every layer shares, in one light module (no polars, no numpy).

The research timezone, the period lengths and the counting contexts are named
here once; the collectors, the analyses, the CLI and the dashboard import
them from here so a default cannot differ between two front ends.
"""

from __future__ import annotations

#: Days are calendar days in this timezone unless the user picks another (--tz, $DTRACK_TZ).
DEFAULT_TZ = "Asia/Tokyo"
#: Period lengths of timelines and discovery (weeks start on Monday).
FREQS = ("day", "week", "month")
#: Which uses count: every use, or only AI-context ones.
CONTEXTS = ("any", "ai")
