"""Mutation fuzzing of the bluesky, reddit, 5ch and niconico collectors.

Seeds are the test fixtures (and ../shared/samples when present). Each input
is a seed with random damage (cut, flipped bits, inserted or deleted bytes,
spliced halves of two seeds). ``parse`` must either finish, yielding only
posts, quarantined records and notices, or stop with ``SourceError`` (a clean,
explained refusal); any other exception is a bug and is printed with the
input saved for replay. Every 50th input also goes through the real ingest
loop into a store, which must stay readable. Seeded, so runs repeat.

Usage: python bench/fuzz_misc.py [INPUTS_PER_FORMAT] [SEED]
"""

from __future__ import annotations

import random
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dtrack.collectors.formats import bluesky, fivech, niconico, reddit  # noqa: E402
from dtrack.collectors.pipeline.ingest import ingest_source  # noqa: E402
from dtrack.collectors.records import Notice, ParseContext, Quarantine, SourceError  # noqa: E402
from dtrack.data.store import Store  # noqa: E402

FIXTURES = ROOT / "tests" / "collectors" / "fixtures"
SAMPLES = ROOT.parent / "shared" / "samples"
SEEDS = {
    bluesky: [*FIXTURES.joinpath("bluesky").glob("*.car"), FIXTURES / "bluesky" / "firehose.ndjson",
              *SAMPLES.joinpath("bluesky").glob("*")],
    reddit: [*FIXTURES.joinpath("reddit").glob("*.ndjson"), *SAMPLES.joinpath("reddit").glob("*")],
    fivech: list(FIXTURES.joinpath("fivech").rglob("*.dat")),
    niconico: [*FIXTURES.joinpath("niconico").glob("*.json"), *SAMPLES.joinpath("nicovideo").glob("*")],
}


def mutate(rnd: random.Random, data: bytes, other: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        if not data:
            break
        op = rnd.random()
        at = rnd.randrange(len(data))
        if op < 0.25:
            data = data[:at]
        elif op < 0.55:
            data[at] ^= 1 << rnd.randrange(8)
        elif op < 0.7:
            data[at:at] = rnd.randbytes(rnd.randint(1, 16))
        elif op < 0.85:
            del data[at:at + rnd.randint(1, 64)]
        else:
            data = data[:at] + other[rnd.randrange(len(other) + 1):]
    return bytes(data)


def main() -> int:
    per_format = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
    tmp = Path(tempfile.mkdtemp(prefix="fuzz-misc-"))
    bugs = 0
    total = 0
    for collector, seeds in SEEDS.items():
        seeds = [s for s in seeds if s.is_file() and s.suffix != ".md"]
        datas = [s.read_bytes() for s in seeds]
        outcomes = {"parsed": 0, "refused": 0}
        store = Store(tmp / f"store-{collector.NAME}")
        for i in range(per_format):
            k = rnd.randrange(len(seeds))
            data = mutate(rnd, datas[k], rnd.choice(datas))
            # keep the file name: the 5ch board and niconico video id come from it
            path = tmp / f"in-{collector.NAME}" / seeds[k].name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            total += 1
            try:
                for rec in collector.parse(path, ParseContext()):
                    if not isinstance(rec, dict | Quarantine | Notice) and not hasattr(rec, "height"):
                        raise TypeError(f"yielded {type(rec).__name__}")
                outcomes["parsed"] += 1
            except SourceError:
                outcomes["refused"] += 1
            except Exception:
                bugs += 1
                keep = tmp / f"bug-{collector.NAME}-{i}{seeds[k].suffix}"
                keep.write_bytes(data)
                print(f"BUG {collector.NAME} input {i} (saved as {keep}):")
                traceback.print_exc()
            if i % 50 == 0:
                with store.writer(purpose="fuzz") as w:
                    report = ingest_source(w, path, fmt=collector.NAME, force=True)
                assert report.status in ("ok", "error"), report
                assert "please report" not in report.message, report.message
                store.scan_posts().collect()
                store.scan_quarantine().collect()
        print(f"{collector.NAME:<9} {per_format:>6} inputs: {outcomes['parsed']} parsed, "
              f"{outcomes['refused']} refused with SourceError")
    print(f"{total} inputs, {bugs} bugs")
    return 1 if bugs else 0


if __name__ == "__main__":
    sys.exit(main())
