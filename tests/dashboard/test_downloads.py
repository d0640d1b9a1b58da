"""Every download is byte for byte what the matching `dtrack` command writes.

The frames come from the dashboard's loaders with the filters a page would
pass; the CLI runs with the argv the download names (the same argv the page
shows under the button), in process through click's CliRunner.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dtrack import main
from dtrack.analysis.queries import Query
from dtrack.dashboard import loaders
from dtrack.dashboard.downloads import Download, query_download, result_download
from dtrack.dashboard.query import bind
from dtrack.data.store import Store

TZ = "Asia/Tokyo"
D = dt.date


def cli_bytes(download: Download, store: Store, *, excel: bool = False) -> bytes:
    result = CliRunner().invoke(main, [*download.cli_args(excel=excel), "--store", str(store.path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def cli_meta(download: Download, store: Store, tmp_path: Path, *, excel: bool = False) -> dict:
    out = tmp_path / download.file_name
    result = CliRunner().invoke(main, [*download.cli_args(excel=excel), "--store", str(store.path),
                                       "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads((tmp_path / (download.file_name + ".meta.json")).read_text())


def _timeline(store: Store, q: Query) -> Download:
    return result_download(loaders.analysis_result(str(store.path), store.version, q), str(store.path), q)


def _posts(store: Store, q: Query) -> Download:
    return query_download(loaders.evidence_frame(str(store.path), store.version, q), str(store.path), q)


TIMELINES = [
    bind("timeline", TZ, terms=("無断学習", "無断転載")),
    bind("timeline", TZ, terms=("無断学習",), freq="week", context="ai", start=D(2022, 8, 1)),
    bind("timeline", TZ, terms=("mimic", "無断学習"), freq="month", include_reposts=True,
         platforms=("bluesky", "twitter"), end=D(2022, 9, 5)),
]
POSTS = [
    bind("posts", TZ, "無断学習"),
    bind("posts", TZ, "無断学習", start=D(2022, 8, 29), end=D(2022, 8, 29)),
    bind("posts", TZ, "無断学習", start=D(2022, 8, 22), end=D(2022, 9, 4), context="ai", include_reposts=True,
         platforms=("twitter",), limit=7),
    bind("posts", TZ, "mimic", end=D(2022, 8, 30), limit=200),
]


@pytest.mark.parametrize("q", TIMELINES, ids=lambda q: f"{q.freq}-{q.context}")
def test_timeline_download_is_the_cli_csv(story_store: Store, q: Query):
    download = _timeline(story_store, q)
    assert download.csv() == cli_bytes(download, story_store)
    assert download.csv(excel=True) == cli_bytes(download, story_store, excel=True)
    assert download.csv(excel=True).startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("q", POSTS, ids=lambda q: f"{q.start}-{q.context}-{q.limit}")
def test_posts_download_is_the_cli_csv(story_store: Store, q: Query):
    download = _posts(story_store, q)
    assert download.frame.height > 0
    assert download.csv() == cli_bytes(download, story_store)


def test_emergence_events_xcorr_downloads_are_the_cli_csv(story_store: Store):
    path, version = str(story_store.path), story_store.version
    for q in (bind("emergence", TZ, before=D(2021, 4, 1), min_days=3),
              bind("events", TZ, terms=("無断学習", "mimic"), window=5, context="ai"),
              bind("xcorr", TZ, "mimic", "無断学習", max_lag=5)):
        download = query_download(loaders.analysis_frame(path, version, q), path, q)
        assert download.frame.height > 0
        assert download.csv() == cli_bytes(download, story_store)


def test_sidecar_has_the_cli_content(story_store: Store, tmp_path: Path):
    """Same keys and values as the CLI's FILE.meta.json, but for when it was made."""
    for download in (_timeline(story_store, TIMELINES[1]), _posts(story_store, POSTS[2])):
        for excel in (False, True):
            ours = download.meta(excel=excel)
            theirs = cli_meta(download, story_store, tmp_path, excel=excel)
            assert ours.keys() == theirs.keys()
            ours.pop("created_at"), theirs.pop("created_at")
            assert json.loads(download.meta_json(excel=excel)) | {"created_at": None} == ours | {"created_at": None}
            assert ours == theirs


def test_shell_command_is_what_the_page_shows():
    download = query_download(None, "/s", bind("timeline", TZ, terms=("無断学習",), platforms=("x y",)))  # type: ignore[arg-type]
    assert download.shell_command() == (
        "dtrack timeline 無断学習 --freq day --context any --platform 'x y' --tz Asia/Tokyo")
    assert download.shell_command(excel=True).endswith(" --excel")


@pytest.mark.parametrize("q", [POSTS[1], TIMELINES[1]], ids=["posts", "timeline"])
def test_excel_download_is_the_cli_workbook(story_store: Store, tmp_path: Path, q: Query):
    import io

    import openpyxl

    download = _posts(story_store, q) if q.name == "posts" else _timeline(story_store, q)
    out = tmp_path / "cli.xlsx"
    result = CliRunner().invoke(main, [*download.cli_args(), "--store", str(story_store.path), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    mine, cli = openpyxl.load_workbook(io.BytesIO(download.xlsx())), openpyxl.load_workbook(out)
    assert list(mine["data"].iter_rows(values_only=True)) == list(cli["data"].iter_rows(values_only=True))
    ours = dict(mine["provenance"].iter_rows(values_only=True))
    theirs = dict(cli["provenance"].iter_rows(values_only=True))
    assert {k: v for k, v in ours.items() if k != "created_at"} == {
        k: v for k, v in theirs.items() if k != "created_at"}
    if q.name == "posts":
        header = next(mine["data"].iter_rows(values_only=True))
        ids = [r[header.index("post_id")] for r in list(mine["data"].iter_rows(values_only=True))[1:]]
        assert ids == download.frame["post_id"].to_list()
