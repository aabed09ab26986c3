"""`python -m bench` (`make bench`): every performance target, srs beside Anki, in one table;
then how well the pass chance predicts simulated learners' mock exams (`bench.readiness`).

Generated decks and collections are cached in `bench/out/` (the collections per study day);
each measurement works on a private copy. Results are also written to `bench/out/results.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import foundation, readiness, tui_pty
from bench import plan as exam_plan_bench
from bench.collection import OUT, CollectionSpec, cached_collection, cached_path, fresh_copy
from srs.clock import Clock


@dataclass(frozen=True)
class Row:
    """One line of the table: values in the metric's unit (ms, or MB for memory)."""

    metric: str
    target: float | None
    srs: Sequence[float]
    anki: Sequence[float] | None = None
    unit: str = "ms"
    p95: bool = False
    reduce: Callable[[Sequence[float]], float] = statistics.median

    def value(self) -> float | None:
        return self.reduce(self.srs) if self.srs else None

    def passed(self) -> bool | None:
        value = self.value()
        if self.target is None:
            return None
        return value is not None and value <= self.target


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _fmt(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{value:.0f} MB"
    if value >= 100:
        return f"{value:,.0f} ms"
    return f"{value:.3g} ms" if value >= 1 else f"{value:.2f} ms"


def _run_json(*args: str | Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", *map(str, args)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"python -m {' '.join(map(str, args))} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("textual", "fsrs", "sqlite-utils", "PyYAML", "rich", "click", "anki"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    try:
        revision = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).parent,
        ).stdout.strip()
    except OSError:
        revision = ""
    return {
        "load": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "revision": revision or "unknown",
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        **versions,
    }


def _ms(seconds: Sequence[float]) -> list[float]:
    return [s * 1000 for s in seconds]


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Measure everything; returns the raw results (JSON-ready)."""
    spec = CollectionSpec()
    results: dict[str, Any] = {"machine": machine(), "spec": spec.__dict__}
    if os.getloadavg()[0] > 0.5:
        _say(f"note: load average {results['machine']['load']}: other work will skew the figures")
    with tempfile.TemporaryDirectory(prefix="srs-bench-") as tmp:
        folder = Path(tmp)
        _say("srs: command line (import, check, --version)...")
        results["foundation"] = foundation.measure(folder / "cli")
        day = Clock().study_day()
        if not cached_path(spec, day).exists():
            _say(f"generating the collection ({spec.cards:,} cards, {spec.reviews:,} reviews)...")
        started = time.perf_counter()
        collection = cached_collection(spec)
        results["collection_s"] = time.perf_counter() - started
        _say("srs: queue, answers...")
        copy = fresh_copy(collection, folder)
        results["daily"] = _run_json("bench.daily", copy, args.answers)
        copy.unlink()
        _say("srs: keypresses through the pilot...")
        copy = fresh_copy(collection, folder)
        results["pilot"] = _run_json("bench.tui_pilot", copy, args.keypresses)
        copy.unlink()
        runs = []
        for n in range(args.launches):
            _say(f"srs: the app in a terminal, run {n + 1} of {args.launches}...")
            copy = fresh_copy(collection, folder)
            try:
                runs.append(tui_pty.measure(foundation.SRS, copy, args.terminal_answers))
            except TimeoutError as exc:
                results["terminal_error"] = str(exc)
                _say(f"  the app did not get there: {exc}")
                break
            finally:
                copy.unlink()
        results["terminal"] = runs
        _say("srs: the card browser (first page, sorts, searches)...")
        copy = fresh_copy(collection, folder)
        results["browse"] = _run_json("bench.browse", copy)
        copy.unlink()
        _say("srs: statistics (every figure of srs stats)...")
        copy = fresh_copy(collection, folder)
        results["stats"] = _run_json("bench.stats", "--json", copy)
        copy.unlink()
    if args.no_peer:
        results["anki"] = {"skipped": "--no-peer"}
    else:
        _say("anki: adding notes, queue, answers (the first run of the day builds its copy)...")
        try:
            results["anki"] = _run_json("bench.peer_anki", args.answers)
        except RuntimeError as exc:
            results["anki"] = {"skipped": f"the peer failed: {exc}"}
    # The package is made by Anki's backend (the bench extra); without it the row is n/a.
    _say("srs: import-anki of 30,000 notes with 300,000 reviews (the first run builds it)...")
    results["anki_import"] = _run_json("bench.anki_import")
    _say("srs: sync merging 10,000 reviews from another device, and with nothing new...")
    results["sync"] = _run_json("bench.sync")
    if args.readiness_seeds:
        _say("srs: the pass chance against simulated learners...")
        results["readiness"] = _run_json(
            "bench.readiness", "--json", "--seeds", str(args.readiness_seeds)
        )
    if args.plan_seeds:
        _say("srs: the exam plan (speed, and simulated learners with and without it)...")
        results["plan"] = _run_json("bench.plan", "--json", "--seeds", str(args.plan_seeds))
    return results


def rows(results: dict[str, Any]) -> list[Row]:
    cli = {k: v if k.endswith("_mb") else _ms(v) for k, v in results["foundation"].items()}
    daily, pilot, terminal = results["daily"], results["pilot"], results["terminal"]
    anki = results["anki"]

    def theirs(key: str, scale: float = 1.0) -> list[float] | None:
        if key not in anki:
            return None
        value = anki[key]
        return [v * scale for v in value] if isinstance(value, list) else [value * scale]

    def each(key: str) -> list[float]:
        return [v for run in terminal for v in run[key]]

    def once(key: str) -> list[float]:
        return [run[key] for run in terminal]

    queue = "today's queue (100k cards, 1M reviews)"
    browse = results["browse"]
    searches = [v for run in browse["search_ms"].values() for v in run]
    return [
        Row("srs --version", 300, cli["version"]),
        Row("srs check, 10k cards", 500, cli["check_10k"]),
        Row("srs import, 10k cards, new", 1000, cli["import_10k"], theirs("add_10k_s", 1000)),
        Row("srs import, 100k cards, new", 5000, cli["import_100k"], theirs("add_100k_s", 1000)),
        Row("srs import, 10k cards, unchanged", 500, cli["reimport_10k"]),
        Row("srs check, 10k full cards (7.5 MB)", 400, cli["check_10k_full"]),
        Row("srs import, 100k full cards (75 MB), new", 5000, cli["import_100k_full"]),
        Row(
            "peak memory of that import (VmHWM)",
            300,
            cli["import_100k_full_peak_mb"],
            unit="MB",
            reduce=max,
        ),
        Row(queue, 25, daily["queue_build_ms"], theirs("queue_build_ms")),
        Row("answer a card (durable)", 1, daily["answer_ms"], theirs("answer_ms"), p95=True),
        Row(
            "next card + answer",
            None,
            daily["fetch_answer_ms"],
            theirs("fetch_answer_ms"),
            p95=True,
        ),
        Row("dashboard counts (overview + streak)", None, daily["overview_ms"]),
        Row("dashboard pass chance (readiness)", None, daily["readiness_ms"]),
        Row("key: letter -> verdict shown (pilot)", 50, pilot["choose_ms"], p95=True),
        Row("key: enter -> next card shown (pilot)", 50, pilot["rate_ms"], p95=True),
        Row("key: letter -> verdict drawn (terminal)", 50, each("choose_ms"), p95=True),
        Row("key: enter -> next card drawn (terminal)", 50, each("rate_ms"), p95=True),
        Row("start-up to the dashboard (terminal)", 1000, once("startup_ms")),
        Row("browser: first page of 100k cards", 100, browse["first_page_ms"]),
        Row("  baseline: every card in Python (srs cards)", None, browse["all_rows_ms"]),
        Row("browser: a search (5 kinds, all runs)", 200, searches, p95=True),
        Row("browser: b -> first page shown (pilot)", None, browse["app_ms"]),
        Row("  baseline: o -> options shown (pilot)", None, browse["app_options_ms"]),
        Row("peak memory of the app (max RSS)", 150, once("max_rss_mb"), unit="MB", reduce=max),
        Row(
            "srs import-anki, 30k notes, 300k reviews",
            10_000 if "import_s" in results["anki_import"] else None,  # None: no anki wheel
            _ms(results["anki_import"].get("import_s", [])),
        ),
        Row(
            "srs import-anki of the same package again",
            None,
            _ms(results["anki_import"].get("reimport_s", [])),
        ),
        Row("srs sync: merge 10k reviews from a device", 1000, _ms(results["sync"]["merge_10k_s"])),
        Row("  baseline: schedule those 10k alone", None, _ms(results["sync"]["schedule_only_s"])),
        Row("srs sync: nothing new", 100, _ms(results["sync"]["nothing_new_s"])),
        Row("statistics, every figure of a deck", 300, results["stats"]["deck"]["collect"]),
        Row("statistics, every figure of all decks", 300, results["stats"]["all"]["collect"]),
    ]


def table(all_rows: Sequence[Row]) -> str:
    header = ("metric", "target", "srs (median)", "p95", "anki", "srs/anki", "")
    lines = [header]
    for row in all_rows:
        value = row.value()
        them = statistics.median(row.anki) if row.anki else None
        verdict = {True: "pass", False: "FAIL", None: ""}[row.passed()]
        lines.append(
            (
                row.metric,
                "" if row.target is None else f"<= {_fmt(row.target, row.unit)}",
                "n/a" if value is None else _fmt(value, row.unit),
                _fmt(_p95(row.srs), row.unit) if row.p95 and row.srs else "",
                "" if them is None else _fmt(them, row.unit),
                "" if them is None or value is None else f"{value / them:.2f}x",
                verdict,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--no-peer", action="store_true", help="skip the Anki peer")
    parser.add_argument("--answers", type=int, default=300, help="answers timed (each side)")
    parser.add_argument("--keypresses", type=int, default=150, help="cards answered via the pilot")
    parser.add_argument("--launches", type=int, default=3, help="app launches in a terminal")
    parser.add_argument(
        "--terminal-answers", type=int, default=40, help="cards answered per launch"
    )
    parser.add_argument(
        "--readiness-seeds",
        type=int,
        default=readiness.DEFAULT_SEEDS,
        help="runs per simulated learner and time of day (0 skips the readiness check)",
    )
    parser.add_argument(
        "--plan-seeds",
        type=int,
        default=2,
        help="runs per simulated learner and exam horizon of bench.plan (0 skips it)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = run(args)
    results["total_s"] = time.perf_counter() - started
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    m = results["machine"]
    print(
        f"{m['cpus']} CPUs ({m['cpu']}), Python {m['python']}, SQLite {m['sqlite']}, "
        f"Textual {m['textual']}, fsrs {m['fsrs']}, sqlite-utils {m['sqlite-utils']}, "
        f"PyYAML {m['PyYAML']}, anki {m['anki']}; srs at {m['revision']}; "
        f"load average at start {m['load']}"
    )
    print(table(rows(results)))
    anki = results["anki"]
    if "skipped" in anki:
        print(f"\nAnki peer skipped: {anki['skipped']}")
    else:
        print(
            "\nanki: adding notes is in-process add_notes (no file to parse, no process start), "
            "beside srs's whole command;\nqueue and answers on the same collection plan "
            f"(queue {anki['queue_counts']} vs srs {results['daily']['queue_counts']}, "
            f"new/learning/review); {anki['durability']}."
        )
    if "terminal_error" in results:
        print(f"the app in a terminal: {results['terminal_error']}")
    if "readiness" in results:
        print("\nthe pass chance against simulated learners (python -m bench.readiness):")
        print(readiness.report(results["readiness"]))
    if "plan" in results:
        print("\nthe exam plan (python -m bench.plan):")
        print(exam_plan_bench.report(results["plan"]))
    print(f"total {results['total_s']:.0f} s; raw figures in {OUT / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
