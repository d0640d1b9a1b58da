"""`dtrack ingest` against hard faults: a full disk and an unreadable file (messages and exit statuses).

A full disk is real, not simulated: the child runs in its own mount namespace
(``unshare``) on a 1 MiB tmpfs, which vanishes with it. File permissions are
real too: root ignores chmod 000, so that child drops the capabilities that
let it (``setpriv``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import drop_caps_prefix

_CHECK = """
import json, sys
from pathlib import Path
import polars as pl
from dtrack.data.store import Store
root = Path(sys.argv[1])
manifest = Store(root).manifest()  # the file list lives in a log that manifest.json names
listed = {rel for files in manifest["files"].values() for rel in files}
for rel in listed:
    pl.read_parquet(root / rel)
on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*.parquet")}
print(json.dumps({"listed": len(listed), "unlisted": sorted(on_disk - listed),
                  "staging": sorted(p.name for p in (root / "staging").rglob("*"))}))
"""


def _namespace_prefix() -> list[str] | None:
    unshare = shutil.which("unshare")
    if not unshare:
        return None
    prefix = [unshare, "-rm"] if os.geteuid() != 0 else [unshare, "-m"]
    probe = subprocess.run([*prefix, "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d"],
                           capture_output=True)
    return prefix if probe.returncode == 0 else None


def _posts(path: Path, n: int, prefix: str, chars: int) -> Path:
    rng = random.Random(7)  # random letters: zstd cannot shrink them below the tmpfs
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = "".join(rng.choices(string.ascii_letters, k=chars))
            fh.write(json.dumps({"id": f"{prefix}{i}", "created_at": "2023-01-01T00:00:00Z", "text": text}) + "\n")
    return path


def test_full_disk_names_the_store_cleans_up_and_the_next_source_is_read(
        tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    prefix = _namespace_prefix()
    if prefix is None:
        pytest.skip("no unshare with mount rights here: a real full disk cannot be made")
    big = _posts(tmp_path / "big.ndjson", 20_000, "b", 80)  # ~2 MB of parquet for a 1 MiB disk
    small = _posts(tmp_path / "small.ndjson", 3, "s", 10)
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = (f"mount -t tmpfs -o size=1m tmpfs {mnt} && "
              f"{sys.executable} -m dtrack ingest {big} {small} --store {mnt}/store --no-tag; echo rc=$?; "
              f"{sys.executable} -c '{_CHECK}' {mnt}/store")
    done = subprocess.run([*prefix, "sh", "-c", script], env=subprocess_env, capture_output=True, text=True,
                          timeout=300)
    out = done.stdout + done.stderr
    assert "Traceback" not in out and "please report" not in out, out
    assert f"{big}: ERROR: no space left on device at {mnt}/store" in done.stdout, out
    assert f"{small}: ndjson: read 3, new 3" in done.stdout, out
    assert "rc=1" in done.stdout
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state == {"listed": 2, "unlisted": [], "staging": []}  # the small file's posts and their counts


def test_unreadable_file_in_a_folder_fails_the_run_and_is_named(
        tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    prefix = drop_caps_prefix()
    if prefix is None:
        pytest.skip("root without a usable setpriv reads chmod-000 files: the case cannot occur")
    folder = tmp_path / "in"
    folder.mkdir()
    _posts(folder / "a_open.ndjson", 2, "a", 10)
    locked = _posts(folder / "b_locked.ndjson", 2, "b", 10)
    (folder / "notes.txt").write_text("not an export\n", encoding="utf-8")
    locked.chmod(0)
    done = subprocess.run([*prefix, sys.executable, "-m", "dtrack", "ingest", str(folder), "--store",
                           str(tmp_path / "s"), "--no-tag"], env=subprocess_env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{locked}: ERROR: permission denied" in done.stdout
    assert f"{folder / 'notes.txt'}: skipped (not a format dtrack knows" in done.stdout  # a stray file stays a skip
    assert "a_open.ndjson: ndjson: read 2, new 2" in done.stdout
