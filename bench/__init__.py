"""Benchmarks: `make bench` (`python -m bench`) runs every section and writes bench/results/latest.json."""
