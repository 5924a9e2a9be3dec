"""A second process for the crash and lock tests, and :class:`Child`, the test's handle on it.

The process opens a database the way the application does and then either holds it open or writes a large
transaction, reporting each step on stdout (one line each, flushed) so that the test knows when to kill it.

    python tests/helpers/writer.py hold DB
        open the database (taking the instance lock), print ``ready <pid>``, wait until stdin closes
    python tests/helpers/writer.py insert DB --rows N [--chunk C] [--cache-mb M]
        insert N enterprises in ONE transaction through SQLAlchemy Core, printing ``started`` after the first chunk,
        ``progress <rows>`` after each chunk, ``committing`` just before the commit and ``committed`` after it.
        A large page cache (--cache-mb) keeps the pages in memory until the commit, which then writes them all, so
        that the commit takes long enough to be interrupted.
"""

from __future__ import annotations

import argparse
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from models import Enterprise  # noqa: E402
from services.database import open_database  # noqa: E402


class Child:
    """A running ``writer.py``; its output (stdout and stderr) is read by a thread so that every wait can time out.

    Use as a context manager: the process is killed and its pipe closed on exit.
    """

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        )
        self.seen: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def wait_for(self, prefix: str, timeout: float = 60.0) -> str:
        """Wait for an output line starting with ``prefix`` and return it."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {prefix!r} from writer.py within {timeout} s: {self.seen}") from None
            if line is None:
                raise AssertionError(f"writer.py ended before {prefix!r}:\n" + "\n".join(self.seen))
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def kill(self) -> list[str]:
        """Kill the process (SIGKILL on POSIX) and return everything it printed."""
        self.proc.kill()
        self.proc.wait(timeout=30)
        self._reader.join(timeout=30)
        while True:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                return self.seen
            if line is not None:
                self.seen.append(line)

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.returncode is None:
            self.kill()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()


def say(line: str) -> None:
    print(line, flush=True)


def hold(db: Path) -> None:
    with open_database(db):
        say(f"ready {os.getpid()}")
        sys.stdin.read()


def insert_rows(db: Path, rows: int, chunk: int, cache_mb: int) -> None:
    with open_database(db) as opened, opened.db.engine.connect() as conn:
        if cache_mb:
            conn.exec_driver_sql(f"PRAGMA cache_size=-{cache_mb * 1024}")
            conn.commit()
        for start in range(0, rows, chunk):
            batch = [{"name": f"压测企业{i:07d}", "name_norm": f"压测企业{i:07d}", "name_initials": "ycqy"}
                     for i in range(start, min(start + chunk, rows))]
            conn.execute(insert(Enterprise), batch)
            say("started" if start == 0 else f"progress {start + len(batch)}")
        say("committing")
        conn.commit()
        say("committed")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    hold_cmd = sub.add_parser("hold")
    hold_cmd.add_argument("db", type=Path)
    ins = sub.add_parser("insert")
    ins.add_argument("db", type=Path)
    ins.add_argument("--rows", type=int, required=True)
    ins.add_argument("--chunk", type=int, default=5000)
    ins.add_argument("--cache-mb", type=int, default=0)
    args = parser.parse_args()
    if args.mode == "hold":
        hold(args.db)
    else:
        insert_rows(args.db, args.rows, args.chunk, args.cache_mb)


if __name__ == "__main__":
    main()
