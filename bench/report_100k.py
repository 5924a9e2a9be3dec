"""report_100k: seconds to make the quarterly package (xlsx + pdf, every section) on the 100,000-enterprise demo
database (``--quick``: 5,000); budget 10 s.

The demo (built in ``prepare``, not timed) has 100,000 enterprises, about 21,000 vouchers and 500 carriers, as
PRODUCT.md's budget assumes. The report is the fourth quarter of the year before the demo's date, the largest one
(the whole year to date, the longest list of newly certified firms). The measured step counts every figure (this
period and the same period last year, per 属地) and writes both files, in a process of its own, as the command line
does.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.demo_100k import AS_OF, enterprises
from services.database import open_database
from services.demo import build_demo
from services.reports.package import generate_quarterly
from services.reports.period import Period


def prepare(workdir: Path, quick: bool) -> None:
    build_demo(workdir / "demo.sqlite", enterprises=enterprises(quick), seed=1, as_of=AS_OF)


def measure(workdir: Path, quick: bool) -> float:
    started = time.perf_counter()
    with open_database(workdir / "demo.sqlite", lock=False) as opened:
        generate_quarterly(opened.db, Period(AS_OF.year - 1, 4), workdir / "out", formats=("xlsx", "pdf"))
    return time.perf_counter() - started
