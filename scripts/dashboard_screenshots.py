"""Take the README's dashboard screenshots (docs/img/*.png) from the bundled samples.

Ingests data/samples/ into a temporary store (or uses --store), serves it
with `dtrack dashboard`, opens each main page in Debian's Chromium and saves
a small palette PNG of it, so the pictures can be remade after a UI change.

Usage: python scripts/dashboard_screenshots.py [--store DIR] [--out docs/img] [--lang en|ja]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the browser harness lives in tests/e2e, not in the installed package

from PIL import Image  # noqa: E402  (a Streamlit dependency)

from tests.e2e.harness import (  # noqa: E402
    child_env,
    choose,
    chromium,
    dashboard_server,
    key,
    open_page,
    plot_data,
    point_position,
    wait_idle,
    wait_table,
)

VIEWPORT = {"width": 1280, "height": 900}
#: The story page: tall enough for the sentence, the chart and its downloads.
STORY_VIEWPORT = {"width": 1280, "height": 1000}


def save(page, path: Path) -> None:
    """A viewport screenshot as a 256-colour PNG (a tenth of the size, same look for a UI)."""
    page.screenshot(path=str(path))
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"{path} ({path.stat().st_size // 1024} KB)")


def shoot(url: str, out: Path, lang: str) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport=VIEWPORT)
        open_page(page, url, key("ov_chart") + " .js-plotly-plot", timeout=60_000)
        if lang == "ja":
            choose(page, "lang", "日本語")
            wait_idle(page)
        wait_table(page, "ov_sources")
        save(page, out / "overview.png")

        open_page(page, url + "timelines", key("tl_chart") + " .js-plotly-plot")  # opens by week
        page.locator(key("tl_chart")).scroll_into_view_if_needed()
        trace = plot_data(page, "tl_chart")[0]
        peak = max(range(len(trace["y"])), key=lambda i: trace["y"][i])
        x, y = point_position(page, "tl_chart", 0, peak)
        page.mouse.move(x, y)
        page.locator(key("tl_chart") + " .hoverlayer .hovertext").first.wait_for()
        save(page, out / "timelines.png")

        open_page(page, url + "emergence", key("em_chart") + " .js-plotly-plot")
        wait_table(page, "em_table")
        save(page, out / "emergence.png")

        open_page(page, url + f"story?term=無断学習&lang={lang}", key("st_chart") + " .js-plotly-plot")
        page.set_viewport_size(STORY_VIEWPORT)
        page.locator(key("story_text")).scroll_into_view_if_needed()
        wait_idle(page)
        save(page, out / "story.png")
        page.set_viewport_size(VIEWPORT)

        open_page(page, url + "events", key("ev_chart") + " .js-plotly-plot")
        wait_table(page, "ev_table")
        page.locator(key("ev_chart")).scroll_into_view_if_needed()
        save(page, out / "events.png")

        open_page(page, url + "posts?kw_term=無断学習&kw_from=2022-08-29&kw_to=2022-08-31&kw_context=ai",
                  key("box_kw_table"))
        wait_table(page, "kw_table")
        save(page, out / "posts.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=None, help="store to show [default: the samples, ingested]")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--lang", choices=["en", "ja"], default="en")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "store"
            subprocess.run([sys.executable, "-m", "dtrack", "ingest", str(ROOT / "data" / "samples"),
                            "--store", str(store)], env=child_env(), check=False)
        with dashboard_server(store, Path(tmp) / "dashboard.log") as url:
            shoot(url, args.out, args.lang)


if __name__ == "__main__":
    main()
