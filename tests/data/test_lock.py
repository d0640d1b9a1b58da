"""The one file lock (store writer, scheduler, ledger): busy means LockBusy with the holder's note."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dtrack.data.lock import LockBusy, file_lock, holder_text, read_holder


def test_the_holder_is_named_while_held_and_cleared_after(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with file_lock(path, wait=0, note={"purpose": "test"}):
        info = read_holder(path)
        assert info["pid"] == os.getpid() and info["purpose"] == "test"
        assert holder_text(info).startswith(f" (pid {os.getpid()} on ") and holder_text(info).endswith(", test)")
    assert read_holder(path) == {}


def test_a_second_process_finds_it_busy(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    code = ("import sys\nfrom pathlib import Path\nfrom dtrack.data.lock import LockBusy, file_lock\n"
            f"try:\n    with file_lock(Path({str(path)!r}), wait=0.2):\n        print('got it')\n"
            "except LockBusy as exc:\n    print('busy', exc.holder.get('purpose'))\n")
    with file_lock(path, wait=0, note={"purpose": "holding"}):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "busy holding"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "got it"


def test_a_lock_without_a_note_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    path.write_text('{"pid": 1}')
    with file_lock(path):
        pass
    assert read_holder(path) == {"pid": 1}
    with pytest.raises(LockBusy), file_lock(path, wait=0), file_lock(path, wait=0):
        pass
