"""The story page (/story?term=...): milestones dated on the chart and in words, and their posts."""

from __future__ import annotations

import datetime as dt
import doctest

import polars as pl

import dtrack
from dtrack.dashboard import story as story_module
from dtrack.dashboard.story import milestone_days, story_text
from dtrack.data.store import Store
from tests.dashboard.helpers import all_markdown, figure, table

D = dt.date


def test_story_text_doctests():
    assert doctest.testmod(story_module).failed == 0


def test_milestones_listed_in_story_order():
    row = {"first_seen": D(2020, 7, 12), "first_ai_seen": D(2021, 4, 14), "dormancy_days": 473,
           "dormant_until": D(2022, 8, 1), "takeoff": D(2022, 8, 23), "peak": D(2022, 8, 31)}
    assert milestone_days(row) == [("first_seen", D(2020, 7, 12), False), ("first_ai_seen", D(2021, 4, 14), True),
                                   ("story_woke", D(2022, 8, 1), False), ("takeoff", D(2022, 8, 23), False),
                                   ("peak", D(2022, 8, 31), False)]
    assert [k for k, _, _ in milestone_days({**row, "dormancy_days": None, "takeoff": None})] == [
        "first_seen", "first_ai_seen", "peak"]


def test_story_page_tells_the_story_of_the_term_in_the_url(app, story_store: Store):
    row = dtrack.open_store(story_store.path).emergence(["無断学習"]).row(0, named=True)
    at = app(query={"term": "無断学習", "lang": "ja"}, page="story")
    text = all_markdown(at)
    assert story_text(row, "ja") in text
    assert f"{row['first_ai_seen']} に AI 文脈で初出" in text and f"{row['takeoff']} に離陸" in text
    fig = figure(at, "st_chart")
    labels = [a["text"] for a in fig["layout"]["annotations"]]
    assert f"<b>離陸 {row['takeoff']}</b>" in labels and f"<b>AI 文脈の初出 {row['first_ai_seen']}</b>" in labels
    assert fig["layout"]["yaxis"]["type"] == "log"  # the peak dwarfs the single early posts
    # the posts of the first AI use: exactly that day's AI-context posts
    posts = table(at, "st_posts_first_ai_seen")
    assert len(posts) >= 1 and all(t.startswith(str(row["first_ai_seen"])) for t in posts["time"])
    assert "dtrack timeline 無断学習 --freq week" in text
    assert "dtrack posts 無断学習 --from 2021-04-14 --to 2021-04-14 --context ai" in text


def test_story_page_resolves_another_spelling_and_highlights_ranked_events(app, story_store: Store):
    at = app(query={"term": "ミミック"}, page="story")
    assert at.selectbox(key="term").value == "mimic"
    ranked = table(at, "st_events")
    assert 1 <= len(ranked) <= 5 and (ranked["rate_ratio"] > 1).all()
    bold = {a["text"] for a in figure(at, "st_chart")["layout"]["annotations"] if a["text"].startswith("<b>")}
    assert any(label[:10] in b for label in ranked["event"] for b in bold)


def test_emergence_table_links_each_term_to_its_story_sorted_by_takeoff(app, story_store: Store):
    at = app(page="emergence")
    frame = table(at, "em_table")
    expected = (dtrack.open_store(story_store.path).emergence()
                .sort([pl.col("takeoff").is_null(), "takeoff", "posts", "term"],
                      descending=[False, False, True, False]))
    assert frame["term"].tolist() == expected["term"].to_list()
    assert frame["term"].iloc[0] == "無断学習"  # the story's own term took off first
    assert frame["story"].tolist()[0] == "story?term=%E7%84%A1%E6%96%AD%E5%AD%A6%E7%BF%92&lang=en"
    assert "None" not in frame.astype(str).to_numpy().ravel().tolist()
    sleepless = expected.filter(pl.col("dormancy_days").is_null())["term"].to_list()
    assert sleepless and (frame[frame["term"].isin(sleepless)]["dormancy_days"] == "—").all()


def test_story_chart_exports_png_and_svg_offline_with_japanese_text(story_store: Store):
    import struct

    from dtrack.dashboard import charts, images

    assert images.unavailable() is None, images.unavailable()
    api = dtrack.open_store(story_store.path)
    row = api.emergence(["無断学習"]).row(0, named=True)
    uses = api.timeline(["無断学習"], freq="week").select("period", "posts")
    ai = api.timeline(["無断学習"], freq="week", context="ai").select("period", ai_posts="posts")
    fig = charts.story_chart(uses.join(ai, on="period"), row, lang="ja")
    svg = images.figure_bytes(fig, "svg").decode()
    assert f"離陸 {row['takeoff']}" in svg and "Noto Sans CJK JP" in svg
    png = images.figure_bytes(fig, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (images.WIDTH * images.PNG_SCALE, int(fig.layout.height) * images.PNG_SCALE)
