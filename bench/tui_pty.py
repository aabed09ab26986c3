"""The study app as a learner meets it: the real `srs` command in a pseudo-terminal.

`measure()` starts `srs --db COLLECTION` on a pty (100x40, TERM=xterm-256color) and reads what
it draws, as a terminal would:
- start-up: from launching the process to the first output that holds the dashboard's deck row
  (the deck's title, drawn only after the counts are read from the collection);
- keypresses: enter opens the deck's review; then for each card a letter (choose), timed until
  the verdict ("Correct"/"Incorrect") is drawn, and enter (accept the rating), timed until the
  next card's option hint is drawn;
- memory: the process's peak resident set size (VmHWM in /proc/PID/status, read just before
  ctrl+q quits it). Not `wait4`'s ru_maxrss: subprocess starts the child with vfork, and Linux
  then carries the parent's (this benchmark's) peak over into the child's figure.
This times everything but the terminal emulator's own painting.

`python -m bench.tui_pty COLLECTION [--launches N] [--answers N]` runs it alone on private copies
of COLLECTION (migrate it first: a copy of an older schema would time its migration) and prints
each figure's median and 95th percentile as JSON.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

__all__ = ["measure"]

COLUMNS, LINES = 100, 40
DASHBOARD = b"Benchmark deck of"
HINT = b"a-d: choose"
VERDICT = b"orrect"  # "Correct" or "Incorrect"


class _Terminal:
    """The pty's master side: collects everything the app writes."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.output = bytearray()

    def wait_for(self, marker: bytes, start: int, timeout: float = 30.0) -> float:
        """Read until `marker` appears after byte `start`; returns the time it arrived."""
        deadline = time.perf_counter() + timeout
        while marker not in self.output[max(0, start - len(marker)) :]:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                tail = bytes(self.output[-400:])
                raise TimeoutError(f"{marker!r} not drawn within {timeout} s; last output {tail!r}")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.fd, 1 << 16)
                except OSError:  # the app exited
                    raise TimeoutError(f"the app exited before drawing {marker!r}") from None
                self.output += chunk
        return time.perf_counter()

    def drain(self, seconds: float) -> None:
        deadline = time.perf_counter() + seconds
        while (remaining := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                try:
                    self.output += os.read(self.fd, 1 << 16)
                except OSError:
                    return

    def press(self, keys: bytes, marker: bytes) -> float:
        """Type `keys`; milliseconds until `marker` is drawn."""
        self.drain(0.05)  # a learner's pause: the previous update is fully drawn
        start = len(self.output)
        pressed = time.perf_counter()
        os.write(self.fd, keys)
        return (self.wait_for(marker, start) - pressed) * 1000


def _peak_rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def measure(srs: Path, collection: Path, answers: int) -> dict[str, Any]:
    """Start the app, review `answers` cards, quit; timings in ms, peak memory in MB."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
    env.pop("TEXTUAL", None)
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(srs), "--db", str(collection)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    terminal = _Terminal(master)
    try:
        startup = (terminal.wait_for(DASHBOARD, 0, timeout=120) - started) * 1000
        open_review = terminal.press(b"\r", HINT)
        choose, rate = [], []
        for _ in range(answers):
            choose.append(terminal.press(b"a", VERDICT))
            rate.append(terminal.press(b"\r", HINT))
        peak_mb = _peak_rss_mb(process.pid)
        os.write(master, b"\x11")  # ctrl+q
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            # wait4, not Popen.poll: reaping the child here is what yields its rusage.
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            terminal.drain(0.05)
        else:
            raise TimeoutError("the app did not quit on ctrl+q")
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        os.close(master)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "startup_ms": startup,
        "open_review_ms": open_review,
        "choose_ms": choose,
        "rate_ms": rate,
        "max_rss_mb": peak_mb if peak_mb is not None else usage.ru_maxrss / 1024,
        "exit_code": process.returncode,
    }


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 1),
        "p95": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 1),
        "n": len(ordered),
    }


def _values(value: float | list[float]) -> list[float]:
    return value if isinstance(value, list) else [value]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tui_pty", description=__doc__)
    parser.add_argument("collection", type=Path)
    parser.add_argument("--launches", type=int, default=3)
    parser.add_argument("--answers", type=int, default=40, help="cards answered per launch")
    args = parser.parse_args(argv)
    srs = Path(sys.executable).parent / "srs"
    runs = []
    with tempfile.TemporaryDirectory(prefix="srs-pty-") as folder:
        for _ in range(args.launches):
            copy = Path(folder) / args.collection.name
            shutil.copyfile(args.collection, copy)
            runs.append(measure(srs, copy, args.answers))
            copy.unlink()
    keys = ("startup_ms", "open_review_ms", "choose_ms", "rate_ms", "max_rss_mb")
    result = {key: _summary([v for run in runs for v in _values(run[key])]) for key in keys}
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
