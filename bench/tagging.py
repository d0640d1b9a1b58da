"""Tagging throughput: tag_store vs raw fugashi on the same posts (prints posts/s).

Two seeded synthetic corpora (nlp.synthetic): (a) a general corpus where about
1% of posts use a term, (b) one where every post does. Each is written to a
fresh store; ``tag_store`` is timed end to end (read posts, pre-filter,
tokenise candidates on every core, write hits, commit), then raw single-core
fugashi tokenises the very same texts two ways:

* "fugashi+features": ``[(w.surface, w.feature_raw) for w in tagger(text)]``,
  the usual way to tokenise with features (the issue's "raw fugashi");
* "fugashi wakati": ``Tagger('-Owakati').parse(text)``, surfaces only, the
  fastest single-core tokenising fugashi offers.

Aims: (a) tag_store >= 20x raw fugashi, (b) >= 1.5x raw single-core fugashi.
On a shared machine absolute figures drift: compare ratios from one run, and
note the load average printed with them (the both-cores aim needs two idle
cores; under load the pool gets one and (b) falls back to about the
single-core ratio).

    python bench/tagging.py            # N = 200,000 posts per corpus
    python bench/tagging.py 50000 --repeat 3
    python bench/tagging.py 100000 --before /path/to/other/checkout   # before/after in one run

Native against pure Python: where the matcher's native half is built (``dtrack.nlp._fastmatch``), every
run also times ``tag_store`` with ``DTRACK_NATIVE=0`` on a copy of the same store, interleaved, and checks
both wrote the same hits; ``--no-python`` skips it.

``--before`` times ``tag_store`` of another checkout of dtrack on copies of
the same stores, in a subprocess, interleaved with this one's, and checks
that both wrote the same hits: a before/after comparison that the load of a
shared machine cannot tilt (both sides see it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fugashi  # noqa: E402
import polars as pl  # noqa: E402
import unidic_lite  # noqa: E402

from dtrack.data.store import Store  # noqa: E402
from dtrack.nlp.matcher import NATIVE_ENV, native_module  # noqa: E402
from dtrack.nlp.synthetic import generate_posts  # noqa: E402
from dtrack.nlp.tagger import default_workers, tag_store  # noqa: E402
from dtrack.nlp.terms import load_terms  # noqa: E402


def _tagger(extra: str = "") -> fugashi.Tagger:
    d = unidic_lite.DICDIR
    return fugashi.Tagger(f"-d {shlex.quote(d)} -r {shlex.quote(d + '/dicrc')} {extra}")


def cpu_seconds() -> float:
    """CPU time of this process and of its reaped children (the tagging pool)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def raw_features(texts: list[str]) -> tuple[float, float]:
    """Single-core (posts/s, CPU s) of fugashi's node API with features."""
    tagger = _tagger()
    started, cpu = time.perf_counter(), cpu_seconds()
    for text in texts:
        [(w.surface, w.feature_raw) for w in tagger(text)]
    return len(texts) / (time.perf_counter() - started), cpu_seconds() - cpu


def raw_wakati(texts: list[str]) -> float:
    """Single-core posts/s of fugashi's fastest output (surfaces as one string)."""
    tagger = _tagger("-Owakati")
    started = time.perf_counter()
    for text in texts:
        tagger.parse(text)
    return len(texts) / (time.perf_counter() - started)


#: Times tag_store in another checkout (PYTHONPATH points at it): prints {"seconds", "cpu"} as JSON.
BEFORE = r"""
import json, resource, sys, time
from dtrack.data.store import Store
from dtrack.nlp.tagger import tag_store
from dtrack.nlp.terms import load_terms
def cpu():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
terms = load_terms()
started, before = time.perf_counter(), cpu()
tag_store(Store(sys.argv[1]), terms=terms, workers=None if sys.argv[2] == "0" else int(sys.argv[2]))
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": cpu() - before}))
"""


def hits_of(store: Store) -> pl.DataFrame:
    """A store's hits in a fixed order, for comparing two runs."""
    return store.scan_hits().collect().sort(pl.all().exclude("evidence"))


