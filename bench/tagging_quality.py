"""Tagging quality: precision and recall per term and for AI context, next to the targets.

Runs the default dictionary (or ``--terms FILE``) over the hand-labelled posts
of tests/nlp/fixtures/labelled/ (labelling policy: README.md there) and prints,
for each set, precision and recall per term, for all terms together, and for
AI context, counted per (post, term) pair as ``--context ai`` counts.

Two sets: ``tune`` (the dictionary's context words and rules were adjusted
while looking at its errors) and ``heldout`` (written with it, never used to
adjust anything: its figures are the honest estimate for posts not seen).

Targets: terms P and R >= 0.98, AI context P and R >= 0.95.

    python bench/tagging_quality.py               # both sets
    python bench/tagging_quality.py --errors      # also list every error with its evidence
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dtrack.nlp.quality import Quality, evaluate, load_labelled  # noqa: E402
from dtrack.nlp.terms import load_terms  # noqa: E402

LABELLED = ROOT / "tests" / "nlp" / "fixtures" / "labelled"
TERMS_TARGET = 0.98
AI_TARGET = 0.95


def _mark(value: float, target: float) -> str:
    return "met" if value >= target else "NOT met"


def report(name: str, quality: Quality, errors: bool) -> None:
    print(f"\n== {name}: {quality.posts} posts ==")
    print(f"{'term':<20} {'pairs':>5} {'P':>6} {'R':>6}")
    for term, c in quality.per_term.items():
        print(f"{term:<20} {c.tp + c.fn:>5} {c.precision:>6.3f} {c.recall:>6.3f}")
    t, a = quality.terms, quality.ai
    print(f"{'all terms':<20} {t.tp + t.fn:>5} {t.precision:>6.3f} {t.recall:>6.3f}   target P,R >= {TERMS_TARGET}: "
          f"P {_mark(t.precision, TERMS_TARGET)}, R {_mark(t.recall, TERMS_TARGET)}")
    print(f"{'AI context':<20} {a.tp + a.fn:>5} {a.precision:>6.3f} {a.recall:>6.3f}   target P,R >= {AI_TARGET}: "
          f"P {_mark(a.precision, AI_TARGET)}, R {_mark(a.recall, AI_TARGET)}")
    if errors:
        for line in t.errors:
            print("  term", line)
        for line in a.errors:
            print("  ai  ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--terms", type=Path, default=None, help="dictionary merged into the default")
    parser.add_argument("--errors", action="store_true", help="list every error")
    parser.add_argument("--set", choices=["tune", "heldout", "both"], default="both")
    args = parser.parse_args()
    terms = load_terms(args.terms)
    print(f"dictionary {terms.hash}; labelled sets in {LABELLED.relative_to(ROOT)}")
    for name in ("tune", "heldout"):
        if args.set in (name, "both"):
            posts = load_labelled(LABELLED / f"{name}.csv", terms)
            report(name, evaluate(posts, terms), args.errors)


if __name__ == "__main__":
    main()
