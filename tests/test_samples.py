"""The bundled demo exports: reproducible from their script, and every one ingests cleanly."""

from __future__ import annotations

import filecmp
from pathlib import Path

from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.data.store import Store
from scripts import make_samples

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
FORMATS = {
    "twitter-search-2022.jsonl": "twarc",
    "x-archive-illustrator": "x_archive",
    "mastodon-outbox.json": "mastodon",
    "misskey-notes.json": "misskey",
    "reddit-comments.ndjson": "reddit",
    "survey-posts.csv": "csv",
    "5ch-1661740000.dat": "5ch",
}


def test_samples_are_what_the_script_writes(tmp_path: Path) -> None:
    make_samples.main(tmp_path)
    diff = filecmp.dircmp(SAMPLES, tmp_path)
    assert not diff.left_only and not diff.right_only and not diff.diff_files
    sub = filecmp.dircmp(SAMPLES / "x-archive-illustrator" / "data", tmp_path / "x-archive-illustrator" / "data")
    assert not sub.diff_files


def test_every_sample_ingests_with_its_format_and_count(tmp_path: Path) -> None:
    expected = make_samples.main(tmp_path / "regenerated")
    store = Store(tmp_path / "store")
    with store.writer() as w:
        reports = ingest_paths(w, [SAMPLES])
    by_name = {Path(r.path).name: r for r in reports}
    assert set(by_name) == set(FORMATS)  # the unpacked X archive folder is one source
    for name, report in by_name.items():
        assert (report.status, report.format, report.quarantined) == ("ok", FORMATS[name], 0), report
        assert report.new == expected[name], name
    status = store.scan_posts().collect()
    assert status.height == sum(expected.values())
    assert status["is_repost"].sum() > 0  # RT text, boosts and renotes are recognised
