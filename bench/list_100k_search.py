"""list_100k_search: milliseconds per keystroke of search-as-you-type in the list of 100,000 enterprises
(``--quick``: 3,000) — the slowest keystroke of a typing session; budget 100 ms.

The list is opened in the real main window offscreen (:mod:`bench.list_100k_open`) and its search index has
loaded (a second or so after the list appears). Each keystroke goes into the search field as a key press (Chinese
words as an input method commits them); its time runs until the list shows the matches with the rows in view
painted (those rows are fetched from the database on the worker). The session types pinyin initials, deletes
them, types a name in two words, deletes it, and types the start of a credit code: most keystrokes match tens of
thousands of enterprises, the hardest case for the list.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.list_100k_open import database, enterprises, open_list, prepare, rows_painted

__all__ = ["KEYS", "enterprises", "measure", "prepare"]

KEYS: tuple[str, ...] = (
    "h", "z", "j", "k", *["Backspace"] * 4,
    "杭州", " ", "科技", *["Backspace"] * 5,
    "9", "1", "3", "3", "0", "1", "0", "5",
)


def keystroke(page: Any, key: str) -> float:
    """Seconds from the key to the matches painted."""
    from ui.offscreen import press, run_until

    runner = page.ctx.runner
    started = time.perf_counter()
    press(page.filters.search, key)
    run_until(lambda: runner.is_idle() and rows_painted(page))
    page.view.viewport().repaint()
    return time.perf_counter() - started


def measure(workdir: Path, quick: bool) -> float:
    from ui.offscreen import offscreen_app, run_until

    with offscreen_app(database(workdir)) as new_window:
        window = new_window()
        _opened, page = open_list(window, enterprises(quick))
        run_until(lambda: page.search_index.index is not None and not page.search_index.loading
                  and page.ctx.runner.is_idle())
        page.filters.search.setFocus()
        times = [keystroke(page, key) for key in KEYS]
        window.close()
    shown = ", ".join(f"{'⌫' if key == 'Backspace' else key}:{t * 1000:.0f}"
                      for key, t in zip(KEYS, times, strict=True))
    print(f"list_100k_search (ms): {shown}; median {statistics.median(times) * 1000:.0f}", file=sys.stderr)
    return max(times) * 1000
