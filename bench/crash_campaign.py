"""Kill `dtrack ingest` at random moments and at every fsync/rename of a commit; the store must survive.

    python bench/crash_campaign.py                    # 40 random kills, then every injected point
    python bench/crash_campaign.py --kills 200 --posts 400000

Random kills: `dtrack ingest` of a few NDJSON files (posts spread over
several months, so one commit is many files) is started again and again on
the same store and SIGKILLed after a random delay. After each kill, and at the
end after a clean run, the store must hold:

* a manifest whose every listed file reads (no torn or missing file);
* unique (platform, post_id) keys, and as many posts as the committed
  sources say are new (no half-committed source, nothing twice);
* after the next writer opens it, no Parquet file that the manifest does not
  list and an empty staging/ (crash leftovers removed).

Injected kills: one commit is run with ``os.fsync``/``os.replace`` wrapped to
SIGKILL the process just before the N-th call, for every N; each time the
store must hold the old posts or all the new ones, never a part, and every
listed file must read.

Prints the kills survived next to the number attempted; exits 1 on any breach.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from dtrack.data.store import Store  # noqa: E402
from tests.data.test_store_durability import CHILD  # noqa: E402


def make_inputs(folder: Path, posts: int, files: int, rng: random.Random) -> list[Path]:
    paths = []
    per = posts // files
    for f in range(files):
        path = folder / f"part-{f}.ndjson"
        with open(path, "w") as fh:
            for i in range(per):
                month = rng.randrange(1, 13)
                fh.write(json.dumps({"id": f"{f}-{i}", "created_at": f"2022-{month:02d}-{rng.randrange(1, 28):02d}"
                                     f"T{rng.randrange(24):02d}:00:00Z", "text": f"post {i} 無断学習"}) + "\n")
        paths.append(path)
    return paths


def check(store: Store, *, sources: bool = True) -> list[str]:
    """Breaches of the store's promises (empty when it is sound)."""
    problems = []
    manifest = store.manifest()
    for files in manifest["files"].values():
        for rel in files:
            try:
                pl.read_parquet(store.path / rel)
            except Exception as exc:  # a torn or missing file
                problems.append(f"{rel}: {exc}")
    posts = store.scan_posts().select("platform", "post_id").collect()
    if not posts.is_unique().all():
        problems.append("duplicate keys")
    expected = sum(s.get("new", 0) for s in manifest.get("sources", []))
    if sources and posts.height != expected:
        problems.append(f"{posts.height} posts, the sources say {expected}")
    with store.writer(purpose="crash campaign check"):
        pass
    listed = {rel for files in store.manifest()["files"].values() for rel in files}
    garbage = {g["path"] for g in store.manifest().get("garbage", [])}
    stray = {p.relative_to(store.path).as_posix() for p in store.path.rglob("*.parquet")} - listed - garbage
    if stray:
        problems.append(f"{len(stray)} files not in the manifest after recovery")
    if any((store.path / "staging").rglob("*")):
        problems.append("staging/ not empty after recovery")
    return problems


def random_kills(work: Path, inputs: list[Path], kills: int, rng: random.Random, max_delay: float) -> tuple[int, int]:
    store = Store(work / "store")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    survived = breaches = 0
    for k in range(kills):
        proc = subprocess.Popen([sys.executable, "-m", "dtrack", "ingest", *map(str, inputs), "--store",
                                 str(store.path), "--no-tag", "--force"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, max_delay))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        problems = check(store)
        if problems:
            breaches += 1
            print(f"  kill {k + 1}: BREACH {problems}")
        else:
            survived += 1
    done = subprocess.run([sys.executable, "-m", "dtrack", "ingest", *map(str, inputs), "--store", str(store.path),
                           "--no-tag", "--force"], env=env, capture_output=True, text=True)
    problems = check(store)
    total = sum(1 for line in inputs[0].open()) * len(inputs)
    n = store.scan_posts().select(pl.len()).collect().item()
    if problems or n != total:
        breaches += 1
        print(f"  final clean run (exit {done.returncode}): {n} of {total} posts; {problems}")
    return survived, breaches


def injected_kills(work: Path) -> tuple[int, int]:
    template = Store(work / "template")
    with template.writer() as w, w.transaction() as txn:
        import datetime as dt

        from dtrack.data.schema import POST_SCHEMA
        frame = pl.DataFrame({"platform": ["x"], "post_id": ["old"],
                              "created_at": [dt.datetime(2021, 1, 1, tzinfo=dt.UTC)]})
        txn.add_posts(frame.with_columns(pl.lit(None).cast(POST_SCHEMA[c]).alias(c) for c in POST_SCHEMA
                                         if c not in frame.columns).cast(POST_SCHEMA))  # type: ignore[arg-type]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    full = work / "full"
    shutil.copytree(template.path, full)
    log = work / "full.log"
    subprocess.run([sys.executable, "-c", CHILD, str(full), "0", str(log)], env=env, check=True)
    points = len(log.read_text().splitlines())
    survived = breaches = 0
    for kill_at in range(1, points + 1):
        root = work / f"inj-{kill_at}"
        shutil.copytree(template.path, root)
        code = subprocess.run([sys.executable, "-c", CHILD, str(root), str(kill_at), str(work / "x.log")],
                              env=env).returncode
        store = Store(root)
        n = store.scan_posts().select(pl.len()).collect().item()
        problems = check(store, sources=False) if code == -9 else [f"child exited {code}, not killed"]
        if n not in (1, 4):
            problems.append(f"{n} posts: a part of the commit is visible")
        if problems:
            breaches += 1
            print(f"  kill before call {kill_at}: BREACH {problems}")
        else:
            survived += 1
    return survived, breaches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=40, help="random kills [40]")
    parser.add_argument("--posts", type=int, default=200_000, help="posts over all input files [200000]")
    parser.add_argument("--files", type=int, default=4, help="input files [4]")
    parser.add_argument("--max-delay", type=float, default=6.0, help="longest delay before a kill, seconds [6]")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="dtrack-crash-") as tmp:
        work = Path(tmp)
        inputs = make_inputs(work, args.posts, args.files, rng)
        print(f"random kills of `dtrack ingest` ({args.posts:,} posts in {args.files} files, 12 months each):")
        survived, breaches = random_kills(work, inputs, args.kills, rng, args.max_delay)
        print(f"  survived {survived} of {args.kills} kills")
        print("kills injected before every fsync and rename of one commit:")
        inj_survived, inj_breaches = injected_kills(work)
        print(f"  survived {inj_survived} of {inj_survived + inj_breaches} injected kills")
    return 1 if breaches or inj_breaches else 0


if __name__ == "__main__":
    sys.exit(main())
