"""import_50k_commit: committing a previewed 50,000-row × 20-column xlsx into the register, as the import wizard does
after its dry run ("dry run, then commit"): backup, the write lock, the check that file and register are unchanged
since the preview, Core bulk writes of enterprises and yearly figures with their audit rows, the import batch. The
dry run itself is ``import_50k_dry``; it runs here first, untimed. Ratio against the floor (calamine read + sqlite3
executemany of the same rows, same run), each the best of three runs (bench/registry.py ``repeats``); budget 3×,
peak < 400 MB."""

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
    """One commit, previewed first (untimed), on a fresh copy of the prepared database (the runs repeat)."""
    db = Database.connect(import_data.fresh_db(workdir))
    try:
        path, options = import_data.xlsx_path(workdir), ImportOptions()
        preview = run_import(db, path, options, dry_run=True)
        started = time.perf_counter()
        result = run_import(db, path, options, expected=preview.plan)
        elapsed = time.perf_counter() - started
    finally:
        db.dispose()
    assert result.batch_id is not None and result.plan.counts["create"] == import_data.row_count(quick)
    assert result.plan is preview.plan  # carried out as previewed, not planned again
    return elapsed
