"""import_50k_dry: the dry run of a 50,000-row × 20-column xlsx (read, map, parse, validate, match), as a ratio
against the floor (calamine read + sqlite3 executemany of the same rows, same run), each the best of
three runs (bench/registry.py ``repeats``); budget 3×, peak < 400 MB."""

from __future__ import annotations

import time
from pathlib import Path

from bench import import_data
from bench.import_data import floor, prepare
from models.db import Database
from services.importing.commit import run_import
from services.importing.plan import ImportOptions

__all__ = ["floor", "measure", "prepare"]


def measure(workdir: Path, quick: bool) -> float:
    db = Database.connect(import_data.db_path(workdir))
    try:
        started = time.perf_counter()
        result = run_import(db, import_data.xlsx_path(workdir), ImportOptions(), dry_run=True)
        elapsed = time.perf_counter() - started
    finally:
        db.dispose()
    assert result.plan.counts["create"] == import_data.row_count(quick), result.plan.counts
    return elapsed
