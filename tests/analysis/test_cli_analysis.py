"""The analysis commands: names, options, columns and keys are a contract for scripts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from analysis_cases import build_store, hit, post, utc
from click.testing import CliRunner
from story import FIRST_AI_USE, FIRST_USE, TAKEOFF

from dtrack import main
from dtrack.analysis.emergence import EMERGENCE_COLUMNS
from dtrack.analysis.events import EVENT_STUDY_COLUMNS
from dtrack.analysis.export import csv_bytes
from dtrack.analysis.timeline import TIMELINE_COLUMNS, timeline
from dtrack.data.store import Store

COMMANDS = ("timeline", "emergence", "events", "posts", "xcorr")


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("command", COMMANDS)
def test_help_ends_with_an_example(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    text = out.decode()
    assert "Example:" in text
    example = text.split("Example:")[1].split("Options:")[0].strip()
    assert example.startswith(f"dtrack {command}")


def test_timeline_csv_to_stdout_is_the_library_bytes(story_store: Store) -> None:
    code, out, err = run("timeline", "無断学習", "無断転載", "--freq", "week", "--from", "2022-08-01",
                         "--to", "2022-09-30", "--store", str(story_store.path))
    assert code == 0, err
    assert out.decode().splitlines()[0] == ",".join(TIMELINE_COLUMNS)
    df = timeline(story_store.scan_posts(), story_store.scan_hits(), ["無断学習", "無断転載"], freq="week",
                  start=dt.date(2022, 8, 1), end=dt.date(2022, 9, 30)).collect()
    assert out == csv_bytes(df)  # the dashboard's download uses the same function: same bytes
    rows = _csv(out)
    assert {r["period"] for r in rows} >= {"2022-08-29"} and rows[0]["period"] == "2022-08-01"


def test_timeline_out_writes_meta_and_excel_bom(story_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "weekly.csv"
    code, stdout, err = run("timeline", "無断学習", "--freq", "month", "--context", "ai", "--platform", "twitter",
                            "--out", str(out), "--excel", "--store", str(story_store.path))
    assert code == 0, err
    assert stdout == b"" and "wrote" in err
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    meta = json.loads((tmp_path / "weekly.csv.meta.json").read_text(encoding="utf-8"))
    for key in ("command", "parameters", "counting_rule", "timezone", "store_version", "dictionary_hash",
                "versions", "created_at"):
        assert key in meta, key
    assert meta["command"] == "timeline" and meta["timezone"] == "Asia/Tokyo"
    assert meta["parameters"]["context"] == "ai" and meta["parameters"]["platforms"] == ["twitter"]
    assert "AI-context" in meta["counting_rule"] and "twitter" in meta["counting_rule"]
    assert meta["store_version"] == story_store.version and meta["dictionary_hash"] == "story-truth"
    assert meta["rows"] == len(_csv(data))


def test_emergence_json_reports_the_story_days(story_store: Store) -> None:
    code, out, err = run("emergence", "無断学習", "無断転載", "--format", "json", "--before", "2021-04-01",
                         "--store", str(story_store.path))
    assert code == 0, err
    rows = json.loads(out)
    assert [r["term"] for r in rows] == ["無断学習", "無断転載"]
    assert list(rows[0])[: len(EMERGENCE_COLUMNS)] == list(EMERGENCE_COLUMNS)
    mudan, tensai = rows
    assert (mudan["first_seen"], mudan["first_ai_seen"], mudan["takeoff"]) == (
        FIRST_USE.isoformat(), FIRST_AI_USE.isoformat(), TAKEOFF.isoformat())
    assert mudan["uses_before"] == 4
    assert tensai["takeoff"] is None
    code, out, _ = run("emergence", "無断学習", "--format", "json", "--tz", "UTC", "--store", str(story_store.path))
    assert json.loads(out)[0]["takeoff"] == "2022-08-28"
    code, out, _ = run("emergence", "無断学習", "--format", "json", "--store", str(story_store.path),
                       env={"DTRACK_TZ": "UTC"})
    assert json.loads(out)[0]["first_seen"] == "2020-02-09"


def test_emergence_csv_has_empty_cells_for_none(story_store: Store) -> None:
    code, out, _ = run("emergence", "無断転載", "--store", str(story_store.path))
    assert code == 0
    (row,) = _csv(out)
    assert row["takeoff"] == "" and row["first_seen"] == "2020-01-01"


def test_events_json_ranks_mimic_first_for_mudan_gakushu(story_store: Store) -> None:
    code, out, err = run("events", "無断学習", "--format", "json", "--store", str(story_store.path))
    assert code == 0, err
    rows = json.loads(out)
    assert list(rows[0])[: len(EVENT_STUDY_COLUMNS)] == list(EVENT_STUDY_COLUMNS)
    assert rows[0]["date"] == TAKEOFF.isoformat() and "mimic" in rows[0]["event"] and rows[0]["rank"] == 1
    sd = next(r for r in rows if r["date"] == "2022-08-22")
    assert sd["rate_ratio"] is None and sd["before_per_day"] == 0.0


def test_events_with_a_user_file_and_a_bad_file(story_store: Store, tmp_path: Path) -> None:
    good = tmp_path / "mine.csv"
    good.write_text("date,label\n2022-08-29,mimic beta\n2022-10-03,NovelAI\n", encoding="utf-8")
    code, out, err = run("events", "NovelAI", "--events", str(good), "--window", "3", "--store",
                         str(story_store.path))
    assert code == 0, err
    rows = _csv(out)
    assert [r["event"] for r in rows] == ["NovelAI", "mimic beta"]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,label\n2022-08-29,ok\n29/08/2022,bad\n", encoding="utf-8")
    code, _, err = run("events", "--events", str(bad), "--store", str(story_store.path))
    assert code == 1 and str(bad) in err and "line 3" in err


def test_posts_lists_the_evidence_of_a_day(story_store: Store) -> None:
    code, out, err = run("posts", "無断学習", "--date", TAKEOFF.isoformat(), "--context", "ai", "--limit", "5",
                         "--store", str(story_store.path))
    assert code == 0, err
    rows = _csv(out)
    assert len(rows) == 5
    assert all(r["time"].startswith(TAKEOFF.isoformat()) and r["time"].endswith("+09:00") for r in rows)
    assert all(r["ai_context"] == "true" for r in rows)
    code, _, err = run("posts", "無断学習", "--date", "2022-08-29", "--from", "2022-08-01", "--store",
                       str(story_store.path))
    assert code == 2 and "not both" in err


def test_posts_escapes_formula_text_in_csv(tmp_path: Path) -> None:
    p = post("1", utc(2022, 8, 29, 3), "=HYPERLINK(\"http://evil\") 無断学習", author="@mallory")
    p["author_name"] = "@mallory"
    store = build_store(tmp_path, [p], [hit(p, "無断学習")])
    code, out, _ = run("posts", "無断学習", "--store", str(store.path))
    assert code == 0
    (row,) = _csv(out)
    assert row["text"].startswith("'=HYPERLINK") and row["author"] == "'@mallory"
    _code, out, _ = run("posts", "無断学習", "--format", "json", "--store", str(store.path))
    assert json.loads(out)[0]["text"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet


def test_unknown_term_and_bad_options(story_store: Store) -> None:
    # a typo is a usage error naming the closest terms, in every command (never a table of zeros)
    for argv in (["timeline", "無断学集"], ["posts", "無断学集"], ["emergence", "無断学集"], ["events", "無断学集"],
                 ["xcorr", "mimic", "無断学集"], ["kwic", "無断学集"]):
        code, out, err = run(*argv, "--store", str(story_store.path))
        assert code == 2 and not out, argv
        assert "'無断学集' is not a term of the dictionary" in err and "無断学習" in err and "dtrack terms" in err
    # any spelling of a term resolves to it: a reading, upper case, a hashtag
    code, out, err = run("timeline", "無断学習", "--freq", "month", "--store", str(story_store.path))
    for spelling in ("ミミック", "MIMIC", "#無断学習"):
        code, other, err = run("timeline", spelling, "--freq", "month", "--store", str(story_store.path))
        assert code == 0, (spelling, err)
        canonical = "mimic" if spelling != "#無断学習" else "無断学習"
        assert {r["term"] for r in _csv(other)} == {canonical}
    assert out == run("timeline", "#無断学習", "--freq", "month", "--store", str(story_store.path))[1]
    code, _, err = run("timeline", "無断学習", "--tz", "Mars/Base", "--store", str(story_store.path))
    assert code == 2 and "unknown timezone" in err
    code, _, err = run("timeline", "無断学習", "--from", "2022-09-01", "--to", "2022-08-01", "--store",
                       str(story_store.path))
    assert code == 2
    code, _, _ = run("timeline", "--store", str(story_store.path))
    assert code == 2  # TERM is required


def test_keyword_store_gets_a_share_note(tmp_path: Path) -> None:
    p = post("1", utc(2022, 8, 29, 3), "無断学習")
    store = build_store(tmp_path, [p], [hit(p, "無断学習")])
    out = tmp_path / "t.csv"
    code, _, err = run("timeline", "無断学習", "--out", str(out), "--store", str(store.path))
    assert code == 0 and "not meaningful" in err
    meta = json.loads((tmp_path / "t.csv.meta.json").read_text(encoding="utf-8"))
    assert any("keyword-search" in note for note in meta["notes"])


def test_xcorr_command(story_store: Store) -> None:
    code, out, err = run("xcorr", "mimic", "無断学習", "--max-lag", "3", "--store", str(story_store.path))
    assert code == 0, err
    rows = _csv(out)
    assert [int(r["lag"]) for r in rows] == [-3, -2, -1, 0, 1, 2, 3]


def test_commands_run_as_a_real_process(story_store: Store, subprocess_env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dtrack", "emergence", "無断学習", "--format", "json", "--store", str(story_store.path)],
        capture_output=True, env=subprocess_env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)[0]["takeoff"] == TAKEOFF.isoformat()


def test_emergence_burst_options_reach_the_model_and_the_sidecar(story_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "em.json"
    code, _, err = run("emergence", "無断学習", "無断転載", "--format", "json", "--burst-s", "3",
                       "--burst-gamma", "0.5", "--burst-model", "binomial", "--out", str(out),
                       "--store", str(story_store.path))
    assert code == 0, err
    meta = json.loads((tmp_path / "em.json.meta.json").read_text(encoding="utf-8"))
    assert meta["parameters"]["burst_s"] == 3.0 and meta["parameters"]["burst_gamma"] == 0.5
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [r["first_seen_censored"] for r in rows] == [False, True]  # 無断転載 is used from the data's first day
    assert all("last_seen" in r and "burst_note" in r for r in rows)
    code, _, err = run("emergence", "無断学習", "--burst-s", "1", "--store", str(story_store.path))
    assert code == 2 and "--burst-s" in err
    code, _, err = run("emergence", "無断学習", "--burst-gamma", "-1", "--store", str(story_store.path))
    assert code == 2 and "--burst-gamma" in err


def test_emergence_binomial_fallback_is_a_note_not_a_traceback(tmp_path: Path) -> None:
    posts, hits = [], []
    for day in range(30):
        for k in range(2):
            p = post(f"{day}-{k}", utc(2022, 8, 1, 3) + dt.timedelta(days=day, hours=k), "無断学習")
            posts.append(p)
            if k == 0 or day > 20:
                hits.append(hit(p, "無断学習"))
    store = build_store(tmp_path, posts, hits)
    out = tmp_path / "em.csv"
    code, _, err = run("emergence", "無断学習", "--burst-model", "binomial", "--out", str(out),
                       "--store", str(store.path))
    assert code == 0, err
    assert "poisson used" in err
    (row,) = _csv(out.read_bytes())
    assert row["burst_model"] == "poisson" and "s*p0 < 1" in row["burst_note"]
    meta = json.loads((tmp_path / "em.csv.meta.json").read_text(encoding="utf-8"))
    assert any("poisson used" in n for n in meta["notes"])
