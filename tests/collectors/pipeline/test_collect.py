"""collect(): ingest, then tag, with the one failure policy the CLI, the dashboard and watch jobs share."""

from __future__ import annotations

from pathlib import Path

from dtrack.collectors.pipeline.collect import DEFAULT_HOOK, collect, legacy_module_name, resolve_hook
from dtrack.data.store import Store

FIX = Path(__file__).parents[1] / "fixtures" / "generic"


def test_a_bad_source_does_not_stop_the_others_and_new_posts_are_tagged(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x01 not an export")
    with store.writer() as writer:
        done = collect(writer, [bad, FIX / "naive_jst.ndjson"])
    assert [r.status for r in done.reports] == ["error", "ok"]
    assert done.errors == [done.reports[0]] and done.reports[1].new == 4
    assert done.tag_error is None and done.tagged.posts_tagged == 4
    assert store.scan_posts().collect().height == 4


def test_a_failing_tagging_step_keeps_the_posts_and_is_reported_not_raised(store: Store) -> None:
    with store.writer() as writer:
        done = collect(writer, [FIX / "naive_jst.ndjson"], tag="dtrack.nlp.tagger:no_such_function")
    assert done.tagged is None and "no_such_function" in done.tag_error
    assert store.scan_posts().collect().height == 4 and store.scan_hits().collect().height == 0


def test_tagging_runs_only_when_posts_are_new_or_owed(store: Store) -> None:
    with store.writer() as writer:
        collect(writer, [FIX / "naive_jst.ndjson"], tag=None)
    with store.writer() as writer:
        again = collect(writer, [FIX / "naive_jst.ndjson"], tag_owed=False)  # skipped: nothing new
        assert again.reports[0].status == "skipped" and again.tagged is None
        owed = collect(writer, [], tag_owed=True)
    assert owed.tagged.posts_tagged == 4


def test_asked_to_stop_it_reads_no_further_source_and_does_not_tag(store: Store) -> None:
    seen: list[str] = []
    with store.writer() as writer:
        done = collect(writer, [FIX / "naive_jst.ndjson", FIX / "broken.ndjson"],
                       on_report=lambda r: seen.append(r.path), should_stop=lambda: bool(seen))
    assert done.stopped and len(done.reports) == 1 and done.tagged is None


def test_stored_references_follow_the_modules_that_moved() -> None:
    assert legacy_module_name("nlp.tagger") == "dtrack.nlp.tagger"
    assert legacy_module_name("collectors.schedule") == "dtrack.collectors.pipeline.schedule"
    assert legacy_module_name("dtrack.collectors.watch") == "dtrack.collectors.pipeline.watch"
    assert resolve_hook(DEFAULT_HOOK).__name__ == "tag_store"
