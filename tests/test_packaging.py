"""The installed package: one namespace, its resources inside it, nothing shadowed by a user's files."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    (path,) = out.glob("dtrack-*.whl")
    return path


def test_the_wheel_holds_only_the_dtrack_namespace(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"dtrack", "-".join(wheel.name.split("-")[:2]) + ".dist-info"}
    packages = {str(Path(n).parent) for n in names if n.endswith("/__init__.py")}
    # every folder of the repository's packages that holds Python code is in the wheel (a sub-package
    # missing from pyproject's `packages` list would be left out silently)
    for top, installed in (("collectors", "dtrack/collectors"), ("nlp", "dtrack/nlp"), ("data", "dtrack/data"),
                           ("analysis", "dtrack/analysis"), ("dashboard", "dtrack/dashboard"), ("cli", "dtrack/cli")):
        for init in (ROOT / top).rglob("__init__.py"):
            assert installed + str(init.parent)[len(str(ROOT / top)):] in packages, init
    assert "dtrack/data/terms.toml" in names and "dtrack/data/events.csv" in names
    assert "dtrack/dashboard/app.py" in names
    assert not [n for n in names if "/store/" in n or n.endswith(".parquet")]
    # the matcher's native half and the NDJSON block reader are compiled into the wheel; their generated C
    # and their .pyx stay out of it
    assert [n for n in names if n.startswith("dtrack/nlp/_fastmatch.") and n.endswith(".so")], names
    assert [n for n in names if n.startswith("dtrack/collectors/_fastlines.") and n.endswith(".so")], names
    assert not [n for n in names if n.endswith(".c")]


def test_installed_dtrack_works_beside_a_users_own_modules(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # a wheel installs by unpacking (this one for this Python)
    work = tmp_path / "notebook"
    (work / "data").mkdir(parents=True)
    (work / "analysis.py").write_text("MINE = True\n")
    (work / "cli.py").write_text("MINE = True\n")
    (work / "data" / "__init__.py").write_text("MINE = True\n")
    env = {**os.environ, "PYTHONPATH": str(site), "DTRACK_STORE": str(work / "data" / "store")}
    env.pop("DTRACK_TZ", None)
    samples = ROOT / "data" / "samples"
    code = f"""
import analysis, cli, data
import dtrack
from dtrack.cli.main import main
assert analysis.MINE and cli.MINE and data.MINE
assert dtrack.__file__.startswith({str(site)!r}), dtrack.__file__
try:
    main(["ingest", {str(samples)!r}], standalone_mode=False)
except SystemExit:
    pass
import dtrack.data.store, dtrack.nlp.terms
assert dtrack.data.store.__file__.startswith({str(site)!r})
assert str(dtrack.nlp.terms.DEFAULT_TERMS).startswith({str(site)!r})
s = dtrack.open_store()
frame = s.timeline(["無断学習"], freq="day")
assert frame["posts"].sum() > 0
from dtrack.analysis.export import csv_bytes
open("api.csv", "wb").write(csv_bytes(frame))
"""
    api = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, capture_output=True, timeout=300)
    assert api.returncode == 0, api.stderr.decode()
    assert (work / "data" / "store" / "manifest.json").is_file()  # ./data/store of the working directory
    cli = subprocess.run([sys.executable, "-m", "dtrack", "timeline", "無断学習", "--freq", "day"], cwd=work, env=env,
                         capture_output=True, timeout=300)
    assert cli.returncode == 0, cli.stderr.decode()
    assert (work / "api.csv").read_bytes() == cli.stdout