def run_before(checkout: Path, store: Path, workers: int | None) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    out = subprocess.run([sys.executable, "-c", BEFORE, str(store), str(workers or 0)], env=env, cwd=checkout,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def timed_python(master: Path, copy: Path, terms: object, workers: int | None) -> tuple[float, float, Store]:
    """(seconds, CPU seconds, store) of ``tag_store`` with the pure-Python matcher (``DTRACK_NATIVE=0``;
    the pool's workers are forked after the switch, so they inherit it)."""
    shutil.copytree(master, copy)
    saved = os.environ.get(NATIVE_ENV)
    os.environ[NATIVE_ENV] = "0"
    try:
        store = Store(copy)
        started, cpu = time.perf_counter(), cpu_seconds()
        tag_store(store, terms=terms, workers=workers)
        return time.perf_counter() - started, cpu_seconds() - cpu, store
    finally:
        if saved is None:
            os.environ.pop(NATIVE_ENV)
        else:
            os.environ[NATIVE_ENV] = saved


def run_corpus(name: str, n: int, share: float, seed: int, workers: int | None, repeat: int,
               tmp: Path, before: Path | None = None, python: bool = True) -> dict[str, float]:
    """Time tag_store (and the other checkout's) and both raw baselines ``repeat`` times, interleaved,
    keeping the best of each (on a shared machine the load changes from second to second)."""
    posts = generate_posts(n, term_share=share, seed=seed, platform="bench")
    texts = posts.get_column("text").to_list()
    master = tmp / f"{name}-master"
    with Store(master).writer() as w, w.transaction() as txn:
        txn.add_posts(posts)
    terms = load_terms()
    inf = float("inf")
    best: dict[str, float] = {"seconds": inf, "features": 0.0, "wakati": 0.0, "cpu": inf, "features_cpu": inf,
                              "before": inf, "before_cpu": inf, "same": 1.0,
                              "python": inf, "python_cpu": inf, "python_same": 1.0}
    report = None
    noop = 0.0
    for i in range(repeat):
        copy = tmp / f"{name}-{i}"
        shutil.copytree(master, copy)
        store = Store(copy)
        started, cpu = time.perf_counter(), cpu_seconds()
        report = tag_store(store, terms=terms, workers=workers)
        best["seconds"] = min(best["seconds"], time.perf_counter() - started)
        best["cpu"] = min(best["cpu"], cpu_seconds() - cpu)
        version = store.version
        noop_started = time.perf_counter()
        again = tag_store(store, terms=terms, workers=workers)
        noop = time.perf_counter() - noop_started
        assert again.posts_tagged == 0 and store.version == version, "an unchanged store must stay unchanged"
        if python:
            seconds, cpu, other_store = timed_python(master, tmp / f"{name}-{i}-python", terms, workers)
            best["python"] = min(best["python"], seconds)
            best["python_cpu"] = min(best["python_cpu"], cpu)
            if not hits_of(store).equals(hits_of(other_store)):
                best["python_same"] = 0.0
            shutil.rmtree(other_store.path)
        if before is not None:
            other = tmp / f"{name}-{i}-before"
            shutil.copytree(master, other)
            timing = run_before(before, other, workers)
            best["before"] = min(best["before"], timing["seconds"])
            best["before_cpu"] = min(best["before_cpu"], timing["cpu"])
            if not hits_of(store).equals(hits_of(Store(other))):
                best["same"] = 0.0
            shutil.rmtree(other)
        shutil.rmtree(copy)
        rate, features_cpu = raw_features(texts)
        best["features"] = max(best["features"], rate)
        best["features_cpu"] = min(best["features_cpu"], features_cpu)
        best["wakati"] = max(best["wakati"], raw_wakati(texts))
    assert report is not None
    return {
        "posts": n, "tokenised": report.candidates, "hits": report.hits, "seconds": best["seconds"],
        "ours": n / best["seconds"], "features": best["features"], "wakati": best["wakati"], "noop": noop,
        "cpu": best["cpu"], "features_cpu": best["features_cpu"], "before": best["before"],
        "before_cpu": best["before_cpu"], "same": best["same"], "python": best["python"],
        "python_cpu": best["python_cpu"], "python_same": best["python_same"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=200_000, help="posts per corpus [200000]")
    parser.add_argument("--workers", type=int, default=None, help=f"tagging processes [{default_workers()}]")
    parser.add_argument("--repeat", type=int, default=1, help="time everything this many times, keep the best")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--before", type=Path, default=None,
                        help="another dtrack checkout to time side by side (e.g. main before a change)")
    parser.add_argument("--no-python", action="store_true",
                        help="do not also time the pure-Python matcher (DTRACK_NATIVE=0)")
    args = parser.parse_args()
    native = native_module() is not None
    python = native and not args.no_python
    aims = {"a": 20.0, "b": 1.5}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="dtrack-bench-") as tmp:
        results = {
            "a": run_corpus("a", args.n, 0.01, args.seed, args.workers, args.repeat, Path(tmp), args.before, python),
            "b": run_corpus("b", args.n, 1.0, args.seed + 1, args.workers, args.repeat, Path(tmp), args.before,
                            python),
        }
    print(f"tagging benchmark: {args.n:,} posts per corpus, workers={args.workers or default_workers()}, "
          f"best of {args.repeat}; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
          f"({os.cpu_count()} CPUs); matcher: {'native' if native else 'pure Python (native half not built)'}"
          f"{'' if native or os.environ.get(NATIVE_ENV) != '0' else ' (DTRACK_NATIVE=0)'}")
    print(f"{'corpus':<26}{'tokenised':>10}{'hits':>9}{'tag_store s':>12}{'tag_store/s':>13}"
          f"{'fugashi+feat/s':>15}{'ratio':>8}{'wakati/s':>10}{'ratio':>8}  aim")
    labels = {"a": "(a) ~1% posts use a term", "b": "(b) every post uses one"}
    for key, r in results.items():
        ratio = r["ours"] / r["features"]
        print(f"{labels[key]:<26}{r['tokenised']:>10,}{r['hits']:>9,}{r['seconds']:>12.2f}{r['ours']:>13,.0f}"
              f"{r['features']:>15,.0f}{ratio:>7.1f}x{r['wakati']:>10,.0f}{r['ours'] / r['wakati']:>7.1f}x"
              f"  >={aims[key]}x vs fugashi+features: {'met' if ratio >= aims[key] else 'NOT met'}")
    print("CPU seconds, all processes (less sensitive to other load than wall time): "
          + "; ".join(f"({k}) tag_store {r['cpu']:.2f} s, fugashi+features {r['features_cpu']:.2f} s "
                      f"({r['features_cpu'] / r['cpu']:.1f}x)" for k, r in results.items()))
    print(f"re-running tag_store with nothing new: {results['a']['noop'] * 1000:.0f} ms (a), "
          f"{results['b']['noop'] * 1000:.0f} ms (b)")
    if python:
        print("native against pure Python (DTRACK_NATIVE=0), same stores, interleaved:")
        for key, r in results.items():
            print(f"  {labels[key]:<26} tag_store {r['python']:.2f} s -> {r['seconds']:.2f} s "
                  f"({r['python'] / r['seconds']:.2f}x), CPU {r['python_cpu']:.2f} s -> {r['cpu']:.2f} s "
                  f"({r['python_cpu'] / r['cpu']:.2f}x); vs fugashi+features "
                  f"{r['posts'] / r['python'] / r['features']:.2f}x -> {r['ours'] / r['features']:.2f}x "
                  f"(aim >= {aims[key]}x); hits identical: {'yes' if r['python_same'] else 'NO'}")
    if args.before is not None:
        print(f"before = {args.before} (same stores, interleaved):")
        for key, r in results.items():
            print(f"  {labels[key]:<26} tag_store {r['before']:.2f} s -> {r['seconds']:.2f} s "
                  f"({r['before'] / r['seconds']:.2f}x), CPU {r['before_cpu']:.2f} s -> {r['cpu']:.2f} s "
                  f"({r['before_cpu'] / r['cpu']:.2f}x); vs fugashi+features "
                  f"{r['posts'] / r['before'] / r['features']:.2f}x -> {r['ours'] / r['features']:.2f}x; "
                  f"hits identical: {'yes' if r['same'] else 'NO'}")


if __name__ == "__main__":
    main()
