"""Anki packages (.apkg, .colpkg) as srs decks, with their review history.

Read without Anki's own code (the `anki` package is AGPL and only a benchmark peer here):
`package` opens the zip file with limits, `reader` reads its SQLite collection (schema 11 or
18; the one module outside `srs/collection/` with SQL, for this foreign file), `protobuf` the
few protobuf fields needed, `fieldtext` turns field HTML into text, `cloze` and `notes` make
card texts, `revlog` picks the answers a card's memory is made of, `convert` makes decks, and
`importer` writes the deck files and imports them, history included.
"""

from srs.decks.anki.package import AnkiError

__all__ = ["AnkiError"]
