"""The hostile shapes of issue 17 against the real `dtrack ingest`, each in its own child process.

    python bench/fuzz_hostile.py                       # the campaign's sizes: 2 GB bombs, 40 MB lines
    python bench/fuzz_hostile.py --bomb-mb 256 --line-mb 8 --rounds 50

Shapes (tests/collectors/hostile.py makes them):

* times outside the plausible range and past any calendar, and ids of the
  wrong JSON type, on the fast path and (one broken line added) the slow path,
  ``--rounds`` seeded files each: nothing implausible or mistyped may be
  stored, both paths must store the same posts, every bad line is quarantined;
* a line longer than the line cap (``--line-mb``), with and without a newline,
  then good lines, read as NDJSON and as twarc2 (the Twitter-family JSON-lines
  reader): the long line is quarantined with its line number, the good ones
  stored, memory stays bounded;
* a decompression bomb (``--bomb-mb`` of zeros, or for zstd of one endless
  line) for every compression dtrack reads: zip, tar.gz, tar.bz2, tar.xz, zst.
  It must be refused (exit 1, a message saying why) within bounded memory.

Each ingest runs as ``python -m dtrack ingest --json`` in a child; its wall
time and peak memory (``wait4`` rusage) are printed next to the targets.
Exits 1 if any shape broke its rule.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.collectors.hostile import BOMBS, ids_ndjson, long_line, times_ndjson  # noqa: E402

#: Targets: a bomb or a long line may cost at most this much memory and time.
TARGET_MB = 1024
TARGET_SECONDS = 60


def ingest(path: Path, store: Path, *args: str) -> tuple[int, float, float, list[dict]]:
    """(exit status, seconds, peak MB, JSON reports) of `dtrack ingest PATH` in a child."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "dtrack", "ingest", str(path), "--store", str(store),
                                 "--no-tag", "--json", *args], stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak memory, not the largest child's so far
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    reports = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    if not reports:
        reports = [{"status": "crash", "message": stderr[-300:]}]
    return proc.returncode, seconds, usage.ru_maxrss / 1024, reports


def _stored(store: Path) -> tuple[list[str], list[int]]:
    from dtrack.data.store import Store

    s = Store(store)
    posts = sorted(s.scan_posts().collect()["post_id"].to_list())
    lines = sorted(s.scan_quarantine().collect()["source_line"].drop_nulls().to_list())
    return posts, lines


def run_typed(work: Path, rounds: int) -> tuple[int, int]:
    """Times and ids on both paths; returns (inputs, failures)."""
    from dtrack.data.store import Store
    from dtrack.data.times import TimeRange

    failures = inputs = 0
    lo, hi = TimeRange().bounds()
    for maker, label in ((times_ndjson, "times"), (ids_ndjson, "ids")):
        for r in range(rounds):
            results = []
            for broken in (False, True):
                data, bad = maker(random.Random(r), broken_line=broken)
                path = work / f"{label}-{r}-{broken}.ndjson"
                path.write_bytes(data)
                store = work / f"s-{label}-{r}-{broken}"
                _, _, _, reports = ingest(path, store, "--format", "ndjson")
                inputs += 1
                posts, quarantined = _stored(store)
                results.append(posts)
                times = Store(store).scan_posts().collect()["created_at"]
                problems = []
                if reports and reports[0].get("status") != "ok":
                    problems.append(f"status {reports[0].get('status')}: {reports[0].get('message')}")
                if times.len() and not (times.min() >= lo and times.max() <= hi):
                    problems.append("a time outside the range was stored")
                if set(quarantined) != bad:
                    problems.append(f"quarantined lines {sorted(set(quarantined) ^ bad)} differ from the bad ones")
                if problems:
                    failures += 1
                    print(f"  FAIL {label} round {r} {'slow' if broken else 'fast'} path: {'; '.join(problems)}")
            if results[0] != results[1]:
                failures += 1
                print(f"  FAIL {label} round {r}: fast and slow path stored different posts")
    return inputs, failures


def run_long_lines(work: Path, line_mb: int) -> tuple[int, int]:
    """(cases, failures): a long line with and without a newline after it, through the NDJSON
    reader and the JSON-lines reader of the Twitter-family formats (twarc2, v1.1)."""
    cases = failures = 0
    for fmt in ("ndjson", "twarc"):
        for newline in (True, False):
            cases += 1
            path = work / f"long-{fmt}-{newline}.jsonl"
            path.write_bytes(long_line(line_mb << 20, newline=newline, good_after=2 if newline else 0))
            store = work / f"s-long-{fmt}-{newline}"
            code, seconds, peak, reports = ingest(path, store, "--format", fmt)
            posts, quarantined = _stored(store)
            ok = quarantined == [1] and posts == (["2", "3"] if newline else []) and peak < TARGET_MB
            failures += not ok
            message = reports[0].get("message", "") if reports else ""
            shape = "+ newline" if newline else "(no newline)"
            print(f"  {'ok  ' if ok else 'FAIL'} {fmt}: {line_mb} MB line {shape}: "
                  f"exit {code}, {seconds:.1f}s, peak {peak:,.0f} MB, stored {posts}, quarantined lines {quarantined}"
                  f"{', ' + message[:120] if message else ''}")
    return cases, failures


def run_bombs(work: Path, bomb_mb: int) -> tuple[int, int]:
    refused = failures = 0
    for name, (maker, fmt) in BOMBS.items():
        path = maker(work / name, bomb_mb << 20)
        code, seconds, peak, reports = ingest(path, work / f"s-{name}", "--format", fmt)
        report = reports[0] if reports else {}
        message = report.get("message", "")
        ok = (code == 1 and report.get("status") == "error" and peak < TARGET_MB and seconds < TARGET_SECONDS
              and "collector failed" not in message)
        refused += ok
        failures += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {name}: {path.stat().st_size:,} bytes -> {bomb_mb:,} MB: exit {code}, "
              f"{seconds:.1f}s, peak {peak:,.0f} MB: {message[:160]}")
    return refused, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bomb-mb", type=int, default=2048, help="decompressed size of each bomb [2048]")
    parser.add_argument("--line-mb", type=int, default=40, help="length of the long line [40]")
    parser.add_argument("--rounds", type=int, default=20, help="seeded files per typed shape and path [20]")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dtrack-hostile-") as tmp:
        work = Path(tmp)
        print(f"times and ids, {args.rounds} files each, fast and slow path:")
        inputs, typed_failures = run_typed(work, args.rounds)
        print(f"  {inputs} inputs, {typed_failures} failures")
        print(f"long lines (target: quarantined with line 1, peak < {TARGET_MB} MB):")
        long_cases, long_failures = run_long_lines(work, args.line_mb)
        print(f"bombs (target: refused, exit 1, < {TARGET_SECONDS}s, peak < {TARGET_MB} MB):")
        refused, bomb_failures = run_bombs(work, args.bomb_mb)
        print(f"summary: {inputs} typed inputs ({typed_failures} failures), "
              f"long lines {long_cases - long_failures}/{long_cases}, "
              f"bombs refused {refused}/{len(BOMBS)}")
    return 1 if typed_failures or long_failures or bomb_failures else 0


if __name__ == "__main__":
    sys.exit(main())
