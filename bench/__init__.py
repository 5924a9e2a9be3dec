"""The project's benchmarks (PRODUCT.md, "Performance budgets"): ``python -m bench [NAME ...] [--quick] [--json]``.

Each benchmark is one module of this package named in :data:`bench.registry.REGISTRY`. A module provides

* ``measure(workdir: Path, quick: bool) -> float`` — the measured operation, in the benchmark's unit; it runs in a
  process of its own, whose peak memory (and that of anything it starts) is reported with the result;
* optionally ``floor(workdir: Path, quick: bool) -> float`` — the same work done the cheapest way (plain
  ``sqlite3``, ``python-calamine`` …), run after ``measure`` in another process of the same run;
* optionally ``prepare(workdir: Path, quick: bool) -> None`` — set-up that is not measured (a large database to
  open, a spreadsheet to import), run first.

The three share a temporary folder, removed afterwards. Budgets are printed, never asserted by the tests.
"""
