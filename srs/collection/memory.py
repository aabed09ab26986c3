"""The `memory` table: one FSRS state per card."""

from __future__ import annotations

from srs.model.memory import Memory

__all__ = ["MEMORY_COLUMNS"]

MEMORY_COLUMNS = ", ".join(f"m.{column}" for column in Memory.COLUMNS)
"""SQL: the columns `Memory.from_row` reads, from the `memory` table aliased `m`."""
