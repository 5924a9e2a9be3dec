"""prescreen_10k: seconds to pre-screen 10,000 enterprises against one rule set (``--quick``: 2,000); budget 5 s.

``prepare`` builds the demo database (:func:`services.demo.build_demo`, the same seed and day as demo_100k) in the
work folder. ``measure`` times what a clerk starts from the 预审 page or ``prescreen --all``: reading the rule files,
reading the facts of every enterprise in bulk and evaluating them against 国高企 (application year 2025, so the
figures of 2022–2024). Opening the database is not timed: the application has it open already.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from services.database import open_database
from services.demo import build_demo
from services.prescreen.rules import load_library
from services.prescreen.service import prescreen_batch

#: A fixed day, so that runs on different days build and evaluate the same database.
AS_OF = dt.date(2025, 6, 30)
RULES = "national_hte"


def enterprises(quick: bool) -> int:
    return 2_000 if quick else 10_000


def prepare(workdir: Path, quick: bool) -> None:
    build_demo(workdir / "demo.sqlite", enterprises=enterprises(quick), seed=1, as_of=AS_OF)


def measure(workdir: Path, quick: bool) -> float:
    with open_database(workdir / "demo.sqlite", lock=False, create=False) as opened:
        started = time.perf_counter()
        batch = prescreen_batch(opened.db, RULES, AS_OF.year, as_of=AS_OF, library=load_library())
        seconds = time.perf_counter() - started
    if len(batch.evaluations) != enterprises(quick):
        raise RuntimeError(f"evaluated {len(batch.evaluations)} enterprises, expected {enterprises(quick)}")
    return seconds
