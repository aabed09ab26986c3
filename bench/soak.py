"""`python -m bench.soak` (`make soak`): hundreds of crashes, each followed by every check.

One collection lives through the whole run. Each trial runs srs workloads in child processes
(the drivers of tests/crash_driver.py) and kills them: SIGKILL after a seeded random
delay during answers, mock-exam submits, imports (each with its automatic backup) and backups,
also two at once (answers beside backups, answers beside an import); or the kernel kills the
child (SIGXFSZ, a file-size limit) at a chosen write, mid-checkpoint or mid-backup. After every
trial the collection must open, pass `quick_check`, hold every answer, exam and import the
children reported committed (imports all or nothing), and list only complete backups.

    python -m bench.soak --kills 500 --minutes 5 --seed 1

Prints one line per failed trial and the totals; writes them to bench/out/soak.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from crash_driver import (
    Child,
    Expected,
    Run,
    build_collection,
    check_after_kill,
    run,
)

from bench.collection import OUT

Trial = Callable[[Path, random.Random], list[Run]]


def _killed_after(workload: str) -> Trial:
    def trial(db: Path, rng: random.Random) -> list[Run]:
        return [run(workload, db, rng.randrange(1 << 30), kill_after=rng.uniform(0.02, 0.6))]

    return trial


def _side_by_side(first: str, second: str) -> Trial:
    def trial(db: Path, rng: random.Random) -> list[Run]:
        children = [Child(w, db, rng.randrange(1 << 30), None) for w in (first, second)]
        runs = []
        for child in children:
            time.sleep(rng.uniform(0.02, 0.4))
            runs.append(child.finish(kill=True))
        return runs

    return trial


def _checkpoint(db: Path, rng: random.Random) -> list[Run]:
    return [run("checkpoint", db, rng.randrange(1 << 30), kill_after=None)]


def _cut_backup(workload: str) -> Trial:
    def trial(db: Path, rng: random.Random) -> list[Run]:
        cut = rng.randrange(4096, max(8192, db.stat().st_size))
        return [run(workload, db, rng.randrange(1 << 30), kill_after=None, die_in_backup=cut)]

    return trial


TRIALS: dict[str, Trial] = {
    "answers": _killed_after("answers"),
    "exam": _killed_after("exam"),
    "import": _killed_after("import"),
    "backup": _killed_after("backup"),
    "answers+backup": _side_by_side("answers", "backup"),
    "answers+import": _side_by_side("answers", "import"),
    "checkpoint": _checkpoint,
    "import cut mid-backup": _cut_backup("import"),
    "backup cut mid-copy": _cut_backup("backup"),
}


@dataclass
class Totals:
    trials: int = 0
    kills: int = 0
    failed_trials: int = 0
    committed_lost: int = 0
    committed_reported: int = 0
    seconds: float = 0.0
    kills_by_trial: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def soak(kills: int, minutes: float, seed: int) -> Totals:
    """Run trials until `kills` children were killed or `minutes` passed."""
    rng = random.Random(seed)
    totals = Totals()
    expected = Expected()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="srs-soak-") as folder:
        db = Path(folder) / "collection.db"
        build_collection(db)
        while totals.kills < kills and time.monotonic() - started < minutes * 60:
            name = rng.choice(list(TRIALS))
            runs = TRIALS[name](db, rng)
            for each in runs:
                expected.add(each)
            check = check_after_kill(db, expected)
            died = sum(r.killed for r in runs)
            totals.trials += 1
            totals.kills += died
            totals.kills_by_trial[name] = totals.kills_by_trial.get(name, 0) + died
            totals.committed_lost += check.lost
            problems = check.problems + [
                f"child not killed (exit {r.returncode}): {r.stderr.strip()[-300:]}"
                for r in runs
                if not r.killed
            ]
            if problems:
                totals.failed_trials += 1
                totals.failures.append(f"trial {totals.trials} ({name}): {'; '.join(problems)}")
                print(totals.failures[-1], flush=True)
        totals.committed_reported = len(expected.answers) + len(expected.exams)
        totals.committed_reported += expected.import_version
    totals.seconds = round(time.monotonic() - started, 1)
    return totals


def _report(totals: Totals) -> str:
    by_trial = ", ".join(f"{name} {count}" for name, count in sorted(totals.kills_by_trial.items()))
    return (
        f"{totals.trials} trials, {totals.kills} kills in {totals.seconds:.0f} s ({by_trial})\n"
        f"failed trials: {totals.failed_trials}; committed operations lost: "
        f"{totals.committed_lost} of {totals.committed_reported} reported"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=500, help="stop after this many kills")
    parser.add_argument("--minutes", type=float, default=5, help="or after this long")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    totals = soak(args.kills, args.minutes, args.seed)
    print(_report(totals))
    OUT.mkdir(exist_ok=True)
    (OUT / "soak.json").write_text(json.dumps(asdict(totals), indent=2) + "\n")
    sys.exit(1 if totals.failed_trials else 0)


if __name__ == "__main__":
    main()
