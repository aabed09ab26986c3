"""Read an Anki collection database (schema 11 or 18) into `AnkiCollection` values.

This is the one module outside `srs/collection/` with SQL: it reads a foreign SQLite file,
never srs's collection. The database stays in memory (`Connection.deserialize`), read-only in
effect, with `trusted_schema` off so a crafted schema cannot run functions from views or
triggers. Every value is checked for its type on the way in: a damaged or hostile database is
one `AnkiError` line, never a traceback.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from srs.decks.anki.model import (
    AnkiCard,
    AnkiCollection,
    AnkiDeck,
    Note,
    NoteType,
    RevlogEntry,
    Template,
)
from srs.decks.anki.package import AnkiError, Package
from srs.decks.anki.protobuf import ProtobufError, first_bytes, first_int, first_text

__all__ = ["LEGACY_SCHEMA", "SCHEMA", "read_collection"]

SCHEMA = 18
"""The schema of current packages' `collection.anki21b`."""
LEGACY_SCHEMA = 11
"""The schema of legacy packages' `collection.anki21` / `collection.anki2`."""

_QUEUE_SUSPENDED = -1
_CLOZE_KIND = 1
_FIELD_SEPARATOR = "\x1f"
_T = TypeVar("_T")


def read_collection(package: Package) -> AnkiCollection:
    """The notes, cards, decks, note types and review log of the package's collection.

    Raises:
        AnkiError: the database is damaged or encrypted, or has a schema srs does not read.
    """
    where = f"{package.path}: {package.member}"
    conn = sqlite3.connect(":memory:")
    try:
        # A database exported while in WAL mode says so in its header, and a deserialized
        # database cannot be opened in WAL mode: read it as a rollback-journal database.
        data = bytearray(package.database)
        data[18:20] = b"\x01\x01"
        conn.deserialize(bytes(data))
        conn.execute("PRAGMA trusted_schema = OFF")
        version = _schema(conn)
        if version == SCHEMA:
            notetypes, decks = _notetypes(conn), _decks(conn)
        elif version == LEGACY_SCHEMA:
            notetypes, decks = _legacy_notetypes_and_decks(conn)
        else:
            raise AnkiError(
                f"{where}: schema version {version}; srs reads {LEGACY_SCHEMA} (legacy) and "
                f"{SCHEMA} (current)"
            )
        return AnkiCollection(
            f"{package.member}, schema {version}",
            notetypes,
            decks,
            {note.id: note for note in _rows(conn, _NOTES, _note)},
            list(_rows(conn, _CARDS, _card)),
            _revlog(conn),
            package.media,
        )
    except sqlite3.Error as exc:
        raise AnkiError(f"{where}: not a readable database (damaged or encrypted): {exc}") from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, ProtobufError) as exc:
        raise AnkiError(f"{where}: the collection is damaged ({exc})") from None
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT ver FROM col").fetchone()
    if row is None:
        raise ValueError("no collection row")
    return _int(row[0])


_NOTES = "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
_CARDS = "SELECT id, nid, did, odid, ord, queue FROM cards ORDER BY id"
_REVLOG_COLUMNS = ("id", "cid", "ease", "type", "factor", "time")
_REVLOG = f"SELECT {', '.join(_REVLOG_COLUMNS)} FROM revlog ORDER BY cid, id"


def _rows(conn: sqlite3.Connection, sql: str, make: Callable[[Any], _T]) -> Iterable[_T]:
    return map(make, conn.execute(sql))


def _note(row: tuple[Any, ...]) -> Note:
    note_id, guid, notetype_id, tags, fields = row
    return Note(
        _int(note_id),
        _str(guid),
        _int(notetype_id),
        tuple(_str(tags).split()),
        tuple(_str(fields).split(_FIELD_SEPARATOR)),
    )


def _card(row: tuple[Any, ...]) -> AnkiCard:
    card_id, note_id, deck_id, original_deck_id, ord_, queue = map(_int, row)
    return AnkiCard(card_id, note_id, original_deck_id or deck_id, ord_, queue == _QUEUE_SUSPENDED)


def _revlog(conn: sqlite3.Connection) -> list[RevlogEntry]:
    """The whole log, its column types checked by SQLite in one pass (a million rows read
    ten times faster than through a check per value)."""
    typed = " AND ".join(f"typeof({column}) = 'integer'" for column in _REVLOG_COLUMNS)
    if conn.execute(f"SELECT count(*) FROM revlog WHERE NOT ({typed})").fetchone()[0]:
        raise TypeError("a review log entry holds something other than numbers")
    return list(map(RevlogEntry._make, conn.execute(_REVLOG)))


def _int(value: object) -> int:
    if isinstance(value, int):
        return value
    raise TypeError(f"{value!r:.40} where a number belongs")


def _str(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{value!r:.40} where text belongs")


# --- schema 18: tables, with protobuf configs ----------------------------------------------


def _notetypes(conn: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[str]] = {}
    for ntid, _, name in conn.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(_int(ntid), []).append(_str(name))
    templates: dict[int, list[Template]] = {}
    for ntid, name, config in conn.execute(
        "SELECT ntid, name, config FROM templates ORDER BY ntid, ord"
    ):
        config = _blob(config)
        template = Template(_str(name), first_text(config, 1), first_text(config, 2))
        templates.setdefault(_int(ntid), []).append(template)
    return {
        _int(ntid): NoteType(
            _int(ntid),
            _str(name),
            first_int(_blob(config), 1) == _CLOZE_KIND,
            tuple(fields.get(_int(ntid), ())),
            tuple(templates.get(_int(ntid), ())),
        )
        for ntid, name, config in conn.execute("SELECT id, name, config FROM notetypes")
    }


def _decks(conn: sqlite3.Connection) -> dict[int, AnkiDeck]:
    """Decks by id; `kind` holds the normal deck (field 1, its description field 4) or the
    filtered one (field 2)."""
    decks = {}
    for deck_id, name, kind in conn.execute("SELECT id, name, kind FROM decks"):
        kind = _blob(kind)
        normal = first_bytes(kind, 1)
        decks[_int(deck_id)] = AnkiDeck(
            _int(deck_id),
            tuple(_str(name).split(_FIELD_SEPARATOR)),
            normal is None and first_bytes(kind, 2) is not None,
            "" if normal is None else first_text(normal, 4),
        )
    return decks


def _blob(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    raise TypeError(f"{value!r:.40} where a protobuf message belongs")


# --- schema 11: JSON in the col row ---------------------------------------------------------


def _legacy_notetypes_and_decks(
    conn: sqlite3.Connection,
) -> tuple[dict[int, NoteType], dict[int, AnkiDeck]]:
    row = conn.execute("SELECT models, decks FROM col").fetchone()
    models, decks = json.loads(_str(row[0])), json.loads(_str(row[1]))
    notetypes = {}
    for model in models.values():
        fields = sorted(model["flds"], key=lambda field: int(field["ord"]))
        templates = sorted(model["tmpls"], key=lambda template: int(template["ord"]))
        notetypes[int(model["id"])] = NoteType(
            int(model["id"]),
            _str(model["name"]),
            int(model.get("type", 0)) == _CLOZE_KIND,
            tuple(_str(field["name"]) for field in fields),
            tuple(Template(_str(t["name"]), _str(t["qfmt"]), _str(t["afmt"])) for t in templates),
        )
    return notetypes, {
        int(deck["id"]): AnkiDeck(
            int(deck["id"]),
            tuple(_str(deck["name"]).split("::")),
            bool(deck.get("dyn", 0)),
            _str(deck.get("desc") or ""),
        )
        for deck in decks.values()
    }
