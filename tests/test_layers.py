"""The layering is checked, not hoped for: `lint-imports` with the contracts in pyproject.toml.

import-linter finds a package's modules by walking its folder, but dtrack's
installed namespace is assembled from the repository's top-level folders
(``[tool.setuptools.package-dir]``), so the check runs on a copy of the
sources laid out as installed (``dtrack/collectors/...``), made from the same
``packages`` list setuptools installs. A broken contract fails this test with
lint-imports' own report: which module imports which, and the chain.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def installed_layout(target: Path) -> Path:
    """Copy every package's .py files to ``target`` as they are installed; returns ``target``."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    mapping: dict[str, str] = config["package-dir"]
    for package in config["packages"]:
        base = max((p for p in mapping if package == p or package.startswith(p + ".")), key=len)
        source = ROOT / mapping[base] / Path(*package[len(base):].split(".")[1:])
        dest = target / Path(*package.split("."))
        dest.mkdir(parents=True, exist_ok=True)
        for file in source.glob("*.py"):
            shutil.copy2(file, dest / file.name)
    return target


def test_import_contracts_hold(tmp_path: Path) -> None:
    tree = installed_layout(tmp_path / "src")
    # the lint-imports console script of this interpreter's import-linter (its entry point, run directly,
    # so a script directory missing from PATH does not matter)
    command = [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    result = subprocess.run([*command, "--config", str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
                            cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
