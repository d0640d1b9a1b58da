"""The defaults every stage agrees on, defined once.

Import-light on purpose (no polars, no zoneinfo): the CLI's option
declarations, the collectors, the scheduler and the analyses all read their
defaults from here, so ``dtrack --help`` can show them without importing a
stage.
"""

from __future__ import annotations

#: The research timezone: days are calendar days here, and naive timestamps
#: in an export are read in it (docs/analysis.md, "Days").
DEFAULT_TZ = "Asia/Tokyo"
#: Counting periods: name -> polars duration string.
FREQS: dict[str, str] = {"day": "1d", "week": "1w", "month": "1mo"}
DEFAULT_FREQ = "day"
#: Which hits count: every use of a term, or only uses in an AI context.
CONTEXTS: tuple[str, ...] = ("any", "ai")
DEFAULT_CONTEXT = "any"
