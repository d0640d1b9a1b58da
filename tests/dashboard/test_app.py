"""The router: every page listed, the page icon served from the package (nothing fetched from the internet)."""

from __future__ import annotations

from PIL import Image

from dtrack.dashboard import app


def test_page_icon_is_a_local_file_in_the_package():
    assert app.ICON.is_file() and app.ICON.parent.name == "static"  # package-data "static/*"
    with Image.open(app.ICON) as icon:
        assert icon.size == (64, 64)
    source = (app.ICON.parent.parent / "app.py").read_text()
    assert "page_icon=str(ICON)" in source and ":material/timeline:" not in source


def test_story_page_is_routed():
    assert ("views/story.py", "page_story", "story", ":material/auto_stories:") in app.PAGES
