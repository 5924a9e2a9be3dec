"""startup_100k: seconds from launching the application to a usable main window, on a demo database of 100,000
enterprises (``--quick``: 3,000); budget 2 s.

A fresh Python process runs the real entry point (``main.main(["--db", DB, "--no-crash-dialog"])``: logging,
crash handler, Qt, translations, font, opening the database with its lock and checks, the main window). Its event
loop then reports the moment the main window is shown and the loop turns again — the window answers input. The
time is taken from the launch of the process (interpreter start and imports included) to that report. The start
page's figures are counted in the background afterwards; when they appear is printed too, for information.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.list_100k_open import database, enterprises, prepare

__all__ = ["enterprises", "measure", "prepare"]

ROOT = Path(__file__).resolve().parent.parent
READY = "READY"
FILLED = "FILLED"


def measure(workdir: Path, quick: bool) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bench.startup_probe", str(database(workdir))], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, text=True)
    ready = filled = None
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith(READY) and ready is None:
            ready = time.perf_counter() - started
        elif line.startswith(FILLED):
            filled = time.perf_counter() - started
    if child.wait() != 0 or ready is None:
        raise RuntimeError(f"the application did not start (exit {child.returncode})")
    shown = "—" if filled is None else f"{filled:.2f} s"
    print(f"startup_100k: usable {ready:.2f} s, start page figures {shown}", file=sys.stderr)
    return ready
