"""Fuzz every registered collector through the real ingest loop for as long as you like.

    python bench/fuzz_collectors.py 20000            # 20,000 inputs
    python bench/fuzz_collectors.py 0 --minutes 5    # as many as fit in five minutes
    python bench/fuzz_collectors.py 5000 --seed 7    # repeat a run

Each input (random bytes, a byte-mutated seed file, a seed whose JSON
values were structurally mutated, or one of the hostile shapes of
tests/collectors/hostile.py: times out of range, ids of the wrong type,
on the fast and the slow path; seeds are the test fixtures and, when
present, ../shared/samples) is ingested once with format detection and once
forced to every collector in REGISTRY, each into a fresh store, and checked
with the invariants of tests/collectors/fuzzing.py. Failing inputs are
written to bench/out/fuzz-failures/ with the message. Prints how many
inputs and ingests were tried; exits 1 if any input broke an invariant.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dtrack.collectors import REGISTRY  # noqa: E402
from tests.collectors.fuzzing import (  # noqa: E402
    OPS,
    FuzzFailure,
    check_ingest,
    json_seeds,
    mutate_bytes,
    seed_files,
    serialize,
)
from tests.collectors.hostile import hostile_input  # noqa: E402

KEYS = ["id", "id_str", "text", "full_text", "data", "includes", "users", "tweets", "author_id", "created_at",
        "user", "type", "referenced_tweets", "statuses", "retweeted_status", "extended_tweet", "x"]
STRINGS = ["", "1564100000000000001", "20", "Mon Aug 29 03:00:00 +0000 2022", "2022-08-29T03:00:00.000Z",
           "RT @x: 無断学習…", "\ud83d", "retweeted", "quoted", "replied_to", "&amp;", "1.5641e+18", "無断学習"]


def random_json(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 3 else 7)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randint(-(2**70), 2**70)
    if kind == 3:
        return rng.uniform(-1e20, 1e20)
    if kind in (4, 5):
        return rng.choice(STRINGS)
    if kind == 6:
        return "".join(chr(rng.randrange(0x20, 0x3100)) for _ in range(rng.randrange(8)))
    if kind == 7:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(KEYS): random_json(rng, depth + 1) for _ in range(rng.randrange(4))}


def mutate_value(rng: random.Random, value: Any, depth: int = 0) -> Any:
    action = rng.choice(["replace", "recurse", "recurse", "drop"]) if depth < 6 else "replace"
    if action == "replace" or not isinstance(value, dict | list) or not value:
        return random_json(rng)
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    key = rng.choice(sorted(copy)) if isinstance(copy, dict) else rng.randrange(len(copy))
    if action == "drop":
        del copy[key]
    else:
        copy[key] = mutate_value(rng, copy[key], depth + 1)
    return copy


def make_input(rng: random.Random) -> tuple[str, bytes]:
    """One fuzz input: (file name, bytes)."""
    family = rng.randrange(4)
    if family == 3:
        return hostile_input(rng)
    seeds = seed_files()
    if family == 0:
        name = rng.choice(seeds)[0] if rng.random() < 0.7 else "input"
        return name, rng.randbytes(rng.randrange(2048))
    if family == 1:
        name, data = rng.choice(seeds)
        ops = [(rng.choice(OPS), rng.randrange(2**20), rng.randbytes(rng.randrange(1, 9)))
               for _ in range(rng.randrange(1, 7))]
        return name, mutate_bytes(data, ops)
    name, kind, values = rng.choice(json_seeds())
    changed = list(values)
    index = rng.randrange(len(changed))
    for _ in range(rng.randrange(1, 4)):
        changed[index] = mutate_value(rng, changed[index])
    return name, serialize(kind, changed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", type=int, help="how many inputs to try (0: no limit, use --minutes)")
    parser.add_argument("--minutes", type=float, default=0.0, help="stop after this long (0: no limit)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock)")
    args = parser.parse_args()
    if not args.inputs and not args.minutes:
        parser.error("give a number of inputs or --minutes")
    seed = args.seed if args.seed is not None else time.time_ns() % 2**32
    rng = random.Random(seed)
    formats: list[str | None] = [None, *REGISTRY]
    out = ROOT / "bench" / "out" / "fuzz-failures"
    deadline = time.monotonic() + args.minutes * 60 if args.minutes else float("inf")
    started = time.monotonic()
    inputs = ingests = failures = 0
    print(f"fuzzing {len(REGISTRY)} collectors ({', '.join(REGISTRY)}) with seed {seed}; "
          f"{len(seed_files())} seed files", flush=True)
    with tempfile.TemporaryDirectory(prefix="dtrack-fuzz-") as work:
        while (not args.inputs or inputs < args.inputs) and time.monotonic() < deadline:
            name, data = make_input(rng)
            inputs += 1
            for fmt in formats:
                ingests += 1
                try:
                    check_ingest(data, name, fmt, workdir=Path(work))
                except FuzzFailure as exc:
                    failures += 1
                    out.mkdir(parents=True, exist_ok=True)
                    stem = out / f"{seed}-{inputs}-{fmt or 'detect'}"
                    stem.with_suffix(".bin").write_bytes(data)
                    stem.with_suffix(".txt").write_text(f"{name}\n{exc}\n")
                    print(f"FAIL {stem.name}: {str(exc)[:300]}", flush=True)
            if inputs % 500 == 0:
                rate = inputs / (time.monotonic() - started)
                print(f"  {inputs:,} inputs, {ingests:,} ingests, {failures} failures ({rate:.0f} inputs/s)",
                      flush=True)
    seconds = time.monotonic() - started
    print(f"tried {inputs:,} inputs ({ingests:,} ingests through {len(formats)} format choices) "
          f"in {seconds:.0f}s: {failures} invariant failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
