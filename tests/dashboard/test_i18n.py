"""Every label exists in both languages with the same placeholders."""

from __future__ import annotations

import re
import string

from dtrack.dashboard.i18n import LABELS, LANGUAGES, tr


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_in_every_language_with_the_same_placeholders():
    for key, entry in LABELS.items():
        assert set(entry) == set(LANGUAGES), key
        assert _fields(entry["en"]) == _fields(entry["ja"]), key


def test_japanese_labels_are_japanese():
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    same = {"app_title"}
    for key, entry in LABELS.items():
        if key not in same:
            assert japanese.search(entry["ja"]), key


def test_every_label_used_in_the_code_exists():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "dashboard"
    used: set[str] = set()
    for path in root.rglob("*.py"):
        used |= set(re.findall(r"""\b(?:s\.t|tr|t)\(\s*["']([a-z_0-9]+)["']""", path.read_text()))
    assert used, "the pattern finds label uses"
    assert used <= set(LABELS), sorted(used - set(LABELS))


def test_tr_formats_values():
    assert tr("showing", "en", shown=1, total=1234) == "1 of 1,234 posts"
    assert tr("showing", "ja", shown=1, total=1234) == "1,234 件中 1 件"
