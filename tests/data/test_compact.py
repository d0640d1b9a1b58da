"""Compaction: every row, hit and provenance field kept; tagged stays tagged; crash- and reader-safe."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from dtrack.cli.main import main
from dtrack.collectors.pipeline.ingest import ingest_paths
from dtrack.data.compact import compact_store
from dtrack.data.status import store_status
from dtrack.data.store import Store
from dtrack.nlp.tagger import tag_store

TEXTS = ["無断学習はやめて", "今日はラーメン", "AIに無断学習させないで #無断学習禁止", "猫がかわいい", "mimicで学習"]

#: Files per kind after compacting the piled store: one per month (three months), one quarantine and
#: counts file (data.daily).
MERGED = {"posts": 3, "hits": 3, "quarantine": 1, "words": 0, "uses": 3, "counts": 1}


def _write(path: Path, start: int, n: int, months: tuple[int, ...] = (1, 2, 3), bad: int = 0) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            month = months[i % len(months)]
            fh.write(json.dumps({"id": str(i), "created_at": f"2023-{month:02d}-{1 + i % 27:02d}T03:00:00Z",
                                 "text": f"{TEXTS[i % len(TEXTS)]} {i}", "user": f"u{i % 5}"},
                                ensure_ascii=False) + "\n")
        for k in range(bad):
            fh.write(json.dumps({"id": f"bad{start}-{k}", "text": "no date"}) + "\n")  # quarantined
    return path


def _ingest(store: Store, *paths: Path) -> None:
    with store.writer() as w:
        for path in paths:  # one call per file: one transaction each, so files pile up
            ingest_paths(w, [path])


def _snapshot(store: Store) -> dict[str, object]:
    posts = store.scan_posts().collect().sort("platform", "post_id")
    hits = store.scan_hits().collect().sort("platform", "post_id", "term", "start")
    quarantine = store.scan_quarantine().collect().sort("source_file", "source_line")
    status = store_status(store)
    return {"posts": posts, "hits": hits, "quarantine": quarantine,
            "counts": {k: status[k] for k in ("posts", "reposts", "platforms", "hits", "quarantined", "sources",
                                              "first_post", "last_post")},
            "sources": store.sources()}


def _same(a: dict[str, object], b: dict[str, object]) -> None:
    for key in ("posts", "hits", "quarantine"):
        assert a[key].equals(b[key]), key  # type: ignore[attr-defined]
    assert a["counts"] == b["counts"] and a["sources"] == b["sources"]


@pytest.fixture
def piled(tmp_path: Path) -> Store:
    """Six transactions over three months, tagged, with quarantined records."""
    store = Store(tmp_path / "store")
    _ingest(store, *(_write(tmp_path / f"f{k}.ndjson", 100 * k, 40, bad=k % 2) for k in range(3)))
    tag_store(store, workers=1)
    _ingest(store, *(_write(tmp_path / f"g{k}.ndjson", 1000 + 100 * k, 30, bad=1) for k in range(3)))
    tag_store(store, workers=1)
    return store


def test_compaction_keeps_every_row_hit_and_provenance_field(piled: Store) -> None:
    before = _snapshot(piled)
    assert before["counts"]["hits"] > 0 and before["counts"]["quarantined"] == 4  # type: ignore[index]
    files_before = {k: len(v) for k, v in piled.manifest()["files"].items()}
    assert store_status(piled)["compactable_files"]["posts"] == files_before["posts"] - 3

    report = compact_store(piled)

    _same(before, _snapshot(piled))
    files = piled.manifest()["files"]
    assert {k: len(v) for k, v in files.items()} == MERGED
    assert report.files_before == files_before and report.months == ["2023-01", "2023-02", "2023-03"]
    assert store_status(piled)["compactable_files"] == dict.fromkeys(MERGED, 0)
    # the tagged-files bookkeeping follows: nothing to tag, nothing changes
    version = piled.version
    assert tag_store(piled, workers=1).reason == "up to date" and piled.version == version
    assert compact_store(piled).months == [] and piled.version == version  # nothing left to merge


def test_tagged_and_untagged_posts_are_merged_apart(piled: Store, tmp_path: Path) -> None:
    _ingest(piled, _write(tmp_path / "late1.ndjson", 5000, 20), _write(tmp_path / "late2.ndjson", 6000, 20))
    compact_store(piled)
    tagged = set(piled.meta("tagging")["files"])
    posts = piled.manifest()["files"]["posts"]
    assert len(posts) == 6 and len(tagged & set(posts)) == 3  # per month: one tagged file, one untagged
    report = tag_store(piled, workers=1)
    assert report.posts_tagged == 40 and not report.retagged  # only the new posts
    reference = Store(tmp_path / "ref")
    _ingest(reference, *sorted(tmp_path.glob("*.ndjson")))
    tag_store(reference, workers=1)
    key = ["platform", "post_id", "term", "start"]
    drop = ["created_at"]
    assert piled.scan_hits().collect().drop(drop).sort(key).equals(
        reference.scan_hits().collect().drop(drop).sort(key))  # no hit lost, none twice


def test_discovery_counts_follow_compaction(piled: Store, tmp_path: Path) -> None:
    # the word counts for discovery keep their bookkeeping like tagging does: no recount after a
    # compaction, and the rows are merged without loss or duplication
    from dtrack.nlp.words import count_store

    first = count_store(piled, workers=1)
    assert first.posts > 0
    words = piled.scan_words().collect().sort(pl.all())
    _ingest(piled, _write(tmp_path / "late.ndjson", 7000, 20))  # one post file not counted yet
    compact_store(piled)
    assert len(piled.manifest()["files"]["words"]) <= 3
    assert piled.scan_words().collect().sort(pl.all()).equals(words)
    again = count_store(piled, workers=1)
    assert not again.recounted and again.posts == 20  # only the new posts
    assert piled.scan_words().collect().height > words.height


def test_one_month_only(piled: Store) -> None:
    before = _snapshot(piled)
    report = compact_store(piled, month="2023-02")
    assert report.months == ["2023-02"]
    files = piled.manifest()["files"]
    by_month = {m: sum(f"month={m}/" in f for f in files["posts"]) for m in ("2023-01", "2023-02", "2023-03")}
    assert by_month["2023-02"] == 1 and by_month["2023-01"] > 1 and len(files["quarantine"]) > 1
    _same(before, _snapshot(piled))


def test_cli_compact_and_status(piled: Store) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["compact", "--month", "2023-13", "--store", str(piled.path)])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
    done = runner.invoke(main, ["compact", "--json", "--store", str(piled.path)])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["files_after"] == MERGED
    status = json.loads(runner.invoke(main, ["status", "--format", "json", "--store", str(piled.path)]).output)
    assert status["files"] == MERGED
    assert status["compactable_files"] == dict.fromkeys(MERGED, 0)


# -- crashes and readers: a real child process -----------------------------------------
#: Where the child stops (prints "paused" and sleeps) before it is killed.
PAUSES = {
    # inside the merge: one month written to staging, the rest not
    "mid-merge": "import dtrack.data.compact as c\nreal = c._merge\nseen = []\n"
                 "def slow(*a):\n    seen.append(1)\n    if len(seen) == 2: pause()\n    return real(*a)\n"
                 "c._merge = slow\n",
    # every merged file staged and moved into its partition, the logs written, the manifest not yet
    "before-manifest": "import dtrack.data.store as s\nreal = s.Store._write_manifest\n"
                       "def slow(self, m):\n    pause()\n    real(self, m)\ns.Store._write_manifest = slow\n",
    # the manifest replaced, staging and the writer's bookkeeping not yet cleaned up
    "after-manifest": "import dtrack.data.store as s\nreal = s.StoreWriter._committed\n"
                      "def slow(self, *a):\n    pause()\ns.StoreWriter._committed = slow\n",
}
CHILD = ("import sys, time\n"
         "def pause():\n    print('paused', flush=True)\n    time.sleep(60)\n"
         "{patch}"
         "from dtrack.data.compact import compact_store\nfrom dtrack.data.store import Store\n"
         "print('started', flush=True)\n"
         "compact_store(Store({store!r}))\nprint('done', flush=True)\n")


@pytest.mark.parametrize("point", list(PAUSES))
def test_kill_9_mid_compaction_leaves_before_or_after(piled: Store, point: str, subprocess_env: dict) -> None:
    before = _snapshot(piled)
    files_before = piled.manifest()["files"]
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(patch=PAUSES[point], store=str(piled.path))],
                             env=subprocess_env, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "started"
    assert child.stdout.readline().strip() == "paused"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    reopened = Store(piled.path)
    files = reopened.manifest()["files"]
    if point == "after-manifest":
        assert {k: len(v) for k, v in files.items()} == MERGED
    else:
        assert files == files_before
    _same(before, _snapshot(reopened))
    with reopened.writer():  # the next writer clears what the killed one left
        pass
    assert not list((piled.path / "staging").rglob("*.parquet"))
    compact_store(reopened)  # and compaction completes
    _same(before, _snapshot(reopened))
    assert tag_store(reopened, workers=1).reason == "up to date"


def test_a_reader_during_compaction_sees_before_or_after(piled: Store, subprocess_env: dict) -> None:
    slow = ("import dtrack.data.compact as c\nreal = c._merge\n"
            "def pause():\n    pass\n"
            "def slow(*a):\n    time.sleep(0.15)\n    return real(*a)\nc._merge = slow\n")
    old_files = [p for files in piled.manifest()["files"].values() for p in files]
    posts, hits = piled.scan_posts().collect().height, piled.scan_hits().collect().height
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(patch=slow, store=str(piled.path))],
                             env=subprocess_env, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "started"
    seen_versions = set()
    deadline = time.monotonic() + 120
    while child.poll() is None and time.monotonic() < deadline:
        reader = Store(piled.path)
        manifest = reader.manifest()
        n_files = sum(len(v) for v in manifest["files"].values())
        assert n_files in (len(old_files), 11)  # the old set or the merged one (with uses, counts), never a mix
        assert reader.scan_posts().collect().height == posts
        assert reader.scan_hits().collect().height == hits
        seen_versions.add(manifest["version"])
    assert child.wait(timeout=30) == 0
    seen_versions.add(Store(piled.path).manifest()["version"])
    assert len(seen_versions) == 2  # read before the swap (the merges take a second) and after it
    # a reader that listed the old files just before the swap can still read them (grace period)
    assert pl.scan_parquet([str(piled.path / p) for p in old_files if p.startswith("posts/")]
                           ).select(pl.len()).collect().item() == posts
