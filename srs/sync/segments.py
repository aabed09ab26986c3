"""Segments: the immutable files of events each device writes into the sync folder.

A segment is `DIR/<device>/<number>.jsonl`: one header line (JSON: the format, its version, the
device, the number of events, and the length and SHA-256 of what follows), then one event per
line. It is written under a temporary name in the same folder, flushed to disk, then renamed, so
a replicator (Syncthing, Dropbox, git) only ever sees whole files, and each device only ever
adds files to its own folder: nothing for a replicator to report as a conflict. A file that
arrived in part, or was damaged on the way, fails its checksum and is skipped until it is whole;
one written by a newer format is held until srs is upgraded.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srs.textsafe import displayable

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "Segment",
    "SegmentProblem",
    "device_folders",
    "read_segment",
    "segment_names",
    "write_segment",
]

FORMAT = "srs-sync"
FORMAT_VERSION = 1
"""The segment format this srs writes and reads; a segment with a higher one is held."""

_NAME = re.compile(r"\d{8}\.jsonl")
_DEVICE = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class Segment:
    """A whole segment, read and checked: its device, file name and events (JSON objects)."""

    device: str
    name: str
    events: list[dict[str, Any]]


@dataclass(frozen=True)
class SegmentProblem:
    """A segment not merged this time: which file, why, and whether a later sync may merge it
    (`held`: it is whole but needs a newer srs; otherwise it is incomplete or damaged)."""

    path: Path
    message: str
    held: bool = False

    def __str__(self) -> str:
        return displayable(f"{self.path}: {self.message}").replace("\n", "\u23ce")


def device_folders(folder: Path) -> list[str]:
    """The device ids with a folder in the sync folder (other names are not srs's)."""
    try:
        return sorted(
            entry.name
            for entry in os.scandir(folder)
            if entry.is_dir() and _DEVICE.fullmatch(entry.name)
        )
    except (FileNotFoundError, NotADirectoryError):
        return []


def segment_names(folder: Path, device: str) -> list[str]:
    """The segment files in a device's folder, oldest first (temporary files left out)."""
    try:
        names = os.listdir(folder / device)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(name for name in names if _NAME.fullmatch(name))


def write_segment(folder: Path, device: str, events: Sequence[dict[str, Any]]) -> str:
    """Write events as this device's next segment; returns its file name.

    Raises:
        OSError: the folder cannot be written (nothing is left under the segment's name).
    """
    own = folder / device
    own.mkdir(parents=True, exist_ok=True)
    body = "".join(
        json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n" for event in events
    ).encode("utf-8")
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "device": device,
        "events": len(events),
        "bytes": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    names = segment_names(folder, device)
    number = int(names[-1].split(".")[0]) + 1 if names else 1
    name = f"{number:08d}.jsonl"
    temporary = own / f".{name}.{os.getpid()}.tmp"
    try:
        with temporary.open("wb") as handle:
            handle.write(json.dumps(header, separators=(",", ":")).encode() + b"\n" + body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, own / name)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(own)
    return name


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the system allows a folder to be synced)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def read_segment(folder: Path, device: str, name: str) -> Segment | SegmentProblem:
    """Read a segment and check it whole; a problem instead when it is not (yet) usable."""
    path = folder / device / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return SegmentProblem(path, f"cannot be read ({exc.strerror}); skipped")
    first, _, body = data.partition(b"\n")
    try:
        header = json.loads(first)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return SegmentProblem(path, "incomplete or not an srs segment; skipped until it is whole")
    version = header.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        return SegmentProblem(
            path,
            f"written by a newer srs (format {version}; this one reads {FORMAT_VERSION}); "
            "held until srs is upgraded",
            held=True,
        )
    if (
        header.get("device") != device
        or header.get("bytes") != len(body)
        or header.get("sha256") != hashlib.sha256(body).hexdigest()
    ):
        return SegmentProblem(path, "incomplete or damaged (checksum); skipped until it is whole")
    try:
        events = [json.loads(line) for line in body.decode("utf-8").splitlines()]
    except (ValueError, RecursionError):
        return SegmentProblem(path, "damaged (not JSON lines); skipped")
    if len(events) != header.get("events") or not all(isinstance(e, dict) for e in events):
        return SegmentProblem(path, "damaged (events do not match its header); skipped")
    return Segment(device, name, events)
