"""Where things live: the default collection and the decks bundled with srs."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["bundled_decks_dir", "default_db_path", "standard_db_path"]


def default_db_path() -> Path:
    """`SRS_DB` if set, else `standard_db_path()`."""
    if env := os.environ.get("SRS_DB"):
        return Path(env).expanduser()
    return standard_db_path()


def standard_db_path() -> Path:
    """`collection.db` in the user's data folder (platformdirs): the default place."""
    from platformdirs import user_data_path

    return user_data_path("srs", appauthor=False) / "collection.db"


def bundled_decks_dir() -> Path:
    """The decks shipped with srs (the seed exam first), imported into a new collection."""
    return Path(__file__).parent.parent / "bundled"
