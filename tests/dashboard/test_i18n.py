"""Every label exists in both languages with the same placeholders."""

from __future__ import annotations

import re
import string

from dtrack.dashboard.i18n import LABELS, LANGUAGES, tr


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_in_every_language_with_the_same_placeholders():
    for key, entry in LABELS.items():
        assert set(entry) == set(LANGUAGES), key
        assert _fields(entry["en"]) == _fields(entry["ja"]), key


def test_japanese_labels_are_japanese():
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    same = {"app_title"}
    for key, entry in LABELS.items():
        if key not in same:
            assert japanese.search(entry["ja"]), key


def test_every_label_used_in_the_code_exists():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "dashboard"
    used: set[str] = set()
    for path in root.rglob("*.py"):
        used |= set(re.findall(r"""\b(?:s\.t|tr|t)\(\s*["']([a-z_0-9]+)["']""", path.read_text()))
    assert used, "the pattern finds label uses"
    assert used <= set(LABELS), sorted(used - set(LABELS))


def test_tr_formats_values():
    assert tr("showing", "en", shown=1, total=1234) == "1 of 1,234 posts"
    assert tr("showing", "ja", shown=1, total=1234) == "1,234 件中 1 件"


def test_language_from_the_url_and_written_back(app):
    at = app(query={"lang": "ja"}, page="timelines", lang="en")
    assert at.segmented_control(key="lang").value == "ja"
    assert at.query_params["lang"] in ("ja", ["ja"])
    assert at.title[0].value == "語の推移"


def test_japanese_timeline_rule_headers_placeholders_and_axis_dates(app):
    from tests.dashboard.helpers import all_markdown, figure

    at = app(page="timelines", lang="ja")
    text = all_markdown(at)
    assert "集計規則: 使用とはその語を含む投稿 (何回含んでも 1 件)、元の投稿のみ" in text
    assert "Asia/Tokyo の暦日" in text
    assert "a use is a post" not in text
    assert at.multiselect(key="tl_platforms").placeholder == "選んでください…"
    stops = figure(at, "tl_chart")["layout"]["xaxis"]["tickformatstops"]
    assert "%Y年%-m月" in [s["value"] for s in stops]
    kinds = {t["name"] for t in figure(at, "tl_chart")["data"] if t.get("yaxis") == "y9"}
    assert "サービス" in kinds


def test_japanese_table_headers(app):
    at = app(page="emergence", lang="ja")
    import json

    config = json.loads(at.get_by_key("box_em_table").get("dataframe")[0].proto.columns)
    labels = {column: c.get("label") for column, c in config.items()}
    assert labels["dormancy_days"] == "休眠 (日)" and labels["takeoff"] == "離陸" and labels["story"] == "物語"
    assert labels["term"] == "語" and labels["posts"] == "投稿数"
