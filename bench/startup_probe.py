"""The child process of :mod:`bench.startup_100k`: ``python -m bench.startup_probe DB``.

Runs the real entry point on ``DB`` and prints ``READY`` when the main window is usable and ``FILLED`` when the
start page shows its figures; then the application ends (no exit backup: the window is not closed by the user).
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from ui.offscreen import watch_startup

    watch_startup(lambda: print("READY", flush=True), lambda: print("FILLED", flush=True))
    import main as entry

    return entry.main(["--db", argv[0], "--no-crash-dialog"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
