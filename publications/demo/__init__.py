"""The demo site that `make run` loads, and the generated corpus for benchmarks."""
