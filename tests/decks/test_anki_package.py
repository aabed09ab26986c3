"""Reading Anki packages as untrusted files: both formats, and every way a file can be bad."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
import zstandard

from srs.decks.anki import AnkiError
from srs.decks.anki import package as package_module
from srs.decks.anki.package import open_package
from srs.decks.anki.protobuf import ProtobufError, fields, first_int, first_text
from srs.decks.anki.reader import read_collection

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "anki"
LEGACY = FIXTURES / "legacy.apkg"
CURRENT = FIXTURES / "current.apkg"


def zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def legacy_database() -> bytes:
    with zipfile.ZipFile(LEGACY) as archive:
        return archive.read("collection.anki2")


def with_schema(database: bytes, tmp_path: Path, version: int) -> bytes:
    path = tmp_path / "changed.anki2"
    path.write_bytes(database)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE col SET ver = ?", (version,))
    conn.close()
    return path.read_bytes()


def error_of(path: Path) -> str:
    with pytest.raises(AnkiError) as caught:
        read_collection(open_package(path))
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- the two formats -------------------------------------------------------------------------


def test_legacy_package_is_read_from_its_schema_11_database() -> None:
    collection = read_collection(open_package(LEGACY))

    assert collection.source == "collection.anki2, schema 11"
    names = {deck.name for deck in collection.decks.values()}
    assert ("AWS Cloud Practitioner", "Billing") in names
    assert {"Basic (genanki)", "Cloze (genanki)", "AWS multiple choice"} <= {
        t.name for t in collection.notetypes.values()
    }
    cloze = next(t for t in collection.notetypes.values() if t.name == "Cloze (genanki)")
    assert cloze.is_cloze and cloze.fields == ("Text", "Back Extra")
    assert collection.media == ("aws-logo.png", "aws.mp3", "unused-diagram.png")
    assert collection.revlog == []


def test_current_package_is_read_from_its_zstd_schema_18_database() -> None:
    collection = read_collection(open_package(CURRENT))

    assert collection.source == "collection.anki21b, schema 18"
    assert ("Security+", "Ports") in {deck.name for deck in collection.decks.values()}
    basic = next(t for t in collection.notetypes.values() if t.name == "Basic")
    assert not basic.is_cloze
    assert basic.templates[0].front == "{{Front}}"
    assert "{{Back}}" in basic.templates[0].back
    assert collection.media == ("handshake.png",)
    assert len(collection.revlog) > 100
    assert sum(card.suspended for card in collection.cards) == 1


def test_collection_package_reads_every_deck() -> None:
    collection = read_collection(open_package(FIXTURES / "current.colpkg"))

    tops = {deck.name[0] for deck in collection.decks.values()}
    assert {"Security+", "Linux", "Default"} <= tops


# --- bad input: one line each ----------------------------------------------------------------


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    path.write_text("deck: not a package\n")

    assert error_of(path) == f"{path}: not an Anki package (not a zip file)"


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert error_of(tmp_path / "gone.apkg") == f"{tmp_path / 'gone.apkg'}: no such file"


@pytest.mark.parametrize(
    "name", ["../../evil.txt", "/etc/passwd", "media/../../x", "C:\\windows\\x", "a\\..\\..\\b"]
)
def test_a_member_name_reaching_outside_the_package_is_refused(tmp_path: Path, name: str) -> None:
    path = zip_with(tmp_path / "deck.apkg", {"collection.anki2": b"", name: b"x"})

    assert "unsafe member name" in error_of(path)


def test_a_member_name_with_a_terminal_escape_is_reported_visibly(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "deck.apkg", {"../\x1b]0;pwned\x07": b"x"})

    message = error_of(path)
    assert "\x1b" not in message and "␛" in message


def test_a_package_without_a_collection_is_refused(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "deck.apkg", {"media": b"{}"})

    assert error_of(path) == f"{path}: not an Anki package (no collection inside)"


def test_a_zip_bomb_stops_at_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_module, "MAX_COLLECTION_BYTES", 1024 * 1024)
    path = zip_with(tmp_path / "bomb.apkg", {"collection.anki2": bytes(8 * 1024 * 1024)})

    assert "is larger than 1,048,576 bytes unpacked" in error_of(path)


def test_a_zstd_bomb_stops_at_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_module, "MAX_COLLECTION_BYTES", 1024 * 1024)
    bomb = zstandard.ZstdCompressor().compress(bytes(64 * 1024 * 1024))
    path = zip_with(tmp_path / "bomb.apkg", {"meta": b"\x08\x03", "collection.anki21b": bomb})

    assert len(bomb) < 10_000
    assert "collection.anki21b is larger than 1,048,576 bytes unpacked" in error_of(path)


def test_an_encrypted_member_is_refused(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "locked.apkg", {"collection.anki2": b"ciphertext"})
    data = bytearray(path.read_bytes())
    for header, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local, central
        data[data.index(header) + flags_at] |= 0x1  # the "encrypted" flag
    path.write_bytes(bytes(data))

    assert error_of(path) == f"{path}: collection.anki2 is encrypted"


def test_an_encrypted_database_is_refused(tmp_path: Path) -> None:
    noise = bytes((n * 151 + 7) % 256 for n in range(8192))
    path = zip_with(tmp_path / "deck.apkg", {"collection.anki2": noise})

    assert error_of(path) == f"{path}: collection.anki2 is not a database (damaged or encrypted)"


def test_a_damaged_database_is_refused(tmp_path: Path) -> None:
    damaged = legacy_database()[:4096] + bytes(4096)
    path = zip_with(tmp_path / "deck.apkg", {"collection.anki2": damaged})

    assert "collection.anki2: not a readable database (damaged or encrypted)" in error_of(path)


def test_damaged_zstd_data_is_refused(tmp_path: Path) -> None:
    frame = b"\x28\xb5\x2f\xfd" + bytes(range(200))  # the zstd magic, then noise
    path = zip_with(tmp_path / "deck.apkg", {"meta": b"\x08\x03", "collection.anki21b": frame})

    assert "collection.anki21b is damaged (zstd:" in error_of(path)


def test_an_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    database = with_schema(legacy_database(), tmp_path, 99)
    path = zip_with(tmp_path / "deck.apkg", {"collection.anki2": database})

    assert error_of(path) == (
        f"{path}: collection.anki2: schema version 99; srs reads 11 (legacy) and 18 (current)"
    )


def test_a_newer_package_version_is_refused(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "deck.apkg", {"meta": b"\x08\x04", "collection.anki21b": b""})

    assert "package version 4 is newer than srs reads (1 to 3)" in error_of(path)


def test_damaged_note_types_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "changed.anki2"
    path.write_bytes(legacy_database())
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE col SET models = '[1, 2, 3]'")
    conn.close()
    package = zip_with(tmp_path / "deck.apkg", {"collection.anki2": path.read_bytes()})

    assert "the collection is damaged" in error_of(package)


def test_a_review_log_holding_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "changed.anki2"
    path.write_bytes(legacy_database())
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO revlog VALUES (1, 2, -1, 'three', 0, 0, 0, 0, 0)")
    conn.close()
    package = zip_with(tmp_path / "deck.apkg", {"collection.anki2": path.read_bytes()})

    assert "holds something other than numbers" in error_of(package)


# --- the protobuf reader ---------------------------------------------------------------------


def test_protobuf_fields_are_read_by_number_and_wire_type() -> None:
    message = b"\x08\x96\x01" + b"\x12\x05hello" + b"\x1d\x01\x00\x00\x00"

    assert list(fields(message)) == [(1, 150), (2, b"hello"), (3, 1)]
    assert first_int(message, 1) == 150
    assert first_text(message, 2) == "hello"
    assert first_text(message, 9) == ""


@pytest.mark.parametrize("damaged", [b"\x08", b"\x12\x05hel", b"\x0b", b"\x08" + b"\xff" * 11])
def test_truncated_or_unknown_protobuf_raises_its_own_error(damaged: bytes) -> None:
    with pytest.raises(ProtobufError):
        list(fields(damaged))


def test_the_current_media_list_is_zstd_protobuf(tmp_path: Path) -> None:
    entry = b"\x0a\x05a.png\x10\x03"
    media = zstandard.ZstdCompressor().compress(b"\x0a" + bytes([len(entry)]) + entry)
    path = zip_with(
        tmp_path / "deck.apkg",
        {"meta": b"\x08\x02", "collection.anki21": legacy_database(), "media": media},
    )

    assert open_package(path).media == ("a.png",)


def test_the_package_version_picks_the_collection_member(tmp_path: Path) -> None:
    database = legacy_database()
    path = zip_with(
        tmp_path / "deck.apkg",
        {"meta": b"\x08\x02", "collection.anki2": b"a stub", "collection.anki21": database},
    )

    assert open_package(path).member == "collection.anki21"
