"""Benchmarks for srs: `make bench` (python -m bench) runs them and prints a table."""

import os

# This workplace sets PYTHONDONTWRITEBYTECODE=1, so each `srs` the benchmarks start would compile
# every module from source (~100 ms of a start-up). A learner's Python keeps the bytecode of a
# first run: the commands are timed as they run on a learner's machine.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
