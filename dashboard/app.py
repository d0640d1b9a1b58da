"""The dashboard's entrypoint: it only routes (``streamlit run dashboard/app.py``).

Like Streamlit's own demo, the navigation is built inside :func:`run` so the
app can be driven by ``streamlit.testing.v1.AppTest``. Each page is one file
under ``views/``; the shared sidebar (language, timezone, Excel CSV) is drawn
by ``dashboard.common.sidebar`` before the chosen page runs.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dtrack.dashboard.common import sidebar

#: The page icon, served from the package (an emoji or material icon would be fetched from the internet).
ICON = Path(__file__).resolve().parent / "static" / "icon.png"

PAGES = [
    ("views/overview.py", "page_overview", "overview", ":material/dashboard:"),
    ("views/timelines.py", "page_timelines", "timelines", ":material/show_chart:"),
    ("views/emergence.py", "page_emergence", "emergence", ":material/trending_up:"),
    ("views/story.py", "page_story", "story", ":material/auto_stories:"),
    ("views/rising.py", "page_rising", "rising", ":material/auto_awesome:"),
    ("views/events.py", "page_events", "events", ":material/event:"),
    ("views/posts.py", "page_posts", "posts", ":material/format_quote:"),
    ("views/said.py", "page_said", "said", ":material/forum:"),
    ("views/collectors.py", "page_collectors", "collectors", ":material/input:"),
]


def run() -> None:
    st.set_page_config(page_title="dtrack", page_icon=str(ICON), layout="wide")
    settings = sidebar()
    pages = [
        st.Page(path, title=settings.t(label), url_path=url, icon=icon, default=(i == 0))
        for i, (path, label, url, icon) in enumerate(PAGES)
    ]
    st.navigation(pages).run()


if __name__ == "__main__":
    run()
