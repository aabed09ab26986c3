"""`srs export -o FILE`: a new file, or an existing one only with --force; never through a
symbolic link."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SMALL_DECK, invoke, write_deck

from srs.decks.validate import load_deck


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A collection holding the three-card 'capitals' deck."""
    path = tmp_path / "collection.db"
    imported = invoke(path, "import", str(write_deck(tmp_path, SMALL_DECK)))
    assert imported.exit_code == 0, imported.stderr
    return path


def others_in(folder: Path, *known: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p not in known)


def test_export_writes_a_new_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "capitals.yaml"
    out.parent.mkdir()

    result = invoke(db, "export", "capitals", "-o", str(out))

    assert result.exit_code == 0, result.stderr
    assert load_deck(out).id == "capitals"
    assert others_in(out.parent, out) == []


def test_export_refuses_to_overwrite_an_existing_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes.yaml"
    out.write_text("my notes\n")

    result = invoke(db, "export", "capitals", "-o", str(out))

    assert result.exit_code == 1
    assert result.stderr == f"srs: error: {out} already exists; add --force to replace it\n"
    assert out.read_text() == "my notes\n"


def test_export_with_force_replaces_an_existing_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "old.yaml"
    out.write_text("an older export\n")

    result = invoke(db, "export", "capitals", "-o", str(out), "--force")

    assert result.exit_code == 0, result.stderr
    assert load_deck(out).id == "capitals"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_export_never_writes_through_a_symbolic_link(db: Path, tmp_path: Path, force: bool) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)

    result = invoke(db, "export", "capitals", "-o", str(link), *(["--force"] * force))

    assert result.exit_code == 1
    assert result.stderr == (
        f"srs: error: {link} is a symbolic link; srs writes only to the real path\n"
    )
    assert target.read_text() == "keep me\n"
    assert link.is_symlink()


def test_export_does_not_create_a_dangling_links_target(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yaml"
    link = tmp_path / "link.yaml"
    link.symlink_to(target)

    result = invoke(db, "export", "capitals", "-o", str(link))

    assert result.exit_code == 1
    assert "is a symbolic link" in result.stderr
    assert not target.exists()
