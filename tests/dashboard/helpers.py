"""Small readers for AppTest results (figures and tables by key)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest


def figure(at: AppTest, key: str) -> dict[str, Any]:
    """The plotly figure (data, layout) a ``st.plotly_chart(key=...)`` sent to the browser."""
    return json.loads(at.get_by_key(key).proto.spec)


def table(at: AppTest, key: str) -> pd.DataFrame:
    """The frame a ``dashboard.common.data_table(frame, key)`` shows (the data behind a Styler too).

    Found through its container (``box_<key>``): a read-only ``st.dataframe``
    does not carry its key in the element tree.
    """
    (frame,) = at.get_by_key(f"box_{key}").get("dataframe")
    value = frame.value
    return value.data if hasattr(value, "data") else value


def all_markdown(at: AppTest) -> str:
    """Every piece of markdown-rendered text on the page (markdown, captions, titles, alerts)."""
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts)
