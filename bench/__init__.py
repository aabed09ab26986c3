"""Benchmarks for srs: `make bench` (python -m bench) runs them and prints a table."""
