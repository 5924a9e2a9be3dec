"""list_100k_open: milliseconds from choosing 企业库 in the navigation to the list shown with the rows in view
painted, on a demo database of 100,000 enterprises (``--quick``: 3,000); budget 300 ms.

The real main window runs offscreen with the bundled font (:mod:`ui.offscreen`). Before the click its start page
has finished loading, so the database worker is as free as a moment after start. The time covers building the
page, reading the 100,000 ids (filters and order in SQL), the rows in view fetched on the database worker, and the
repaint. It is taken three times, each with a fresh main window; the value is the slowest.

The helpers here are shared with :mod:`bench.list_100k_search`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

#: Fresh main windows opened per measurement; the slowest counts.
RUNS = 3


def enterprises(quick: bool) -> int:
    return 3_000 if quick else 100_000


def database(workdir: Path) -> Path:
    return workdir / "demo.sqlite"


def prepare(workdir: Path, quick: bool) -> None:
    """Build the demo database once per benchmark run (current as of today, seed 1)."""
    from services.demo import build_demo

    build_demo(database(workdir), enterprises=enterprises(quick), seed=1)


def rows_painted(page: Any) -> bool:
    """Every row in view has its data (it is then painted at once)."""
    model, view = page.model, page.view
    if model.rowCount() == 0:
        return True
    first = max(view.rowAt(0), 0)
    last = view.rowAt(view.viewport().height() - 1)
    last = model.rowCount() - 1 if last < 0 else last
    return all(model.loaded(r) is not None for r in range(first, last + 1))


def open_list(window: Any, expected: int) -> tuple[float, Any]:
    """Seconds from choosing 企业库 to its rows painted, and the page."""
    from ui.offscreen import run_until

    started = time.perf_counter()
    window.show_page("enterprises")
    page = window.page("enterprises")
    run_until(lambda: page.model.rowCount() == expected and rows_painted(page))
    page.view.viewport().repaint()
    return time.perf_counter() - started, page


def measure(workdir: Path, quick: bool) -> float:
    from ui.offscreen import offscreen_app

    expected = enterprises(quick)
    times = []
    with offscreen_app(database(workdir)) as new_window:
        for _run in range(RUNS):
            window = new_window()
            seconds, _page = open_list(window, expected)
            times.append(seconds)
            window.close()
            window.deleteLater()
    print(f"list_100k_open: {', '.join(f'{t * 1000:.0f}' for t in times)} ms", file=sys.stderr)
    return max(times) * 1000
