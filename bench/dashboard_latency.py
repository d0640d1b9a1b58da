"""How long the dashboard takes, in a real browser, from a filter change to the redrawn chart.

Builds (or reuses) a store of N synthetic posts (default 1,000,000) that
follows the 無断学習 story, ingested and tagged by the real pipeline, serves it
with `dtrack dashboard`, opens the Term timelines page in Debian's Chromium
and times filter changes with Playwright: from the click to the moment the
browser's plotly chart holds the new data (and to the end of the app run,
when the post list below has been redrawn too). Each change is timed cold
(first time: the analysis runs) and warm (the same filters again: answered
from the cache keyed on the store version).

    python bench/dashboard_latency.py                # 1M posts in bench/out/store-1000000
    python bench/dashboard_latency.py --posts 200000 --repeat 3

Prints a table of milliseconds (median over --repeat rounds) next to the
targets of issue 16: a filter change under 1 s cold and 0.5 s warm at 1M
posts, under 2 s at 10M. Before the browser, it times `dtrack timeline` as a
whole process, and in one process the timeline from the precomputed tables
(data/daily.py) against the scan of posts and hits (the same rows), so the
ratio is measured side by side whatever the load; the load average is printed
with every figure (the machine is shared).

    python bench/dashboard_latency.py --posts 10000000 --repeat 2 --no-browser

Before/after on a loaded machine: ``--before DIR`` serves another checkout
(``git archive main | tar -x -C DIR``) next to this one and makes every change
on both pages in turn, so both see the same load; besides the wall times it
prints the renderer's main-thread work until the chart is drawn (CDP
``TaskDuration``), which other processes on the machine barely change, and
the kilobytes the server sent for each change (over the WebSocket: a chart-only
rerun sends no post list, and a message the browser already holds is not sent
again).

    python bench/dashboard_latency.py --store STORE --before /tmp/main-copy --no-timeline
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dtrack.collectors.pipeline.ingest import ingest_paths  # noqa: E402
from dtrack.data.store import Store  # noqa: E402
from dtrack.nlp.tagger import tag_store  # noqa: E402
from tests.e2e.harness import (  # noqa: E402
    TIMEOUT_MS,
    choose,
    chromium,
    dashboard_server,
    key,
    open_page,
    plot_signature,
    wait_idle,
    wait_plot_change,
)

START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2023, 12, 31, tzinfo=dt.UTC)
FILLER = ["今日は天気がいい", "新しいイラストを描いた", "ラーメンを食べた", "電車が遅れている", "週末は映画を見る",
          "作業用BGMを探している", "締め切りが近い", "猫がかわいい", "新刊の告知です", "配信ありがとうございました"]
#: (text, weight before 2022-08-29 JST, weight after): term posts follow the story's shape.
TERM_POSTS = [
    ("イラストの無断転載はやめてください", 1.0, 1.0),
    ("無断学習禁止です。AIに学習させないで", 0.02, 3.0),
    ("mimicで無断学習されるのは嫌だ。AIイラストに反対", 0.0, 1.5),
    ("画像生成AIの無断学習について考える", 0.01, 2.0),
    ("NovelAIとStable Diffusionを試した", 0.05, 1.0),
    ("LoRAで絵柄を学習させるのは問題では", 0.0, 0.5),
    ("図書館の席で無断学習は禁止されています", 0.3, 0.3),  # not about AI
    ("自習室に学習禁止の張り紙があった", 0.2, 0.2),  # not about AI
]
TAKEOFF = dt.datetime(2022, 8, 28, 15, tzinfo=dt.UTC)


def synthetic_posts(n: int, seed: int = 20220829) -> pl.DataFrame:
    """``n`` posts on three platforms over 2020-2023; about 3% carry a tracked term."""
    rng = np.random.default_rng(seed)
    span = (END - START).total_seconds()
    # more posts later (a growing corpus), so the takeoff is not an artefact of volume alone
    offsets = np.sort(span * np.sqrt(rng.random(n)))
    times = [START + dt.timedelta(seconds=float(s)) for s in offsets]
    after = np.array([t >= TAKEOFF for t in times])
    texts = np.array(FILLER, dtype=object)[rng.integers(0, len(FILLER), n)]
    is_term = rng.random(n) < np.where(after, 0.05, 0.01)
    weights_before = np.array([w for _, w, _ in TERM_POSTS])
    weights_after = np.array([w for _, _, w in TERM_POSTS])
    choice_before = rng.choice(len(TERM_POSTS), n, p=weights_before / weights_before.sum())
    choice_after = rng.choice(len(TERM_POSTS), n, p=weights_after / weights_after.sum())
    term_text = np.array([t for t, _, _ in TERM_POSTS], dtype=object)[np.where(after, choice_after, choice_before)]
    texts = np.where(is_term, term_text, texts)
    platforms = np.array(["twitter", "bluesky", "mastodon"])[rng.choice(3, n, p=[0.6, 0.25, 0.15])]
    authors = rng.integers(1, 50_000, n)
    return pl.DataFrame({
        "platform": platforms,
        "id": [f"{i:09d}" for i in range(n)],
        "created_at": pl.Series(times, dtype=pl.Datetime("us", "UTC")).dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "text": [f"{t} #{i % 997}" for i, t in enumerate(texts)],
        "username": [f"user{a}" for a in authors],
        "author_id": [f"a{a}" for a in authors],
        "is_repost": rng.random(n) < 0.1,
    })


def build_store(path: Path, n: int) -> Store:
    store = Store(path)
    if (have := store.scan_posts().select(pl.len()).collect().item()) >= n:
        print(f"reusing {path} ({have:,} posts)", flush=True)
        return store
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "posts.ndjson"
        synthetic_posts(n).write_ndjson(source)
        made = time.perf_counter()
        with store.writer(purpose="bench") as writer:
            (report,) = ingest_paths(writer, [source], fmt="ndjson")
            ingested = time.perf_counter()
            tagged = tag_store(store, writer=writer)
    print(f"built {path}: generate {made - started:.1f}s, ingest {report.new:,} posts {ingested - made:.1f}s, "
          f"tag {tagged.hits:,} hits {time.perf_counter() - ingested:.1f}s", flush=True)
    return store


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def time_timeline(path: Path, repeat: int) -> None:
    """`dtrack timeline` as a process (start-up included), and in-process tables against scan."""
    from dtrack.analysis.queries import TIMELINE, _run_timeline
    from dtrack.data.daily import uses_of

    argv = [sys.executable, "-m", "dtrack", "timeline", "無断学習", "無断転載", "mimic", "--freq", "week",
            "--store", str(path)]
    process = median_ms(lambda: subprocess.run(argv, check=True, capture_output=True, cwd=ROOT), repeat)
    print(f"dtrack timeline (3 terms, weekly) as a process: {process:.0f} ms median of {repeat} ({load()})")
    store = Store(path)
    if uses_of(store) is None:
        print("the store has no precomputed tables (run `dtrack tag`): timelines scan", flush=True)
        return
    for freq in ("week", "day"):
        q = TIMELINE.bind(["無断学習", "無断転載", "mimic"], freq=freq)
        scan = median_ms(lambda q=q: _run_timeline(store, q, tables=False), repeat)
        first = median_ms(lambda q=q: _run_timeline(store, q), 1)
        tables = median_ms(lambda q=q: _run_timeline(store, q), repeat)
        print(f"timeline by {freq}, in one process: scan {scan:.0f} ms, tables {first:.0f} ms first / {tables:.0f} ms "
              f"after (held per store version); scan/tables {scan / max(tables, 1e-3):.0f}x ({load()})", flush=True)


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, str, float]]:
    """Every process: pid -> (parent pid, command line, CPU ms used so far, user + system)."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        out[int(entry)] = (int(stat[1]), cmdline, (int(stat[11]) + int(stat[12])) * TICK_MS)
    return out


