"""The few protobuf messages of an Anki package, read by hand.

Current packages keep their `meta`, `media` list and the schema-18 tables' `config`/`kind`
columns as protobuf. srs needs a handful of fields from them (a version number, file names,
template texts, a deck's kind): a reader of the wire format's varints and length-delimited
fields is a few lines, where the `protobuf` package and Anki's generated code would be a
dependency for it.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["ProtobufError", "fields", "first_bytes", "first_int", "first_text"]

_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5


class ProtobufError(ValueError):
    """The bytes are not a protobuf message."""


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """The varint at `at`, and where the next field starts."""
    value = shift = 0
    while True:
        if at >= len(data) or shift > 63:
            raise ProtobufError("truncated or overlong varint")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """Each field of a message as (field number, value): an int for a varint or fixed-width
    field, the raw bytes of a length-delimited one (a string, bytes or a nested message).

    Raises:
        ProtobufError: the bytes end inside a field, or use a wire type protobuf 3 does not.
    """
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            value, at = _varint(data, at)
            yield number, value
        elif wire == _LENGTH:
            size, at = _varint(data, at)
            if at + size > len(data):
                raise ProtobufError("a field runs past the end of the message")
            yield number, data[at : at + size]
            at += size
        elif wire in (_FIXED64, _FIXED32):
            width = 8 if wire == _FIXED64 else 4
            if at + width > len(data):
                raise ProtobufError("a field runs past the end of the message")
            yield number, int.from_bytes(data[at : at + width], "little")
            at += width
        else:
            raise ProtobufError(f"unknown wire type {wire}")


def first_int(data: bytes, number: int, default: int = 0) -> int:
    """The first varint field `number` (protobuf's default 0 when absent)."""
    for found, value in fields(data):
        if found == number and isinstance(value, int):
            return value
    return default


def first_bytes(data: bytes, number: int) -> bytes | None:
    """The first length-delimited field `number` (None when absent)."""
    for found, value in fields(data):
        if found == number and isinstance(value, bytes):
            return value
    return None


def first_text(data: bytes, number: int) -> str:
    """The first string field `number` ('' when absent; bad UTF-8 shown as U+FFFD)."""
    value = first_bytes(data, number)
    return "" if value is None else value.decode("utf-8", "replace")
