"""An Anki package opened as the untrusted zip file it is: its collection database and media list.

`.apkg` (a deck) and `.colpkg` (a whole collection) are zip files. Current exports hold
`collection.anki21b` (a zstd-compressed SQLite database, schema 18), a `collection.anki2` stub
that tells older Anki versions to update, `meta` (the package version, protobuf) and `media`
(the media files' names, zstd-compressed protobuf); legacy exports hold `collection.anki21` or
`collection.anki2` (schema 11) and `media` as JSON. Media files are members named `0`, `1`, ...

Nothing is extracted: every member is read into memory with a limit on what it may grow to (a
zip bomb stops at the limit), member names that would reach outside a folder are refused, and
every way the file can be unreadable is one `AnkiError` line.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import zstandard

from srs.decks.anki.protobuf import ProtobufError, fields, first_int
from srs.textsafe import displayable

__all__ = [
    "MAX_COLLECTION_BYTES",
    "MAX_MEDIA_LIST_BYTES",
    "MAX_MEMBERS",
    "AnkiError",
    "Package",
    "open_package",
]

MAX_COLLECTION_BYTES = 1024**3
"""The collection database, decompressed (1 GiB: 100,000 notes with a million reviews take
about 150 MB)."""

MAX_MEDIA_LIST_BYTES = 64 * 1024**2
"""The list of media files, decompressed."""

MAX_MEMBERS = 1_000_000
"""Members of the zip file (each media file is one)."""

_MAX_META_BYTES = 64 * 1024
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_LATEST = 3
_COLLECTIONS = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
"""The collection member of each package version (`meta`'s field 1)."""
_UNSAFE_NAME = re.compile(r"(^|[/\\])\.\.([/\\]|$)|^[/\\]|^[A-Za-z]:|\x00")


class AnkiError(Exception):
    """An Anki package that cannot be imported, with the one line that says why."""


@dataclass(frozen=True)
class Package:
    """What a package holds, read and checked.

    Attributes:
        path: the file.
        version: the package version (1 and 2 legacy, 3 current).
        member: the collection member read (`collection.anki21b`, ...).
        database: the collection as SQLite database bytes (decompressed).
        media: the names of the media files the package carries.
    """

    path: Path
    version: int
    member: str
    database: bytes
    media: tuple[str, ...]


def open_package(path: Path) -> Package:
    """Read an `.apkg` or `.colpkg` file.

    Raises:
        AnkiError: the file cannot be read, is not a zip file, has an unsafe or encrypted
            member, a member larger than its limit, no collection, or a package version newer
            than srs knows.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            return _read(path, archive)
    except AnkiError:
        raise
    except FileNotFoundError:
        raise AnkiError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AnkiError(f"{path}: is a folder, not an Anki package") from None
    except OSError as exc:
        raise AnkiError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except zipfile.BadZipFile:
        raise AnkiError(f"{path}: not an Anki package (not a zip file)") from None
    except (zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise AnkiError(f"{path}: the package is damaged: {exc}") from None


def _read(path: Path, archive: zipfile.ZipFile) -> Package:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise AnkiError(f"{path}: {len(infos):,} members; srs reads at most {MAX_MEMBERS:,}")
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if _UNSAFE_NAME.search(info.filename):
            name = displayable(info.filename)
            raise AnkiError(f"{path}: unsafe member name '{name}' (a path outside the package)")
        members[info.filename] = info
    version = _version(path, archive, members)
    member = _COLLECTIONS.get(version) or next(
        (name for name in reversed(_COLLECTIONS.values()) if name in members), None
    )
    if member is None or member not in members:
        raise AnkiError(f"{path}: not an Anki package (no collection inside)")
    data = _member(path, archive, members[member], MAX_COLLECTION_BYTES)
    if data.startswith(_ZSTD_MAGIC):
        data = _unzstd(path, member, data, MAX_COLLECTION_BYTES)
    if not data.startswith(_SQLITE_MAGIC):
        raise AnkiError(f"{path}: {member} is not a database (damaged or encrypted)")
    media = _media(path, archive, members.get("media"))
    return Package(path, version or _version_of(member), member, data, media)


def _version(path: Path, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> int:
    """The package version `meta` states (0: no `meta`, as in legacy packages)."""
    info = members.get("meta")
    if info is None:
        return 0
    try:
        version = first_int(_member(path, archive, info, _MAX_META_BYTES), 1)
    except ProtobufError:
        raise AnkiError(f"{path}: the package's meta member is damaged") from None
    if version > _LATEST:
        raise AnkiError(
            f"{path}: package version {version} is newer than srs reads (1 to {_LATEST}); "
            "export it from Anki with 'Support older Anki versions' ticked"
        )
    return version


def _version_of(member: str) -> int:
    return next(v for v, name in _COLLECTIONS.items() if name == member)


def _member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, read no further than `limit`."""
    if info.flag_bits & 0x1:
        raise AnkiError(f"{path}: {displayable(info.filename)} is encrypted")
    if info.file_size > limit:
        raise AnkiError(_too_large(path, info.filename, limit))
    with archive.open(info) as stream:
        return _bounded(stream, limit, path, info.filename)


def _bounded(stream: IO[bytes], limit: int, path: Path, member: str) -> bytes:
    """Read `stream` to its end, refusing it as soon as it passes `limit` bytes (a zip or zstd
    bomb stops there, whatever sizes its headers claim)."""
    chunks = []
    size = 0
    while chunk := stream.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise AnkiError(_too_large(path, member, limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(path: Path, member: str, limit: int) -> str:
    return (
        f"{path}: {displayable(member)} is larger than {limit:,} bytes unpacked "
        "(the limit for Anki packages; see docs/anki.md)"
    )


def _unzstd(path: Path, member: str, data: bytes, limit: int) -> bytes:
    try:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as stream:
            return _bounded(stream, limit, path, member)
    except zstandard.ZstdError as exc:
        raise AnkiError(f"{path}: {member} is damaged (zstd: {exc})") from None


def _media(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> tuple[str, ...]:
    """The media files' names: JSON `{"0": "name"}` in legacy packages, a zstd-compressed
    protobuf list (entry: field 1 name) in current ones."""
    if info is None:
        return ()
    data = _member(path, archive, info, MAX_MEDIA_LIST_BYTES)
    if data.startswith(_ZSTD_MAGIC):
        data = _unzstd(path, "media", data, MAX_MEDIA_LIST_BYTES)
        try:
            return tuple(
                _name(entry) for number, entry in fields(data) if number == 1 and entry != b""
            )
        except (ProtobufError, TypeError):
            raise AnkiError(f"{path}: the package's media list is damaged") from None
    try:
        listed = json.loads(data or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise AnkiError(f"{path}: the package's media list is damaged") from None
    if not isinstance(listed, dict):
        raise AnkiError(f"{path}: the package's media list is damaged")
    return tuple(str(name) for name in listed.values())


def _name(entry: int | bytes) -> str:
    if not isinstance(entry, bytes):
        raise TypeError("a media entry is a message")
    for number, value in fields(entry):
        if number == 1 and isinstance(value, bytes):
            return value.decode("utf-8", "replace")
    return ""
