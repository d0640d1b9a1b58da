"""docs/dashboard.md cannot drift: every page, every CLI option and every screenshot it shows exist."""

from __future__ import annotations

import re
from pathlib import Path

from dtrack.cli.dashboard import dashboard
from dtrack.dashboard.app import PAGES
from dtrack.dashboard.i18n import LABELS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "dashboard.md").read_text()


def test_every_page_is_described():
    for _, label, _, _ in PAGES:
        assert f"**{LABELS[label]['en']}**" in DOC, label


def test_every_cli_option_is_in_the_table():
    for param in dashboard.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in DOC, opt


def test_every_image_exists_and_is_small():
    images = re.findall(r"\]\((img/[^)]+\.png)\)", DOC)
    assert len(images) >= 5
    for rel in images:
        path = ROOT / "docs" / rel
        assert path.is_file(), rel
        assert path.stat().st_size < 200_000, f"{rel} is {path.stat().st_size} bytes"


def test_no_page_renders_markup_from_data():
    """Post text never goes through unsafe HTML; markdown only gets escaped data (md_escape)."""
    for path in (ROOT / "dashboard").rglob("*.py"):
        source = path.read_text()
        assert "unsafe_allow_html" not in source and "st.html(" not in source, path