def cpu_ms(port: int) -> tuple[float, float]:
    """CPU ms used so far by this run's Chromium (every process of it: renderers, GPU, browser) and by the
    dashboard server on ``port`` (its process tree). Changes are made one at a time, so the difference over
    a change is that change's, and unlike wall time it barely moves with the machine's load."""
    procs = _processes()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in procs.items():
        children.setdefault(ppid, []).append(pid)

    def tree(root: int) -> list[int]:
        todo, seen = [root], []
        while todo:
            pid = todo.pop()
            seen.append(pid)
            todo += children.get(pid, [])
        return seen

    mine = tree(os.getpid())
    browser = sum(procs[p][2] for p in mine if "chromium" in procs[p][1])
    servers = [p for p in mine if f"--port {port}" in procs[p][1] and "dtrack" in procs[p][1]]
    server = sum(procs[p][2] for root in servers for p in tree(root))
    return browser, server


def busy_ms(cdp) -> float:
    """The renderer's main-thread task time so far (ms): what the page itself spent, whatever the load."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration") * 1000


def timed(page, cdp, action, chart: str = "tl_chart", port: int = 0) -> tuple[float, ...]:
    """(ms to the redrawn chart, ms to the end of the run, ms of renderer main-thread work until the chart,
    CPU ms of the browser and of the server until the end of the run) for one filter change.

    ``action`` is (prepare, commit): the clock runs from the commit (the click
    that changes the value), not while a dropdown opens.
    """
    prepare, commit = action
    prepare()
    before = plot_signature(page, chart)
    busy = busy_ms(cdp)
    cpu = cpu_ms(port)
    t0 = time.perf_counter()
    commit()
    wait_plot_change(page, chart, before, timeout=TIMEOUT_MS * 3, polling=50)
    t_chart = time.perf_counter()
    busy = busy_ms(cdp) - busy
    wait_idle(page, TIMEOUT_MS * 3)
    t_run = time.perf_counter()
    browser, server = (after - was for after, was in zip(cpu_ms(port), cpu, strict=True))
    return (t_chart - t0) * 1000, (t_run - t0) * 1000, busy, browser, server


def segment(page, widget: str, label: str):
    return (lambda: None), (lambda: choose(page, widget, label))


#: The multiselect's own first option (Streamlit >= 1.5x): it would add every term, not one.
SELECT_ALL = "Select all"


def add_term(page):
    """Pick the first term not yet shown from the Terms multiselect (the dropdown opens before the clock).

    Streamlit lists "Select all" first: the term is the first option after it (clicking the first option
    added all nine terms, so the "add a term" changes measured nine lines, not three, until December 2026)."""
    def option():
        return page.get_by_role("option").filter(has_not_text=re.compile(rf"^{SELECT_ALL}$")).first

    def prepare() -> None:
        page.locator(key("tl_terms")).locator("input").click()
        option().wait_for()

    def commit() -> None:
        option().click()
        page.keyboard.press("Escape")
    return prepare, commit


def remove_term(page):
    """Remove the last term shown (Backspace in the Terms multiselect)."""
    def prepare() -> None:
        page.locator(key("tl_terms")).locator("input").click()
        page.keyboard.press("Escape")

    def commit() -> None:
        page.locator(key("tl_terms")).locator("input").press("Backspace")
    return prepare, commit


CHANGES = [  # the page opens with two terms over four years by week
    ("add a term", "tl_terms", "+"),
    ("remove it again", "tl_terms", "-"),
    ("period week -> month", "tl_freq", "month"),
    ("measure -> per 10k posts", "tl_measure", "per 10k posts"),
    ("context -> AI only", "tl_context", "AI context only"),
    ("scale -> log", "tl_scale", "log"),
    ("context -> any", "tl_context", "any"),
    ("measure -> count", "tl_measure", "count"),
    ("scale -> linear", "tl_scale", "linear"),
    ("period month -> day", "tl_freq", "day"),
    ("add a term (by day)", "tl_terms", "+"),
    ("remove it (by day)", "tl_terms", "-"),
    ("period day -> week", "tl_freq", "week"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, default=None, help="store folder (built if it has fewer posts)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of changes (median reported)")
    parser.add_argument("--no-browser", action="store_true", help="only the timeline timings, no Chromium")
    parser.add_argument("--no-timeline", action="store_true", help="skip the timeline timings, only the browser")
    parser.add_argument("--before", type=Path, default=None,
                        help="another checkout (e.g. `git archive main | tar -x -C DIR`) served side by side: "
                             "each change is made on both pages in turn, so both see the same load")
    args = parser.parse_args()
    path = args.store or ROOT / "bench" / "out" / f"store-{args.posts}"
    build_store(path, args.posts)
    from dtrack.data.daily import uses_of

    tables = "yes" if uses_of(Store(path)) is not None else "no (tagged by an older dtrack; `dtrack tag` adds them)"
    print(f"{load()}; precomputed tables (counts/, uses/): {tables}", flush=True)
    if not args.no_timeline:
        time_timeline(path, args.repeat)
    if args.no_browser:
        return
    posts = Store(path).scan_posts().select(pl.len()).collect().item()  # --store: the store's own size
    cold_target, warm_target = (1000, 500) if posts <= 1_000_000 else (2000, 2000)
    roots = {"this": ROOT} if args.before is None else {"before": args.before.resolve(), "this": ROOT}
    results = {side: {name: {"chart": [], "run": [], "busy": [], "bytes": [], "browser": [], "server": []}
                      for name, _, _ in CHANGES} for side in roots}
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        browser = stack.enter_context(chromium())
        pages = {}
        for side, root in roots.items():
            log = ROOT / "bench" / "out" / f"dashboard-{side}.log"
            url = stack.enter_context(dashboard_server(path, log, root=root))
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS * 3)
            received = [0]  # bytes the server sent over the WebSocket (a message the browser holds is not resent)
            page.on("websocket", lambda ws, received=received: ws.on(
                "framereceived", lambda data, received=received: received.__setitem__(0, received[0] + len(data))))
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            t0 = time.perf_counter()
            open_page(page, url + "timelines", key("tl_chart") + " .js-plotly-plot", timeout=TIMEOUT_MS * 6)
            print(f"first load of Term timelines ({side}): {(time.perf_counter() - t0) * 1000:.0f} ms", flush=True)
            pages[side] = (page, cdp, log, received, int(url.rstrip("/").rsplit(":", 1)[1]))
        for round_ in range(args.repeat):
            for name, widget, label in CHANGES:
                for side, (page, cdp, log, received, port) in pages.items():
                    received[0] = 0
                    try:
                        action = ({"+": add_term(page), "-": remove_term(page)}.get(label)
                                  or segment(page, widget, label))
                        chart_ms, run_ms, busy, browser_cpu, server_cpu = timed(page, cdp, action, port=port)
                    except Exception:
                        shot = ROOT / "bench" / "out" / "failed.png"
                        page.screenshot(path=str(shot))
                        print(f"{name} ({side}): no new chart; screenshot {shot}, server log:\n"
                              + log.read_text(errors="replace")[-3000:], flush=True)
                        raise
                    for what, value in (("chart", chart_ms), ("run", run_ms), ("busy", busy), ("bytes", received[0]),
                                        ("browser", browser_cpu), ("server", server_cpu)):
                        results[side][name][what].append(value)
            for side in pages:
                print(f"round {round_ + 1} ({side}): "
                      + ", ".join(f"{results[side][n]['chart'][-1]:.0f}" for n, _, _ in CHANGES), flush=True)
    medians = {side: report(results[side], side, posts, cold_target, warm_target) for side in results}
    if args.before is not None:
        (bc, bw, bb, bbc, bsc), (tc, tw, tb, tbc, tsc) = medians["before"], medians["this"]
        print(f"\nmedians, before -> this (measured in turn, one run): cold {bc:.0f} -> {tc:.0f} ms "
              f"({bc / tc:.1f}x), warm {bw:.0f} -> {tw:.0f} ms ({bw / tw:.1f}x), renderer work {bb:.0f} -> "
              f"{tb:.0f} ms ({bb / max(tb, 1e-3):.1f}x); CPU ms of a warm change, browser {bbc:.0f} -> {tbc:.0f} "
              f"({bbc / max(tbc, 1e-3):.1f}x), server {bsc:.0f} -> {tsc:.0f} ({bsc / max(tsc, 1e-3):.1f}x)")


def report(results: dict[str, dict[str, list[float]]], side: str, posts: int, cold_target: int,
           warm_target: int) -> tuple[float, ...]:
    """Print one side's table; returns its (cold, warm, renderer work, browser CPU, server CPU) medians over
    the changes (the CPU of warm changes)."""
    print(f"\nTerm timelines ({side}), {posts:,} posts: ms from click to redrawn chart / to end of run, and the "
          f"renderer's main-thread work to the chart (targets: cold < {cold_target} ms, warm < {warm_target} ms; "
          f"{load()}); KB: sent by the server for the change, cold; CPU ms of a warm change, browser / server")
    print(f"{'change':<28}{'cold chart':>12}{'cold run':>10}{'warm chart':>12}{'warm run':>10}{'work':>8}{'KB':>7}"
          f"{'CPU':>13}")
    colds, warms, works, browsers, servers = [], [], [], [], []
    for name, _, _ in CHANGES:
        chart, run, busy = results[name]["chart"], results[name]["run"], results[name]["busy"]
        warm_chart = statistics.median(chart[1:]) if len(chart) > 1 else float("nan")
        warm_run = statistics.median(run[1:]) if len(run) > 1 else float("nan")
        work = statistics.median(busy)
        warm = slice(1, None) if len(chart) > 1 else slice(None)
        browser = statistics.median(results[name]["browser"][warm])
        server = statistics.median(results[name]["server"][warm])
        colds.append(chart[0])
        warms.append(warm_chart)
        works.append(work)
        browsers.append(browser)
        servers.append(server)
        print(f"{name:<28}{chart[0]:>12.0f}{run[0]:>10.0f}{warm_chart:>12.0f}{warm_run:>10.0f}{work:>8.0f}"
              f"{results[name]['bytes'][0] / 1000:>7.0f}{browser:>7.0f} /{server:>4.0f}")
    cold, warm, work = statistics.median(colds), statistics.median(warms), statistics.median(works)
    browser, server = statistics.median(browsers), statistics.median(servers)
    print(f"{'median of the changes':<28}{cold:>12.0f}{'':>10}{warm:>12.0f}{'':>10}{work:>8.0f}{'':>7}"
          f"{browser:>7.0f} /{server:>4.0f}")
    print(f"target: cold < {cold_target} ms: {'met' if cold < cold_target else 'NOT met'}; "
          f"warm < {warm_target} ms: {'met' if warm < warm_target else 'NOT met'}")
    return cold, warm, work, browser, server


if __name__ == "__main__":
    main()
