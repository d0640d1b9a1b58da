"""Count overlapping chart labels on a running dashboard, as a reader's browser draws them.

Opens each page in Debian's Chromium, reads the drawn bounding box of every plotly annotation of the
page's chart and prints the pairs whose boxes intersect (issue 14 measured 58 on the timeline of a story
corpus before the label track). Target: 0 on every chart.

Usage: python bench/label_overlaps.py URL [--width 1400]
  (URL of a running `dtrack dashboard`, e.g. http://127.0.0.1:8501/)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e.harness import chromium, key, label_boxes, open_page, overlapping_pairs

PAGES = [("timelines", "tl_chart"), ("story?term=無断学習", "st_chart"), ("events", "ev_chart")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args()
    with chromium() as browser:
        page = browser.new_page(viewport={"width": args.width, "height": 1000})
        for path, chart in PAGES:
            try:
                open_page(page, args.url + path, key(chart) + " .js-plotly-plot", timeout=60_000)
            except Exception as exc:  # a page this version does not have
                print(f"{path:<24} not available ({type(exc).__name__})")
                continue
            boxes = label_boxes(page, chart)
            pairs = overlapping_pairs(boxes)
            print(f"{path:<24} labels {len(boxes):>3}  overlapping pairs {len(pairs):>3}  (target 0)")


if __name__ == "__main__":
    main()
