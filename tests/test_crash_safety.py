"""A process killed in the middle of a large write leaves the database as before it or with the whole change.

A real second process (tests/helpers/writer.py) inserts 200,000 enterprises in one transaction and is killed with
SIGKILL while writing, after delays drawn from a seeded generator, and once after it has started to commit (with a
page cache large enough to hold every page, the commit writes some 40 MB and takes a few hundred milliseconds; the kill
comes within 50 ms). The database must then pass every check and hold either the rows from before or all of the new
ones.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from sqlalchemy import insert

from models import Enterprise
from services.backup import check_database
from services.database import open_database
from tests.helpers.writer import Child

ROWS = 200_000
BEFORE = 500
_rng = random.Random(20250611)
#: Seconds after "started" (the first rows are written) or after "committing" (the commit has begun).
KILLS = [("started", round(_rng.uniform(low, low + 0.45), 3)) for low in (0.05, 0.5, 1.0, 1.5)]
KILLS.append(("committing", round(_rng.uniform(0.0, 0.05), 3)))


@pytest.mark.slow
@pytest.mark.parametrize(("phase", "delay"), KILLS, ids=[f"{phase}+{delay}s" for phase, delay in KILLS])
def test_killed_writer_leaves_all_or_nothing(db_path: Path, phase: str, delay: float) -> None:
    with open_database(db_path) as opened, opened.db.engine.begin() as conn:
        rows = [{"name": f"已有企业{i}", "name_norm": f"已有企业{i}", "name_initials": ""} for i in range(BEFORE)]
        conn.execute(insert(Enterprise), rows)
    # A large page cache keeps the pages in memory until the commit, so the commit has much to write.
    cache = ["--cache-mb", "512"] if phase == "committing" else []
    with Child("insert", str(db_path), "--rows", str(ROWS), *cache) as writer:
        writer.wait_for(phase)
        time.sleep(delay)
        seen = writer.kill()

    with open_database(db_path) as opened:
        report = check_database(opened.db)
    assert report.ok, report.describe()
    count = report.facts["rows.enterprise"]
    assert count in (BEFORE, BEFORE + ROWS), f"{count} rows: a part of the transaction survived"
    if "committing" not in seen:
        assert count == BEFORE
    if "committed" in seen:
        assert count == BEFORE + ROWS
