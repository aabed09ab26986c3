"""The boundaries of docs/architecture.md hold: import contracts, what really loads, where SQL is
(srs/collection, and the one reader of Anki's own database files).

import-linter checks every import written in srs against the contracts in pyproject.toml. One
fresh interpreter then checks what reading the source cannot: what is loaded at run time, through
third-party packages too. sqlite-utils imports click itself, so "click is not loaded" cannot hold
for the core; that the core never imports click is the contracts' (and ruff's) job.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, SMALL_DECK, write_deck

SRS_DIR = REPO / "srs"

# Runs `srs --version` and `srs check DECK` as the shell would, then imports every core module,
# noting what each step loaded.
_PROBE = """
import importlib, json, pkgutil, sys
import srs
from srs.cli import main

WATCHED = ("textual", "click", "sqlite_utils", "fsrs")
loaded = {}
for step, argv in (("version", ["--version"]), ("check", ["--db", DB, "check", DECK])):
    try:
        main(argv, standalone_mode=False)
    except SystemExit:
        pass
    loaded[step] = sorted(m for m in WATCHED if m in sys.modules)
core = [
    m.name for m in pkgutil.walk_packages(srs.__path__, "srs.")
    if m.name.split(".")[1] not in ("cli", "tui")
]
for name in core:
    importlib.import_module(name)
loaded["core"] = sorted(m for m in WATCHED if m in sys.modules)
print(json.dumps({"loaded": loaded, "core": core}))
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    folder = tmp_path_factory.mktemp("probe")
    deck = write_deck(folder, SMALL_DECK)
    code = f"DB, DECK = {str(folder / 'c.db')!r}, {str(deck)!r}\n{_PROBE}"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=folder
    )
    assert done.returncode == 0, done.stderr
    assert not (folder / "c.db").exists(), "srs check must not create a collection"
    report: dict[str, dict[str, list[str]]] = json.loads(done.stdout.splitlines()[-1])
    return report


def test_import_contracts_are_kept() -> None:
    done = subprocess.run(
        [Path(sys.executable).with_name("lint-imports"), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize("step", ["version", "check"])
def test_version_and_check_load_neither_sqlite_utils_nor_fsrs_nor_textual(
    probe: dict[str, dict[str, list[str]]], step: str
) -> None:
    assert set(probe["loaded"][step]) & {"sqlite_utils", "fsrs", "textual"} == set()


def test_importing_every_core_module_loads_no_textual(
    probe: dict[str, dict[str, list[str]]],
) -> None:
    assert {"srs.clock", "srs.collection.store", "srs.study.session", "srs.exam.engine"} <= set(
        probe["core"]
    )
    assert "textual" not in probe["loaded"]["core"]


# --- SQL lives in srs/collection only -------------------------------------------------------

# Upper case, as every statement in srs is written; prose ("select all") does not match.
_SQL = re.compile(
    r"\b(?:SELECT|INSERT|UPDATE|DELETE|PRAGMA|CREATE|DROP|ALTER)\b|\b(?:FROM|JOIN)\s+\w+|\bWHERE\b"
)
_DATABASE_ATTRIBUTES = {"conn", "execute", "executemany", "executescript"}


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes (prose about SQL is not SQL)."""
    owners = [
        tree,
        *(
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        ),
    ]
    return {
        id(owner.body[0].value)
        for owner in owners
        if owner.body
        and isinstance(owner.body[0], ast.Expr)
        and isinstance(owner.body[0].value, ast.Constant)
    }


FOREIGN_DATABASE_READERS = {Path("srs/decks/anki/reader.py")}
"""The one other place with SQL: it reads an Anki package's own SQLite database (a foreign
file, opened in memory), never srs's collection; its caller writes the collection through
srs/collection's functions like every engine."""


def sql_outside_the_collection() -> list[str]:
    """Every string that reads as SQL, and every use of a connection, outside srs/collection
    and the reader of foreign (Anki) databases."""
    found: list[tuple[str, int, str]] = []
    for path in sorted(SRS_DIR.rglob("*.py")):
        relative = path.relative_to(REPO)
        if relative.parts[1] == "collection" or relative in FOREIGN_DATABASE_READERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                skip |= {id(part) for part in node.values}
                text = "".join(
                    str(part.value) if isinstance(part, ast.Constant) else "{}"
                    for part in node.values
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = "" if id(node) in skip else node.value
            elif isinstance(node, ast.Attribute) and node.attr in _DATABASE_ATTRIBUTES:
                found.append((str(relative), node.lineno, f".{node.attr}"))
                continue
            else:
                continue
            if _SQL.search(text):
                found.append((str(relative), node.lineno, repr(text[:60])))
    return [f"{path}:{line}: {what}" for path, line, what in sorted(found)]


def test_no_module_outside_the_collection_holds_sql_or_a_connection() -> None:
    assert sql_outside_the_collection() == []


def test_the_foreign_database_readers_exist_and_hold_sql() -> None:
    for path in FOREIGN_DATABASE_READERS:
        assert _SQL.search((REPO / path).read_text(encoding="utf-8")), path
