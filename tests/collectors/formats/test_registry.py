"""The format registry: lazy by name, hints that never hide a format, and third-party formats
through the ``dtrack.formats`` entry-point group (a real distribution put on sys.path)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dtrack.collectors import REGISTRY, UnknownFormat, detect, get_collector, names
from dtrack.collectors.formats import registry
from dtrack.collectors.pipeline.ingest import ingest_source


def test_names_in_detection_order_generic_last() -> None:
    assert names()[:3] == ["x_archive", "mastodon", "misskey"]
    assert names()[-2:] == ["ndjson", "csv"]
    assert list(REGISTRY) == names() and "5ch" in REGISTRY


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownFormat, match="known formats: x_archive, mastodon"):
        get_collector("nope")
    with pytest.raises(KeyError):
        REGISTRY["nope"]


def test_stored_provenance_names_do_not_change() -> None:
    got = {name: f"{get_collector(name).NAME}/{get_collector(name).VERSION}" for name in names()}
    assert got["x_archive"] == "x_archive/1" and got["5ch"] == "5ch/1" and got["csv"] == "csv/1"
    assert all(f"{name}/1" == value for name, value in got.items())


def test_importing_the_package_imports_no_format_and_no_heavy_library() -> None:
    code = ("import sys, dtrack.collectors as c; c.names(); "
            "print(sorted(m for m in sys.modules if m.startswith('dtrack.collectors.formats.') "
            "or m in ('polars', 'zstandard', 'libipld', 'dtrack.data.store')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['dtrack.collectors.formats.registry']"


def test_detecting_a_json_file_loads_neither_zstandard_nor_libipld(tmp_path: Path) -> None:
    path = tmp_path / "x.ndjson"
    path.write_text('{"id": "1", "text": "a", "created_at": "2022-08-29T00:00:00Z"}\n')
    code = (f"import sys; from dtrack.collectors import detect; print(detect({str(path)!r})); "
            "print('zstandard' in sys.modules, 'libipld' in sys.modules, "
            "'dtrack.collectors.formats.mastodon' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["ndjson", "False", "False", "False"]


@pytest.mark.parametrize("name", [e.name for e in (*registry.BUILTIN, *registry.GENERIC)])
def test_hints_never_reject_what_sniff_accepts_on_the_fixtures(name: str) -> None:
    fmt = get_collector(name)
    entry = next(e for e in (*registry.BUILTIN, *registry.GENERIC) if e.name == name)
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    checked = 0
    for path in sorted(fixtures.rglob("*")):
        head = registry.read_sniff_head(path)  # what detect hands to the hints and sniffers
        if fmt.sniff(path, head):
            checked += 1
            assert entry.hint is None or entry.hint(path, head), f"{name}: hint rejects {path}"
    assert checked or name in ("x_archive", "mastodon")  # archives are built by the tests, not stored


PLUGIN = '''
"""A toy format: lines "id<TAB>ISO time<TAB>text" in a file starting with "#toy"."""
from dtrack.collectors.readers.files import read_whole

NAME = "toy"
VERSION = "3"
DESCRIPTION = "toy tab-separated posts"


def sniff(path, head):
    return head.startswith(b"#toy")


def map_line(number, line):
    post_id, created, text = line.split("\\t")
    return {"platform": "toy", "post_id": post_id, "created_at": created, "text": text, "source_line": number}


def parse(path, ctx):
    for number, line in enumerate(read_whole(path, ctx.max_member_bytes).decode().splitlines()[1:], 2):
        yield map_line(number, line)
'''


@pytest.fixture
def toy_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real installed distribution (module + dist-info with entry_points.txt) on sys.path."""
    site = tmp_path / "site"
    (site / "toy_dtrack").mkdir(parents=True)
    (site / "toy_dtrack" / "__init__.py").write_text("")
    (site / "toy_dtrack" / "fmt.py").write_text(textwrap.dedent(PLUGIN))
    info = site / "toy_dtrack-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-dtrack\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[dtrack.formats]\ntoy = toy_dtrack.fmt\nmastodon = toy_dtrack.fmt\n")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    return site


def test_a_third_party_format_is_found_detected_and_ingested(toy_distribution: Path, tmp_path: Path,
                                                             store) -> None:
    assert names()[-3:] == ["toy", "ndjson", "csv"]  # before the generic two
    assert names().count("mastodon") == 1  # a taken name is ignored
    assert "toy_dtrack.fmt" not in sys.modules  # listed without being imported
    path = tmp_path / "posts.toy"
    path.write_text("#toy\n1\t2022-08-29T00:00:00+09:00\t無断学習\n2\t2022-08-30T00:00:00+09:00\tほか\n")
    assert detect(path) == "toy"
    with store.writer() as writer:
        report = ingest_source(writer, path)
    assert (report.status, report.format, report.new) == ("ok", "toy", 2)
    posts = store.scan_posts().collect().sort("post_id")
    assert posts["collector"].to_list() == ["toy/3", "toy/3"]
    assert posts["source_line"].to_list() == [2, 3]


@pytest.mark.parametrize("args", [["ingest", "--help"], ["status", "--store", "{tmp}/store"]])
def test_ingest_help_and_status_import_no_format(args: list[str], tmp_path: Path) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code = ("import sys\nfrom dtrack.cli.main import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('dtrack.collectors.formats.') and "
            "m != 'dtrack.collectors.formats.registry' or m in ('zstandard', 'libipld')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_installed_formats_are_read_once_while_nothing_is_installed(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    """The entry points are read once for many sources (it cost 14 ms a read, twice a source), and again
    as soon as a distribution is installed into a folder on sys.path (the scheduler runs for days)."""
    import importlib.metadata

    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(registry, "_third_party_seen", None)  # whatever an earlier test left
    reads = []
    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **kw: reads.append(kw) or real(**kw))
    first = names()
    for _ in range(50):
        assert names() == first
    assert len(reads) == 1
    assert "late" not in first
    info = site / "late_dtrack-0.1.dist-info"  # installed while running: the folder's time changes
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: late-dtrack\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[dtrack.formats]\nlate = late_dtrack.fmt\n")
    importlib.invalidate_caches()
    assert names()[-3:] == ["late", "ndjson", "csv"]
    assert len(reads) == 2


def test_installed_formats_are_read_again_after_a_while(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a file system whose folder times are too coarse to show an install, the list still expires."""
    import importlib.metadata

    monkeypatch.setattr(registry, "_third_party_seen", None)  # whatever an earlier test left
    reads = []
    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **kw: reads.append(kw) or real(**kw))
    names()
    clock = [registry.time.monotonic()]
    monkeypatch.setattr(registry.time, "monotonic", lambda: clock[0])
    names()
    clock[0] += registry.THIRD_PARTY_SECONDS + 1
    names()
    assert len(reads) == 2
