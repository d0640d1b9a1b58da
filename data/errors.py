"""The store's errors and path resolution, apart from the store itself.

Kept free of polars and numpy so that the command line (``dtrack --help``) and
``import dtrack`` can name them without paying for the store's imports.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Relative to the working directory, never inside the installed package.
DEFAULT_STORE = Path("data") / "store"


class StoreError(RuntimeError):
    """The store cannot be read or written (a message for the user)."""


class StoreLocked(StoreError):
    """Another process is writing to the store."""


class StoreFull(StoreError):
    """The disk holding the store is full; the failed transaction left nothing behind."""


def resolve_store_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The store folder: an explicit path, else ``$DTRACK_STORE``, else ``./data/store``."""
    if path:
        return Path(path)
    env = os.environ.get("DTRACK_STORE")
    return Path(env) if env else DEFAULT_STORE
