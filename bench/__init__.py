"""Benchmarks of Awda at scale (run with `make bench`; see bench/README.md). Not part of the tests."""
